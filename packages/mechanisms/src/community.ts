import type { HorizonArrays, MarketArrays } from "@peermarket/admm";
import type { ExpandedMarket } from "@peermarket/model";
import { minOwnCost } from "@peermarket/reference";
import type { Schedule, Settlement } from "./schedule.js";
import { averagePrices } from "./schedule.js";

/**
 * A cleared market seen as a community (docs/mechanisms.md): its members (every
 * agent but the two grid agents), the engine's arrays with the network charges applied, and the
 * cleared trades and prices.
 */
export interface Community {
  /** The engine's arrays (costSell/costBuy = preference + network-charge parts). */
  arrays: MarketArrays;
  /** Agent index → id. */
  ids: string[];
  /**
   * The market's agents of the members, in market order. With T periods the engine's agent of
   * member i in period t is `members[i]·T + t` (period agents); T = 1 is the plain layout.
   */
  members: Int32Array;
  /** The market's agents of the grid (−1 when absent); in period t, `gridImport·T + t`. */
  gridImport: number;
  gridExport: number;
  /** Number of periods T (1 for a single-period market). */
  periods: number;
  /** Per directed trade: the cleared p_nm and λ_nm. */
  trade: Float64Array;
  price: Float64Array;
  /** Per directed trade: the preference and network-charge parts of c⁺ and c⁻. */
  prefSell: Float64Array;
  prefBuy: Float64Array;
  chargeSell: Float64Array;
  chargeBuy: Float64Array;
  /** Period length Δ, hours (1 for a single-period market). */
  periodHours: number;
  /**
   * A market with storage: the engine's horizon (storage columns; null without storage) and the
   * cleared charge c_t and discharge d_t per engine agent (0 for agents without storage).
   */
  horizon: HorizonArrays | null;
  charge: Float64Array | null;
  discharge: Float64Array | null;
  /**
   * Grid only of the members with storage (by position in `members`; null for the others), solved
   * beforehand by `prepareStorageGridOnly` (exact: HiGHS on the member alone with the grid).
   */
  storageGridOnly: (GridOnly | null)[] | null;
}

/** The storage index of member position `i` (−1 without storage). */
export function memberStorage(c: Community, i: number): number {
  return c.horizon ? c.horizon.storageOf[c.members[i] * c.periods] : -1;
}

/** The engine's agent of market agent `n` in period `t`. */
export function periodAgent(c: Community, n: number, t: number): number {
  return n * c.periods + t;
}

/**
 * The community of a cleared market (a SolveOutcome's expanded market and engine solution). A
 * multi-period market is taken period agent by period agent; with storage, `charge` and
 * `discharge` (per engine agent, the solution's) give the batteries' schedule, and grid only of
 * the storage members must be prepared (`prepareStorageGridOnly`) before `gridOnly` is called.
 */
export function communityOf(
  x: ExpandedMarket,
  trade: Float64Array,
  price: Float64Array,
  charge?: Float64Array | null,
  discharge?: Float64Array | null,
): Community {
  const h = x.horizon;
  const T = h ? h.periods : 1;
  const withStorage = !!h && h.arrays.storage.count > 0;
  if (withStorage && (!charge || !discharge))
    throw new RangeError("communityOf: a market with storage needs the solution's charge and discharge");
  const nMarket = x.arrays.nAgents / T;
  const gi = x.gridImport >= 0 ? x.gridImport / T : -1;
  const ge = x.gridExport >= 0 ? x.gridExport / T : -1;
  const members: number[] = [];
  for (let n = 0; n < nMarket; n++) if (n !== gi && n !== ge) members.push(n);
  return {
    arrays: x.arrays,
    ids: h ? h.agentIds : x.agentIds,
    members: Int32Array.from(members),
    gridImport: gi,
    gridExport: ge,
    periods: T,
    trade,
    price,
    prefSell: x.prefSell,
    prefBuy: x.prefBuy,
    chargeSell: x.chargeSell,
    chargeBuy: x.chargeBuy,
    periodHours: h ? h.periodHours : 1,
    horizon: withStorage ? h.arrays : null,
    charge: withStorage ? charge! : null,
    discharge: withStorage ? discharge! : null,
    storageGridOnly: null,
  };
}

/** Whether engine agent `a` (a period agent) is one of the grid's. */
function isGridAgent(c: Community, a: number): boolean {
  const n = Math.floor(a / c.periods);
  return n === c.gridImport || n === c.gridExport;
}

