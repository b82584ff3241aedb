import type { MatpowerCase } from "./matpower-types.js";
import type { Market } from "./types.js";
import { checkAgents } from "./validate-agents.js";
import { checkPairs, checkSize } from "./validate-graph.js";
import { checkPreferences } from "./validate-preferences.js";
import { checkCharges, checkGrid, checkNetwork } from "./validate-settings.js";
import { checkHorizon } from "./validate-horizon.js";
import type { PairKeys, ValidationContext } from "./validation-context.js";
import { defaultLimits, IssueList, type MarketLimits, type ValidationIssue } from "./validation-issues.js";

export {
  defaultLimits,
  MarketValidationError,
  MAX_ISSUES,
  type MarketLimits,
  type ValidationIssue,
} from "./validation-issues.js";
export { GRID_EXPORT_ID, GRID_IMPORT_ID } from "./validation-context.js";

/**
 * Checks a market (proto3 defaults filled in, as parseMarketJson and proto-loader give it) and
 * returns every issue found, at most MAX_ISSUES, each with its proto3 JSON field path: agents
 * (ids, numbers, bounds, costs), size against `limits`, trading graph and pairs, preferences,
 * grid, network charges, and the network (parsed, with the buses agents name). Empty when valid.
 * Convexity with preferences needs the expansion and is checked by expandMarket.
 */
export function validateMarket(market: Market, limits: MarketLimits = defaultLimits): ValidationIssue[] {
  return validateMarketDetailed(market, limits).issues;
}

/**
 * validateMarket, also returning the network case it parsed (null when none or invalid) and the
 * explicit pairs resolved to agent indices (null without explicit pairs), for the expansion.
 */
export function validateMarketDetailed(
  market: Market,
  limits: MarketLimits = defaultLimits,
): { issues: ValidationIssue[]; networkCase: MatpowerCase | null; pairKeys: PairKeys | null } {
  const ctx: ValidationContext = {
    market,
    issues: new IssueList(),
    index: new Map(),
    hasGrid: market.grid !== undefined && market.grid !== null,
  };
  checkAgents(ctx);
  if (checkSize(ctx, limits)) checkPairs(ctx);
  checkPreferences(ctx);
  checkGrid(ctx);
  checkCharges(ctx);
  checkHorizon(ctx, limits);
  const networkCase = checkNetwork(ctx);
  return { issues: ctx.issues.list, networkCase, pairKeys: ctx.pairKeys ?? null };
}
