/**
 * The KKT system of storage polishing solved as a network with gains (docs/polishing.md, "Markets
 * with storage", "Past the factorisation's budget"), in time linear in its size, where a sparse
 * factorisation's fill would pass its budget (`StoragePolisher`, kkt "auto").
 *
 * Every free variable of that system either joins two rows and has no curvature (a trade between
 * two agents of a period; a charge or a discharge between an agent and its storage's energy row;
 * an energy between two consecutive energy rows), or has one row (an agent's own power; the last
 * period's energy). Stationarity of a two-row variable i inside piece j, A_ui y_u + A_vi y_v =
 * −s_ij, is an edge of a network with gains between the prices of its rows; a row's balance
 * Σ_i A_ri x_i = b_r is a node's conservation of flow. So, per connected part of the rows joined
 * by free two-row variables:
 * 1. a spanning tree, the variables with the most room inside their piece first (as the
 *    single-period polish's forest: the tree's flows take the corrections), gives every row's
 *    price as an affine function of the part's root price θ, y_r = α_r θ + β_r (α_r is also the
 *    gain with which row r's balance reaches the root);
 * 2. every other free variable of the part — a two-row variable off the tree, or a one-row
 *    variable without curvature (an agent with a linear cost inside its bounds), together "items"
 *    — adds a price equation a θ + c = 0 with a = Σ A α over its rows. Where a ≠ 0 (an agent's
 *    linear cost; a loop through a storage's charge and discharge, whose efficiencies make its
 *    gain differ from 1) the equation fixes θ; where a = 0 (a loop of trades) it holds whatever θ
 *    is, or never;
 * 3. the part's balance Σ_r α_r (A x − b)_r (the tree's flows do not enter it) is met by its items
 *    with a ≠ 0, in proportion to a · sx² (the least-squares share in the polisher's scaling),
 *    or, without such an item, by θ through the agents with a curvature; the items keep the
 *    iterate's values, clipped into their piece, otherwise;
 * 4. the tree's flows follow leaf by leaf from the rows' balances.
 * A price equation that fails, or a balance nothing can meet, makes the system inconsistent. For
 * the first, `loopPivots` gives the pivots of the primal simplex method along each failing loop;
 * for the second, the part's prices drift along α (`driftY`, normalised as the factorisation's
 * refinement drifts), for the polisher's dual pivots. Deterministic: only the data and the states
 * decide.
 */

import { ufFind } from "./union-find.js";

/** The system, in the polisher's layout (see StoragePolisher). */
export interface NetworkSystem {
  nv: number;
  nr: number;
  /** Per variable: 2j at breakpoint j, 2j + 1 inside piece j. */
  state: Int8Array;
  colN: Int8Array;
  colRow: Int32Array;
  colVal: Float64Array;
  /** Breakpoints (3 per variable), slopes (2 per variable), curvature, scale. */
  bp: Float64Array;
  slope: Float64Array;
  h: Float64Array;
  sx: Float64Array;
  /** Per row: right-hand side and scale. */
  b: Float64Array;
  sr: Float64Array;
  /** The iterate's values and prices. */
  x0: Float64Array;
  y0: Float64Array;
  /** Power and price scales. */
  P: number;
  L: number;
}

export type NetworkOutcome = "solved" | "inconsistent" | "unsupported";

/** An item's gain counts as non-zero above this share of its terms. */
const GAIN_TOL = 1e-9;
/** A price equation or a balance holds within this share of its terms' magnitude. */
const REL_TOL = 1e-10;
/** Quantisation of the room for the spanning tree's counting sort. */
const ROOM_LEVELS = 4096;
/** Primal pivots (a loop's, or a factorised system's drift) fix every variable that blocks within this factor of the first one's step. */
export const LONG_STEP = 10;
/** Roles of the variables in a solve. */
const FIXED = 0;
const TREE = 1;
const CURVED = 2;
const LOOP = 3;
const GAINED = 4;

