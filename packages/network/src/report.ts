import type {
  AgentCharge,
  ExpandedMarket,
  LineFlow,
  NetworkChargeReport,
  NetworkCharges,
  PeriodCharges,
  TradeCharge,
} from "@peermarket/model";
import { checkFeeAndShare, DEFAULT_SELLER_SHARE } from "./charges.js";
import type { DcNetwork } from "./dc.js";
import { busInjections, lineFlows } from "./flows.js";
import { agentBusIndices } from "./placement.js";
import type { PtdfFactor } from "./ptdf.js";
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

/** Options of `chargeReportFromArrays`. */
export interface ReportOptions {
  /** Trades moving at most this power (MW) are left out as carrying none. Default 1e-6. */
  minPower?: number;
}

/**
 * The DSO view of a cleared market, from the expanded market and the solution's power arrays
 * (`@peermarket/market`'s `networkChargeReport` builds it from a Market and a Solution): the charge of every trade carrying power (split
 * seller / buyer with the seller share), per-agent charges and volumes, per-zone totals, zone-to-zone
 * flows, the total collected and, when a network and its PTDF are given, the DC line flows with
 * loadings against rateA. Charges are u · d · q with the distances the market was charged with.
 */
export function chargeReportFromArrays(
  x: ExpandedMarket,
  sol: ReportSolution,
  distances: PairDistances,
  net: DcNetwork | null,
  ptdf: Float64Array | PtdfFactor | null,
  charges: NetworkCharges,
  unitFee: number,
  options: ReportOptions = {},
): NetworkChargeReport {
  const share = charges.sellerShare ?? DEFAULT_SELLER_SHARE;
  checkFeeAndShare(unitFee, share);
  const nPairs = x.pairFirst.length;
  const nAgents = x.agentIds.length;
  if (sol.pairPower.length !== nPairs)
    throw new Error(`solution has ${sol.pairPower.length} pair powers, the market has ${nPairs} pairs`);
  if (distances.distance.length !== nPairs)
    throw new Error(`network distances have ${distances.distance.length} pairs, the market has ${nPairs}`);
  const minPower = options.minPower ?? 1e-6;
  const zone = distances.agentZone;

  const totals: ChargeTotals = {
    agents: x.agentIds.map((agentId, n) => ({ agentId, zone: zone[n], charge: 0, volumeSold: 0, volumeBought: 0 })),
    totalCollected: 0,
    tradedVolume: 0,
    interZoneVolume: 0,
  };
  const trades: TradeCharge[] = [];
  for (let p = 0; p < nPairs; p++) {
    const q = sol.pairPower[p];
    if (!(Math.abs(q) > minPower)) continue;
    trades.push(chargePair(x, distances, share, unitFee, p, q, 1, (n) => n, totals));
  }

  let lines: LineFlow[] = [];
  if (net && ptdf) {
    if (sol.agentPower.length !== nAgents)
      throw new Error(`solution has ${sol.agentPower.length} agent powers, the market has ${nAgents} agents`);
    lines = lineFlows(net, ptdf, busInjections(net, x, sol.agentPower));
  }
  return assembleReport(sol, distances, net, unitFee, share, trades, trades, totals, lines);
}

/** What the multi-period report needs of a cleared multi-period market (engine layout: agent n·T + t, pair q·T + t). */
export interface HorizonReportSolution {
  /** Per engine pair (ExpandedMarket order, pair q in period t at q·T + t): power from its first agent to its second (MW). */
  pairPower: Float64Array;
  /** Per engine agent (n·T + t): p_{n,t} (MW, > 0 sells). */
  agentPower: Float64Array;
  solutionId?: string;
  /** Per period: the unit fee charged (€/MWh). */
  periodFees: Float64Array;
  /** Per period: its start time (RFC 3339), or "". */
  startTimes?: readonly string[];
}

/**
 * The DSO view of a cleared multi-period market (docs/multi-period.md): the market of period t is
 * the single-period market of its period agents, charged u_t · d · q per MW for Δ hours. Reports
 * every (trade, period) carrying power (power in MW, charges in € over the period:
 * Δ · u_t · d · q), per-agent and per-zone totals over the horizon (€, MWh), the total collected
 * over the horizon and per period, and per line the DC flow of every period (PTDF · the bus
 * injections of period t), its peak loading over the horizon and the periods it is overloaded in.
 * A line's flow/loading/overloaded fields are those of its peak period (largest loading, or largest
 * |flow| when unrated; the first such period); `overloadedLines` lists the
 * lines overloaded in some period and `maxLoading` is the peak over lines and periods.
 */
