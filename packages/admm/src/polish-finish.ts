import type { MarketArrays } from "./problem.js";
import { ufFind } from "./union-find.js";

/**
 * The primal–dual finisher of polishing (docs/polishing.md, "The primal–dual finisher"): from
 * marginal prices μ (the iterate's) and flows, the exact equilibrium by the primal–dual method
 * of network flows, extended to the agents' convex costs.
 *
 * Invariant: every trade is consistent with the prices — with the reduced costs
 * rF = μ_m − μ_n − w_nm (n selling to m) and rB = μ_n − μ_m − w_mn, a pair trades strictly
 * inside (0, hi) only where |rF| ≤ tol, strictly inside (lo, 0) only where |rB| ≤ tol, sits at hi
 * where rF > tol, at lo where rB > tol — and every agent's power is its own response to its μ
 * (a linear agent at its price, "flexible", anything within its bounds). Only the balance of the
 * agents, e_n = p_n − Σ_k p_nk, is violated. Each step:
 *
 * 1. augments: phases of Dinic's method send flow from the agents with a surplus (e_n > 0) to
 *    agents with a deficit (or flexible agents with room), along trades that can still change
 *    within the invariant, until a breadth-first search from all surplus agents finds none;
 * 2. the agents that search reached, R, hold a surplus that cannot leave: lowering their prices
 *    (each connected part of R by its own amount) is a direction of ascent of the dual function,
 *    whose slope is that surplus. Each part moves by an exact line search: the slope falls as
 *    its agents respond (rate Σ 1/a_n) and by a jump at each breakpoint crossed (a trade leaving
 *    the part becomes worth making, a bound trade stops being worth it, a linear agent passes its
 *    price); the part stops where it reaches zero. A deficit that no surplus reaches is the
 *    mirror case (prices raised).
 *
 * It ends when every |e_n| is at rounding level: the flows and prices then satisfy every
 * optimality condition (to be confirmed by the polisher's self-check). A bounded amount of work
 * (trades scanned) is allowed, counted deterministically. Scratch is allocated at construction,
 * except the breakpoint lists, which grow when a price move needs more.
 */
export class PrimalDualFinisher {
  private readonly m: MarketArrays;
  private readonly owner: Int32Array;
  private readonly partner: Int32Array;
  private readonly mirror: Int32Array;
  private readonly hi: Float64Array;
  /** Per directed trade: the cost w of a unit its owner sells on it (c⁺ plus the partner's c⁻). */
  private readonly w: Float64Array;
  /** Per directed trade: w of its mirror (what the partner pays to sell to the owner), read in order by the searches. */
  private readonly wBack: Float64Array;
  private readonly nt: number;
  private readonly N: number;
  /** Per directed trade: the flows (antisymmetric). */
  readonly trade: Float64Array;
  /** Per agent: marginal price and power. */
  readonly mu: Float64Array;
  readonly power: Float64Array;
  /** Per agent: power minus the sum of its trades. */
  private readonly e: Float64Array;
  /** Per agent: a linear agent at its price (power free within its bounds). */
  private readonly flex: Uint8Array;
  private readonly mark: Int32Array;
  /** Per agent: BFS level of a search phase, current trade of its depth-first search; the search stacks. */
  private readonly level: Int32Array;
  private readonly cur: Int32Array;
  private readonly stackNode: Int32Array;
  private readonly stackArc: Int32Array;
  private readonly queue: Int32Array;
  private readonly uf: Int32Array;
  /** Per part of R (indexed by its root): its breakpoints' count, then the next free slot of its segment. */
  private readonly partFill: Int32Array;
  /** The roots of R's parts, in the order of their agents. */
  private readonly partRoots: Int32Array;
  /** Per part of R (indexed by its union-find root): slope rate, surplus, step. */
  private readonly rate: Float64Array;
  private readonly surplus: Float64Array;
  private readonly step: Float64Array;
  private stamp = 0;
  /** Breakpoints of a price move: part, distance, drop of the slope, change of its rate; sort order. */
  private bpPart: Int32Array;
  private bpPos: Float64Array;
  private bpDrop: Float64Array;
  private bpRate: Float64Array;
  private bpOrder: Int32Array;
  private nb = 0;
  /** Agents the last search started from. */
  private roots = 0;
  private tolD = 0;
  private tolE = 0;
  /** Trades scanned by the last run; steps (price moves) and augmenting paths. */
  work = 0;
  steps = 0;
  augments = 0;
  /** Why the last run failed; empty on success. Whether it stopped for its work or time limit (it may go on). */
  reason = "";
  outOfWork = false;