export class NetworkKkt {
  private readonly nv: number;
  private readonly nr: number;
  private readonly role: Uint8Array;
  private readonly isTree: Uint8Array;
  /** The free two-row variables, then the tree's; their room's levels and the sort's output. */
  private readonly edges: Int32Array;
  private readonly level: Int32Array;
  private readonly sorted: Int32Array;
  private readonly roomCounts = new Int32Array(ROOM_LEVELS + 1);
  private degreeCounts = new Int32Array(0);
  /** Per row: union–find, the tree's adjacency, part, breadth-first order, parent, depth, α, β. */
  private readonly uf: Int32Array;
  private readonly adjStart: Int32Array;
  private readonly adj: Int32Array;
  private readonly fill: Int32Array;
  private readonly comp: Int32Array;
  private readonly order: Int32Array;
  private readonly parentEdge: Int32Array;
  private readonly parentRow: Int32Array;
  private readonly depth: Int32Array;
  private readonly alpha: Float64Array;
  private readonly beta: Float64Array;
  private readonly rowSum: Float64Array;
  private readonly rowMag: Float64Array;
  /** Per part: θ, its best item and that item's score, curvature, balance and its magnitude, Σ a² sx². */
  private readonly theta: Float64Array;
  private readonly best: Int32Array;
  private readonly bestScore: Float64Array;
  private readonly curv: Float64Array;
  private readonly bal: Float64Array;
  private readonly balMag: Float64Array;
  private readonly share: Float64Array;
  /** A loop's flow per variable (scratch of `loopPivots`), and the variables it touched. */
  private readonly xi: Float64Array;
  private readonly touched: Int32Array;
  private nTouched = 0;
  /** Gain of the last `gainOf` (Σ A α, Σ |A α|), residual of the last `priceHolds`. */
  private ga = 0;
  private gm = 0;
  private pres = 0;
  private parts = 0;
  /** Diagnostics of the last solve: items whose price equation failed, parts whose balance did. */
  badItems = 0;
  badParts = 0;

  constructor(nv: number, nr: number) {
    this.nv = nv;
    this.nr = nr;
    this.role = new Uint8Array(nv);
    this.isTree = new Uint8Array(nv);
    this.edges = new Int32Array(nv);
    this.level = new Int32Array(nv);
    this.sorted = new Int32Array(nv);
    this.uf = new Int32Array(nr);
    this.adjStart = new Int32Array(nr + 1);
    this.adj = new Int32Array(2 * Math.max(1, nr));
    this.fill = new Int32Array(nr);
    this.comp = new Int32Array(nr);
    this.order = new Int32Array(nr);
    this.parentEdge = new Int32Array(nr);
    this.parentRow = new Int32Array(nr);
    this.depth = new Int32Array(nr);
    this.alpha = new Float64Array(nr);
    this.beta = new Float64Array(nr);
    this.rowSum = new Float64Array(nr);
    this.rowMag = new Float64Array(nr);
    this.theta = new Float64Array(nr);
    this.best = new Int32Array(nr);
    this.bestScore = new Float64Array(nr);
    this.curv = new Float64Array(nr);
    this.bal = new Float64Array(nr);
    this.balMag = new Float64Array(nr);
    this.share = new Float64Array(nr);
    this.xi = new Float64Array(nv);
    // A pivot's walks (its item's two paths through the tree, and for a gained item the best
    // item's two): a variable is listed again only where flows cancelled to 0 on it before.
    this.touched = new Int32Array(nv + 4 * nr + 8);
  }

