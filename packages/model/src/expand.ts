import { buildMarketArrays } from "@peermarket/admm";
import type { ExpandedMarket } from "./expanded-types.js";
import { preferenceConvexityIssues } from "./preference-convexity.js";
import { foldPreferences, partnerViews } from "./preferences-fold.js";
import { tradeRole } from "./trade-roles.js";
import { tradingGraphPairs } from "./trading-graph.js";
import type { Market } from "./types.js";
import { validateMarketDetailed } from "./validate.js";
import { expandHorizonMarket } from "./expand-horizon.js";
import { isMultiPeriod } from "./horizon-profiles.js";
import { GRID_EXPORT_ID, GRID_IMPORT_ID, type PairKeys } from "./validation-context.js";
import { defaultLimits, MarketValidationError, type MarketLimits } from "./validation-issues.js";

/** Options of expandMarket. */
export interface ExpandOptions {
  /** Size limits (default `defaultLimits`). */
  limits?: MarketLimits;
  /**
   * Put the engine's arrays (agents, CSR structure, trade bounds and costs) on SharedArrayBuffers
   * when the market has at least this many directed trades (default SHARE_ABOVE_TRADES; Infinity:
   * never), so that a multi-threaded solver uses them as they are instead of copying them.
   */
  shareAbove?: number;
}

/**
 * From this many directed trades the expansion puts the engine's arrays on SharedArrayBuffers
 * (the size from which a solve may run on several threads): a multi-threaded solver then shares
 * them with its threads instead of copying them, 24 to 40 bytes per directed trade.
 */
export const SHARE_ABOVE_TRADES = 20_000;

/** What expandValidated may reuse or must know beyond the market. */
export interface ExpandExtras {
  /** The explicit pairs as validation resolved them (validateMarketDetailed); null: resolved again. */
  pairKeys?: PairKeys | null;
  /** See ExpandOptions.shareAbove. */
  shareAbove?: number;
}

/**
 * Validates a market and expands it into the engine's arrays. Agents keep their input order;
 * with a grid, "grid_import" (a = 0, b = importPrice, p ∈ [0, importMax]) and "grid_export"
 * (a = 0, b = exportPrice, p ∈ [-exportMax, 0]) follow, at grid.bus, paired with every other
 * agent. The trading graph (complete, or the explicit pairs) keeps the pairs that can trade,
 * first < second, sorted. Preferences are folded into prefSell/prefBuy (charges start at 0) and
 * the trade costs set as combineCosts would. Throws MarketValidationError for an invalid market, or when a
 * preference makes an agent's problem non-convex (naming the preference). A multi-period market
 * (a horizon, a storage or a profile) is expanded into period agents by `expandHorizonMarket`
 * (docs/multi-period.md).
 */
export function expandMarket(market: Market, options: ExpandOptions = {}): ExpandedMarket {
  const limits = options.limits ?? defaultLimits;
  const { issues, networkCase, pairKeys } = validateMarketDetailed(market, limits);
  if (issues.length > 0) throw new MarketValidationError(issues);
  if (isMultiPeriod(market)) return expandHorizonMarket(market, networkCase, limits);
  return expandValidated(market, networkCase, null, { pairKeys, shareAbove: options.shareAbove });
}

/**
 * The expansion of a validated market. `bounds`, when given, replaces the agents' power bounds
 * (market agents, then the grid agents) for the trading graph and the trade bounds: the envelope
 * of a multi-period market's bounds over its periods.
 */
