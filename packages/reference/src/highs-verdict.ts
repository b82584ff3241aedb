import { checkBoundedness, checkFeasibility, type MarketArrays } from "@peermarket/admm";

/** HiGHS model status codes that are verdicts about the market itself. */
export const INFEASIBLE = 8;
export const INFEASIBLE_OR_UNBOUNDED = 9;
export const UNBOUNDED = 10;

/**
 * Whether HiGHS's verdict `code` (infeasible, unbounded, or either) is confirmed by the engine's own
 * exact pre-checks: `checkFeasibility` (one maximum flow, exact) and `checkBoundedness` (a
 * shortest-path search over the trades without limits; with finite trade bounds the feasible set
 * is compact, so the optimum is bounded). HiGHS's QP solver has answered "Unbounded" for large
 * communities whose every trade is bounded: such a verdict is not trusted. A boundedness check
 * that was skipped (too many unlimited agents) cannot confirm "Unbounded" either: unsure, not
 * confirmed. Other codes are not verdicts: returns true.
 */
export function verdictConfirmed(m: MarketArrays, code: number): boolean {
  if (code !== INFEASIBLE && code !== UNBOUNDED && code !== INFEASIBLE_OR_UNBOUNDED) return true;
  const infeasible = !checkFeasibility(m).feasible;
  if (code === INFEASIBLE) return infeasible;
  const unbounded = hasUnlimitedTrades(m) && !checkBoundedness(m).bounded;
  if (code === UNBOUNDED) return unbounded;
  return infeasible || unbounded;
}

function hasUnlimitedTrades(m: MarketArrays): boolean {
  for (let k = 0; k < m.lo.length; k++) if (m.lo[k] === -Infinity || m.hi[k] === Infinity) return true;
  return false;
}