  /**
   * Solves the system of the states into x (every variable; fixed ones at their breakpoints) and
   * y. "inconsistent": some price equation or balance fails (`loopPivots`, `driftY`: the dual
   * drift, zero where none); "unsupported": a free variable this structure does not cover (a
   * curvature on two rows, three rows, or none).
   */
  solve(S: NetworkSystem, x: Float64Array, y: Float64Array, driftY: Float64Array): NetworkOutcome {
    const nv = this.nv;
    const nr = this.nr;
    const { state, colN, colRow, colVal, bp, slope, h, sx } = S;
    // The free two-row variables (the network's edges) with their room inside their piece.
    let nE = 0;
    let roomMax = 0;
    const roomOf = this.xi; // scratch until `loopPivots`, which clears it
    for (let i = 0; i < nv; i++) {
      this.isTree[i] = 0;
      const s = state[i];
      if (!(s & 1)) {
        x[i] = bp[3 * i + (s >> 1)];
        continue;
      }
      const cn = colN[i];
      if (cn === 2) {
        if (h[i] !== 0 || colRow[3 * i] === colRow[3 * i + 1]) return "unsupported";
        const j = s >> 1;
        const v = S.x0[i];
        const r = Math.min(v - bp[3 * i + j], bp[3 * i + j + 1] - v) / sx[i];
        const room = r > 0 ? r : 0;
        roomOf[i] = room;
        if (room > roomMax && room < Infinity) roomMax = room;
        this.edges[nE++] = i;
      } else if (cn !== 1) return "unsupported";
    }
    // A maximum spanning forest by room: Kruskal on a counting sort of the quantised room,
    // stable by index.
    const counts = this.roomCounts;
    counts.fill(0);
    const q = roomMax > 0 ? (ROOM_LEVELS - 1) / roomMax : 0;
    const level = this.level;
    const sorted = this.sorted;
    const uf = this.uf;
    for (let e = 0; e < nE; e++) {
      const room = roomOf[this.edges[e]];
      const l = room < Infinity ? ROOM_LEVELS - 1 - Math.min(ROOM_LEVELS - 1, Math.floor(room * q)) : 0;
      level[e] = l;
      counts[l + 1]++;
    }
    for (let l = 0; l < ROOM_LEVELS; l++) counts[l + 1] += counts[l];
    for (let e = 0; e < nE; e++) sorted[counts[level[e]]++] = this.edges[e];
    for (let r = 0; r < nr; r++) uf[r] = r;
    let nT = 0;
    for (let e = 0; e < nE; e++) {
      const i = sorted[e];
      const a = ufFind(uf, colRow[3 * i]);
      const b = ufFind(uf, colRow[3 * i + 1]);
      if (a === b) continue;
      uf[a] = b;
      this.isTree[i] = 1;
      this.edges[nT++] = i;
    }
    // The tree's adjacency; roots by decreasing degree (a counting sort, stable by row), so that
    // a part's tree hangs from its hub (a period's grid) and is shallow.
    const adjStart = this.adjStart;
    const adj = this.adj;
    const fill = this.fill;
    adjStart.fill(0);
    for (let e = 0; e < nT; e++) {
      const i = this.edges[e];
      adjStart[colRow[3 * i] + 1]++;
      adjStart[colRow[3 * i + 1] + 1]++;
    }
    let maxDegree = 0;
    for (let r = 0; r < nr; r++) {
      if (adjStart[r + 1] > maxDegree) maxDegree = adjStart[r + 1];
      adjStart[r + 1] += adjStart[r];
    }
    for (let r = 0; r < nr; r++) fill[r] = adjStart[r];
    for (let e = 0; e < nT; e++) {
      const i = this.edges[e];
      adj[fill[colRow[3 * i]]++] = i;
      adj[fill[colRow[3 * i + 1]]++] = i;
    }
    if (this.degreeCounts.length < maxDegree + 2) this.degreeCounts = new Int32Array(maxDegree + 2);
    const dc = this.degreeCounts;
    dc.fill(0, 0, maxDegree + 2);
    for (let r = 0; r < nr; r++) dc[maxDegree - (adjStart[r + 1] - adjStart[r]) + 1]++;
    for (let d = 0; d <= maxDegree; d++) dc[d + 1] += dc[d];
    const byDegree = uf;
    for (let r = 0; r < nr; r++) byDegree[dc[maxDegree - (adjStart[r + 1] - adjStart[r])]++] = r;
    // Parts in breadth-first order from their roots; prices affine in the root's.
    const comp = this.comp;
    const order = this.order;
    const parentEdge = this.parentEdge;
    const parentRow = this.parentRow;
    const depth = this.depth;
    const alpha = this.alpha;
    const beta = this.beta;
    comp.fill(-1);
    let pos = 0;
    let parts = 0;
    for (let k = 0; k < nr; k++) {
      const root = byDegree[k];
      if (comp[root] >= 0) continue;
      const c = parts++;
      comp[root] = c;
      parentEdge[root] = -1;
      parentRow[root] = -1;
      depth[root] = 0;
      alpha[root] = 1;
      beta[root] = 0;
      this.best[c] = -1;
      this.bestScore[c] = 0;
      this.curv[c] = 0;
      this.bal[c] = 0;
      this.balMag[c] = 0;
      this.share[c] = 0;
      order[pos++] = root;
      for (let at = pos - 1; at < pos; at++) {
        const u = order[at];
        for (let p = adjStart[u]; p < adjStart[u + 1]; p++) {
          const i = adj[p];
          const v = NetworkKkt.other(S, i, u);
          if (comp[v] >= 0) continue;
          comp[v] = c;
          parentEdge[v] = i;
          parentRow[v] = u;
          depth[v] = depth[u] + 1;
          const Au = NetworkKkt.coef(S, i, u);
          const Av = NetworkKkt.coef(S, i, v);
          alpha[v] = (-Au * alpha[u]) / Av;
          beta[v] = (-slope[2 * i + (state[i] >> 1)] - Au * beta[u]) / Av;
          order[pos++] = v;
        }
      }
    }
    this.parts = parts;
    // Roles; per part its curvature, Σ a² sx² over its gained items and its best item (the
    // largest gain relative to its terms).
    const role = this.role;
    const theta = this.theta;
    for (let i = 0; i < nv; i++) {
      const s = state[i];
      if (!(s & 1)) role[i] = FIXED;
      else if (this.isTree[i]) role[i] = TREE;
      else if (colN[i] === 1 && h[i] > 0) {
        role[i] = CURVED;
        const r = colRow[3 * i];
        const aA = colVal[3 * i] * alpha[r];
        this.curv[comp[r]] += (aA * aA) / h[i];
      } else {
        this.gainOf(S, i);
        const score = this.gm > 0 ? Math.abs(this.ga) / this.gm : 0;
        if (!(score > GAIN_TOL)) role[i] = LOOP;
        else {
          role[i] = GAINED;
          const c = comp[colRow[3 * i]];
          this.share[c] += this.ga * this.ga * sx[i] * sx[i];
          if (score > this.bestScore[c]) {
            this.bestScore[c] = score;
            this.best[c] = i;
          }
        }
      }
    }
    for (let c = 0; c < parts; c++) {
      const i = this.best[c];
      theta[c] = Number.NaN;
      if (i < 0) continue;
      this.gainOf(S, i);
      let cc = slope[2 * i + (state[i] >> 1)];
      for (let t = 0; t < colN[i]; t++) cc += colVal[3 * i + t] * beta[colRow[3 * i + t]];
      theta[c] = -cc / this.ga;
    }
    // Items at the iterate's values, clipped into their piece; each part's balance without the
    // tree and without the θ part of its curved agents' powers, (−s − A β_r)/h.
    for (let i = 0; i < nv; i++) if (role[i] === LOOP || role[i] === GAINED) x[i] = this.base(S, i);
    const rowSum = this.rowSum;
    const rowMag = this.rowMag;
    for (let r = 0; r < nr; r++) {
      rowSum[r] = -S.b[r];
      rowMag[r] = Math.abs(S.b[r]);
    }
    for (let i = 0; i < nv; i++) {
      const ro = role[i];
      if (ro === TREE) continue;
      const xi = ro === CURVED ? (-slope[2 * i + (state[i] >> 1)] - colVal[3 * i] * beta[colRow[3 * i]]) / h[i] : x[i];
      for (let t = 0; t < colN[i]; t++) {
        const r = colRow[3 * i + t];
        const v = colVal[3 * i + t] * xi;
        rowSum[r] += v;
        if (Math.abs(v) > rowMag[r]) rowMag[r] = Math.abs(v);
      }
    }
    for (let r = 0; r < nr; r++) {
      const c = comp[r];
      this.bal[c] += alpha[r] * rowSum[r];
      const m = Math.abs(alpha[r]) * rowMag[r];
      if (m > this.balMag[c]) this.balMag[c] = m;
    }
    // θ of the parts without a gained item: from the balance through the curvature (the curved
    // agents take it), else the least-squares fit of the prices to the iterate's in the
    // polisher's scaling, Σ α sr² (y0 − β) / Σ α² sr².
    const fitNum = rowMag; // scratch from here on, per part
    const fitDen = rowSum;
    for (let c = 0; c < parts; c++) {
      fitNum[c] = 0;
      fitDen[c] = 0;
      if (this.best[c] >= 0 || !(this.curv[c] > 0)) continue;
      theta[c] = this.bal[c] / this.curv[c];
      this.bal[c] = 0;
    }
    for (let r = 0; r < nr; r++) {
      const c = comp[r];
      const v = S.y0[r];
      if (theta[c] === theta[c] || !Number.isFinite(v)) continue;
      const w = alpha[r] * S.sr[r] * S.sr[r];
      fitNum[c] += w * (v - beta[r]);
      fitDen[c] += w * alpha[r];
    }
    for (let c = 0; c < parts; c++) if (!(theta[c] === theta[c])) theta[c] = fitDen[c] > 0 ? fitNum[c] / fitDen[c] : 0;
    // Prices; curved agents' powers.
    for (let r = 0; r < nr; r++) y[r] = alpha[r] * theta[comp[r]] + beta[r];
    for (let i = 0; i < nv; i++)
      if (role[i] === CURVED) x[i] = (-slope[2 * i + (state[i] >> 1)] - colVal[3 * i] * y[colRow[3 * i]]) / h[i];
    // The items' price equations; the balances of the parts with neither a gained item nor a
    // curvature (only the data can meet those).
    this.badItems = 0;
    this.badParts = 0;
    for (let i = 0; i < nv; i++)
      if ((role[i] === LOOP || role[i] === GAINED) && !this.priceHolds(S, i, y)) this.badItems++;
    for (let c = 0; c < parts; c++) {
      if (this.best[c] >= 0 || this.curv[c] > 0) continue;
      if (Math.abs(this.bal[c]) <= REL_TOL * this.balMag[c] + 1e-13 * S.P) this.bal[c] = 0;
      else this.badParts++;
    }
    this.dualDrifts(S, driftY);
    const inconsistent = this.badItems > 0 || this.badParts > 0;
    if (!inconsistent) this.shareBalances(S, x);
    // The tree's flows, leaf by leaf, from the rows' balances.
    this.offTreeSums(S, x);
    for (let p = pos - 1; p >= 0; p--) {
      const v = order[p];
      const i = parentEdge[v];
      if (i < 0) continue;
      const xe = -rowSum[v] / NetworkKkt.coef(S, i, v);
      x[i] = xe;
      const u = parentRow[v];
      rowSum[u] += NetworkKkt.coef(S, i, u) * xe;
    }
    for (let i = 0; i < nv; i++) if (!Number.isFinite(x[i])) return "unsupported";
    for (let r = 0; r < nr; r++) if (!Number.isFinite(y[r])) return "unsupported";
    return inconsistent ? "inconsistent" : "solved";
  }