export function expandValidated(
  market: Market,
  networkCase: ExpandedMarket["networkCase"],
  bounds: { pMin: Float64Array; pMax: Float64Array } | null,
  extras: ExpandExtras = {},
): ExpandedMarket {
  const nMarket = market.agents.length;
  const grid = market.grid ?? null;
  const nAll = nMarket + (grid ? 2 : 0);
  const a = new Float64Array(nAll);
  const b = new Float64Array(nAll);
  const pMin = new Float64Array(nAll);
  const pMax = new Float64Array(nAll);
  const agentIds = new Array<string>(nAll);
  const agentBus = new Array<string>(nAll);
  const agentZone = new Array<string>(nAll);
  const index = new Map<string, number>();
  market.agents.forEach((ag, i) => {
    a[i] = ag.costQuadratic;
    b[i] = ag.costLinear;
    pMin[i] = ag.powerMin;
    pMax[i] = ag.powerMax;
    agentIds[i] = ag.id;
    agentBus[i] = ag.bus;
    agentZone[i] = ag.zone;
    index.set(ag.id, i);
  });
  if (grid) {
    const gi = nMarket;
    const ge = nMarket + 1;
    b[gi] = grid.importPrice;
    pMax[gi] = grid.importMax ?? Infinity;
    b[ge] = grid.exportPrice;
    pMin[ge] = grid.exportMax === 0 ? 0 : -(grid.exportMax ?? Infinity);
    agentIds[gi] = GRID_IMPORT_ID;
    agentIds[ge] = GRID_EXPORT_ID;
    agentBus[gi] = agentBus[ge] = grid.bus;
    agentZone[gi] = agentZone[ge] = "";
    index.set(GRID_IMPORT_ID, gi);
    index.set(GRID_EXPORT_ID, ge);
  }
  if (bounds) {
    pMin.set(bounds.pMin);
    pMax.set(bounds.pMax);
  }
  const roles = new Uint8Array(nAll);
  for (let i = 0; i < nAll; i++) roles[i] = tradeRole(pMin[i], pMax[i]);

  const graph = tradingGraphPairs(market, roles, nMarket, grid !== null, index, extras.pairKeys ?? null);
  const shared = 2 * graph.first.length >= (extras.shareAbove ?? SHARE_ABOVE_TRADES);
  const agents = shared
    ? { a: sharedCopy(a), b: sharedCopy(b), pMin: sharedCopy(pMin), pMax: sharedCopy(pMax) }
    : { a, b, pMin, pMax };
  const built = buildMarketArrays(agents, { first: graph.first, second: graph.second }, { shared });
  const nTrades = built.arrays.partner.length;
  const notes: string[] = [];
  if (graph.dropped > 0) {
    notes.push(
      `${graph.dropped} pairs of the trading graph can never trade (both only sell, both only buy, or an agent fixed at 0) and were left out`,
    );
  }
  if (graph.redundantGridPairs > 0) {
    notes.push(
      `${graph.redundantGridPairs} explicit pairs with a grid agent were already in the graph: the grid agents trade with every agent`,
    );
  }
  const x: ExpandedMarket = {
    market,
    agentIds,
    agentBus,
    agentZone,
    gridImport: grid ? nMarket : -1,
    gridExport: grid ? nMarket + 1 : -1,
    arrays: built.arrays,
    prefSell: new Float64Array(nTrades),
    prefBuy: new Float64Array(nTrades),
    chargeSell: new Float64Array(nTrades),
    chargeBuy: new Float64Array(nTrades),
    pairFirst: graph.first,
    pairSecond: graph.second,
    tradeOfFirst: built.tradeOfFirst,
    tradeOfSecond: built.tradeOfSecond,
    droppedPairs: graph.dropped,
    notes,
    networkCase,
  };
  if (market.preferences.length > 0) {
    const views = partnerViews(x);
    foldPreferences(x, index, views);
    const nonConvex = preferenceConvexityIssues(x, index, views);
    if (nonConvex.length > 0) throw new MarketValidationError(nonConvex);
    // combineCosts with the charge parts still zero: costs = preference parts.
    x.arrays.costSell.set(x.prefSell);
    x.arrays.costBuy.set(x.prefBuy);
  }
  return x;
}

/** A copy of an array on a SharedArrayBuffer. */
function sharedCopy(v: Float64Array): Float64Array {
  const c = new Float64Array(new SharedArrayBuffer(v.byteLength));
  c.set(v);
  return c;
}
