import type { MarketArrays } from "./problem.js";

/** The element of rank ⌊len/2⌋ in ascending order of the first `len` values (reordered in place). */
function median(values: Float64Array, len: number): number {
  const v = values.subarray(0, len);
  v.sort();
  return v[len >> 1];
}

/** Price and power scales of a market: the largest |b| or trade cost, and the median finite power range. */
export function marketScales(m: MarketArrays): { price: number; power: number } {
  const { b, pMin, pMax, tradeStart, costSell, costBuy } = m;
  let price = 0;
  const ranges = new Float64Array(m.nAgents);
  let count = 0;
  for (let n = 0; n < m.nAgents; n++) {
    if (tradeStart[n + 1] === tradeStart[n]) continue;
    price = Math.max(price, Math.abs(b[n]));
    const range = pMax[n] - pMin[n];
    if (Number.isFinite(range) && range > 0) ranges[count++] = range;
  }
  for (let k = 0; k < costSell.length; k++) price = Math.max(price, Math.abs(costSell[k]), Math.abs(costBuy[k]));
  const power = count > 0 ? median(ranges, count) : 1;
  return { price, power };
}

/**
 * The smallest ρ the engine uses: 1e-6 of the market's price scale over its power scale. Below
 * it, the local solve's x = v − (μ + c)/ρ would lose the trades in rounding.
 */
export function rhoFloor(m: MarketArrays): number {
  const { price, power } = marketScales(m);
  return floorOf(price, power);
}

function floorOf(price: number, power: number): number {
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
  const { a, tradeStart } = m;
  const curv = new Float64Array(m.nAgents);
  let count = 0;
  for (let n = 0; n < m.nAgents; n++) {
    const deg = tradeStart[n + 1] - tradeStart[n];
    if (deg > 0 && a[n] > 0) curv[count++] = a[n] * deg;
  }
  const { price, power } = marketScales(m);
  let rho = count > 0 ? 10 * median(curv, count) : price / power;
  if (!(rho > 1e-300) || !Number.isFinite(rho)) rho = 1;
  return Math.max(rho, floorOf(price, power));
}
