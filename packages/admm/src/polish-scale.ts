import type { MarketArrays } from "./problem.js";
import { BWD, FWD } from "./polish-states.js";

/** Sweeps of the scaling per round, and the relative imbalance at which it stops early. */
const MAX_SWEEPS = 16;
const SWEEP_TOLERANCE = 1e-4;

/**
 * Rebalances the flows of the flowing pairs to the agents' exact powers before the spanning tree
 * takes up what is left (docs/polishing.md, "Flows"): a biproportional (RAS) scaling. Each
 * flowing pair carries x_nm ≥ 0 from its seller n to its buyer m; the scaled flow is
 * x_nm · u_n · v_m, with u the agents' factors as sellers and v as buyers, fitted by alternating
 * sweeps so that each agent's sales S_n and purchases D_n reach targets whose difference is its
 * power net of its trades fixed at a bound. Positive factors keep every flow's sign and zero
 * pattern (the pair states do not change), so the tree edges that absorb the rest carry only
 * rounding-size corrections instead of the iterate's whole imbalance, which would flip the sign
 * of tree edges with small flows. Each sweep is one linear pass over the flowing directed trades
 * (listed once per call) that reads only the per-agent factors at random (N entries,
 * cache-resident); scratch is allocated once.
 */
export class FlowScaling {
  private readonly m: MarketArrays;
  private readonly N: number;
  private readonly u: Float64Array;
  private readonly v: Float64Array;
  private readonly sell: Float64Array;
  private readonly buy: Float64Array;
  /**
   * The flowing directed trades, grouped by agent (sales, then purchases, each in the order of
   * the agent's trades): per entry the partner and the flow's magnitude; per agent the offsets `start[n]` (sales), `mid[n]`
   * (purchases) and `start[n + 1]`. The sweeps visit only these, without branches, instead of
   * every trade. Allocated on the first call that needs them, grown only when a round has more
   * flowing trades than every one before.
   */
  private other: Int32Array = new Int32Array(0);
  private mag: Float64Array = new Float64Array(0);
  private readonly start: Int32Array;
  private readonly mid: Int32Array;
  /** Sweeps used by the last call. */
  sweeps = 0;

  constructor(m: MarketArrays) {
    this.m = m;
    const N = m.nAgents;
    this.N = N;
    this.u = new Float64Array(N);
    this.v = new Float64Array(N);
    this.sell = new Float64Array(N);
    this.buy = new Float64Array(N);
    this.start = new Int32Array(N + 1);
    this.mid = new Int32Array(N);
  }

  /** Room for `n` flowing directed trades (grown by a quarter more than asked, at most the trades). */
  private reserve(n: number): void {
    if (this.other.length >= n) return;
    const size = Math.min(this.m.partner.length, Math.max(n, Math.ceil(1.25 * n)));
    this.other = new Int32Array(size);
    this.mag = new Float64Array(size);
  }

  /**
   * Scales `trade` (antisymmetric, per directed trade) on the flowing pairs (state FWD/BWD on the
   * representative k < mirror[k]) so that each agent's flowing trades sum to power[n] − fixed[n]
   * as far as the targets allow. `tol` is the power tolerance at which the fit is good enough.
   */
  scale(state: Int8Array, trade: Float64Array, power: Float64Array, fixed: Float64Array, tol: number): void {
    const m = this.m;
    const { u, v, sell, buy, start, mid } = this;
    const N = this.N;
    const { tradeStart, mirror, partner } = m;
    // Count the flowing directed trades, to size the lists.
    let total = 0;
    for (let k = 0; k < trade.length; k++) {
      const j = mirror[k];
      const st = state[k < j ? k : j];
      if ((st === FWD || st === BWD) && trade[k] !== 0) total++;
    }
    this.reserve(total);
    const { other, mag } = this;
    // The lists, and the agents' current sales and purchases.
    let q = 0;
    for (let n = 0; n < N; n++) {
      start[n] = q;
      let s = 0;
      for (let k = tradeStart[n]; k < tradeStart[n + 1]; k++) {
        const j = mirror[k];
        const st = state[k < j ? k : j];
        const t = trade[k];
        if ((st === FWD || st === BWD) && t > 0) {
          other[q] = partner[k];
          mag[q++] = t;
          s += t;
        }
      }
      mid[n] = q;
      let b = 0;
      for (let k = tradeStart[n]; k < tradeStart[n + 1]; k++) {
        const j = mirror[k];
        const st = state[k < j ? k : j];
        const t = trade[k];
        if ((st === FWD || st === BWD) && t < 0) {
          other[q] = partner[k];
          mag[q++] = -t;
          b -= t;
        }
      }
      // Targets: the imbalance goes to the side the agent already trades on (sales first when it
      // must sell more or has no purchases), never below zero.
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
    }
    start[N] = q;
    // Sweeps (Gauss–Seidel, agents in index order): u_n = S_n / Σ x_nm v_m, v_n = D_n / Σ x_mn u_m.
    // Stop at a fraction of the largest target (the iterate's trades, which set the polisher's
    // power scale, may still be far smaller than the powers early on), or at the tolerance.
    let big = 0;
    for (let n = 0; n < N; n++) big = Math.max(big, sell[n], buy[n]);
    const stop = Math.max(SWEEP_TOLERANCE * big, tol);
    this.sweeps = 0;
    let previous = Infinity;
    for (let sweep = 0; sweep < MAX_SWEEPS; sweep++) {
      this.sweeps = sweep + 1;
      let worst = 0;
      for (let n = 0; n < N; n++) {
        const a = start[n];
        const h = mid[n];
        const e = start[n + 1];
        let r = 0;
        let c = 0;
        if (a < h) {
          for (let i = a; i < h; i++) r += mag[i] * v[other[i]];
        }
        if (r > 0) {
          const miss = Math.abs(r * u[n] - sell[n]);
          if (miss > worst) worst = miss;
          u[n] = sell[n] / r;
        }
        if (h < e) {
          for (let i = h; i < e; i++) c += mag[i] * u[other[i]];
        }
        if (c > 0) {
          const miss = Math.abs(c * v[n] - buy[n]);
          if (miss > worst) worst = miss;
          v[n] = buy[n] / c;
        }
      }
      // Done, or stalled (targets that no positive scaling reaches: the tree takes the rest).
      if (worst <= stop || (sweep >= 3 && worst > 0.9 * previous)) break;
      previous = worst;
    }
    // The scaled flows, seller's factor first so that both directions get the same magnitude,
    // clipped to the pair's bounds (the tree edges take up the difference). The agent's trades
    // are visited in the order the lists were filled.
    for (let n = 0; n < N; n++) {
      let i = start[n];
      for (let k = tradeStart[n]; k < tradeStart[n + 1]; k++) {
        const j = mirror[k];
        const st = state[k < j ? k : j];
        if ((st === FWD || st === BWD) && trade[k] > 0) {
          const x = mag[i] * u[n] * v[other[i]];
          i++;
          trade[k] = x > m.hi[k] ? m.hi[k] : x;
        }
      }
      for (let k = tradeStart[n]; k < tradeStart[n + 1]; k++) {
        const j = mirror[k];
        const st = state[k < j ? k : j];
        if ((st === FWD || st === BWD) && trade[k] < 0) {
          const x = -(mag[i] * u[other[i]] * v[n]);
          i++;
          trade[k] = x < m.lo[k] ? m.lo[k] : x;
        }
      }
    }
  }
}