export function horizonChargeReportFromArrays(
  x: ExpandedMarket,
  sol: HorizonReportSolution,
  distances: PairDistances,
  net: DcNetwork | null,
  ptdf: Float64Array | PtdfFactor | null,
  charges: NetworkCharges,
  unitFee: number,
  options: ReportOptions = {},
): NetworkChargeReport {
  const h = x.horizon;
  if (!h) throw new Error("horizonChargeReportFromArrays: the market has no horizon");
  const T = h.periods;
  const dt = h.periodHours;
  const share = charges.sellerShare ?? DEFAULT_SELLER_SHARE;
  checkFeeAndShare(unitFee, share);
  if (sol.periodFees.length !== T)
    throw new Error(`solution has ${sol.periodFees.length} period fees, the market has ${T} periods`);
  for (let t = 0; t < T; t++) checkFeeAndShare(sol.periodFees[t], share);
  const nPairs = x.pairFirst.length;
  const nEngine = x.agentIds.length;
  const N = h.agentCount;
  if (nEngine !== N * T)
    throw new Error(`the market has ${nEngine} period agents, expected ${N} agents × ${T} periods`);
  if (sol.pairPower.length !== nPairs)
    throw new Error(`solution has ${sol.pairPower.length} pair powers, the market has ${nPairs} pairs × periods`);
  if (distances.distance.length !== nPairs)
    throw new Error(`network distances have ${distances.distance.length} pairs, the market has ${nPairs}`);
  const minPower = options.minPower ?? 1e-6;
  const zone = distances.agentZone;
  const original = (engineAgent: number) => Math.floor(engineAgent / T);

  const totals: ChargeTotals = {
    agents: h.agentIds.map((agentId, n) => ({ agentId, zone: zone[n * T], charge: 0, volumeSold: 0, volumeBought: 0 })),
    totalCollected: 0,
    tradedVolume: 0,
    interZoneVolume: 0,
  };
  const trades: TradeCharge[] = [];
  const energyTrades: TradeCharge[] = [];
  const periodCharges: PeriodCharges[] = [];
  // Period by period, pair by pair (the order of the solution's trades): each period's totals,
  // then the horizon's sums of them.
  const pairsPerPeriod = nPairs / T;
  for (let t = 0; t < T; t++) {
    const period: ChargeTotals = { agents: totals.agents, totalCollected: 0, tradedVolume: 0, interZoneVolume: 0 };
    for (let q = 0; q < pairsPerPeriod; q++) {
      const e = q * T + t;
      const v = sol.pairPower[e];
      if (!(Math.abs(v) > minPower)) continue;
      const trade = chargePair(x, distances, share, sol.periodFees[t], e, v, dt, original, period);
      trade.period = t;
      trades.push(trade);
      energyTrades.push({ ...trade, power: dt * trade.power });
    }
    periodCharges.push({
      period: t,
      startTime: sol.startTimes?.[t] ?? "",
      unitFee: sol.periodFees[t],
      totalCollected: period.totalCollected,
      tradedEnergy: period.tradedVolume,
      interZoneEnergy: period.interZoneVolume,
      maxLoading: 0,
      overloadedLines: [],
    });
    totals.totalCollected += period.totalCollected;
    totals.tradedVolume += period.tradedVolume;
    totals.interZoneVolume += period.interZoneVolume;
  }

  let lines: LineFlow[] = [];
  if (net && ptdf) {
    if (sol.agentPower.length !== nEngine)
      throw new Error(`solution has ${sol.agentPower.length} agent powers, the market has ${nEngine} period agents`);
    const bus = agentBusIndices(x, net, true, "line flows need every agent on a bus");
    const inj = new Float64Array(net.nBus);
    for (let t = 0; t < T; t++) {
      inj.fill(0);
      for (let n = 0; n < N; n++) inj[bus[n * T + t]] += sol.agentPower[n * T + t];
      const flows = lineFlows(net, ptdf, inj);
      const pc = periodCharges[t];
      if (t === 0) {
        lines = flows.map((l) => ({ ...l, flowProfile: [], loadingProfile: [], peakPeriod: 0, overloadedPeriods: [] }));
      }
      for (let l = 0; l < flows.length; l++) {
        const f = flows[l];
        const line = lines[l];
        line.flowProfile!.push(f.flow);
        line.loadingProfile!.push(f.loading);
        if (f.overloaded) {
          line.overloadedPeriods!.push(t);
          pc.overloadedLines.push(l);
        }
        if (f.loading > pc.maxLoading) pc.maxLoading = f.loading;
        // The peak: the largest loading (the largest |flow| on an unrated line), the first such period.
        if (t > 0 && (line.rateA > 0 ? f.loading > line.loading : Math.abs(f.flow) > Math.abs(line.flow))) {
          line.flow = f.flow;
          line.loading = f.loading;
          line.peakPeriod = t;
        }
      }
    }
    for (const line of lines) line.overloaded = line.overloadedPeriods!.length > 0;
  }
  return {
    ...assembleReport(sol, distances, net, unitFee, share, trades, energyTrades, totals, lines),
    periods: T,
    periodHours: dt,
    periodCharges,
  };
}