  constructor(m: MarketArrays, owner: Int32Array) {
    const nt = m.partner.length;
    const N = m.nAgents;
    this.m = m;
    this.owner = owner;
    this.partner = m.partner;
    this.mirror = m.mirror;
    this.hi = m.hi;
    this.w = new Float64Array(nt);
    for (let k = 0; k < nt; k++) this.w[k] = m.costSell[k] + m.costBuy[m.mirror[k]];
    this.wBack = new Float64Array(nt);
    for (let k = 0; k < nt; k++) this.wBack[k] = this.w[m.mirror[k]];
    this.nt = nt;
    this.N = N;
    this.trade = new Float64Array(nt);
    this.mu = new Float64Array(N);
    this.power = new Float64Array(N);
    this.e = new Float64Array(N);
    this.flex = new Uint8Array(N);
    this.mark = new Int32Array(N);
    this.level = new Int32Array(N);
    this.cur = new Int32Array(N);
    this.stackNode = new Int32Array(N + 1);
    this.stackArc = new Int32Array(N + 1);
    this.queue = new Int32Array(N);
    this.uf = new Int32Array(N);
    this.partFill = new Int32Array(N);
    this.partRoots = new Int32Array(N);
    this.rate = new Float64Array(N);
    this.surplus = new Float64Array(N);
    this.step = new Float64Array(N);
    // Grown when a move needs more (at most two per agent and two per directed trade).
    const nb = 2 * N + 1024;
    this.bpPart = new Int32Array(nb);
    this.bpPos = new Float64Array(nb);
    this.bpDrop = new Float64Array(nb);
    this.bpRate = new Float64Array(nb);
    this.bpOrder = new Int32Array(nb);
  }

  /** Reduced cost of agent n = owner[k] selling more on trade k: μ_partner − μ_n − w. */
  private rSell(k: number): number {
    return this.mu[this.partner[k]] - this.mu[this.owner[k]] - this.w[k];
  }

  /** How much trade k (owner n sells to partner p) can grow within the invariant. */
  private resid(k: number): number {
    const t = this.trade[k];
    const tol = this.tolD;
    const dm = this.mu[this.partner[k]] - this.mu[this.owner[k]];
    let c = 0;
    if (t < 0) {
      // Buying less from p: allowed while p's sale to n is worth exactly its cost.
      if (!(Math.abs(dm + this.w[this.mirror[k]]) <= tol)) return 0;
      c = -t;
    }
    const hi = this.hi[k];
    if (hi > 0 && Math.abs(dm - this.w[k]) <= tol) c += hi - (t > 0 ? t : 0);
    return c;
  }

  /**
   * `resid` of the arc a search from agent u goes along on u's trade k to v: k itself (dir 1, u
   * sells more to v) or its mirror (dir −1, v sells more to u); `dm` is μ_v − μ_u (dir 1) or
   * μ_u − μ_v (dir −1), as `resid` computes it for that arc. The same value, without reading the
   * arc's owner or, for the mirror, its trade (trade[mirror k] = −trade[k] exactly).
   */
  private residDir(k: number, dir: number, dm: number): number {
    const t = dir > 0 ? this.trade[k] : -this.trade[k];
    const tol = this.tolD;
    let c = 0;
    if (t < 0) {
      if (!(Math.abs(dm + (dir > 0 ? this.wBack[k] : this.w[k])) <= tol)) return 0;
      c = -t;
    }
    const hi = this.hi[dir > 0 ? k : this.mirror[k]];
    if (hi > 0 && Math.abs(dm - (dir > 0 ? this.w[k] : this.wBack[k])) <= tol) c += hi - (t > 0 ? t : 0);
    return c;
  }

