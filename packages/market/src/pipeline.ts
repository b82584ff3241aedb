import { type AdmmSettings, type HorizonArrays, type MarketArrays, sanitizeCosts } from "@peermarket/admm";
import {
  type ChargeDesign,
  checkConvexity,
  type ExpandedMarket,
  expandMarket,
  type Market,
  type MarketLimits,
  MarketValidationError,
  type SolverSettings,
} from "@peermarket/model";
import {
  type AbortCheck,
  chargesFromDistances,
  type NetworkLimits,
  neverAbort,
  type PairDistances,
} from "@peermarket/network";
import { asMarketError, type NetworkContext, networkContext } from "./network-context.js";
import { engineSettings } from "./settings.js";

/**
 * The market's problem is not convex once its network charges are added: a two-way trade has
 * c⁺ + c⁻ < 0 (docs/market-model.md, "Convexity"). A MarketValidationError naming the trades.
 */
export class NonConvexMarketError extends MarketValidationError {}

/** The network-charge parts of c⁺ and c⁻, per directed trade. */
export interface TradeCharges {
  chargeSell: Float64Array;
  chargeBuy: Float64Array;
}

/** The engine's per-unit trade costs c⁺ and c⁻, per directed trade. */
export interface TradeCosts {
  costSell: Float64Array;
  costBuy: Float64Array;
}

/** A market priced at one unit fee: what the engine solves and what its results are read against. */
export interface PricedMarket {
  /**
   * The expanded market at this fee: the model's expansion with its own charge parts, costs and
   * (multi-period) horizon working arrays; the expansion it comes from is left as it was.
   */
  expanded: ExpandedMarket;
  /** The unit fee applied (0 when the design charges nothing). */
  unitFee: number;
  /** The engine's problem, `expanded.arrays`: costs = preference part + charge part. */
  problem: MarketArrays;
  /** The engine's horizon of a multi-period market (`expanded.horizon.arrays`), else null. */
  horizon: HorizonArrays | null;
}

/** A market through the whole set-up: expansion, network, charges, costs, convexity, engine problem. */
export interface PreparedMarket extends PricedMarket {
  /** The model's expansion (preference parts only, charges zero). No later stage writes to it. */
  base: ExpandedMarket;
  network: NetworkContext;
  /** The engine settings of the request's SolverSettings (unset fields: the engine's defaults). */
  settings: Partial<AdmmSettings>;
  /** The same market priced at another unit fee (cost recovery, fee sweeps); `this` is not changed. */
  atFee(fee: number): PricedMarket;
}

/** Options of `prepareMarket`. */
export interface PrepareOptions {
  /** Size limits of the market. */
  limits?: MarketLimits;
  /** Size limits of the network work. */
  networkLimits?: Partial<NetworkLimits>;
  /** Called between stages and inside the network work; throws to stop the set-up. */
  check?: AbortCheck;
  /** The unit fee to price the market at (default: the market's charges.unitFee). */
  unitFee?: number;
  /** A charge design other than the market's (fee sweeps compare designs). */
  design?: ChargeDesign;
}

/**
 * The market pipeline every clearing goes through (docs/market-model.md, docs/network-charges.md):
 *
 * 1. the model validates and expands the market (`expandMarket`; preferences folded into the
 *    preference parts of the trade costs, their convexity checked);
 * 2. the network context: DC model, charge design and the pair distances (`networkContext`);
 * 3. the network charges of every directed trade at the unit fee (`tradeCharges`);
 * 4. the trade costs c = preference part + charge part (`tradeCosts`);
 * 5. the convexity check with the charges (`checkConvexity`: NonConvexMarketError);
 * 6. the engine's problem and settings.
 *
 * Each stage returns its result; none writes into the expansion of stage 1, so `atFee` can price
 * the same market again. solveMarket, sweepFees, the distributed and negotiated solves and the
 * certificate of stored solutions all set markets up here.
 * @throws MarketValidationError or ScenarioError for a bad market, NonConvexMarketError, and what
 *   `check` throws (SolveAbortedError). Settings are range-checked by the engine (SettingError).
 */
export function prepareMarket(
  market: Market,
  settings: SolverSettings | null | undefined,
  options: PrepareOptions = {},
): PreparedMarket {
  const check = options.check ?? neverAbort;
  const base = expandMarket(market, { limits: options.limits });
  check("expanding the market");
  const network = networkContext(base, { check, limits: options.networkLimits, design: options.design });
  check("computing network charges");
  const atFee = (fee: number): PricedMarket => priceMarket(base, network, fee);
  const priced = atFee(options.unitFee ?? network.charges.unitFee);
  return { ...priced, base, network, settings: engineSettings(settings), atFee };
}

