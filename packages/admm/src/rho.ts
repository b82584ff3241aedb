import type { MarketArrays } from "./problem.js";

/**
 * A starting penalty from the market's data: the median over agents with trades of a_n·deg_n,
 * the curvature an agent's cost puts on each of its trades when they move together. Markets with
 * only linear costs fall back to 1. Adaptive ρ corrects it within a few tens of iterations.
 */
export function initialRho(m: MarketArrays): number {
  const values: number[] = [];
  for (let n = 0; n < m.nAgents; n++) {
    const deg = m.tradeStart[n + 1] - m.tradeStart[n];
    if (deg > 0 && m.a[n] > 0) values.push(m.a[n] * deg);
  }
  if (values.length === 0) return 1;
  values.sort((x, y) => x - y);
  const med = values[values.length >> 1];
  return med > 0 && Number.isFinite(med) ? med : 1;
}