/** The schedule of the cleared market: T periods of Δ h, the grid's prices from its two agents' linear costs. */
export function scheduleOf(c: Community): Schedule {
  const m = c.arrays;
  const T = c.periods;
  if (c.gridImport < 0 || c.gridExport < 0)
    throw new RangeError(
      "comparing pricing rules needs a grid (the members' outside option): add `grid` to the market",
    );
  const power = new Float64Array(c.members.length * T);
  c.members.forEach((n, i) => {
    for (let t = 0; t < T; t++) {
      const a = periodAgent(c, n, t);
      let p = 0;
      for (let k = m.tradeStart[a]; k < m.tradeStart[a + 1]; k++) p += c.trade[k];
      power[i * T + t] = p;
    }
  });
  return {
    members: Array.from(c.members, (n) => c.ids[n]),
    periods: T,
    periodHours: c.periodHours,
    power,
    importPrice: Float64Array.from({ length: T }, (_, t) => m.b[periodAgent(c, c.gridImport, t)]),
    exportPrice: Float64Array.from({ length: T }, (_, t) => m.b[periodAgent(c, c.gridExport, t)]),
  };
}

/** One member's costs that are the same under every rule: energy cost and trade costs of the schedule, €. */
export interface MemberCosts {
  /** Δ·f_n(p_n). */
  energyCost: number;
  /** Network charges of its trades: its own shares, plus the grid's shares on its trades with the grid. */
  networkCharges: number;
  /** Preference costs of its trades (and the grid's on its trades with the grid, if any). */
  preferenceCost: number;
}

function sideCost(sell: number, buy: number, p: number): number {
  return p > 0 ? sell * p : p < 0 ? -buy * p : 0;
}

/** Energy and trade costs per member (over the periods) for trades `trade` (per directed trade). */
export function memberCosts(c: Community, trade: Float64Array = c.trade): MemberCosts[] {
  return Array.from(c.members, (n) => memberCostsOf(c, n, trade, c.charge, c.discharge));
}

/**
 * A member's costs at trades `trade`; with storage, `charge`/`discharge` (per engine agent) give
 * its own power g = p − d + c and the throughput cost θ·(c + d), both in the energy cost.
 */
export function memberCostsOf(
  c: Community,
  n: number,
  trade: Float64Array,
  charge: Float64Array | null = null,
  discharge: Float64Array | null = null,
): MemberCosts {
  const m = c.arrays;
  const dt = c.periodHours;
  const q = c.horizon && charge && discharge ? c.horizon.storageOf[n * c.periods] : -1;
  let energy = 0;
  let charges = 0;
  let prefs = 0;
  for (let t = 0; t < c.periods; t++) {
    const a = periodAgent(c, n, t);
    let p = 0;
    for (let k = m.tradeStart[a]; k < m.tradeStart[a + 1]; k++) {
      const q = trade[k];
      p += q;
      charges += sideCost(c.chargeSell[k], c.chargeBuy[k], q);
      prefs += sideCost(c.prefSell[k], c.prefBuy[k], q);
      if (isGridAgent(c, m.partner[k])) {
        const j = m.mirror[k];
        charges += sideCost(c.chargeSell[j], c.chargeBuy[j], -q);
        prefs += sideCost(c.prefSell[j], c.prefBuy[j], -q);
      }
    }
    if (q >= 0) {
      const cc = charge![a];
      const dd = discharge![a];
      p += cc - dd;
      energy += c.horizon!.storage.throughputCost[q] * (cc + dd);
    }
    energy += 0.5 * m.a[a] * p * p + m.b[a] * p;
  }
  return { energyCost: dt * energy, networkCharges: dt * charges, preferenceCost: dt * prefs };
}

/**
 * The bilateral settlement: member-to-member trades at their cleared prices λ_nm, trades with the
 * grid at the grid's tariff (import price λ⁺, export price λ⁻; the grid's share of the trade costs
 * is in the member's trade costs, as under every rule). docs/mechanisms.md, "Bilateral".
 */
export function bilateralSettlement(c: Community, s: Schedule): Settlement {
  const m = c.arrays;
  const dt = c.periodHours;
  const T = c.periods;
  const payment = new Float64Array(c.members.length * T);
  const grid = new Float64Array(T);
  c.members.forEach((n, i) => {
    for (let t = 0; t < T; t++) {
      const a = periodAgent(c, n, t);
      let pay = 0;
      for (let k = m.tradeStart[a]; k < m.tradeStart[a + 1]; k++) {
        const partner = m.partner[k];
        if (isGridAgent(c, partner)) {
          const v = -m.b[partner] * c.trade[k] * dt;
          pay += v;
          grid[t] -= v;
        } else pay += -c.price[k] * c.trade[k] * dt;
      }
      payment[i * T + t] = pay;
    }
  });
  const buyPrice = new Float64Array(T);
  const sellPrice = new Float64Array(T);
  for (let t = 0; t < T; t++) {
    const avg = averagePrices(s, payment, t);
    buyPrice[t] = avg.buy;
    sellPrice[t] = avg.sell;
  }
  return { mechanism: "bilateral", payment, gridPayment: grid, buyPrice, sellPrice };
}

