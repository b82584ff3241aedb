import type { AdmmResult, Status } from "@peermarket/admm";
import type { PairArrays } from "./pair-arrays.js";
import {
  type AgentResult,
  type ExpandedMarket,
  type Solution,
  type SolveStatus,
  StreamedRows,
  type Trade,
} from "@peermarket/model";

/** The API's name of an engine status. */
export function solveStatus(s: Status): SolveStatus {
  return `SOLVE_STATUS_${s}` as SolveStatus;
}

/**
 * The Solution message of a solve: per agent its power, marginal price, energy cost, trade
 * revenue, network charge and preference cost; every pair of the trading graph once (in the
 * expanded market's pair order) with its seller, buyer, power ≥ 0, price and network charge.
 * With `listTrades` false the trades are left out (`trades` empty, `pairCount` still every pair):
 * `TradeRows` gives them one at a time.
 */
export function buildSolution(x: ExpandedMarket, result: AdmmResult, unitFee: number, listTrades = true): Solution {
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
  const trades = listTrades ? new TradeRows(x, trade, price).toArray() : [];
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
    // Two directed trades per pair (or pair and period); the pair arrays need not be read.
    pairCount: x.arrays.partner.length / 2,
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

/**
 * The trades of a single-period solve, one per pair of the trading graph in the expanded market's
 * pair order, read from the engine's per-directed-trade arrays when asked: no object per pair
 * (about 120 bytes each) unless `toArray` is called. `buildSolution` lists the same trades.
 */
export class TradeRows {
  /** Pairs of the trading graph. */
  readonly length: number;
  private readonly scratch: Trade = {
    sellerId: "",
    buyerId: "",
    power: 0,
    price: 0,
    networkCharge: 0,
    period: 0,
  };

  /** The expansion's pair arrays, read when first needed (they may be rebuilt then). */
  private pairArrays: PairArrays | null = null;

  constructor(
    private readonly x: ExpandedMarket,
    /** The solve's trades and prices per directed trade (AdmmResult.solution). */
    private readonly trade: Float64Array,
    private readonly price: Float64Array,
  ) {
    // Two directed trades per pair.
    this.length = x.arrays.partner.length / 2;
  }

  private get pairs(): PairArrays {
    this.pairArrays ??= {
      pairFirst: this.x.pairFirst,
      pairSecond: this.x.pairSecond,
      tradeOfFirst: this.x.tradeOfFirst,
      tradeOfSecond: this.x.tradeOfSecond,
    };
    return this.pairArrays;
  }

  /** Pair q's power (≥ 0), without building its Trade. */
  power(q: number): number {
    return Math.abs(this.trade[this.pairs.tradeOfFirst[q]]);
  }

  /** Writes pair q's Trade into `out` and returns it. */
  fill(q: number, out: Trade): Trade {
    const x = this.x;
    const pairs = this.pairs;
    const kf = pairs.tradeOfFirst[q];
    const ks = pairs.tradeOfSecond[q];
    const t = this.trade[kf];
    // Orientation: the side that sells; for a pair not trading, the side that could sell.
    const firstSells = t > 0 || (t === 0 && x.arrays.hi[kf] > 0);
    const power = Math.abs(t);
    const sellerTrade = firstSells ? kf : ks;
    const buyerTrade = firstSells ? ks : kf;
    out.sellerId = x.agentIds[firstSells ? pairs.pairFirst[q] : pairs.pairSecond[q]];
    out.buyerId = x.agentIds[firstSells ? pairs.pairSecond[q] : pairs.pairFirst[q]];
    out.power = power;
    out.price = this.price[kf];
    out.networkCharge = power * (x.chargeSell[sellerTrade] + x.chargeBuy[buyerTrade]);
    out.period = 0;
    return out;
  }

  /** Pair q's Trade, a new object. */
  at(q: number): Trade {
    return this.fill(q, { sellerId: "", buyerId: "", power: 0, price: 0, networkCharge: 0, period: 0 });
  }

  /** Every pair's Trade, one object each (Solution.trades). */
  toArray(): Trade[] {
    const out = new Array<Trade>(this.length);
    for (let q = 0; q < this.length; q++) out[q] = this.at(q);
    return out;
  }

  /**
   * The trades as rows for the proto3 JSON writer (`writeProtoJsonText` with Solution.trades set
   * to them): every pair, or with `activeOnly` those that carry power (power > 0), in pair order.
   * One Trade object is filled for every row in turn.
   */
  rows(activeOnly = false): StreamedRows<Trade> {
    const scratch = this.scratch;
    if (!activeOnly) return new StreamedRows(this.length, (q) => this.fill(q, scratch));
    const active = this.activePairs();
    return new StreamedRows(active.length, (i) => this.fill(active[i], scratch));
  }

  /** The pairs that carry power (power > 0), in pair order. */
  activePairs(): Int32Array {
    let count = 0;
    for (let q = 0; q < this.length; q++) if (this.power(q) > 0) count++;
    const active = new Int32Array(count);
    for (let q = 0, i = 0; q < this.length; q++) if (this.power(q) > 0) active[i++] = q;
    return active;
  }
}
