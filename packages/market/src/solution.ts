import type { AdmmResult, Status } from "@peermarket/admm";
import type { AgentResult, ExpandedMarket, Solution, SolveStatus, Trade } from "@peermarket/model";

/** The API's name of an engine status. */
export function solveStatus(s: Status): SolveStatus {
  return `SOLVE_STATUS_${s}` as SolveStatus;
}

/**
 * The Solution message of a solve: per agent its power, marginal price, energy cost, trade
 * revenue, network charge and preference cost; every pair of the trading graph once (in the
 * expanded market's pair order) with its seller, buyer, power ≥ 0, price and network charge.
 */
export function buildSolution(x: ExpandedMarket, result: AdmmResult, unitFee: number): Solution {
  const { info, solution } = result;
  const m = x.arrays;
  const { agentPower, trade, price } = solution;
  const agents: AgentResult[] = new Array(m.nAgents);
  let networkRevenue = 0;
  for (let n = 0; n < m.nAgents; n++) {
    const p = agentPower[n];
    let revenue = 0;
    let charge = 0;
    let pref = 0;
    for (let k = m.tradeStart[n]; k < m.tradeStart[n + 1]; k++) {
      const t = trade[k];
      revenue += price[k] * t;
      if (t > 0) {
        charge += x.chargeSell[k] * t;
        pref += x.prefSell[k] * t;
      } else if (t < 0) {
        charge -= x.chargeBuy[k] * t;
        pref -= x.prefBuy[k] * t;
      }
    }
    networkRevenue += charge;
    agents[n] = {
      id: x.agentIds[n],
      power: p,
      marginalPrice: m.a[n] * p + m.b[n],
      energyCost: 0.5 * m.a[n] * p * p + m.b[n] * p,
      tradeRevenue: revenue,
      networkCharge: charge,
      preferenceCost: pref,
      powerProfile: [],
      ownPowerProfile: [],
      chargeProfile: [],
      dischargeProfile: [],
      socProfile: [],
      marginalPriceProfile: [],
      storageCost: 0,
      simultaneousChargeDischarge: false,
    };
  }
  const nPairs = x.pairFirst.length;
  const trades: Trade[] = new Array(nPairs);
  for (let q = 0; q < nPairs; q++) {
    const kf = x.tradeOfFirst[q];
    const ks = x.tradeOfSecond[q];
    const t = trade[kf];
    // Orientation: the side that sells; for a pair not trading, the side that could sell.
    const firstSells = t > 0 || (t === 0 && m.hi[kf] > 0);
    const power = Math.abs(t);
    const sellerTrade = firstSells ? kf : ks;
    const buyerTrade = firstSells ? ks : kf;
    trades[q] = {
      sellerId: x.agentIds[firstSells ? x.pairFirst[q] : x.pairSecond[q]],
      buyerId: x.agentIds[firstSells ? x.pairSecond[q] : x.pairFirst[q]],
      power,
      price: price[kf],
      networkCharge: power * (x.chargeSell[sellerTrade] + x.chargeBuy[buyerTrade]),
      period: 0,
    };
  }
  return {
    ...solutionFrame(x, info, unitFee),
    agents,
    trades,
    networkRevenue,
    polished: info.polished,
    polishIteration: info.polishIteration,
    statusPolish: info.statusPolish,
  };
}

/**
 * The fields of a Solution that come from the engine's info and the market alone (status,
 * residuals, objective, ρ, times, names, counts), with no agents, trades or revenue.
 */
export function solutionFrame(x: ExpandedMarket, info: AdmmResult["info"], unitFee: number): Solution {
  return {
    id: "",
    status: solveStatus(info.status),
    iterations: info.iterations,
    primalResidual: info.primalResidual,
    dualResidual: info.dualResidual,
    objective: info.objective,
    solveTimeS: info.solveTime,
    agents: [],
    trades: [],
    networkRevenue: 0,
    unitFee,
    rho: info.rho,
    rhoUpdates: info.rhoUpdates,
    statusMessage: info.statusMessage,
    setupTimeS: info.setupTime,
    marketName: x.market.name,
    createTime: new Date().toISOString(),
    verification: null,
    costRecovery: null,
    pairCount: x.pairFirst.length,
    periods: 0,
    periodHours: 0,
    pairPeriodCount: 0,
    periodResults: [],
    tradesTruncated: false,
    polished: false,
    polishIteration: 0,
    statusPolish: 0,
  };
}
