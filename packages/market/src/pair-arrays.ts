import type { MarketArrays } from "@peermarket/admm";
import type { ExpandedMarket } from "@peermarket/model";

/** An expansion's four per-pair arrays. */
export type PairArrays = Pick<ExpandedMarket, "pairFirst" | "pairSecond" | "tradeOfFirst" | "tradeOfSecond">;

const KEYS = ["pairFirst", "pairSecond", "tradeOfFirst", "tradeOfSecond"] as const;

/**
 * The pairs a market's trade arrays imply: agent by agent, each of its directed trades with a
 * later partner, in the order of the trade arrays — pair (first, second) with its two directed
 * trades. The model's expansion lists its pairs sorted by first agent, then second, and
 * `buildMarketArrays` keeps that order in every agent's trades: for it these are its own pairs.
 */
export function pairsFromTrades(m: MarketArrays): PairArrays {
  const nPairs = m.partner.length / 2;
  const pairFirst = new Int32Array(nPairs);
  const pairSecond = new Int32Array(nPairs);
  const tradeOfFirst = new Int32Array(nPairs);
  const tradeOfSecond = new Int32Array(nPairs);
  const { tradeStart, partner, mirror } = m;
  let q = 0;
  for (let n = 0; n < m.nAgents; n++) {
    for (let k = tradeStart[n]; k < tradeStart[n + 1]; k++) {
      const p = partner[k];
      if (p <= n) continue;
      pairFirst[q] = n;
      pairSecond[q] = p;
      tradeOfFirst[q] = k;
      tradeOfSecond[q] = mirror[k];
      q++;
    }
  }
  return { pairFirst, pairSecond, tradeOfFirst, tradeOfSecond };
}

/** Whether `x`'s pair arrays are exactly `pairsFromTrades(x.arrays)`. */
export function pairsFollowTrades(x: ExpandedMarket): boolean {
  const { tradeStart, partner, mirror } = x.arrays;
  const { pairFirst, pairSecond, tradeOfFirst, tradeOfSecond } = x;
  const nPairs = pairFirst.length;
  if (2 * nPairs !== partner.length) return false;
  let q = 0;
  for (let n = 0; n < x.arrays.nAgents; n++) {
    for (let k = tradeStart[n]; k < tradeStart[n + 1]; k++) {
      const p = partner[k];
      if (p <= n) continue;
      if (
        q >= nPairs ||
        pairFirst[q] !== n ||
        pairSecond[q] !== p ||
        tradeOfFirst[q] !== k ||
        tradeOfSecond[q] !== mirror[k]
      )
        return false;
      q++;
    }
  }
  return q === nPairs;
}

/**
 * Lets the garbage collector have a single-period market's per-pair arrays (16 bytes per pair)
 * while the engine runs: on each of `xs` — expansions of one market sharing its pair and trade
 * arrays — they become properties that rebuild them from the trade arrays (`pairsFromTrades`)
 * when first read, then plain properties again. Nothing changes (false) for a multi-period
 * market, expansions that do not share their arrays, or pairs in another order than the trade
 * arrays imply. Reading or assigning the properties works as before.
 */
export function deferPairArrays(xs: ExpandedMarket[]): boolean {
  const x = xs[0];
  if (x === undefined || x.horizon) return false;
  const m = x.arrays;
  const shared = xs.every(
    (y) =>
      !y.horizon &&
      y.arrays.partner === m.partner &&
      y.arrays.mirror === m.mirror &&
      y.arrays.tradeStart === m.tradeStart &&
      KEYS.every((key) => y[key] === x[key]),
  );
  if (!shared || !pairsFollowTrades(x)) return false;
  const trades: MarketArrays = { ...m };
  let rebuilt: PairArrays | null = null;
  for (const y of xs) {
    for (const key of KEYS) {
      const settle = (value: Int32Array) => {
        Object.defineProperty(y, key, { value, writable: true, enumerable: true, configurable: true });
      };
      Object.defineProperty(y, key, {
        enumerable: true,
        configurable: true,
        get() {
          rebuilt ??= pairsFromTrades(trades);
          settle(rebuilt[key]);
          return rebuilt[key];
        },
        set: settle,
      });
    }
  }
  return true;
}
