import type { MarketArrays } from "./problem.js";

function median(values: number[]): number {
  values.sort((x, y) => x - y);
  return values[values.length >> 1];
}

/**
 * A starting penalty from the market's data. ρ has the units of a cost curvature
 * (currency/MW²h), so it is taken as 10 × the median over agents with trades of a_n·deg_n — the
 * curvature an agent's cost puts on its trades when they move together (measured on the
 * benchmark markets: starting above the curvature and letting residual balancing lower ρ converges
 * fastest). Markets with only linear costs use median |b_n| / median power range instead.
 */
export function initialRho(m: MarketArrays): number {
  const curv: number[] = [];
  const prices: number[] = [];
  const ranges: number[] = [];
  for (let n = 0; n < m.nAgents; n++) {
    const deg = m.tradeStart[n + 1] - m.tradeStart[n];
    if (deg === 0) continue;
    if (m.a[n] > 0) curv.push(m.a[n] * deg);
    prices.push(Math.abs(m.b[n]));
    const range = m.pMax[n] - m.pMin[n];
    if (Number.isFinite(range) && range > 0) ranges.push(range);
  }
  let rho = 1;
  if (curv.length > 0) rho = 10 * median(curv);
  else if (prices.length > 0 && ranges.length > 0) rho = median(prices) / median(ranges);
  return rho > 0 && Number.isFinite(rho) ? rho : 1;
}