  /** The response of agent n to its price (sets flex and power; a flexible agent keeps `keep` clipped). */
  private respond(n: number, keep: number): void {
    const m = this.m;
    const mu = this.mu[n];
    const a = m.a[n];
    const b = m.b[n];
    if (a > 0) {
      this.flex[n] = 0;
      const p = (mu - b) / a;
      this.power[n] = p < m.pMin[n] ? m.pMin[n] : p > m.pMax[n] ? m.pMax[n] : p;
    } else if (Math.abs(mu - b) <= this.tolD) {
      this.mu[n] = b;
      this.flex[n] = 1;
      this.power[n] = keep < m.pMin[n] ? m.pMin[n] : keep > m.pMax[n] ? m.pMax[n] : keep;
    } else {
      this.flex[n] = 0;
      this.power[n] = mu < b ? m.pMin[n] : m.pMax[n];
    }
  }

  /**
   * Starts from prices `mu0` and flows `trade0` (per directed trade): the flows are made consistent
   * with the prices, every agent responds to its price. `tolP`, `tolD`: rounding levels of powers
   * and prices. False when a price is not finite.
   */
  start(mu0: Float64Array, trade0: Float64Array, tolP: number, tolD: number): boolean {
    const m = this.m;
    const { trade, mu, e, N } = this;
    this.tolD = tolD;
    this.tolE = 1e-3 * tolP;
    this.work = 0;
    this.steps = 0;
    this.augments = 0;
    this.reason = "";
    this.outOfWork = false;
    this.flex.fill(0);
    for (let n = 0; n < N; n++) {
      let u = mu0[n];
      if (!Number.isFinite(u)) {
        this.reason = "a price is not finite";
        return false;
      }
      // A linear agent with an unbounded side cannot be beyond its price at an equilibrium.
      if (m.a[n] === 0 && ((u > m.b[n] && m.pMax[n] === Infinity) || (u < m.b[n] && m.pMin[n] === -Infinity)))
        u = m.b[n];
      mu[n] = u;
    }
    for (let k = 0; k < this.nt; k++) {
      const j = m.mirror[k];
      if (j < k) continue;
      const t = trade0[k];
      trade[k] = Number.isFinite(t) ? t : 0;
      trade[j] = -trade[k];
      this.project(k);
    }
    for (let n = 0; n < N; n++) {
      let s = 0;
      for (let k = m.tradeStart[n]; k < m.tradeStart[n + 1]; k++) s += trade[k];
      this.respond(n, s);
      e[n] = this.power[n] - s;
    }
    this.work += this.nt;
    return true;
  }

  /**
   * Runs until every agent balances (returns 1; then `trade`, `mu` and `power` hold the
   * equilibrium), `maxSteps` price steps have been made (returns 0: call again to go on), or it
   * fails (returns −1, `reason` says why): `maxWork` trades scanned since `start`, no equilibrium,
   * or the `deadline` (`performance.now()` scale, checked every 16 price steps).
   */
  advance(maxWork: number, maxSteps: number, deadline = Infinity): number {
    const m = this.m;
    const { trade, e, N } = this;
    this.reason = "";
    this.outOfWork = false;
    while (this.work <= maxWork) {
      let sur = false;
      let def = false;
      for (let n = 0; n < N; n++) {
        if (e[n] > this.tolE) sur = true;
        else if (e[n] < -this.tolE) def = true;
      }
      if (!sur && !def) {
        for (let n = 0; n < N; n++) {
          let s = 0;
          for (let k = m.tradeStart[n]; k < m.tradeStart[n + 1]; k++) s += trade[k];
          this.power[n] = s;
        }
        return 1;
      }
      if (this.steps >= maxSteps) return 0;
      const dir = sur ? 1 : -1;
      // Augment until a search finds no path; that last search leaves R marked and its parts joined.
      while (this.work <= maxWork && this.search(dir)) this.augments += 0;
      if (this.work > maxWork) break;
      // The searches may have balanced every agent of this side: nothing left to move.
      if (this.roots === 0) continue;
      if (!this.move(dir)) return -1;
      this.steps++;
      if (deadline < Infinity && (this.steps & 15) === 0 && performance.now() > deadline) {
        this.reason = "time limit";
        this.outOfWork = true;
        return -1;
      }
    }
    this.reason = `work limit reached after ${this.steps} price steps`;
    this.outOfWork = true;
    return -1;
  }

