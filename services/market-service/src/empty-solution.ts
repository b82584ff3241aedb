import type { Solution } from "@peermarket/model";

/**
 * A stored Solution that carries no result: a status and why, and nothing solved (no iterations,
 * agents or trades) — a solve interrupted by a restart, or one whose time ran out during set-up.
 */
export function solutionWithoutResult(
  fields: Pick<Solution, "id" | "status" | "statusMessage" | "marketName" | "createTime" | "setupTimeS">,
): Solution {
  return {
    iterations: 0,
    primalResidual: 0,
    dualResidual: 0,
    objective: 0,
    solveTimeS: 0,
    agents: [],
    trades: [],
    networkRevenue: 0,
    unitFee: 0,
    rho: 0,
    rhoUpdates: 0,
    verification: null,
    costRecovery: null,
    pairCount: 0,
    periods: 0,
    periodHours: 0,
    pairPeriodCount: 0,
    periodResults: [],
    tradesTruncated: false,
    polished: false,
    polishIteration: 0,
    statusPolish: 0,
    polishTries: 0,
    polishTimeS: 0,
    ...fields,
  };
}
