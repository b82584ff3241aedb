import type { ExpandedMarket } from "./expanded-types.js";
import { MAX_ISSUES, type ValidationIssue } from "./validation-issues.js";

/**
 * Sets the engine's trade costs from their two parts: costSell = prefSell + chargeSell and
 * costBuy = prefBuy + chargeBuy, for every directed trade.
 */
export function combineCosts(x: ExpandedMarket): void {
  const { costSell, costBuy } = x.arrays;
  const { prefSell, prefBuy, chargeSell, chargeBuy } = x;
  for (let k = 0; k < costSell.length; k++) {
    costSell[k] = prefSell[k] + chargeSell[k];
    costBuy[k] = prefBuy[k] + chargeBuy[k];
  }
}

/** A directed trade k of agent n whose costs make n's problem non-convex. */
export interface NonConvexTrade {
  agent: number;
  trade: number;
  /** c⁺ + c⁻ of the trade (< 0). */
  sum: number;
}

/**
 * The two-way trades (lo < 0 < hi) with c⁺ + c⁻ < 0, where c = preference part + charge part
 * (docs/market-model.md, "Convexity": a negative per-unit cost is a premium, allowed only on trades that go one way).
 * At most `limit` of them.
 */
export function nonConvexTrades(x: ExpandedMarket, limit = MAX_ISSUES): NonConvexTrade[] {
  const { lo, hi, tradeStart } = x.arrays;
  const { prefSell, prefBuy, chargeSell, chargeBuy } = x;
  const out: NonConvexTrade[] = [];
  for (let n = 0; n < x.arrays.nAgents && out.length < limit; n++) {
    for (let k = tradeStart[n]; k < tradeStart[n + 1]; k++) {
      if (!(lo[k] < 0 && hi[k] > 0)) continue;
      const sum = prefSell[k] + chargeSell[k] + (prefBuy[k] + chargeBuy[k]);
      if (sum < 0) {
        out.push({ agent: n, trade: k, sum });
        if (out.length >= limit) break;
      }
    }
  }
  return out;
}

/** Where agent n is declared: `agents[3]`, or `grid` for the grid agents. */
export function agentPath(x: ExpandedMarket, n: number): string {
  // Multi-period markets: engine agent n·T + t is agent n in period t.
  const i = x.horizon ? Math.floor(n / x.horizon.periods) : n;
  return i < x.market.agents.length ? `agents[${i}]` : "grid";
}

/**
 * Checks that every agent's problem is convex with the current preference and charge parts of
 * the trade costs (run it again after adding charges). One issue per offending trade, at most
 * MAX_ISSUES; empty when convex.
 */
export function checkConvexity(x: ExpandedMarket): ValidationIssue[] {
  return nonConvexTrades(x).map(({ agent, trade, sum }) => ({
    path: agentPath(x, agent),
    message:
      `the trade of ${JSON.stringify(x.agentIds[agent])} with ${JSON.stringify(x.agentIds[x.arrays.partner[trade]])} has c⁺ + c⁻ = ${sum} < 0 ` +
      "and can go both ways: the agent's problem is not convex (negative per-unit costs are allowed only on one-way trades)",
  }));
}