  /** `start`, then `advance` without a step limit; whether every agent balances. */
  run(
    mu0: Float64Array,
    trade0: Float64Array,
    tolP: number,
    tolD: number,
    maxWork: number,
    deadline = Infinity,
  ): boolean {
    return this.start(mu0, trade0, tolP, tolD) && this.advance(maxWork, Infinity, deadline) === 1;
  }

  private find(x: number): number {
    return ufFind(this.uf, x);
  }

  /** What agent v can take (dir 1: a deficit, or a flexible agent's room down) or give (dir −1). */
  private sinkCap(v: number, dir: number): number {
    const e = this.e[v];
    let cap = dir > 0 ? -e : e;
    if (cap < 0) cap = 0;
    if (this.flex[v]) cap += dir > 0 ? this.power[v] - this.m.pMin[v] : this.m.pMax[v] - this.power[v];
    return cap;
  }

  /**
   * One phase of Dinic's method from every agent with a surplus (dir 1) or deficit (dir −1): a
   * breadth-first search along trades that can change in that direction gives each reached agent
   * its level; then depth-first searches along increasing levels augment every path to an agent
   * that can take (give) flow. Returns whether it augmented; when not, the agents reached (R) are
   * marked and joined into parts (union–find over the trades that can change between them).
   */
  private search(dir: number): boolean {
    const m = this.m;
    const { e, mark, level, queue, flex, power, trade, cur, stackNode, stackArc } = this;
    const tolE = this.tolE;
    const st = ++this.stamp;
    let qt = 0;
    for (let n = 0; n < this.N; n++) {
      if (dir * e[n] > tolE) {
        mark[n] = st;
        level[n] = 0;
        cur[n] = m.tradeStart[n];
        queue[qt++] = n;
      }
    }
    this.roots = qt;
    const nRoots = qt;
    let sinks = 0;
    const mu = this.mu;
    const ts = m.tradeStart;
    const partner = m.partner;
    let work = 0;
    for (let qh = 0; qh < qt; qh++) {
      const u = queue[qh];
      const muU = mu[u];
      const k1 = ts[u + 1];
      work += k1 - ts[u];
      for (let k = ts[u]; k < k1; k++) {
        // dir 1: u sends more to v on k; dir −1: v sends more to u on mirror k.
        const v = partner[k];
        if (mark[v] === st) continue;
        if (!(this.residDir(k, dir, dir > 0 ? mu[v] - muU : muU - mu[v]) > 0)) continue;
        mark[v] = st;
        level[v] = level[u] + 1;
        cur[v] = ts[v];
        queue[qt++] = v;
        if (this.sinkCap(v, dir) > tolE) sinks++;
      }
    }
    this.work += work;
    if (sinks === 0) {
      this.joinParts(dir, qt);
      return false;
    }
    // Blocking flow along the levels, from each root in turn.
    let augmented = false;
    for (let q = 0; q < nRoots; q++) {
      const r = queue[q];
      while (dir * e[r] > tolE) {
        // Depth-first search for a path to a sink.
        let depth = 0;
        stackNode[0] = r;
        let found = false;
        while (depth >= 0) {
          const u = stackNode[depth];
          if (depth > 0 && this.sinkCap(u, dir) > tolE) {
            found = true;
            break;
          }
          let advanced = false;
          const end = ts[u + 1];
          const next = level[u] + 1;
          const muU = mu[u];
          let k = cur[u];
          for (; k < end; k++) {
            this.work++;
            const v = partner[k];
            if (mark[v] !== st || level[v] !== next) continue;
            if (!(this.residDir(k, dir, dir > 0 ? mu[v] - muU : muU - mu[v]) > 0)) continue;
            stackArc[depth] = k;
            stackNode[++depth] = v;
            advanced = true;
            break;
          }
          cur[u] = k;
          if (!advanced) {
            level[u] = -1; // dead end for this phase
            depth--;
            if (depth >= 0) cur[stackNode[depth]]++;
          }
        }
        if (!found) break;
        const v = stackNode[depth];
        let amt = Math.min(this.sinkCap(v, dir), dir * e[r]);
        for (let d = 0; d < depth; d++) {
          const k = stackArc[d];
          amt = Math.min(amt, this.resid(dir > 0 ? k : m.mirror[k]));
        }
        if (!(amt > 0)) {
          // Rounding left nothing to send on this path: skip its first arc.
          cur[r]++;
          continue;
        }
        for (let d = 0; d < depth; d++) {
          const k = stackArc[d];
          const arc = dir > 0 ? k : m.mirror[k];
          const t = trade[arc] + amt;
          trade[arc] = t;
          trade[m.mirror[arc]] = -t;
        }
        // dir 1: r sells amt more (its e falls), v buys amt more (its e rises).
        e[r] -= dir * amt;
        e[v] += dir * amt;
        if (flex[v] && dir * e[v] > 0) {
          const room = dir > 0 ? power[v] - m.pMin[v] : m.pMax[v] - power[v];
          const d = Math.min(dir * e[v], room);
          power[v] -= dir * d;
          e[v] -= dir * d;
        }
        this.augments++;
        augmented = true;
      }
    }
    // Rounding left nothing to send on any path: R, as reached, is what the price move needs.
    if (!augmented) this.joinParts(dir, qt);
    return augmented;
  }

