import { completeGraphTradingPairs, countRoles, tradeRole, CAN_BUY, CAN_SELL } from "./trade-roles.js";
import { GRID_EXPORT_ID, GRID_IMPORT_ID, isKnownAgent, type ValidationContext } from "./validation-context.js";
import type { MarketLimits } from "./validation-issues.js";

/**
 * Checks the market's size against the limits: the number of agents, and the pairs that can
 * trade (for a complete graph counted arithmetically from the agents' roles, never enumerated).
 * Returns false when over a limit (the pair checks are then skipped).
 */
export function checkSize(ctx: ValidationContext, limits: MarketLimits): boolean {
  const { market, issues } = ctx;
  if (!checkTradingGraph(ctx)) return false;
  const n = market.agents.length;
  if (n > limits.maxAgents) {
    issues.add("agents", `${n} agents, over the limit of ${limits.maxAgents}`);
    return false;
  }
  const gridPairs = ctx.hasGrid ? gridPairCount(ctx) : 0;
  if (market.tradingGraph === "TRADING_GRAPH_EXPLICIT") {
    const pairs = market.pairs.length + gridPairs;
    if (pairs > limits.maxPairs) {
      issues.add(
        "pairs",
        `${pairs} pairs${gridPairs > 0 ? ` (with ${gridPairs} grid pairs)` : ""}, over the limit of ${limits.maxPairs}`,
      );
      return false;
    }
    return true;
  }
  const roles = countRoles(
    market.agents.map((a) => a.powerMin),
    market.agents.map((a) => a.powerMax),
  );
  const pairs = completeGraphTradingPairs(roles) + gridPairs;
  if (pairs > limits.maxPairs) {
    issues.add(
      "tradingGraph",
      `a complete trading graph of ${n} agents has ${pairs} pairs that can trade, over the limit of ${limits.maxPairs}; ` +
        "use TRADING_GRAPH_EXPLICIT and list the pairs that may trade",
    );
    return false;
  }
  return true;
}

/** The values of peermarket.v1.TradingGraph (UNSPECIFIED means complete). */
export const TRADING_GRAPHS: readonly string[] = [
  "TRADING_GRAPH_UNSPECIFIED",
  "TRADING_GRAPH_COMPLETE",
  "TRADING_GRAPH_EXPLICIT",
];

/**
 * Checks that tradingGraph is a value of the enum: a decoder hands an unknown value over as its
 * number (proto3 keeps unknown enum values), which must not be read as a complete graph.
 */
export function checkTradingGraph(ctx: ValidationContext): boolean {
  const g: unknown = ctx.market.tradingGraph;
  if (g === undefined || g === null || TRADING_GRAPHS.includes(g as string)) return true;
  ctx.issues.add("tradingGraph", `unknown value ${JSON.stringify(g)} (expected ${TRADING_GRAPHS.join(", ")})`);
  return false;
}

/** Pairs between the grid agents and the market's agents that can trade. */
function gridPairCount(ctx: ValidationContext): number {
  const grid = ctx.market.grid;
  if (!grid) return 0;
  let canBuy = 0;
  let canSell = 0;
  for (const a of ctx.market.agents) {
    const r = tradeRole(a.powerMin, a.powerMax);
    if (r & CAN_BUY) canBuy++;
    if (r & CAN_SELL) canSell++;
  }
  const importOpen = grid.importMax === undefined || grid.importMax === null || grid.importMax > 0;
  const exportOpen = grid.exportMax === undefined || grid.exportMax === null || grid.exportMax > 0;
  return (importOpen ? canBuy : 0) + (exportOpen ? canSell : 0);
}

/**
 * Checks the explicit pairs: only with TRADING_GRAPH_EXPLICIT, known agents (grid agents allowed
 * when a grid is set, but not with each other), no self-pairs, no duplicates in either orientation.
 */
export function checkPairs(ctx: ValidationContext): void {
  const { market, issues } = ctx;
  if (market.pairs.length === 0) return;
  if (market.tradingGraph !== "TRADING_GRAPH_EXPLICIT") {
    issues.add(
      "pairs",
      `${market.pairs.length} pairs are given but tradingGraph is ${market.tradingGraph}; pairs are only used with TRADING_GRAPH_EXPLICIT`,
    );
    return;
  }
  const n = market.agents.length;
  const gridIndex = (id: string) => (id === GRID_IMPORT_ID ? n : id === GRID_EXPORT_ID ? n + 1 : -1);
  const indexOf = (id: string) => ctx.index.get(id) ?? gridIndex(id);
  const keys = new Float64Array(market.pairs.length).fill(-1);
  market.pairs.forEach((pair, i) => {
    if (issues.full) return;
    const p = `pairs[${i}]`;
    let ok = true;
    for (const [field, id] of [
      ["agentId", pair.agentId],
      ["partnerId", pair.partnerId],
    ] as const) {
      if (id === "") {
        issues.add(`${p}.${field}`, "must name an agent");
        ok = false;
      } else if (!isKnownAgent(ctx, id)) {
        issues.add(`${p}.${field}`, `unknown agent ${JSON.stringify(id)}`);
        ok = false;
      }
    }
    if (!ok) return;
    if (pair.agentId === pair.partnerId) {
      issues.add(`${p}.partnerId`, `an agent cannot trade with itself (${JSON.stringify(pair.agentId)})`);
      return;
    }
    const a = indexOf(pair.agentId);
    const b = indexOf(pair.partnerId);
    if (a >= n && b >= n) {
      issues.add(p, "the grid agents do not trade with each other");
      return;
    }
    keys[i] = Math.min(a, b) * (n + 2) + Math.max(a, b);
  });
  reportDuplicatePairs(ctx, keys);
}

/** Reports pairs whose key (the unordered pair of agent indices) repeats an earlier one. */
function reportDuplicatePairs(ctx: ValidationContext, keys: Float64Array): void {
  const sorted = keys.slice().sort();
  const repeated = new Set<number>();
  for (let i = 1; i < sorted.length; i++) if (sorted[i] >= 0 && sorted[i] === sorted[i - 1]) repeated.add(sorted[i]);
  if (repeated.size === 0) return;
  const first = new Map<number, number>();
  const pairs = ctx.market.pairs;
  keys.forEach((k, i) => {
    if (!repeated.has(k)) return;
    const j = first.get(k);
    if (j === undefined) first.set(k, i);
    else
      ctx.issues.add(
        `pairs[${i}]`,
        `duplicate of pairs[${j}] (${pairs[j].agentId}–${pairs[j].partnerId}); a pair may trade both ways and is listed once`,
      );
  });
}
