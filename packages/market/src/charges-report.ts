import { expandMarket, type Market, type MarketLimits, type NetworkChargeReport, type Solution } from "@peermarket/model";
import { networkChargeReport as buildReport } from "@peermarket/network";
import { asMarketError, networkContext } from "./network-context.js";

/**
 * The DSO view of a solution of `market` (DESIGN §3): per-trade and per-agent charges, zone totals,
 * inter-zone volumes, the total collected, and the DC line flows of the dispatch with their
 * loadings, when the market has a network. The solution must be one of this market (its trades in
 * the market's pair order, as `solveMarket` writes them).
 */
export function networkChargeReport(market: Market, solution: Solution, options: { limits?: MarketLimits } = {}): NetworkChargeReport {
  const x = expandMarket(market, { limits: options.limits });
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
    else throw new Error(`solution trade ${q} (${t.sellerId} → ${t.buyerId}) is not the market's pair ${first}–${second}`);
  }
  const agentPower = Float64Array.from(solution.agents, (a) => a.power);
  const fee = network.charging ? solution.unitFee : 0;
  return asMarketError("charges", () =>
    buildReport(x, { pairPower, agentPower, solutionId: solution.id }, network.distances, network.net, network.ptdf(), network.charges, fee),
  );
}