  /**
   * Pivots of the loops whose price equation failed in the last solve: per such item, the flow
   * that leaves every balance unchanged — around its loop or, for a gained item, its flow less
   * its part's best item's in the ratio of their gains — moves the way that lowers its cost,
   * and the first of its variables to reach a breakpoint is fixed there, with every other that
   * reaches one within LONG_STEP × that step (tiny flows that the iterate has not yet brought to 0
   * block one after the other along the same loop), as the factorised path's primal pivots do.
   * Every failing loop in the same round. Writes the variables and their new states into
   * `vars`/`states` (a variable may come more than once); returns how many.
   */
  loopPivots(S: NetworkSystem, x: Float64Array, y: Float64Array, vars: Int32Array, states: Int8Array): number {
    const nv = this.nv;
    const { state, colRow } = S;
    this.xi.fill(0);
    // Walks are bounded in all (a loop runs through the tree, whose depth is not bounded).
    let budget = 20 * (nv + this.nr);
    let moves = 0;
    for (let i = 0; i < nv && budget > 0; i++) {
      const ro = this.role[i];
      if ((ro !== LOOP && ro !== GAINED) || this.priceHolds(S, i, y)) continue;
      // The flow's cost per unit of item i is its residual (the best item's equation holds).
      const dir = this.pres > 0 ? -1 : 1;
      this.nTouched = 0;
      const b = this.best[this.comp[colRow[3 * i]]];
      if (ro === GAINED && b >= 0 && b !== i) {
        this.gainOf(S, i);
        const a = this.ga;
        this.gainOf(S, b);
        this.itemFlow(S, i, dir, false);
        this.itemFlow(S, b, (-a / this.ga) * dir, false);
      } else this.itemFlow(S, i, dir, ro === LOOP);
      budget -= this.nTouched;
      let first = Infinity;
      for (let t = 0; t < this.nTouched; t++) first = Math.min(first, this.stepOf(S, x, this.touched[t]));
      for (let t = 0; t < this.nTouched; t++) {
        const j = this.touched[t];
        const d = this.xi[j];
        if (d !== 0 && first < Infinity && moves < vars.length && this.stepOf(S, x, j) <= LONG_STEP * first) {
          vars[moves] = j;
          states[moves++] = d > 0 ? 2 * (state[j] >> 1) + 2 : 2 * (state[j] >> 1);
        }
        this.xi[j] = 0;
      }
    }
    return moves;
  }

