import {
  type ExpandedMarket,
  expandMarket,
  type Market,
  type MarketLimits,
  type NetworkChargeReport,
  type Solution,
} from "@peermarket/model";
import { chargeReportFromArrays, horizonChargeReportFromArrays } from "@peermarket/network";
import { periodStartTime } from "./horizon-solution.js";
import { horizonSolutionArrays } from "./horizon-stored.js";
import { asMarketError, networkContext } from "./network-context.js";

/**
 * The DSO view of a solution of `market`: per-trade and per-agent
 * charges, zone totals, inter-zone volumes, the total collected, and the DC line flows of the
 * dispatch with their loadings, when the market has a network. The solution must be one of this
 * market (its trades in the market's pair order, as `solveMarket` writes them).
 *
 * Multi-period markets (docs/multi-period.md): the charges of every (trade, period) that carries
 * power, totals per period and over the horizon (€, volumes in MWh), and per line its DC flow in
 * every period with its peak loading (see `horizonChargeReportFromArrays`). The solution's trades are the
 * (pair, period) entries it lists (absent ones carry no power), its agents' power profiles the
 * injections of each period.
 */
export function networkChargeReport(
  market: Market,
  solution: Solution,
  options: { limits?: MarketLimits } = {},
): NetworkChargeReport {
  const x = expandMarket(market, { limits: options.limits });
  if (x.horizon) return horizonReport(x, solution);
  const network = networkContext(x);
  const nPairs = x.pairFirst.length;
  if (solution.trades.length !== nPairs || solution.agents.length !== x.agentIds.length) {
    throw new Error(
      `solution ${solution.id || ""} has ${solution.agents.length} agents and ${solution.trades.length} trades, ` +
        `the market has ${x.agentIds.length} agents and ${nPairs} pairs`,
    );
  }
  const pairPower = new Float64Array(nPairs);
  for (let q = 0; q < nPairs; q++) {
    const t = solution.trades[q];
    const first = x.agentIds[x.pairFirst[q]];
    const second = x.agentIds[x.pairSecond[q]];
    if (t.sellerId === first && t.buyerId === second) pairPower[q] = t.power;
    else if (t.sellerId === second && t.buyerId === first) pairPower[q] = -t.power;
    else
      throw new Error(`solution trade ${q} (${t.sellerId} → ${t.buyerId}) is not the market's pair ${first}–${second}`);
  }
  const agentPower = Float64Array.from(solution.agents, (a) => a.power);
  const fee = network.charging ? solution.unitFee : 0;
  return asMarketError("charges", () =>
    chargeReportFromArrays(
      x,
      { pairPower, agentPower, solutionId: solution.id },
      network.distances,
      network.net,
      network.ptdf(),
      network.charges,
      fee,
    ),
  );
}

/** The report of a multi-period solution: its trades and power profiles in the engine's layout. */
function horizonReport(x: ExpandedMarket, solution: Solution): NetworkChargeReport {
  const h = x.horizon!;
  const T = h.periods;
  const network = networkContext(x);
  const { pairPower, agentPower } = horizonSolutionArrays(x, solution);
  const fees = new Float64Array(T);
  const fee = network.charging ? solution.unitFee : 0;
  for (let t = 0; t < T; t++) fees[t] = network.charging ? (h.unitFeeProfile ? h.unitFeeProfile[t] : fee) : 0;
  const startTimes = Array.from({ length: T }, (_, t) => periodStartTime(h.startTime, t * h.periodHours));
  return asMarketError("charges", () =>
    horizonChargeReportFromArrays(
      x,
      { pairPower, agentPower, solutionId: solution.id, periodFees: fees, startTimes },
      network.distances,
      network.net,
      network.ptdf(),
      network.charges,
      fee,
    ),
  );
}
