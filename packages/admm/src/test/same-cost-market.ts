import { buildMarketArrays } from "../build.js";
import type { MarketArrays } from "../problem.js";

/**
 * The engine's arrays of agents {a, b, pMin, pMax} and pairs (first, second) with one cost per
 * pair on every side, the pairs built from the net bounds (a storage's power bounds widened by
 * its charge and discharge limits) and the agents keeping their own bounds.
 */
export function sameCostMarket(
  agents: { a: Float64Array; b: Float64Array; pMin: Float64Array; pMax: Float64Array },
  netMin: Float64Array,
  netMax: Float64Array,
  first: number[],
  second: number[],
  cost: number[],
): MarketArrays {
  const c = Float64Array.from(cost);
  const built = buildMarketArrays(
    { a: agents.a, b: agents.b, pMin: netMin, pMax: netMax },
    {
      first: Int32Array.from(first),
      second: Int32Array.from(second),
      sellFirst: c,
      buyFirst: c,
      sellSecond: c,
      buySecond: c,
    },
  );
  return { ...built.arrays, pMin: agents.pMin, pMax: agents.pMax };
}