  /** Coefficient of two-row variable i in its row r. */
  private static coef(S: NetworkSystem, i: number, r: number): number {
    return S.colRow[3 * i] === r ? S.colVal[3 * i] : S.colVal[3 * i + 1];
  }

  /** The other row of two-row variable i. */
  private static other(S: NetworkSystem, i: number, r: number): number {
    return S.colRow[3 * i] === r ? S.colRow[3 * i + 1] : S.colRow[3 * i];
  }

  /** The iterate's value of free variable i, clipped into its piece. */
  private base(S: NetworkSystem, i: number): number {
    const v = S.x0[i];
    const j = S.state[i] >> 1;
    const lo = S.bp[3 * i + j];
    const hi = S.bp[3 * i + j + 1];
    if (Number.isFinite(v)) return v > lo ? (v < hi ? v : hi) : lo;
    return Number.isFinite(lo) ? lo : Number.isFinite(hi) ? hi : 0;
  }

  /** Gain of variable i over its rows: Σ A α into `ga`, Σ |A α| into `gm`. */
  private gainOf(S: NetworkSystem, i: number): void {
    let a = 0;
    let mag = 0;
    for (let t = 0; t < S.colN[i]; t++) {
      const v = S.colVal[3 * i + t] * this.alpha[S.colRow[3 * i + t]];
      a += v;
      mag += Math.abs(v);
    }
    this.ga = a;
    this.gm = mag;
  }

