import { completeGraphTradingPairs, CAN_BUY, CAN_SELL, rolesCanTrade, type RoleCounts } from "./trade-roles.js";
import type { Market } from "./types.js";
import { GRID_EXPORT_ID, GRID_IMPORT_ID } from "./validation-context.js";

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
): GraphPairs {
  return market.tradingGraph === "TRADING_GRAPH_EXPLICIT"
    ? explicitPairs(market, roles, nMarket, hasGrid, index)
    : completePairs(roles, nMarket, hasGrid);
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

function explicitPairs(
  market: Market,
  roles: Uint8Array,
  nMarket: number,
  hasGrid: boolean,
  index: Map<string, number>,
): GraphPairs {
  const nAll = roles.length;
  const gridIndex = (id: string) =>
    hasGrid && id === GRID_IMPORT_ID ? nMarket : hasGrid && id === GRID_EXPORT_ID ? nMarket + 1 : -1;
  const nGridPairs = hasGrid ? 2 * nMarket : 0;
  const keys = new Float64Array(market.pairs.length + nGridPairs);
  let redundantGridPairs = 0;
  market.pairs.forEach((p, i) => {
    const a = index.get(p.agentId) ?? gridIndex(p.agentId);
    const b = index.get(p.partnerId) ?? gridIndex(p.partnerId);
    if (a < 0 || b < 0 || a === b)
      throw new Error(`pairs[${i}] names an unknown agent or the same agent twice; validate the market first`);
    if (a >= nMarket || b >= nMarket) redundantGridPairs++;
    keys[i] = Math.min(a, b) * nAll + Math.max(a, b);
  });
  for (let i = 0; i < nGridPairs; i++) keys[market.pairs.length + i] = (i >> 1) * nAll + nMarket + (i & 1);
  keys.sort();
  let unique = 0;
  let kept = 0;
  const first = new Int32Array(keys.length);
  const second = new Int32Array(keys.length);
  for (let i = 0; i < keys.length; i++) {
    if (i > 0 && keys[i] === keys[i - 1]) continue;
    unique++;
    const a = Math.floor(keys[i] / nAll);
    const b = keys[i] - a * nAll;
    if (!rolesCanTrade(roles[a], roles[b])) continue;
    first[kept] = a;
    second[kept] = b;
    kept++;
  }
  return { first: first.slice(0, kept), second: second.slice(0, kept), dropped: unique - kept, redundantGridPairs };
}
