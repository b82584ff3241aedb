import { buildMarketArrays, canTrade, type MarketArrays } from "@peermarket/admm";
import { rng } from "./synthetic-market.js";

/**
 * A sparse random market as engine arrays: producers, consumers and prosumers, some with linear
 * costs, random partners, per-trade costs on a third of the pairs, and two grid agents trading
 * with everyone (the heaviest agents).
 */
export function randomArrays(seed: number, n: number): MarketArrays {
  const r = rng(seed);
  const N = n + 2;
  const a = new Float64Array(N);
  const b = new Float64Array(N);
  const pMin = new Float64Array(N);
  const pMax = new Float64Array(N);
  for (let i = 0; i < n; i++) {
    const t = r();
    a[i] = r() < 0.1 ? 0 : 0.01 + 0.1 * r();
    if (t < 0.4) [b[i], pMin[i], pMax[i]] = [10 + 40 * r(), 0, 10 + 90 * r()];
    else if (t < 0.8) [b[i], pMin[i], pMax[i]] = [30 + 50 * r(), -10 - 90 * r(), 0];
    else [b[i], pMin[i], pMax[i]] = [20 + 40 * r(), -5 - 20 * r(), 5 + 20 * r()];
  }
  [a[n], b[n], pMin[n], pMax[n]] = [0, 95, 0, Infinity];
  [a[n + 1], b[n + 1], pMin[n + 1], pMax[n + 1]] = [0, 5, -Infinity, 0];
  const seen = new Set<number>();
  const first: number[] = [];
  const second: number[] = [];
  const add = (i: number, j: number): void => {
    if (i === j) return;
    const [x, y] = i < j ? [i, j] : [j, i];
    if (seen.has(x * N + y) || !canTrade(pMin[x], pMax[x], pMin[y], pMax[y])) return;
    seen.add(x * N + y);
    first.push(x);
    second.push(y);
  };
  for (let i = 0; i < n; i++) for (let d = 0; d < 5; d++) add(i, Math.floor(r() * n));
  for (let i = 0; i < n; i++) {
    add(i, n);
    add(i, n + 1);
  }
  const order = first.map((_, i) => i).sort((x, y) => first[x] - first[y] || second[x] - second[y]);
  const cost = Float64Array.from(order, () => (r() < 0.3 ? 2 * r() : 0));
  return buildMarketArrays(
    { a, b, pMin, pMax },
    {
      first: Int32Array.from(order, (i) => first[i]),
      second: Int32Array.from(order, (i) => second[i]),
      sellFirst: cost,
      buyFirst: cost,
      sellSecond: cost,
      buySecond: cost,
    },
  ).arrays;
}
