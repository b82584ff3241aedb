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
    polishTries: info.polishTries,
    polishTimeS: info.polishTime,
  };
}

/**
 * The trades of a solve, read from the engine's per-directed-trade arrays when asked: no object
 * per trade (about 120 bytes each) unless `toArray` is called. Single-period: one row per pair of
 * the trading graph, in the expanded market's pair order, as `buildSolution` lists them.
 * Multi-period: the (pair, period) entries that carry power, period by period (every pair when
 * there is one period), as `buildHorizonSolution` lists them, with their period and their
 * network charge over the period's hours.
 */
export class TradeRows {
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
  /** Periods (1: a single-period market) and their length in hours (money per row: × hours). */
  private readonly T: number;
  private readonly hours: number;
  /** Multi-period: the (pair, period) entries q·T + t that carry power, in row order (found when first needed). */
  private listed: Int32Array | null = null;

  constructor(
    private readonly x: ExpandedMarket,
    /** The solve's trades and prices per directed trade (AdmmResult.solution). */
    private readonly trade: Float64Array,
    private readonly price: Float64Array,
  ) {
    this.T = x.horizon ? x.horizon.periods : 1;
    this.hours = x.horizon ? x.horizon.periodHours : 1;
  }

  /** Rows: pairs of the trading graph, or (T > 1) the (pair, period) entries that carry power. */
  get length(): number {
    return this.T > 1 ? this.entries().length : this.x.arrays.partner.length / 2;
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

  /** The (pair, period) entries e = q·T + t with a non-zero trade, period by period, then pair. */
  private entries(): Int32Array {
    if (this.listed !== null) return this.listed;
    const T = this.T;
    const nPairs = this.x.horizon!.pairCount;
    const first = this.pairs.tradeOfFirst;
    let count = 0;
    for (let e = 0; e < first.length; e++) if (this.trade[first[e]] !== 0) count++;
    const out = new Int32Array(count);
    let i = 0;
    for (let t = 0; t < T; t++)
      for (let q = 0; q < nPairs; q++) {
        const e = q * T + t;
        if (this.trade[first[e]] !== 0) out[i++] = e;
      }
    this.listed = out;
    return out;
  }

  /** Row q's power (≥ 0), without building its Trade. */
  power(q: number): number {
    const e = this.T > 1 ? this.entries()[q] : q;
    return Math.abs(this.trade[this.pairs.tradeOfFirst[e]]);
  }

  /** Writes row q's Trade into `out` and returns it. */
  fill(q: number, out: Trade): Trade {
    const x = this.x;
    const pairs = this.pairs;
    const T = this.T;
    const e = T > 1 ? this.entries()[q] : q;
    const kf = pairs.tradeOfFirst[e];
    const ks = pairs.tradeOfSecond[e];
    const t = this.trade[kf];
    // Orientation: the side that sells; for a pair not trading, the side that could sell.
    const firstSells = t > 0 || (t === 0 && x.arrays.hi[kf] > 0);
    const power = Math.abs(t);
    const sellerTrade = firstSells ? kf : ks;
    const buyerTrade = firstSells ? ks : kf;
    out.sellerId = x.agentIds[firstSells ? pairs.pairFirst[e] : pairs.pairSecond[e]];
    out.buyerId = x.agentIds[firstSells ? pairs.pairSecond[e] : pairs.pairFirst[e]];
    out.power = power;
    out.price = this.price[kf];
    const charge = x.chargeSell[sellerTrade] + x.chargeBuy[buyerTrade];
    out.networkCharge = x.horizon ? this.hours * power * charge : power * charge;
    out.period = T > 1 ? e % T : 0;
    return out;
  }

  /** Pair q's Trade, a new object. */
  at(q: number): Trade {
    return this.fill(q, { sellerId: "", buyerId: "", power: 0, price: 0, networkCharge: 0, period: 0 });
  }

  /** Every row's Trade, one object each (Solution.trades). */
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
    // Multi-period rows carry power already.
    if (!activeOnly || this.T > 1) return new StreamedRows(this.length, (q) => this.fill(q, scratch));
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
