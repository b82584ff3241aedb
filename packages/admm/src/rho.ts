import type { MarketArrays } from "./problem.js";

function median(values: number[]): number {
  values.sort((x, y) => x - y);
  return values[values.length >> 1];
}

/** Price and power scales of a market: the largest |b| or trade cost, and the median finite power range. */
export function marketScales(m: MarketArrays): { price: number; power: number } {
  let price = 0;
  const ranges: number[] = [];
  for (let n = 0; n < m.nAgents; n++) {
    if (m.tradeStart[n + 1] === m.tradeStart[n]) continue;
    price = Math.max(price, Math.abs(m.b[n]));
    const range = m.pMax[n] - m.pMin[n];
    if (Number.isFinite(range) && range > 0) ranges.push(range);
  }
  for (let k = 0; k < m.costSell.length; k++) price = Math.max(price, Math.abs(m.costSell[k]), Math.abs(m.costBuy[k]));
  const power = ranges.length > 0 ? median(ranges) : 1;
  return { price, power };
}

/**
 * The smallest ρ the engine uses: 1e-6 of the market's price scale over its power scale. Below
 * it, the local solve's x = v − (μ + c)/ρ would lose the trades in rounding.
 */
export function rhoFloor(m: MarketArrays): number {
  const { price, power } = marketScales(m);
  const floor = (1e-6 * price) / power;
  return floor > 1e-300 && Number.isFinite(floor) ? floor : 0;
}

/**
 * A starting penalty from the market's data. ρ has the units of a cost curvature
 * (currency/MW²h), so it is taken as 10 × the median over agents with trades of a_n·deg_n — the
 * curvature an agent's cost puts on its trades when they move together (measured on the
 * benchmark markets: starting above the curvature and letting residual balancing lower ρ converges
 * fastest). Markets with only linear costs use the price scale over the power scale instead. Never
 * below `rhoFloor`.
 */
export function initialRho(m: MarketArrays): number {
  const curv: number[] = [];
  for (let n = 0; n < m.nAgents; n++) {
    const deg = m.tradeStart[n + 1] - m.tradeStart[n];
    if (deg > 0 && m.a[n] > 0) curv.push(m.a[n] * deg);
  }
  const { price, power } = marketScales(m);
  let rho = curv.length > 0 ? 10 * median(curv) : price / power;
  if (!(rho > 1e-300) || !Number.isFinite(rho)) rho = 1;
  return Math.max(rho, rhoFloor(m));
}
