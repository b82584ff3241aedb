import type { MarketArrays } from "./problem.js";
import { Carver, carvedBytes } from "./shared.js";
import { BWD, FWD } from "./polish-states.js";

/** Sweeps of the scaling per round, and the relative imbalance at which it stops early. */
const MAX_SWEEPS = 16;
const SWEEP_TOLERANCE = 1e-4;
/**
 * Over-relaxation of the factors. The plain sweeps converge linearly (the largest miss falls by
 * about half per sweep on the peer generator's markets, so 16 sweeps did not reach the stopping
 * point at 1 000 agents). From sweep RELAX_FROM on, a factor moves past its exact update x by
 * w = RELAXATION − 1 of the relative step: u ← x · (1 + w (x/u − 1)), to first order
 * u · (x/u)^RELAXATION (successive over-relaxation in the logarithms of the factors), without a
 * power, and positive for every x/u > 0 since w < 1. The first sweeps are plain: they carry the
 * large, uneven first corrections, which over-relaxation would overshoot. With 1.2 from the third
 * sweep the peer market of 1 000 agents stops after 8 sweeps instead of 16, closer to its targets
 * (the 10 000-member community's first round after 9 instead of 14); from 1.25 on the largest miss
 * oscillated and the stall rule stopped the sweeps short of the targets.
 */
const RELAXATION = 1.2;
const RELAX_FROM = 2;
/** Relative steps x/u outside (RELAX_STEP⁻¹, RELAX_STEP) are taken plainly (and u = 0 never relaxed). */
const RELAX_STEP = 4;

/** Σ mag[i] · w[other[i]] over i in [a, e): an agent's sales (w = v) or purchases (w = u) at the factors. */
function weighted(mag: Float64Array, other: Int32Array, w: Float64Array, a: number, e: number): number {
  let s = 0;
  for (let i = a; i < e; i++) s += mag[i] * w[other[i]];
  return s;
}

/**
 * A factor's update: the exact one, x, over-relaxed by w past the old value `old` (w = 0: x
 * itself, bit for bit). One arithmetic path whatever w, so that the first sweeps' type feedback
 * covers the relaxed ones.
 */
function relaxed(x: number, old: number, w: number): number {
  const q = x / old;
  return q > 1 / RELAX_STEP && q < RELAX_STEP ? x * (1 + w * (q - 1)) : x;
}

/**
 * Rebalances the flows of the flowing pairs to the agents' exact powers before the spanning tree
 * takes up what is left (docs/polishing.md, "Flows"): a biproportional (RAS) scaling. Each
 * flowing pair carries x_nm ≥ 0 from its seller n to its buyer m; the scaled flow is
 * x_nm · u_n · v_m, with u the agents' factors as sellers and v as buyers, fitted by alternating
 * sweeps so that each agent's sales S_n and purchases D_n reach targets whose difference is its
 * power net of its trades fixed at a bound. Positive factors keep every flow's sign and zero
 * pattern (the pair states do not change), so the tree edges that absorb the rest carry only
 * rounding-size corrections instead of the iterate's whole imbalance, which would flip the sign
 * of tree edges with small flows.
 *
 * No pass reads the state of a mirror trade (a random gather): one pass over the pairs'
 * representatives (k < mirror[k], where the state lives) records the flowing pairs and counts
 * each agent's sales and purchases, a counting sort lists them per agent, each sweep is one
 * linear pass over the lists that reads only the per-agent factors at random (N entries,
 * cache-resident), and the scaled flows are written back through each entry's directed trade (an
 * agent's writes stay within its own trades). Scratch is allocated once. Each loop sits in its
 * own small method, with one code path for both flow directions, so that the JIT optimises it
 * early in a process's first call (the polisher runs few rounds per process) without
 * deoptimising on paths not yet seen.
 */
