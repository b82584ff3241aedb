import type { Solution } from "@peermarket/model";
import { fmt, statusText, table } from "./format.js";

/** An OSQP-style summary of a solve. */
export function statusBlock(s: Solution): string {
  const lines = [
    `status:               ${statusText(s.status)}`,
    ...(s.statusMessage ? [`                      ${s.statusMessage}`] : []),
    `number of iterations: ${s.iterations}`,
    `optimal objective:    ${s.objective.toFixed(4)}`,
    `primal residual:      ${s.primalResidual.toExponential(2)}`,
    `dual residual:        ${s.dualResidual.toExponential(2)}`,
    `rho:                  ${s.rho.toPrecision(4)} (${s.rhoUpdates} updates)`,
    `setup / solve time:   ${s.setupTimeS.toExponential(2)}s / ${s.solveTimeS.toExponential(2)}s`,
  ];
  if (s.unitFee !== 0 || s.networkRevenue !== 0) lines.push(`network charges:      ${fmt(s.networkRevenue, 2)} collected at unit fee ${fmt(s.unitFee, 4)}`);
  if (s.costRecovery) {
    const c = s.costRecovery;
    lines.push(
      c.reachable
        ? `cost recovery:        target ${fmt(c.targetRevenue, 2)} reached at unit fee ${fmt(s.unitFee, 4)} (${c.solves} clearings)`
        : `cost recovery:        target ${fmt(c.targetRevenue, 2)} OUT OF REACH; at most ${fmt(c.maxRevenue, 2)} at unit fee ${fmt(c.feeAtMaxRevenue, 4)} (${c.solves} clearings)`,
    );
  }
  if (s.verification) {
    const v = s.verification;
    lines.push(
      v.referenceSolver
        ? `reference (${v.referenceSolver}): objective ${v.referenceObjective.toFixed(4)}, gap ${v.objectiveGap.toExponential(2)}, max power difference ${v.maxPowerDifference.toExponential(2)}`
        : `reference:            not computed${v.referenceMessage ? ` (${v.referenceMessage})` : ""}`,
      `certificate:          ${v.certificatePassed ? "passed" : "FAILED"} — reciprocity ${v.maxReciprocityViolation.toExponential(2)}, bounds ${v.maxBoundViolation.toExponential(2)}, prices ${v.maxPriceViolation.toExponential(2)}${v.worstAgentId ? ` (worst: ${v.worstAgentId})` : ""}`,
    );
  }
  return lines.join("\n") + "\n";
}

/** The agents table. */
export function agentsTable(s: Solution): string {
  return table(
    ["agent", "power", "marginal price", "energy cost", "trade revenue", "network charge", "preference cost"],
    s.agents.map((a) => [a.id, a.power, a.marginalPrice, a.energyCost, a.tradeRevenue, a.networkCharge, a.preferenceCost]),
  );
}

/** Trades that carry power, largest first, and the price range. */
export function tradesTable(s: Solution, minPower = 1e-6, limit = Infinity): string {
  const active = s.trades.filter((t) => t.power > minPower).sort((x, y) => y.power - x.power);
  const shown = active.slice(0, limit);
  let out = table(
    ["seller", "buyer", "power", "price", "network charge"],
    shown.map((t) => [t.sellerId, t.buyerId, t.power, t.price, t.networkCharge]),
  );
  if (shown.length < active.length) out += `… and ${active.length - shown.length} more trades\n`;
  if (active.length > 0) {
    const prices = active.map((t) => t.price);
    const volume = active.reduce((v, t) => v + t.power, 0);
    out += `${active.length} of ${s.trades.length} pairs trade ${fmt(volume, 2)} in total; prices from ${fmt(Math.min(...prices), 4)} to ${fmt(Math.max(...prices), 4)}\n`;
  } else out += `no pair trades (${s.trades.length} pairs)\n`;
  return out;
}
