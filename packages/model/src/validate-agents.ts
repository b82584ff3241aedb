import { checkNumber, GRID_EXPORT_ID, GRID_IMPORT_ID, type ValidationContext } from "./validation-context.js";

/**
 * Checks every agent: non-empty unique id (not a grid agent's id when a grid is set), numbers
 * not NaN, finite except powerMin = -Infinity and powerMax = +Infinity, costQuadratic ≥ 0,
 * powerMin ≤ powerMax, finite location. Fills ctx.index.
 */
export function checkAgents(ctx: ValidationContext): void {
  const { issues } = ctx;
  ctx.market.agents.forEach((a, i) => {
    if (issues.full) return;
    const p = `agents[${i}]`;
    if (typeof a.id !== "string" || a.id === "") issues.add(`${p}.id`, "must not be empty");
    else {
      const first = ctx.index.get(a.id);
      if (first !== undefined)
        issues.add(`${p}.id`, `duplicate id ${JSON.stringify(a.id)} (first used by agents[${first}])`);
      else ctx.index.set(a.id, i);
      if (ctx.hasGrid && (a.id === GRID_IMPORT_ID || a.id === GRID_EXPORT_ID)) {
        issues.add(`${p}.id`, `${JSON.stringify(a.id)} is the id of a grid agent when a grid is set; rename the agent`);
      }
    }
    if (checkNumber(ctx, `${p}.costQuadratic`, a.costQuadratic) && a.costQuadratic < 0) {
      issues.add(`${p}.costQuadratic`, `must be ≥ 0 (a convex cost), got ${a.costQuadratic}`);
    }
    checkNumber(ctx, `${p}.costLinear`, a.costLinear);
    const minOk = checkNumber(ctx, `${p}.powerMin`, a.powerMin, { negInf: true });
    const maxOk = checkNumber(ctx, `${p}.powerMax`, a.powerMax, { posInf: true });
    if (minOk && maxOk && a.powerMin > a.powerMax) {
      issues.add(`${p}.powerMin`, `must not exceed powerMax (${a.powerMin} > ${a.powerMax})`);
    }
    if (a.location) {
      checkNumber(ctx, `${p}.location.xKm`, a.location.xKm);
      checkNumber(ctx, `${p}.location.yKm`, a.location.yKm);
    }
  });
}