export class FlowScaling {
  private readonly m: MarketArrays;
  private readonly N: number;
  private readonly u: Float64Array;
  private readonly v: Float64Array;
  /** Per agent: the flowing sales and purchases (in the listing), then the targets S_n, D_n. */
  private readonly sell: Float64Array;
  private readonly buy: Float64Array;
  /**
   * The flowing directed trades, grouped by agent (sales, then purchases): per entry the partner,
   * the flow's magnitude and the agent's directed trade (for the write-back); per agent the
   * offsets `start[n]` (sales), `mid[n]` (purchases) and `start[n + 1]`. Within an agent's sales
   * (and purchases) the entries follow the order in which the pass over the representatives meets
   * them: the order of the agent's trades when these are sorted by partner (as the generators
   * build them), so that the sums are those of the agent's trades in order.
   */
  private other: Int32Array = new Int32Array(0);
  private mag: Float64Array = new Float64Array(0);
  private at: Int32Array = new Int32Array(0);
  private readonly start: Int32Array;
  private readonly mid: Int32Array;
  /** The flowing pairs' representatives in ascending order; agent n's own ones from `repStart[n]`. */
  private reps: Int32Array = new Int32Array(0);
  private readonly repStart: Int32Array;
  /** Per agent: count, then next free slot, of its sales and of its purchases (the counting sort). */
  private readonly nextSale: Int32Array;
  private readonly nextBuy: Int32Array;
  /** Over-relaxation past the exact updates from sweep RELAX_FROM on (RELAXATION − 1 by default). */
  private readonly w: number;
  /** Sweeps used by the last call. */
  sweeps = 0;

  /**
   * `relaxation`: the factors' over-relaxation (1: plain sweeps throughout). `pairs`: scratch of
   * at least one entry per pair that the caller leaves to the scaling during its calls (their
   * contents are not carried between calls), used for the list of flowing pairs instead of an
   * array of its own.
   */
  constructor(m: MarketArrays, relaxation = RELAXATION, pairs: Int32Array | null = null) {
    if (!(relaxation >= 1 && relaxation < 2)) throw new RangeError(`over-relaxation ${relaxation} not in [1, 2)`);
    this.m = m;
    this.w = relaxation - 1;
    if (pairs !== null) {
      if (pairs.length < m.partner.length >> 1) throw new RangeError("the pairs' scratch is too short");
      this.reps = pairs;
    }
    const N = m.nAgents;
    this.N = N;
    // One buffer for all (shared.ts, `Carver`).
    const c = new Carver(carvedBytes(8 * N, 8 * N, 8 * N, 8 * N, 4 * (N + 1), 4 * N, 4 * (N + 1), 4 * N, 4 * N));
    this.u = c.f64(N);
    this.v = c.f64(N);
    this.sell = c.f64(N);
    this.buy = c.f64(N);
    this.start = c.i32(N + 1);
    this.mid = c.i32(N);
    this.repStart = c.i32(N + 1);
    this.nextSale = c.i32(N);
    this.nextBuy = c.i32(N);
  }

  /**
   * The lists, allocated once at their largest size (two entries per pair: one per directed
   * trade). Their memory pages are only committed where written (zero-filled allocations of this
   * size are mapped lazily), so the process holds the most entries any round has listed, never a
   * grown copy beside an outgrown one.
   */
  private reserve(): void {
    if (this.mag.length > 0) return;
    const size = Math.max(1, this.m.partner.length);
    const c = new Carver(carvedBytes(8 * size, 4 * size, 4 * size));
    this.mag = c.f64(size);
    this.other = c.i32(size);
    this.at = c.i32(size);
  }

  /**
   * The magnitudes' list (one float per directed trade), idle between calls of `scale` (whose
   * contents it does not carry): scratch that others may use in between.
   */
  scratch(): Float64Array {
    this.reserve();
    return this.mag;
  }

