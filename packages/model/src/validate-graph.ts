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
 * One pass over the pairs with no allocation per pair: each is resolved to its agent indices and
 * keyed as min·(n+2) + max (n market agents; the grid agents are n and n+1); duplicates are
 * looked for only when the keys are not strictly increasing (a list written in order needs no
 * sort). The keys are kept in ctx.pairKeys for the expansion.
 */
export function checkPairs(ctx: ValidationContext): void {
  const { market, issues } = ctx;
  const pairs = market.pairs;
  if (pairs.length === 0) return;
  if (market.tradingGraph !== "TRADING_GRAPH_EXPLICIT") {
    issues.add(
      "pairs",
      `${pairs.length} pairs are given but tradingGraph is ${market.tradingGraph}; pairs are only used with TRADING_GRAPH_EXPLICIT`,
    );
    return;
  }
  const n = market.agents.length;
  const stride = n + 2;
  const index = ctx.index;
  const grid = ctx.hasGrid;
  const keys = new Float64Array(pairs.length);
  let increasing = true;
  let last = -1;
  // Lists are usually grouped by agentId: the previous lookup is reused.
  let prevId = "";
  let prevIndex = -1;
  for (let i = 0; i < pairs.length; i++) {
    const pair = pairs[i];
    const ida = pair.agentId;
    const idb = pair.partnerId;
    let a: number;
    if (ida === prevId && prevIndex >= 0) a = prevIndex;
    else {
      a = index.get(ida) ?? -1;
      if (a < 0 && grid) a = ida === GRID_IMPORT_ID ? n : ida === GRID_EXPORT_ID ? n + 1 : -1;
      prevId = ida;
      prevIndex = a;
    }
    let b = index.get(idb) ?? -1;
    if (b < 0 && grid) b = idb === GRID_IMPORT_ID ? n : idb === GRID_EXPORT_ID ? n + 1 : -1;
    if (a < 0 || b < 0 || ida === idb || (a >= n && b >= n)) {
      if (issues.full) return;
      pairIssue(ctx, i);
      keys[i] = -1;
      increasing = false;
      continue;
    }
    const k = a < b ? a * stride + b : b * stride + a;
    keys[i] = k;
    if (k <= last) increasing = false;
    last = k;
  }
  if (!increasing) reportDuplicatePairs(ctx, keys);
  ctx.pairKeys = { keys, stride, increasing };
}

/** The issue of a pair that names an unknown agent, the same agent twice, or both grid agents. */
function pairIssue(ctx: ValidationContext, i: number): void {
  const { issues } = ctx;
  const pair = ctx.market.pairs[i];
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
  issues.add(p, "the grid agents do not trade with each other");
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
