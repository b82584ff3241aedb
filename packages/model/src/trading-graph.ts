import { completeGraphTradingPairs, CAN_BUY, CAN_SELL, rolesCanTrade, type RoleCounts } from "./trade-roles.js";
import type { Market } from "./types.js";
import { GRID_EXPORT_ID, GRID_IMPORT_ID, type PairKeys } from "./validation-context.js";

/** The kept pairs of a trading graph, first < second, sorted lexicographically. */
export interface GraphPairs {
  first: Int32Array;
  second: Int32Array;
  /** Pairs of the graph left out because they can never trade. */
  dropped: number;
  /** Pairs with a grid agent that were listed explicitly (they are always in the graph). */
  redundantGridPairs: number;
}

/**
 * The pairs of a market's trading graph that can trade. `roles` holds the trade role of every
 * agent (market agents 0..nMarket-1, then the grid agents when `hasGrid`, at nMarket and
 * nMarket+1); every market agent is paired with both grid agents. The complete graph is built
 * directly in sorted order in typed arrays, sized by counting first.
 */
export function tradingGraphPairs(
  market: Market,
  roles: Uint8Array,
  nMarket: number,
  hasGrid: boolean,
  index: Map<string, number>,
  pairKeys: PairKeys | null = null,
): GraphPairs {
  if (market.tradingGraph !== "TRADING_GRAPH_EXPLICIT") return completePairs(roles, nMarket, hasGrid);
  return explicitPairs(pairKeys ?? resolvePairs(market, nMarket, hasGrid, index), roles, nMarket, hasGrid);
}

function completePairs(roles: Uint8Array, nMarket: number, hasGrid: boolean): GraphPairs {
  const counts: RoleCounts = { sellOnly: 0, buyOnly: 0, both: 0, none: 0 };
  for (let i = 0; i < nMarket; i++) {
    const r = roles[i];
    if (r === CAN_SELL) counts.sellOnly++;
    else if (r === CAN_BUY) counts.buyOnly++;
    else if (r === 0) counts.none++;
    else counts.both++;
  }
  let gridKept = 0;
  const gridAgents = hasGrid ? [nMarket, nMarket + 1] : [];
  for (const g of gridAgents) for (let i = 0; i < nMarket; i++) if (rolesCanTrade(roles[i], roles[g])) gridKept++;
  const kept = completeGraphTradingPairs(counts) + gridKept;
  const first = new Int32Array(kept);
  const second = new Int32Array(kept);
  let k = 0;
  for (let i = 0; i < nMarket; i++) {
    const ri = roles[i];
    if (ri === 0) continue;
    const sells = (ri & CAN_SELL) !== 0;
    const buys = (ri & CAN_BUY) !== 0;
    for (let j = i + 1; j < nMarket; j++) {
      const rj = roles[j];
      if ((sells && (rj & CAN_BUY) !== 0) || (buys && (rj & CAN_SELL) !== 0)) {
        first[k] = i;
        second[k] = j;
        k++;
      }
    }
    for (const g of gridAgents) {
      if (rolesCanTrade(ri, roles[g])) {
        first[k] = i;
        second[k] = g;
        k++;
      }
    }
  }
  const all = (nMarket * (nMarket - 1)) / 2 + gridAgents.length * nMarket;
  return { first, second, dropped: all - kept, redundantGridPairs: 0 };
}

/** The explicit pairs' keys (as checkPairs makes them) of a market already validated. */
function resolvePairs(market: Market, nMarket: number, hasGrid: boolean, index: Map<string, number>): PairKeys {
  const stride = nMarket + 2;
  const pairs = market.pairs;
  const keys = new Float64Array(pairs.length);
  let increasing = true;
  let last = -1;
  for (let i = 0; i < pairs.length; i++) {
    const a = agentIndex(pairs[i].agentId, nMarket, hasGrid, index);
    const b = agentIndex(pairs[i].partnerId, nMarket, hasGrid, index);
    if (a < 0 || b < 0 || a === b)
      throw new Error(`pairs[${i}] names an unknown agent or the same agent twice; validate the market first`);
    const k = a < b ? a * stride + b : b * stride + a;
    keys[i] = k;
    if (k <= last) increasing = false;
    last = k;
  }
  return { keys, stride, increasing };
}

function agentIndex(id: string, nMarket: number, hasGrid: boolean, index: Map<string, number>): number {
  const i = index.get(id);
  if (i !== undefined) return i;
  if (hasGrid && id === GRID_IMPORT_ID) return nMarket;
  if (hasGrid && id === GRID_EXPORT_ID) return nMarket + 1;
  return -1;
}

/**
 * The kept pairs of an explicit graph: the listed pairs and, with a grid, every market agent with
 * both grid agents, without repeats, sorted by (first, second), less those that can never trade.
 * When the listed keys are increasing they are merged with the (increasing) grid pairs in one
 * pass; otherwise all keys are sorted.
 */
function explicitPairs(pk: PairKeys, roles: Uint8Array, nMarket: number, hasGrid: boolean): GraphPairs {
  const { keys: listed, stride } = pk;
  const nListed = listed.length;
  const nGrid = hasGrid ? 2 * nMarket : 0;
  let redundantGridPairs = 0;
  for (let i = 0; i < nListed; i++)
    if (listed[i] - Math.floor(listed[i] / stride) * stride >= nMarket) redundantGridPairs++;
  // Grid pairs (i, nMarket) and (i, nMarket + 1): increasing in i.
  const gridKey = (j: number) => (j >> 1) * stride + nMarket + (j & 1);
  let keys: Float64Array;
  if (nGrid === 0) keys = pk.increasing ? listed : listed.slice().sort();
  else if (pk.increasing) {
    keys = new Float64Array(nListed + nGrid);
    let i = 0;
    let j = 0;
    let k = 0;
    while (i < nListed || j < nGrid) {
      if (j >= nGrid || (i < nListed && listed[i] <= gridKey(j))) keys[k++] = listed[i++];
      else keys[k++] = gridKey(j++);
    }
  } else {
    keys = new Float64Array(nListed + nGrid);
    keys.set(listed);
    for (let j = 0; j < nGrid; j++) keys[nListed + j] = gridKey(j);
    keys.sort();
  }
  let unique = 0;
  let kept = 0;
  const first = new Int32Array(keys.length);
  const second = new Int32Array(keys.length);
  for (let i = 0; i < keys.length; i++) {
    if (i > 0 && keys[i] === keys[i - 1]) continue;
    unique++;
    const a = Math.floor(keys[i] / stride);
    const b = keys[i] - a * stride;
    if (!rolesCanTrade(roles[a], roles[b])) continue;
    first[kept] = a;
    second[kept] = b;
    kept++;
  }
  return {
    first: kept === keys.length ? first : first.slice(0, kept),
    second: kept === keys.length ? second : second.slice(0, kept),
    dropped: unique - kept,
    redundantGridPairs,
  };
}