  /**
   * Scales `trade` (per directed trade, antisymmetric: trade[mirror[k]] = −trade[k]) on the
   * flowing pairs (state FWD/BWD on the representative k < mirror[k]) so that each agent's flowing
   * trades sum to power[n] − fixed[n] as far as the targets allow. `tol` is the power tolerance at
   * which the fit is good enough.
   */
  scale(state: Int8Array, trade: Float64Array, power: Float64Array, fixed: Float64Array, tol: number): void {
    this.list(state, trade);
    const big = this.targets(power, fixed);
    // Sweeps (Gauss–Seidel, agents in index order): u_n = S_n / Σ x_nm v_m, v_n = D_n / Σ x_mn u_m,
    // over-relaxed after the first ones. Stop at a fraction of the largest target (the iterate's
    // trades, which set the polisher's power scale, may still be far smaller than the powers early
    // on), or at the tolerance.
    const stop = Math.max(SWEEP_TOLERANCE * big, tol);
    this.sweeps = 0;
    let previous = Infinity;
    for (let sweep = 0; sweep < MAX_SWEEPS; sweep++) {
      this.sweeps = sweep + 1;
      const worst = this.sweep(sweep >= RELAX_FROM ? this.w : 0);
      // Done, or stalled (targets that no positive scaling reaches: the tree takes the rest).
      if (worst <= stop || (sweep >= 3 && worst > 0.9 * previous)) break;
      previous = worst;
    }
    this.write(trade);
  }

  /**
   * Lists the flowing trades per agent: one pass over the representatives counts each agent's
   * sales and purchases, sums them (into `sell`, `buy`) and records the flowing pairs; the
   * offsets follow from the counts, and a pass over the recorded pairs places both entries of
   * each.
   */
  private list(state: Int8Array, trade: Float64Array): void {
    this.count(state, trade);
    this.offsets();
    this.place(trade);
  }

  /** The pass over the representatives: flowing pairs recorded, per agent counts and sums. */
  private count(state: Int8Array, trade: Float64Array): void {
    const { tradeStart, mirror, partner } = this.m;
    const sell = this.sell;
    const buy = this.buy;
    const nextSale = this.nextSale;
    const nextBuy = this.nextBuy;
    const repStart = this.repStart;
    const N = this.N;
    nextSale.fill(0);
    nextBuy.fill(0);
    sell.fill(0);
    buy.fill(0);
    // One entry per pair at most, allocated once (growing by doubling would hold up to twice
    // that, plus the copies, at the polishing's peak memory), unless the caller lent scratch.
    if (this.reps.length === 0) this.reps = new Int32Array(Math.max(1, trade.length >> 1));
    const reps = this.reps;
    let pairs = 0;
    for (let n = 0; n < N; n++) {
      repStart[n] = pairs;
      const end = tradeStart[n + 1];
      for (let k = tradeStart[n]; k < end; k++) {
        if (mirror[k] < k) continue;
        const st = state[k];
        if (st !== FWD && st !== BWD) continue;
        const t = trade[k];
        if (!(t > 0 || t < 0)) continue;
        reps[pairs++] = k;
        // One path for both directions (the seller, the buyer and the magnitude by the sign).
        const p = partner[k];
        const forward = t > 0;
        const seller = forward ? n : p;
        const buyer = forward ? p : n;
        const x = forward ? t : -t;
        nextSale[seller]++;
        nextBuy[buyer]++;
        sell[seller] += x;
        buy[buyer] += x;
      }
    }
    repStart[N] = pairs;
  }

  /** The lists' offsets from the counts; the counts become each agent's next free slots. */
  private offsets(): void {
    const nextSale = this.nextSale;
    const nextBuy = this.nextBuy;
    const start = this.start;
    const mid = this.mid;
    const N = this.N;
    let q = 0;
    for (let n = 0; n < N; n++) {
      start[n] = q;
      const s = nextSale[n];
      nextSale[n] = q;
      q += s;
      mid[n] = q;
      const b = nextBuy[n];
      nextBuy[n] = q;
      q += b;
    }
    start[N] = q;
    this.reserve();
  }

