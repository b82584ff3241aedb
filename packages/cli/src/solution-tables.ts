import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { toCsv } from "@peermarket/charts";
import type { Solution } from "@peermarket/model";
import { fmt, statusText, table } from "./format.js";

/** An OSQP-style summary of a solve. */
export function statusBlock(s: Solution): string {
  const lines = [
    `status:               ${statusText(s.status)}`,
    ...(s.statusMessage ? [`                      ${s.statusMessage}`] : []),
    `number of iterations: ${s.iterations}`,
    `${objectiveLabel(s.status)}${s.objective.toFixed(4)}`,
    `primal residual:      ${s.primalResidual.toExponential(2)}`,
    `dual residual:        ${s.dualResidual.toExponential(2)}`,
    `rho:                  ${s.rho.toPrecision(4)} (${s.rhoUpdates} updates)`,
    `setup / solve time:   ${s.setupTimeS.toExponential(2)}s / ${s.solveTimeS.toExponential(2)}s`,
  ];
  const tries =
    s.polishTries > 0
      ? `; ${s.polishTries} ${s.polishTries === 1 ? "try" : "tries"}, ${s.polishTimeS.toExponential(2)}s`
      : "";
  if (s.statusPolish === 1)
    lines.push(`solution polishing:   successful (the exact optimum, at iteration ${s.polishIteration}${tries})`);
  else if (s.statusPolish === -1)
    lines.push(`solution polishing:   unsuccessful (the ADMM iterate is reported${tries})`);
  if (s.unitFee !== 0 || s.networkRevenue !== 0)
    lines.push(`network charges:      ${fmt(s.networkRevenue, 2)} collected at unit fee ${fmt(s.unitFee, 4)}`);
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
      v.maxRegret !== undefined && v.maxRegret !== null && (s.periods ?? 0) > 0
        ? `certificate:          ${v.certificatePassed ? "passed" : "FAILED"} — reciprocity ${v.maxReciprocityViolation.toExponential(2)}, bounds ${v.maxBoundViolation.toExponential(2)}, SoC ${(v.maxSocViolation ?? 0).toExponential(2)} MWh, largest regret ${v.maxRegret.toExponential(2)} €${v.worstRegretAgentId ? ` (${v.worstRegretAgentId})` : ""}`
        : `certificate:          ${v.certificatePassed ? "passed" : "FAILED"} — reciprocity ${v.maxReciprocityViolation.toExponential(2)}, bounds ${v.maxBoundViolation.toExponential(2)}, prices ${v.maxPriceViolation.toExponential(2)}${v.worstAgentId ? ` (worst: ${v.worstAgentId})` : ""}`,
    );
  }
  return lines.join("\n") + "\n";
}

/** The label of the objective line: "optimal" only for a solved market. */
export function objectiveLabel(status: string): string {
  if (status === "SOLVE_STATUS_SOLVED") return "optimal objective:    ";
  if (status === "SOLVE_STATUS_SOLVED_INACCURATE") return "objective (inaccurate): ";
  return "objective (not converged): ";
}

/** The agents table (power > 0 sells, < 0 buys; MW and €/MWh, or the market's own units). */
export function agentsTable(s: Solution): string {
  return table(
    [
      "agent",
      "power MW",
      "marginal price €/MWh",
      "energy cost €/h",
      "trade revenue €/h",
      "network charge €/h",
      "preference cost €/h",
    ],
    s.agents.map((a) => [
      a.id,
      a.power,
      a.marginalPrice,
      a.energyCost,
      a.tradeRevenue,
      a.networkCharge,
      a.preferenceCost,
    ]),
  );
}

/** Trades that carry power, largest first, and the price range. */
export function tradesTable(s: Solution, minPower = 1e-6, limit = Infinity): string {
  const active = s.trades.filter((t) => t.power > minPower).sort((x, y) => y.power - x.power);
  const shown = active.slice(0, limit);
  let out = table(
    ["seller", "buyer", "power MW", "price €/MWh", "network charge €/h"],
    shown.map((t) => [t.sellerId, t.buyerId, t.power, t.price, t.networkCharge]),
  );
  if (shown.length < active.length) out += `… and ${active.length - shown.length} more trades\n`;
  if (active.length > 0) {
    // A loop, not Math.min(...prices): a spread of hundreds of thousands of trades overflows the stack.
    let volume = 0;
    let low = Infinity;
    let high = -Infinity;
    for (const t of active) {
      volume += t.power;
      if (t.price < low) low = t.price;
      if (t.price > high) high = t.price;
    }
    out += `${active.length} of ${s.trades.length} pairs trade ${fmt(volume, 2)} MW in total; prices from ${fmt(low, 4)} to ${fmt(high, 4)} €/MWh\n`;
  } else out += `no pair trades (${s.trades.length} pairs)\n`;
  return out;
}

/**
 * Writes DIR/agents.csv and DIR/trades.csv: every agent and every pair of the trading graph (also
 * those that do not trade), the units in the column names (MW and €/MWh, or the market's own).
 */
export function writeSolutionCsv(dir: string, s: Solution): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, "agents.csv"),
    toCsv(
      s.agents.map((a) => ({
        agent_id: a.id,
        power_MW: a.power,
        marginal_price_EUR_per_MWh: a.marginalPrice,
        energy_cost_EUR_per_h: a.energyCost,
        trade_revenue_EUR_per_h: a.tradeRevenue,
        network_charge_EUR_per_h: a.networkCharge,
        preference_cost_EUR_per_h: a.preferenceCost,
      })),
      [
        "agent_id",
        "power_MW",
        "marginal_price_EUR_per_MWh",
        "energy_cost_EUR_per_h",
        "trade_revenue_EUR_per_h",
        "network_charge_EUR_per_h",
        "preference_cost_EUR_per_h",
      ],
    ),
  );
  writeFileSync(
    join(dir, "trades.csv"),
    toCsv(
      s.trades.map((t) => ({
        seller_id: t.sellerId,
        buyer_id: t.buyerId,
        power_MW: t.power,
        price_EUR_per_MWh: t.price,
        network_charge_EUR_per_h: t.networkCharge,
      })),
      ["seller_id", "buyer_id", "power_MW", "price_EUR_per_MWh", "network_charge_EUR_per_h"],
    ),
  );
}