  /**
   * Joins the agents the last search reached (R: the first `count` of its queue) into parts: the
   * components of the trades between them that can change in direction `dir`. Only a search that
   * augments nothing needs them (for the price move), about one in six: built then, in one pass
   * over R, not during every search.
   */
  private joinParts(dir: number, count: number): void {
    const m = this.m;
    const { mark, queue, uf } = this;
    const st = this.stamp;
    for (let q = 0; q < count; q++) uf[queue[q]] = queue[q];
    for (let q = 0; q < count; q++) {
      const u = queue[q];
      for (let k = m.tradeStart[u]; k < m.tradeStart[u + 1]; k++) {
        const v = m.partner[k];
        if (mark[v] !== st) continue;
        const x = this.find(u);
        const y = this.find(v);
        if (x !== y && this.resid(dir > 0 ? k : m.mirror[k]) > 0) uf[x] = y;
      }
    }
  }

  /** Trade k (and its mirror) made consistent with the current prices; the agents' balances follow. */
  private project(k: number): void {
    const m = this.m;
    const j = m.mirror[k];
    const tol = this.tolD;
    const t = this.trade[k];
    const rF = this.rSell(k);
    const rB = this.rSell(j);
    let x: number;
    if (m.hi[k] > 0 && rF > tol) x = m.hi[k];
    else if (m.lo[k] < 0 && rB > tol) x = m.lo[k];
    else {
      const hi = m.hi[k] > 0 && Math.abs(rF) <= tol ? m.hi[k] : 0;
      const lo = m.lo[k] < 0 && Math.abs(rB) <= tol ? m.lo[k] : 0;
      x = t < lo ? lo : t > hi ? hi : t;
    }
    if (x === t) return;
    this.trade[k] = x;
    this.trade[j] = -x;
    this.e[this.owner[k]] -= x - t;
    this.e[m.partner[k]] += x - t;
    this.absorb(this.owner[k]);
    this.absorb(m.partner[k]);
  }

  /** A flexible agent (at its price) takes up its own imbalance with its power, within its bounds. */
  private absorb(n: number): void {
    if (!this.flex[n]) return;
    const m = this.m;
    const want = this.power[n] - this.e[n];
    const p = want < m.pMin[n] ? m.pMin[n] : want > m.pMax[n] ? m.pMax[n] : want;
    this.e[n] += p - this.power[n];
    this.power[n] = p;
  }

  /** Whether breakpoint x comes before y: by distance, then by index (the order they were added in). */
  private before(x: number, y: number): boolean {
    const px = this.bpPos[x];
    const py = this.bpPos[y];
    return px < py || (px === py && x < y);
  }