  /** Both entries of each recorded pair, in the seller's sales and the buyer's purchases. */
  private place(trade: Float64Array): void {
    const { partner, mirror } = this.m;
    const other = this.other;
    const at = this.at;
    const mag = this.mag;
    const nextSale = this.nextSale;
    const nextBuy = this.nextBuy;
    const repStart = this.repStart;
    const reps = this.reps;
    const N = this.N;
    for (let n = 0; n < N; n++) {
      const end = repStart[n + 1];
      for (let r = repStart[n]; r < end; r++) {
        const k = reps[r];
        const t = trade[k];
        const p = partner[k];
        const forward = t > 0;
        const seller = forward ? n : p;
        const buyer = forward ? p : n;
        const x = forward ? t : -t;
        const j = mirror[k];
        let i = nextSale[seller]++;
        other[i] = buyer;
        mag[i] = x;
        at[i] = forward ? k : j;
        i = nextBuy[buyer]++;
        other[i] = seller;
        mag[i] = x;
        at[i] = forward ? j : k;
      }
    }
  }

  /**
   * Targets from the listed sales and purchases: the imbalance goes to the side the agent already
   * trades on (sales first when it must sell more or has no purchases), never below zero. Resets
   * the factors; returns the largest target.
   */
  private targets(power: Float64Array, fixed: Float64Array): number {
    const sell = this.sell;
    const buy = this.buy;
    const u = this.u;
    const v = this.v;
    let big = 0;
    for (let n = 0; n < this.N; n++) {
      const s = sell[n];
      const b = buy[n];
      const e = power[n] - fixed[n] - (s - b);
      let S = s;
      let D = b;
      if (e >= 0) {
        if (s > 0 || b === 0) S = s + e;
        else D = b - e;
      } else if (b > 0 || s === 0) D = b - e;
      else S = s + e;
      sell[n] = S > 0 ? S : 0;
      buy[n] = D > 0 ? D : 0;
      u[n] = 1;
      v[n] = 1;
      big = Math.max(big, sell[n], buy[n]);
    }
    return big;
  }

  /** One sweep, over-relaxed by w (0: the exact updates); returns the largest miss of a target before its update. */
  private sweep(w: number): number {
    const u = this.u;
    const v = this.v;
    const sell = this.sell;
    const buy = this.buy;
    const start = this.start;
    const mid = this.mid;
    const other = this.other;
    const mag = this.mag;
    let worst = 0;
    for (let n = 0; n < this.N; n++) {
      const h = mid[n];
      const r = weighted(mag, other, v, start[n], h);
      if (r > 0) {
        const miss = Math.abs(r * u[n] - sell[n]);
        if (miss > worst) worst = miss;
        u[n] = relaxed(sell[n] / r, u[n], w);
      }
      const c = weighted(mag, other, u, h, start[n + 1]);
      if (c > 0) {
        const miss = Math.abs(c * v[n] - buy[n]);
        if (miss > worst) worst = miss;
        v[n] = relaxed(buy[n] / c, v[n], w);
      }
    }
    return worst;
  }

  /**
   * The scaled flows, seller's factor first so that both directions get the same magnitude, each
   * clipped to its own bound (the tree edges take up the difference): each entry writes its
   * agent's directed trade, so an agent's writes stay within its own trades.
   */
  private write(trade: Float64Array): void {
    const u = this.u;
    const v = this.v;
    const start = this.start;
    const mid = this.mid;
    const other = this.other;
    const mag = this.mag;
    const at = this.at;
    const hi = this.m.hi;
    const lo = this.m.lo;
    for (let n = 0; n < this.N; n++) {
      const un = u[n];
      const vn = v[n];
      const h = mid[n];
      for (let i = start[n]; i < h; i++) {
        const x = mag[i] * un * v[other[i]];
        const k = at[i];
        trade[k] = x > hi[k] ? hi[k] : x;
      }
      const e = start[n + 1];
      for (let i = h; i < e; i++) {
        const x = -(mag[i] * u[other[i]] * vn);
        const k = at[i];
        trade[k] = x < lo[k] ? lo[k] : x;
      }
    }
  }
}