/** Running totals of a report: per-agent charges and volumes, and what was collected and traded. */
interface ChargeTotals {
  agents: AgentCharge[];
  totalCollected: number;
  tradedVolume: number;
  interZoneVolume: number;
}

/**
 * The charge of one trade carrying `power` (MW) on engine pair e for `hours` hours at `fee`
 * (u · d · energy, split seller / buyer with the seller share), added to `totals` (volumes in
 * energy; `owner` maps an engine agent to its entry of `totals.agents`). Returns the trade charge
 * (power in MW) and its energy.
 */
function chargePair(
  x: ExpandedMarket,
  distances: PairDistances,
  share: number,
  fee: number,
  e: number,
  v: number,
  hours: number,
  owner: (engineAgent: number) => number,
  totals: ChargeTotals,
): TradeCharge {
  const zone = distances.agentZone;
  const seller = v > 0 ? x.pairFirst[e] : x.pairSecond[e];
  const buyer = v > 0 ? x.pairSecond[e] : x.pairFirst[e];
  const power = Math.abs(v);
  const energy = hours * power;
  const distance = distances.distance[e];
  const totalCharge = fee * distance * energy;
  const sellerCharge = share * totalCharge;
  const buyerCharge = totalCharge - sellerCharge;
  const s = totals.agents[owner(seller)];
  const b = totals.agents[owner(buyer)];
  s.charge += sellerCharge;
  s.volumeSold += energy;
  b.charge += buyerCharge;
  b.volumeBought += energy;
  totals.totalCollected += totalCharge;
  totals.tradedVolume += energy;
  if (zone[seller] !== zone[buyer]) totals.interZoneVolume += energy;
  return {
    sellerId: x.agentIds[seller],
    buyerId: x.agentIds[buyer],
    power,
    distance,
    sellerCharge,
    buyerCharge,
    totalCharge,
    sellerZone: zone[seller],
    buyerZone: zone[buyer],
    period: 0,
  };
}

/** The fields every report shares, from its trades (with volumes in energy for the zone totals), totals and line flows. */
function assembleReport(
  sol: { solutionId?: string },
  distances: PairDistances,
  net: DcNetwork | null,
  unitFee: number,
  share: number,
  trades: TradeCharge[],
  energyTrades: TradeCharge[],
  totals: ChargeTotals,
  lines: LineFlow[],
): NetworkChargeReport {
  const { zones, zoneFlows } = zoneTotals(totals.agents, energyTrades);
  return {
    solutionId: sol.solutionId ?? "",
    design: distances.design,
    unitFee,
    sellerShare: share,
    totalCollected: totals.totalCollected,
    tradedVolume: totals.tradedVolume,
    interZoneVolume: totals.interZoneVolume,
    trades,
    agents: totals.agents,
    zones,
    zoneFlows,
    lines,
    overloadedLines: lines.filter((l) => l.overloaded).map((l) => l.index),
    maxLoading: lines.reduce((m, l) => Math.max(m, l.loading), 0),
    networkName: net?.name ?? "",
    periods: 0,
    periodHours: 0,
    periodCharges: [],
  };
}
