import { type MarketArrays, tradeBounds } from "./problem.js";
import { f64, i32 } from "./shared.js";

/** Per-agent data, columnar. */
export interface AgentColumns {
  a: Float64Array;
  b: Float64Array;
  pMin: Float64Array;
  pMax: Float64Array;
}

/** Undirected pairs, columnar: pair i joins agents `first[i]` and `second[i]`. */
export interface PairColumns {
  first: Int32Array;
  second: Int32Array;
  /** Optional per-pair costs of each side (default 0): c⁺ and c⁻ of `first` on this pair, and of `second`. */
  sellFirst?: Float64Array;
  buyFirst?: Float64Array;
  sellSecond?: Float64Array;
  buySecond?: Float64Array;
}

/** A MarketArrays plus, per pair (in the order given), the directed trade index of each side. */
export interface BuiltMarket {
  arrays: MarketArrays;
  /** Directed trade p_{first, second} of pair i. */
  tradeOfFirst: Int32Array;
  /** Directed trade p_{second, first} of pair i (= mirror of tradeOfFirst). */
  tradeOfSecond: Int32Array;
}

/**
 * Builds the CSR arrays of a market from agents and undirected pairs. Within an agent, trades
 * keep the order in which its pairs are given (give pairs sorted to get partners in order).
 * Trade bounds are those of `tradeBounds`; pairs are kept even if they can never trade
 * (filter them before, see `canTrade`). Pairs must be distinct and join distinct agents.
 * With `shared`, the per-trade arrays are allocated on SharedArrayBuffers (for worker threads;
 * pass shared agent columns too to avoid any copy in `AdmmSolver`).
 */
export function buildMarketArrays(
  agents: AgentColumns,
  pairs: PairColumns,
  options: { shared?: boolean } = {},
): BuiltMarket {
  const sh = options.shared === true;
  const nAgents = agents.a.length;
  const nPairs = pairs.first.length;
  const nTrades = 2 * nPairs;
  const tradeStart = i32(nAgents + 1, sh);
  for (let i = 0; i < nPairs; i++) {
    tradeStart[pairs.first[i] + 1]++;
    tradeStart[pairs.second[i] + 1]++;
  }
  for (let n = 0; n < nAgents; n++) tradeStart[n + 1] += tradeStart[n];
  const fill = tradeStart.slice(0, nAgents);
  const partner = i32(nTrades, sh);
  const mirror = i32(nTrades, sh);
  const lo = f64(nTrades, sh);
  const hi = f64(nTrades, sh);
  const costSell = f64(nTrades, sh);
  const costBuy = f64(nTrades, sh);
  const tradeOfFirst = new Int32Array(nPairs);
  const tradeOfSecond = new Int32Array(nPairs);
  for (let i = 0; i < nPairs; i++) {
    const n = pairs.first[i];
    const m = pairs.second[i];
    const kn = fill[n]++;
    const km = fill[m]++;
    partner[kn] = m;
    partner[km] = n;
    mirror[kn] = km;
    mirror[km] = kn;
    // tradeBounds(n, m), inlined: own trade bounds of n intersected with the mirror of m's.
    const pminN = agents.pMin[n];
    const pmaxN = agents.pMax[n];
    const pminM = agents.pMin[m];
    const pmaxM = agents.pMax[m];
    const loN = pminN >= 0 ? 0 : pminN;
    const hiN = pmaxN <= 0 ? 0 : pmaxN;
    const loM = pminM >= 0 ? 0 : pminM;
    const hiM = pmaxM <= 0 ? 0 : pmaxM;
    const lon = Math.max(loN, -hiM) || 0;
    const hin = Math.min(hiN, -loM) || 0;
    lo[kn] = lon;
    hi[kn] = hin;
    lo[km] = hin === 0 ? 0 : -hin;
    hi[km] = lon === 0 ? 0 : -lon;
    if (pairs.sellFirst) costSell[kn] = pairs.sellFirst[i];
    if (pairs.buyFirst) costBuy[kn] = pairs.buyFirst[i];
    if (pairs.sellSecond) costSell[km] = pairs.sellSecond[i];
    if (pairs.buySecond) costBuy[km] = pairs.buySecond[i];
    tradeOfFirst[i] = kn;
    tradeOfSecond[i] = km;
  }
  return {
    arrays: {
      nAgents,
      a: agents.a,
      b: agents.b,
      pMin: agents.pMin,
      pMax: agents.pMax,
      tradeStart,
      partner,
      mirror,
      lo,
      hi,
      costSell,
      costBuy,
    },
    tradeOfFirst,
    tradeOfSecond,
  };
}

/** Whether two agents with these power bounds can ever trade (their trade bounds are not [0, 0]). */
export function canTrade(pMinN: number, pMaxN: number, pMinM: number, pMaxM: number): boolean {
  const [lo, hi] = tradeBounds(pMinN, pMaxN, pMinM, pMaxM);
  return lo < 0 || hi > 0;
}