/** A member's best schedule alone with the grid (docs/mechanisms.md, "Grid only"), solved exactly. */
export interface GridOnly {
  /** Its power, average over the periods, and per period. */
  power: number;
  periodPower: number[];
  /** Its total cost: Δ·Σ f_n + trade costs + payments to the grid, €. */
  cost: number;
  energyCost: number;
  networkCharges: number;
  preferenceCost: number;
  /** € paid to the grid (negative: received), in all and per period. */
  payment: number;
  periodPayment: number[];
  /** Members with storage (solved by HiGHS): a certified lower bound on `cost` (see `prepareStorageGridOnly`); absent when exact. */
  lowerBound?: number;
}

/**
 * Each member's exact optimum alone with the grid, period by period for members without storage
 * (their periods are independent; members with storage: `prepareStorageGridOnly`): its cost curve against the import and export prices plus the trade costs of
 * both sides of its trades with the grid, within the trade bounds (which include the grid's
 * limits). Also the value v({n}) of the singleton coalition.
 */
export function gridOnly(c: Community): GridOnly[] {
  const m = c.arrays;
  const dt = c.periodHours;
  const T = c.periods;
  const trade = new Float64Array(m.partner.length);
  return Array.from(c.members, (n, pos) => {
    if (memberStorage(c, pos) >= 0) {
      const g = c.storageGridOnly?.[pos];
      if (!g)
        throw new RangeError(
          `gridOnly: member ${c.ids[n]} has storage: its grid-only optimum couples the periods and must be prepared first (prepareStorageGridOnly)`,
        );
      return g;
    }
    let cost = 0;
    const periodPower: number[] = [];
    const periodPayment: number[] = [];
    const touched: number[] = [];
    for (let t = 0; t < T; t++) {
      const a = periodAgent(c, n, t);
      const ks: number[] = [];
      for (let k = m.tradeStart[a]; k < m.tradeStart[a + 1]; k++) if (isGridAgent(c, m.partner[k])) ks.push(k);
      const lo = ks.map((k) => m.lo[k]);
      const hi = ks.map((k) => m.hi[k]);
      // Pair cost of buying one unit from grid agent g: own c⁻ + g's price + g's c⁺; selling: own c⁺ − g's price + g's c⁻.
      const sNeg = ks.map((k) => -(m.costBuy[k] + m.b[m.partner[k]] + m.costSell[m.mirror[k]]));
      const sPos = ks.map((k) => m.costSell[k] - m.b[m.partner[k]] + m.costBuy[m.mirror[k]]);
      const xs = new Float64Array(ks.length);
      const r = minOwnCost(m.a[a], m.b[a], m.pMin[a], m.pMax[a], lo, hi, sNeg, sPos, xs);
      let pay = 0;
      ks.forEach((k, i) => {
        trade[k] = xs[i];
        trade[m.mirror[k]] = -xs[i];
        touched.push(k, m.mirror[k]);
        pay += -m.b[m.partner[k]] * xs[i] * dt;
      });
      cost += r.value * dt;
      periodPower.push(r.power);
      periodPayment.push(pay);
    }
    const power = periodPower.reduce((u, v) => u + v, 0) / T;
    const payment = periodPayment.reduce((u, v) => u + v, 0);
    let out: GridOnly;
    if (!Number.isFinite(cost))
      out = {
        power,
        periodPower,
        cost,
        energyCost: NaN,
        networkCharges: NaN,
        preferenceCost: NaN,
        payment: NaN,
        periodPayment,
      };
    else out = { power, periodPower, cost, ...memberCostsOf(c, n, trade), payment, periodPayment };
    for (const k of touched) trade[k] = 0;
    return out;
  });
}

/**
 * A community from the engine's arrays alone (e.g. a synthetic market): every trade cost counts as
 * a preference cost, no network charges. `trade` and `price` are a cleared solution of `arrays`.
 */
export function communityFromArrays(
  arrays: MarketArrays,
  ids: string[],
  gridImport: number,
  gridExport: number,
  trade: Float64Array,
  price: Float64Array,
): Community {
  const members: number[] = [];
  for (let n = 0; n < arrays.nAgents; n++) if (n !== gridImport && n !== gridExport) members.push(n);
  const nt = arrays.partner.length;
  return {
    arrays,
    ids,
    members: Int32Array.from(members),
    gridImport,
    gridExport,
    periods: 1,
    trade,
    price,
    prefSell: arrays.costSell.slice(),
    prefBuy: arrays.costBuy.slice(),
    chargeSell: new Float64Array(nt),
    chargeBuy: new Float64Array(nt),
    periodHours: 1,
    horizon: null,
    charge: null,
    discharge: null,
    storageGridOnly: null,
  };
}
