import { buildMarketArrays, type BuiltMarket } from "./build.js";
import { mulberry32 } from "./random.js";

/**
 * A seeded peer-to-peer market for tests and benchmarks (uniform draws, "x ± y" meaning uniform in
 * [x − y, x + y]):
 * - 40 % consumers: P₀ = −1000 ± 400, bounds [1.1·P₀, 0.9·P₀], a = 0.07 ± 0.02, b = 0.07·|P₀|
 *   (so f'(p) = a(p − P₀) + (0.07 − a)|P₀|: they want about P₀);
 * - 47.5 % producers: bounds [0, 1000 ± 400], a = 0.07 ± 0.02, b = 50 ± 20;
 * - 12.5 % prosumers: bounds [−1000 ± 400, 1000 ± 400], a = 0.07 ± 0.02, b = 50 ± 20;
 * pairs: every consumer with every producer and prosumer, every producer with every prosumer; no
 * trade costs (so sellers at the same price are interchangeable: the trades are not unique).
 * Agents are ordered consumers, producers, prosumers.
 */
export function peerMarketColumns(nAgents: number, seed: number): BuiltMarket {
  const r = mulberry32(seed);
  const u = (x: number, y: number): number => x - y + 2 * y * r();
  const nCons = Math.round(0.4 * nAgents);
  const nProd = Math.round(0.475 * nAgents);
  const nPros = Math.max(0, nAgents - nCons - nProd);
  const a = new Float64Array(nAgents);
  const b = new Float64Array(nAgents);
  const pMin = new Float64Array(nAgents);
  const pMax = new Float64Array(nAgents);
  for (let i = 0; i < nAgents; i++) {
    a[i] = u(0.07, 0.02);
    if (i < nCons) {
      const p0 = u(-1000, 400);
      pMin[i] = 1.1 * p0;
      pMax[i] = 0.9 * p0;
      b[i] = 0.07 * Math.abs(p0);
    } else if (i < nCons + nProd) {
      pMin[i] = 0;
      pMax[i] = u(1000, 400);
      b[i] = u(50, 20);
    } else {
      pMin[i] = u(-1000, 400);
      pMax[i] = u(1000, 400);
      b[i] = u(50, 20);
    }
  }
  const nPairs = nCons * (nProd + nPros) + nProd * nPros;
  const first = new Int32Array(nPairs);
  const second = new Int32Array(nPairs);
  let q = 0;
  for (let i = 0; i < nCons + nProd; i++) {
    for (let j = Math.max(i + 1, nCons); j < nAgents; j++) {
      if (i >= nCons && j < nCons + nProd) continue; // producer–producer
      first[q] = i;
      second[q] = j;
      q++;
    }
  }
  return buildMarketArrays({ a, b, pMin, pMax }, { first, second });
}

/** The MarketArrays of `peerMarketColumns`. */
export function peerMarket(nAgents: number, seed: number) {
  return peerMarketColumns(nAgents, seed).arrays;
}