  /** Whether item i's price equation Σ A y + s = 0 holds (its residual into `pres`). */
  private priceHolds(S: NetworkSystem, i: number, y: Float64Array): boolean {
    let res = S.slope[2 * i + (S.state[i] >> 1)];
    let mag = Math.abs(res);
    for (let t = 0; t < S.colN[i]; t++) {
      const w = S.colVal[3 * i + t] * y[S.colRow[3 * i + t]];
      res += w;
      if (Math.abs(w) > mag) mag = Math.abs(w);
    }
    this.pres = res;
    return Math.abs(res) <= REL_TOL * mag + 1e-13 * S.L;
  }

  /** Per row, A x − b over the variables off the tree, into (and returns) `rowSum`. */
  private offTreeSums(S: NetworkSystem, x: Float64Array): Float64Array {
    const { colN, colRow, colVal } = S;
    const rowSum = this.rowSum;
    for (let r = 0; r < this.nr; r++) rowSum[r] = -S.b[r];
    for (let i = 0; i < this.nv; i++) {
      if (this.role[i] === TREE) continue;
      const xi = x[i];
      for (let t = 0; t < colN[i]; t++) rowSum[colRow[3 * i + t]] += colVal[3 * i + t] * xi;
    }
    return rowSum;
  }

  /**
   * What is left of each part's balance, Σ_r α_r (A x − b)_r without the tree, taken by its gained
   * items in proportion to a · sx² (the least-squares share in the polisher's scaling).
   */
  private shareBalances(S: NetworkSystem, x: Float64Array): void {
    const nv = this.nv;
    const nr = this.nr;
    const role = this.role;
    const comp = this.comp;
    const alpha = this.alpha;
    const { colRow, sx } = S;
    const left = this.bal;
    const res = this.offTreeSums(S, x);
    for (let c = 0; c < this.parts; c++) left[c] = 0;
    for (let r = 0; r < nr; r++) left[comp[r]] += alpha[r] * res[r];
    for (let i = 0; i < nv; i++) {
      if (role[i] !== GAINED) continue;
      const c = comp[colRow[3 * i]];
      this.gainOf(S, i);
      x[i] -= (left[c] * this.ga * sx[i] * sx[i]) / this.share[c];
    }
  }

