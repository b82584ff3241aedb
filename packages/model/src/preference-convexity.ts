import { checkConvexity, nonConvexTrades } from "./convexity.js";
import type { ExpandedMarket } from "./expanded-types.js";
import { preferenceUnitCost, type PartnerView } from "./preference-cost.js";
import type { ValidationIssue } from "./validation-issues.js";

/**
 * The issues of preferences that make an agent's problem non-convex: for every two-way trade
 * with c⁺ + c⁻ < 0, the owner's preferences that put a negative cost on it, each reported once
 * at its `cost` (or `costPerKm`) path.
 */
export function preferenceConvexityIssues(
  x: ExpandedMarket,
  index: Map<string, number>,
  views: PartnerView[],
): ValidationIssue[] {
  const bad = nonConvexTrades(x);
  if (bad.length === 0) return [];
  const byOwner = new Map<number, number[]>();
  x.market.preferences.forEach((p, i) => {
    const n = index.get(p.agentId);
    if (n === undefined) return;
    const list = byOwner.get(n);
    if (list) list.push(i);
    else byOwner.set(n, [i]);
  });
  const reported = new Set<number>();
  const issues: ValidationIssue[] = [];
  for (const { agent, trade, sum } of bad) {
    const m = x.arrays.partner[trade];
    const culprits = (byOwner.get(agent) ?? []).filter((i) => {
      const c = preferenceUnitCost(x.market.preferences[i], views[agent], views[m]);
      return c !== null && c < 0;
    });
    for (const i of culprits) {
      if (reported.has(i)) continue;
      reported.add(i);
      const p = x.market.preferences[i];
      const field = p.cost < 0 || p.costPerKm >= 0 ? "cost" : "costPerKm";
      issues.push({
        path: `preferences[${i}].${field}`,
        message:
          `makes the trade of ${JSON.stringify(x.agentIds[agent])} with ${JSON.stringify(x.agentIds[m])} non-convex: ` +
          `c⁺ + c⁻ = ${sum} < 0 on a trade that can go both ways (a negative preference cost is allowed only on trades that go one way)`,
      });
    }
  }
  // A negative sum always has a negative contribution; this guards against a future cost part.
  return issues.length > 0 ? issues : checkConvexity(x);
}
