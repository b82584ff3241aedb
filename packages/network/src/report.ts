import type { AgentCharge, ExpandedMarket, LineFlow, NetworkChargeReport, NetworkCharges, TradeCharge } from "@peermarket/model";
import { checkFeeAndShare, DEFAULT_SELLER_SHARE } from "./charges.js";
import type { DcNetwork } from "./dc.js";
import { busInjections, lineFlows } from "./flows.js";
import type { PairDistances } from "./pair-distances.js";
import { zoneTotals } from "./zone-totals.js";

/** What the report needs of a cleared market. */
export interface ReportSolution {
  /** Per kept pair (ExpandedMarket order): power from its first agent to its second (signed, MW). */
  pairPower: Float64Array;
  /** Per agent: p_n (MW, > 0 sells). */
  agentPower: Float64Array;
  /** Identifier of the stored solution, echoed in the report. */
  solutionId?: string;
}

/**
 * Per kept pair, the power from its first agent to its second, read from per-directed-trade values
 * (e.g. the engine's `SolutionArrays.trade`, where trade[k] = p_nm).
 */
export function pairPowers(x: ExpandedMarket, trade: Float64Array): Float64Array {
  if (trade.length !== x.arrays.partner.length) {
    throw new Error(`solution has ${trade.length} directed trades, the market has ${x.arrays.partner.length}`);
  }
  return Float64Array.from(x.tradeOfFirst, (k) => trade[k]);
}

/** Options of `networkChargeReport`. */
export interface ReportOptions {
  /** Trades moving at most this power (MW) are left out as carrying none. Default 1e-6. */
  minPower?: number;
}

/**
 * The DSO view of a cleared market (DESIGN §3): the charge of every trade carrying power (split
 * seller / buyer with the seller share), per-agent charges and volumes, per-zone totals, zone-to-zone
 * flows, the total collected and, when a network and its PTDF are given, the DC line flows with
 * loadings against rateA. Charges are u · d · q with the distances the market was charged with.
 */
export function networkChargeReport(
  x: ExpandedMarket,
  sol: ReportSolution,
  distances: PairDistances,
  net: DcNetwork | null,
  ptdf: Float64Array | null,
  charges: NetworkCharges,
  unitFee: number,
  options: ReportOptions = {},
): NetworkChargeReport {
  const share = charges.sellerShare ?? DEFAULT_SELLER_SHARE;
  checkFeeAndShare(unitFee, share);
  const nPairs = x.pairFirst.length;
  const nAgents = x.agentIds.length;
  if (sol.pairPower.length !== nPairs) throw new Error(`solution has ${sol.pairPower.length} pair powers, the market has ${nPairs} pairs`);
  if (distances.distance.length !== nPairs) throw new Error(`network distances have ${distances.distance.length} pairs, the market has ${nPairs}`);
  const minPower = options.minPower ?? 1e-6;
  const zone = distances.agentZone;

  const agents: AgentCharge[] = x.agentIds.map((agentId, n) => ({ agentId, zone: zone[n], charge: 0, volumeSold: 0, volumeBought: 0 }));
  const trades: TradeCharge[] = [];
  let totalCollected = 0;
  let tradedVolume = 0;
  let interZoneVolume = 0;
  for (let p = 0; p < nPairs; p++) {
    const q = sol.pairPower[p];
    if (!(Math.abs(q) > minPower)) continue;
    const seller = q > 0 ? x.pairFirst[p] : x.pairSecond[p];
    const buyer = q > 0 ? x.pairSecond[p] : x.pairFirst[p];
    const power = Math.abs(q);
    const distance = distances.distance[p];
    const totalCharge = unitFee * distance * power;
    const sellerCharge = share * totalCharge;
    const buyerCharge = totalCharge - sellerCharge;
    trades.push({
      sellerId: x.agentIds[seller],
      buyerId: x.agentIds[buyer],
      power,
      distance,
      sellerCharge,
      buyerCharge,
      totalCharge,
      sellerZone: zone[seller],
      buyerZone: zone[buyer],
    });
    agents[seller].charge += sellerCharge;
    agents[seller].volumeSold += power;
    agents[buyer].charge += buyerCharge;
    agents[buyer].volumeBought += power;
    totalCollected += totalCharge;
    tradedVolume += power;
    if (zone[seller] !== zone[buyer]) interZoneVolume += power;
  }

  let lines: LineFlow[] = [];
  if (net && ptdf) {
    if (sol.agentPower.length !== nAgents) throw new Error(`solution has ${sol.agentPower.length} agent powers, the market has ${nAgents} agents`);
    lines = lineFlows(net, ptdf, busInjections(net, x, sol.agentPower));
  }
  const { zones, zoneFlows } = zoneTotals(agents, trades);
  return {
    solutionId: sol.solutionId ?? "",
    design: distances.design,
    unitFee,
    sellerShare: share,
    totalCollected,
    tradedVolume,
    interZoneVolume,
    trades,
    agents,
    zones,
    zoneFlows,
    lines,
    overloadedLines: lines.filter((l) => l.overloaded).map((l) => l.index),
    maxLoading: lines.reduce((m, l) => Math.max(m, l.loading), 0),
    networkName: net?.name ?? "",
  };
}