  /**
   * The dual drift: the prices of each part whose balance nothing can meet move along α times its
   * imbalance R, as the factorisation's refinement drifts (in the polisher's scaling, normalised
   * by Σ (α sr)²); zero elsewhere.
   */
  private dualDrifts(S: NetworkSystem, driftY: Float64Array): void {
    const nr = this.nr;
    const comp = this.comp;
    const alpha = this.alpha;
    driftY.fill(0);
    if (this.badParts === 0) return;
    const norm = this.rowMag; // scratch, per part
    for (let c = 0; c < this.parts; c++) norm[c] = 0;
    for (let r = 0; r < nr; r++) {
      const v = alpha[r] * S.sr[r];
      norm[comp[r]] += v * v;
    }
    for (let r = 0; r < nr; r++) {
      const c = comp[r];
      const R = this.bal[c];
      if (R === 0 || this.best[c] >= 0 || this.curv[c] > 0 || !(norm[c] > 0)) continue;
      driftY[r] = (R * S.P * S.L * alpha[r]) / norm[c];
    }
  }

  /** Step along the loop's flow `xi` at which variable j reaches an end of its piece (from the iterate's value where it lies inside, else from the solve's). */
  private stepOf(S: NetworkSystem, x: Float64Array, j: number): number {
    const d = this.xi[j];
    if (d === 0) return Infinity;
    const p = S.state[j] >> 1;
    const lo = S.bp[3 * j + p];
    const hi = S.bp[3 * j + p + 1];
    const x0 = S.x0[j];
    const xj = x0 >= lo && x0 <= hi ? x0 : x[j];
    return Math.max((d > 0 ? hi - xj : lo - xj) / d, 0);
  }

  /** Flow `scale` of item i into `xi`, with the tree's flows that balance it: around its loop (`closed`: a = 0) or up to its part's root. */
  private itemFlow(S: NetworkSystem, i: number, scale: number, closed: boolean): void {
    const { colN, colRow, colVal } = S;
    if (this.xi[i] === 0) this.touched[this.nTouched++] = i;
    this.xi[i] += scale;
    if (colN[i] === 2) {
      const u = colRow[3 * i];
      const v = colRow[3 * i + 1];
      const stop = closed ? this.meet(u, v) : -1;
      this.walk(S, u, colVal[3 * i] * scale, stop);
      this.walk(S, v, colVal[3 * i + 1] * scale, stop);
    } else this.walk(S, colRow[3 * i], colVal[3 * i] * scale, -1);
  }

  /** The tree's flows from row r up to `stop` (or the root) that take an imbalance `inj` at r, added into `xi`. */
  private walk(S: NetworkSystem, r: number, inj: number, stop: number): void {
    let row = r;
    let q = inj;
    while (row !== stop && this.parentEdge[row] >= 0) {
      const i = this.parentEdge[row];
      const f = -q / NetworkKkt.coef(S, i, row);
      if (this.xi[i] === 0) this.touched[this.nTouched++] = i;
      this.xi[i] += f;
      const u = this.parentRow[row];
      q = NetworkKkt.coef(S, i, u) * f;
      row = u;
    }
  }

  /** The row where the tree's paths from u and v to their root meet. */
  private meet(u: number, v: number): number {
    let a = u;
    let b = v;
    while (this.depth[a] > this.depth[b]) a = this.parentRow[a];
    while (this.depth[b] > this.depth[a]) b = this.parentRow[b];
    while (a !== b) {
      a = this.parentRow[a];
      b = this.parentRow[b];
    }
    return a;
  }
}
