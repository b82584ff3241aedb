import type { MarketArrays } from "./problem.js";

/**
 * The uniform clearing price of a market: the price p at which the agents with trades, each
 * answering with its own best response P_n(p) = clip((p − b_n)/a_n, p̲_n, p̄_n) (a linear agent: p̲
 * below b, p̄ above, anything between at b), sum to zero — the one price every trading agent would
 * share if trades cost nothing and no trade bound or missing pair kept agents apart. On a market
 * without trade costs whose trading graph connects everyone (a community with its grid, the peer
 * generator's markets) it is the optimum's price; the solver restarts a cold solve's prices from it
 * when the first polishing try finds the cold iterate far off (docs/polishing.md, "When to try").
 * Bisection on the nondecreasing excess; null when no price clears (an infeasible market) or the
 * data are not finite where it matters.
 */
export function uniformPrice(m: MarketArrays): number | null {
  const { b, tradeStart } = m;
  let lo = Infinity;
  let hi = -Infinity;
  for (let n = 0; n < m.nAgents; n++) {
    if (tradeStart[n + 1] === tradeStart[n]) continue;
    if (!Number.isFinite(b[n])) return null;
    lo = Math.min(lo, b[n]);
    hi = Math.max(hi, b[n]);
  }
  if (!(lo <= hi)) return null;
  // Widen the bracket until the excess changes sign: below it every agent sells less than it
  // buys, above it more.
  let width = Math.max(1, hi - lo);
  for (let i = 0; i < 200 && excess(m, lo, true) > 0; i++, width *= 2) lo -= width;
  width = Math.max(1, hi - lo);
  for (let i = 0; i < 200 && excess(m, hi, false) < 0; i++, width *= 2) hi += width;
  if (!(excess(m, lo, true) <= 0 && excess(m, hi, false) >= 0)) return null;
  for (let i = 0; i < 200; i++) {
    const mid = 0.5 * (lo + hi);
    if (!(mid > lo && mid < hi)) break;
    const below = excess(m, mid, true);
    const above = excess(m, mid, false);
    // Unlimited sellers and buyers at once (∞ − ∞): no uniform price.
    if (Number.isNaN(below) || Number.isNaN(above)) return null;
    if (below > 0) hi = mid;
    else if (above < 0) lo = mid;
    else return mid;
  }
  const p = 0.5 * (lo + hi);
  return Number.isFinite(p) ? p : null;
}

/**
 * Σ P_n(p) over the agents with trades, taking each linear agent at price b_n at the low end of its
 * step (`low`) or the high end.
 */
function excess(m: MarketArrays, p: number, low: boolean): number {
  const { a, b, pMin, pMax, tradeStart } = m;
  let sum = 0;
  for (let n = 0; n < m.nAgents; n++) {
    if (tradeStart[n + 1] === tradeStart[n]) continue;
    const an = a[n];
    const bn = b[n];
    if (an > 0) {
      const q = (p - bn) / an;
      sum += q <= pMin[n] ? pMin[n] : q >= pMax[n] ? pMax[n] : q;
    } else if (p > bn) sum += pMax[n];
    else if (p < bn) sum += pMin[n];
    else sum += low ? pMin[n] : pMax[n];
  }
  return sum;
}