  /** Restores the min-heap `bpOrder[a .. end)` (by `before`) below its position `a + i`. */
  private siftDown(a: number, end: number, i: number): void {
    const o = this.bpOrder;
    const n = end - a;
    const x = o[a + i];
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      if (c + 1 < n && this.before(o[a + c + 1], o[a + c])) c++;
      if (!this.before(o[a + c], x)) break;
      o[a + i] = o[a + c];
      i = c;
    }
    o[a + i] = x;
  }

  /** Adds a breakpoint of part r at distance q: the slope drops by `drop`, its rate changes by `dr`. */
  private addBreak(r: number, q: number, drop: number, dr: number): void {
    if (this.nb === this.bpPos.length) {
      const n = 2 * this.nb;
      const grow = <T extends Int32Array | Float64Array>(a: T, b: T): T => {
        b.set(a);
        return b;
      };
      this.bpPart = grow(this.bpPart, new Int32Array(n));
      this.bpPos = grow(this.bpPos, new Float64Array(n));
      this.bpDrop = grow(this.bpDrop, new Float64Array(n));
      this.bpRate = grow(this.bpRate, new Float64Array(n));
      this.bpOrder = grow(this.bpOrder, new Int32Array(n));
    }
    const i = this.nb++;
    this.bpPart[i] = r;
    this.bpPos[i] = q;
    this.bpDrop[i] = drop;
    this.bpRate[i] = dr;
    this.bpOrder[i] = i;
  }

  /**
   * Moves the prices of each part of R (the agents the last search reached) down (dir 1) or up
   * (dir −1) by an exact line search on the dual function: its slope along the move is the
   * part's surplus (deficit), which falls continuously as the agents respond (rate Σ 1/a_n) and
   * by a jump at each breakpoint crossed (a trade across the part's boundary that becomes worth
   * making goes to its bound, one that stops being worth it to zero, a linear agent passes its
   * price); the part moves to where the slope reaches zero. Trades across its boundary are then
   * made consistent with the new prices. False when a part could move without bound.
   */
  private move(dir: number): boolean {
    const m = this.m;
    const { mu, e, mark, rate, surplus, step, flex, power } = this;
    const st = this.stamp;
    const tol = this.tolD;
    const s = -dir; // direction of the price change
    this.nb = 0;
    const partFill = this.partFill;
    const partRoots = this.partRoots;
    let parts = 0;
    for (let n = 0; n < this.N; n++) {
      if (mark[n] !== st) continue;
      const r = this.find(n);
      if (r === n) {
        rate[r] = 0;
        surplus[r] = 0;
        step[r] = Infinity;
        partFill[r] = 0;
        partRoots[parts++] = r;
      }
    }
    for (let n = 0; n < this.N; n++) {
      if (mark[n] !== st) continue;
      const r = this.find(n);
      if (dir * e[n] > 0) surplus[r] += dir * e[n];
      const u = mu[n];
      const a = m.a[n];
      if (a > 0) {
        const lo = m.b[n] + a * m.pMin[n];
        const hi = m.b[n] + a * m.pMax[n];
        const ia = 1 / a;
        if (s < 0) {
          if (u > hi + tol) {
            this.addBreak(r, u - hi, 0, ia);
            if (lo > -Infinity) this.addBreak(r, u - lo, 0, -ia);
          } else if (u > lo + tol) {
            rate[r] += ia;
            if (lo > -Infinity) this.addBreak(r, u - lo, 0, -ia);
          }
        } else if (u < lo - tol) {
          this.addBreak(r, lo - u, 0, ia);
          if (hi < Infinity) this.addBreak(r, hi - u, 0, -ia);
        } else if (u < hi - tol) {
          rate[r] += ia;
          if (hi < Infinity) this.addBreak(r, hi - u, 0, -ia);
        }
      } else if (!flex[n]) {
        if ((s < 0 && u > m.b[n]) || (s > 0 && u < m.b[n]))
          this.addBreak(r, Math.abs(u - m.b[n]), m.pMax[n] - m.pMin[n], 0);
      }
      this.work += m.tradeStart[n + 1] - m.tradeStart[n];
      for (let k = m.tradeStart[n]; k < m.tradeStart[n + 1]; k++) {
        const p = m.partner[k];
        if (mark[p] === st && this.find(p) === r) continue;
        // rF (n sells to p) changes by −s·δ, rB (p sells to n) by +s·δ.
        // rSell(k) and rSell(mirror k), with n the owner of k.
        if (m.hi[k] > 0) {
          const rF = mu[p] - u - this.w[k];
          if (s < 0 && rF < -tol) this.addBreak(r, -rF, m.hi[k], 0);
          else if (s > 0 && rF > tol) this.addBreak(r, rF, m.hi[k], 0);
        }
        if (m.lo[k] < 0) {
          const rB = u - mu[p] - this.wBack[k];
          if (s > 0 && rB < -tol) this.addBreak(r, -rB, -m.lo[k], 0);
          else if (s < 0 && rB > tol) this.addBreak(r, rB, -m.lo[k], 0);
        }
      }
    }
    // Each part's line search goes through its breakpoints by distance until the slope reaches
    // zero, usually after a few of them: the breakpoints are grouped by part (a counting sort),
    // and each part's group is made a heap and taken from it in order only as far as needed.
    const { bpPart, bpPos, bpDrop, bpRate } = this;
    const order = this.bpOrder;
    const nb = this.nb;
    for (let i = 0; i < nb; i++) partFill[bpPart[i]]++;
    let next = 0;
    for (let j = 0; j < parts; j++) {
      const r = partRoots[j];
      const c = partFill[r];
      partFill[r] = next;
      next += c;
    }
    for (let i = 0; i < nb; i++) order[partFill[bpPart[i]]++] = i;
    // partFill[r] is now the end of part r's group; parts follow one another in partRoots' order.
    let begin = 0;
    for (let j = 0; j < parts; j++) {
      const r = partRoots[j];
      let end = partFill[r];
      const a = begin;
      begin = end;
      // Parts without breakpoints keep step Infinity and are handled below.
      if (end === a) continue;
      for (let i = ((end - a) >> 1) - 1; i >= 0; i--) this.siftDown(a, end, i);
      let slope = surplus[r];
      let rt = rate[r];
      let pos = 0;
      let d = Infinity;
      while (end > a) {
        const i = order[a];
        end--;
        order[a] = order[end];
        this.siftDown(a, end, 0);
        const at = slope - rt * (bpPos[i] - pos);
        if (rt > 0 && at <= 0) {
          d = pos + slope / rt;
          break;
        }
        slope = at - bpDrop[i];
        rt += bpRate[i];
        pos = bpPos[i];
        if (slope <= 0) {
          d = pos;
          break;
        }
      }
      if (!(d < Infinity)) d = rt > 0 ? pos + slope / rt : -1; // −1: the slope never reaches zero
      step[r] = d;
    }
    let moved = false;
    for (let n = 0; n < this.N; n++) {
      if (mark[n] !== st) continue;
      const r = this.find(n);
      let d = step[r];
      // A part without breakpoints: its slope falls only with its agents' responses.
      if (d === Infinity && rate[r] > 0) d = surplus[r] / rate[r];
      if (!(d < Infinity) || d < 0) {
        this.reason = "prices that fall or rise without bound (no equilibrium)";
        return false;
      }
      if (!(d > 0)) continue;
      moved = true;
      const old = power[n];
      if (flex[n]) {
        // Leaving its price: at the bound the search left it at.
        flex[n] = 0;
        power[n] = s < 0 ? m.pMin[n] : m.pMax[n];
      }
      mu[n] += s * d;
      this.respond(n, power[n]);
      e[n] += power[n] - old;
      this.absorb(n);
    }
    if (!moved) {
      this.reason = "no price step possible";
      return false;
    }
    // Trades across the parts' boundaries, consistent with the new prices.
    for (let n = 0; n < this.N; n++) {
      if (mark[n] !== st) continue;
      for (let k = m.tradeStart[n]; k < m.tradeStart[n + 1]; k++) this.project(k);
    }
    return true;
  }
}