/**
 * Stages 3–6 for one unit fee: the market `base` priced at `fee` under `network`'s design. A design
 * that charges nothing gives zero charges, the preference costs and unit fee 0.
 * @throws NonConvexMarketError when the charges make an agent's problem non-convex.
 */
export function priceMarket(base: ExpandedMarket, network: NetworkContext, fee: number): PricedMarket {
  const charging = network.charging;
  const charges: TradeCharges = charging
    ? asMarketError("charges", () =>
        tradeCharges(base, network.distances, fee, network.charges.sellerShare ?? DEFAULT_SELLER_SHARE),
      )
    : { chargeSell: base.chargeSell, chargeBuy: base.chargeBuy };
  const costs = tradeCosts(base, charges);
  const problem: MarketArrays = { ...base.arrays, costSell: costs.costSell, costBuy: costs.costBuy };
  const h = base.horizon;
  // The engine keeps the storage agents' last charge and discharge in the horizon: its own copies.
  const horizon: HorizonArrays | null = h
    ? { ...h.arrays, charge: h.arrays.charge.slice(), discharge: h.arrays.discharge.slice() }
    : null;
  const expanded: ExpandedMarket = {
    ...base,
    arrays: problem,
    chargeSell: charges.chargeSell,
    chargeBuy: charges.chargeBuy,
    horizon: h && horizon ? { ...h, arrays: horizon } : h,
  };
  if (charging) {
    const issues = checkConvexity(expanded);
    if (issues.length > 0) throw new NonConvexMarketError(issues);
  }
  return { expanded, unitFee: charging ? fee : 0, problem, horizon };
}

const DEFAULT_SELLER_SHARE = 0.5;

/**
 * Stage 3: the network charges of every directed trade at unit fee `fee` and seller share `share`
 * (docs/network-charges.md), in new arrays; `x` is only read. In a multi-period market with
 * time-of-use fees (charges.unitFeeProfile) each period pays its own fee instead
 * (docs/multi-period.md): engine agent n·T + t's trades pay the fee of period t.
 */
export function tradeCharges(x: ExpandedMarket, distances: PairDistances, fee: number, share: number): TradeCharges {
  const nt = x.arrays.partner.length;
  const out = { ...x, chargeSell: new Float64Array(nt), chargeBuy: new Float64Array(nt) };
  const fees = x.horizon?.unitFeeProfile ?? null;
  chargesFromDistances(out, distances, fees ? 1 : fee, share);
  if (fees) {
    const T = x.horizon!.periods;
    const m = x.arrays;
    for (let i = 0; i < m.nAgents; i++) {
      const u = fees[i % T];
      for (let k = m.tradeStart[i]; k < m.tradeStart[i + 1]; k++) {
        out.chargeSell[k] *= u;
        out.chargeBuy[k] *= u;
      }
    }
  }
  return { chargeSell: out.chargeSell, chargeBuy: out.chargeBuy };
}

/**
 * Stage 4: the engine's costs c⁺ = preference part + charge part (likewise c⁻), one-way trades'
 * irrelevant side raised as the engine does (`sanitizeCosts`, which changes no solution). New
 * arrays, except when the charges are the expansion's own zeros and nothing needs raising: then
 * the expansion's costs, which the engine will not change.
 */
export function tradeCosts(x: ExpandedMarket, charges: TradeCharges): TradeCosts {
  const { lo, hi } = x.arrays;
  if (charges.chargeSell === x.chargeSell && charges.chargeBuy === x.chargeBuy && !needsRaising(x.arrays)) {
    return { costSell: x.arrays.costSell, costBuy: x.arrays.costBuy };
  }
  const nt = lo.length;
  const costSell = new Float64Array(nt);
  const costBuy = new Float64Array(nt);
  const { prefSell, prefBuy } = x;
  const { chargeSell, chargeBuy } = charges;
  for (let k = 0; k < nt; k++) {
    costSell[k] = prefSell[k] + chargeSell[k];
    costBuy[k] = prefBuy[k] + chargeBuy[k];
  }
  sanitizeCosts(lo, hi, costSell, costBuy);
  return { costSell, costBuy };
}

/** Whether `sanitizeCosts` would change any cost of `m`. */
function needsRaising(m: MarketArrays): boolean {
  const { lo, hi, costSell, costBuy } = m;
  for (let k = 0; k < lo.length; k++) {
    if (costSell[k] + costBuy[k] < 0 && (lo[k] === 0 || hi[k] === 0)) return true;
  }
  return false;
}
