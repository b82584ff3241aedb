import type { MarketArrays } from "./problem.js";

import { AT_HI, AT_LO, BWD, FWD, ZERO } from "./polish-states.js";

/** The mirrored state: what state s of trade k means for the reverse trade. */
function mirrored(s: number): number {
  return s === FWD ? BWD : s === BWD ? FWD : s === AT_HI ? AT_LO : s === AT_LO ? AT_HI : ZERO;
}

/** Output slots of `pairInterval`: the lower and upper end of the allowed prices. */
export const interval = new Float64Array(2);

/**
 * Writes into `interval` the prices λ that agent n's trade k in state s allows, given μ_n:
 * λ − μ_n ∈ ∂cost(p) + N_[lo,hi](p). `costs` false: every trade cost of the market is zero, and
 * the costs are not read (at 1.7 M directed trades, reading them at random — the mirror's — took
 * three quarters of a polishing round's count of violations).
 */
function side(m: MarketArrays, k: number, s: number, mu: number, out: Float64Array, costs: boolean): void {
  const cs = costs ? m.costSell[k] : 0;
  const cb = costs ? m.costBuy[k] : 0;
  let lo: number;
  let hi: number;
  if (s === FWD) lo = hi = mu + cs;
  else if (s === BWD) lo = hi = mu - cb;
  else if (s === AT_HI) {
    lo = mu + cs;
    hi = Infinity;
  } else if (s === AT_LO) {
    lo = -Infinity;
    hi = mu - cb;
  } else {
    lo = m.lo[k] < 0 ? mu - cb : -Infinity;
    hi = m.hi[k] > 0 ? mu + cs : Infinity;
  }
  out[0] = lo;
  out[1] = hi;
}

/**
 * The prices λ of pair (k, mirror k) consistent with both sides' conditions, for the pair state s
 * (of k) and the two agents' marginal prices: an empty interval (interval[0] > interval[1]) means
 * the state is wrong for these prices. Writes `interval`. `costs`: whether the market has any
 * trade cost (false only when every one is zero, `costsZero`).
 */
export function pairInterval(m: MarketArrays, k: number, s: number, muN: number, muM: number, costs: boolean): void {
  side(m, k, s, muN, interval, costs);
  const lo = interval[0];
  const hi = interval[1];
  side(m, m.mirror[k], mirrored(s), muM, interval, costs);
  interval[0] = Math.max(lo, interval[0]);
  interval[1] = Math.min(hi, interval[1]);
}

/**
 * The price of a pair whose interval `pairInterval` has just written: the iterate's λ (0 when
 * not finite) clipped to the interval that both sides' conditions allow, the interval's middle
 * when it is empty.
 */
export function pairPrice(lambda: number): number {
  const lo = interval[0];
  const hi = interval[1];
  let l = Number.isFinite(lambda) ? lambda : 0;
  if (lo <= hi) l = l < lo ? lo : l > hi ? hi : l;
  else l = 0.5 * (lo + hi);
  if (!Number.isFinite(l)) l = Number.isFinite(lo) ? lo : hi;
  return l;
}

/** The larger of a running maximum and a violation, NaN counting as +∞. */
function worse(cur: number, v: number): number {
  return v > cur ? v : v === v ? cur : Infinity;
}

/** Largest violations found by `verifyPolished`. */
export interface Verified {
  primal: number;
  dual: number;
}

/**
 * Checks a polished point without trusting how it was built: reciprocity, trade and power bounds,
 * each trade's value consistent with its pair state (0 when not trading, the bound when at it,
 * the right sign when flowing), each pair's price (`pairPrice` of the iterate's `lambda`, the
 * one the polisher then writes on both trades of the pair) within the interval both sides'
 * conditions allow, and each agent's marginal price consistent with its power (μ = a p + b inside
 * its bounds, ≥ at p̄, ≤ at p̲; `tolP` decides "at"). NaN counts as an infinite violation. The
 * prices are computed where they are checked, so that no array of them is needed before the
 * check has passed. `costs` false: every trade cost of the market is zero (`costsZero`), and
 * they are not read.
 */
export function verifyPolished(
  m: MarketArrays,
  state: Int8Array,
  trade: Float64Array,
  lambda: Float64Array,
  mu: Float64Array,
  tolP: number,
  out: Verified,
  costs: boolean,
): void {
  let primal = 0;
  let dual = 0;
  const { tradeStart, mirror, partner, lo, hi } = m;
  for (let n = 0; n < m.nAgents; n++) {
    const end = tradeStart[n + 1];
    const muN = mu[n];
    let p = 0;
    for (let k = tradeStart[n]; k < end; k++) {
      const j = mirror[k];
      const t = trade[k];
      p += t;
      primal = worse(primal, Math.max(lo[k] - t, t - hi[k], 0));
      if (j < k) continue;
      // Each pair once (its mirror's bounds are checked at the mirror's own index above).
      primal = worse(primal, Math.abs(t + trade[j]));
      const s = state[k];
      if (s === ZERO) primal = worse(primal, Math.abs(t));
      else if (s === AT_HI) primal = worse(primal, Math.abs(t - hi[k]));
      else if (s === AT_LO) primal = worse(primal, Math.abs(t - lo[k]));
      else if (s === FWD) primal = worse(primal, Math.max(-t, 0));
      else primal = worse(primal, Math.max(t, 0));
      pairInterval(m, k, s, muN, mu[partner[k]], costs);
      const l = pairPrice(lambda[k]);
      dual = worse(dual, Math.max(interval[0] - l, l - interval[1], 0));
    }
    primal = worse(primal, Math.max(m.pMin[n] - p, p - m.pMax[n], 0));
    const marginal = m.a[n] * p + m.b[n];
    const lower = p > m.pMin[n] + tolP ? marginal : -Infinity;
    const upper = p < m.pMax[n] - tolP ? marginal : Infinity;
    dual = worse(dual, Math.max(lower - muN, muN - upper, 0));
  }
  out.primal = primal;
  out.dual = dual;
}
