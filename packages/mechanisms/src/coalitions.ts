import { AdmmSolver, type AdmmSettings, type HorizonArrays, type MarketArrays } from "@peermarket/admm";
import { type Community, gridOnly } from "./community.js";
import { minOwnCost } from "@peermarket/reference";
import { storageDualBound } from "@peermarket/reference";
import { restrictCommunity, type SubMarket } from "./submarket.js";

/** The value of a coalition C: the optimum of the market restricted to C and the grid (docs/mechanisms.md, "Core"). */
export interface CoalitionValue {
  /** v(C) as cleared by the engine (its objective), € (+Infinity when C cannot balance alone). */
  value: number;
  /** A certified lower bound on v(C): the Lagrangian dual at the engine's prices (every agent's best response). */
  lowerBound: number;
  /** How far v(C) may be from `value`: max(value − lowerBound, 0) plus rounding (see `blockingTolerance`). */
  tolerance: number;
  iterations: number;
  status: string;
}

/** Default settings of coalition clearings: much tighter than a market's default (the core test compares € amounts). */
export const COALITION_SETTINGS: Readonly<Partial<AdmmSettings>> = Object.freeze({
  epsAbs: 1e-9,
  epsRel: 1e-8,
  maxIter: 100_000,
});

/** Default settings of the search's clearings (large coalitions; the blocking tolerance follows from their duality gaps). */
export const SEARCH_SETTINGS: Readonly<Partial<AdmmSettings>> = Object.freeze({
  epsAbs: 1e-7,
  epsRel: 1e-6,
  maxIter: 20_000,
  timeLimit: 20,
});

/**
 * The tolerance within which a coalition's excess (its payments minus v(C)) is not called
 * blocking: twice the duality gap of its clearing (the engine's objective against the certified
 * lower bound) plus 1e-7 relative to the amounts involved.
 */
export function blockingTolerance(value: number, lowerBound: number, scale: number): number {
  const gap = Number.isFinite(value) && Number.isFinite(lowerBound) ? Math.abs(value - lowerBound) : Infinity;
  return 2 * gap + 1e-7 * Math.max(1, Math.abs(scale));
}

/**
 * Clears sub-markets of a community: the members of a coalition plus the grid agents, with the
 * trading graph, bounds, costs and network charges of the full market restricted to them, by the
 * consensus-ADMM engine, warm-started from the full market's trades and prices. Singletons are
 * solved exactly (grid only).
 */
export class CoalitionValuer {
  readonly community: Community;
  readonly settings: Partial<AdmmSettings>;
  /** Coalitions cleared by the engine so far, their iterations and seconds. */
  cleared = 0;
  iterations = 0;
  seconds = 0;
  /** Largest duality gap seen (€). */
  maxGap = 0;
  private readonly keep: Int32Array;
  private readonly oldToNew: Int32Array;
  private readonly singles: number[];
  private readonly singleBounds: number[];

  constructor(community: Community, settings: Partial<AdmmSettings> = COALITION_SETTINGS) {
    this.community = community;
    this.settings = settings;
    this.keep = new Int32Array(community.arrays.nAgents).fill(-1);
    this.oldToNew = new Int32Array(community.arrays.partner.length).fill(-1);
    const alone = gridOnly(community);
    this.singles = alone.map((g) => g.cost);
    this.singleBounds = alone.map((g) => g.lowerBound ?? g.cost);
  }

  /** The market restricted to the members at positions `coalition` (indices into community.members) and the grid. */
  subMarket(coalition: readonly number[]): SubMarket {
    return restrictCommunity(this.community, coalition, this.keep, this.oldToNew);
  }

  /** v(C) for the members at positions `coalition` (non-empty). */
  value(coalition: readonly number[]): CoalitionValue {
    const dt = this.community.periodHours;
    if (coalition.length === 1) {
      const v = this.singles[coalition[0]];
      const lb = this.singleBounds[coalition[0]];
      if (lb !== v && Number.isFinite(v) && Number.isFinite(lb)) this.maxGap = Math.max(this.maxGap, Math.abs(v - lb));
      return {
        value: v,
        lowerBound: lb,
        tolerance: blockingTolerance(v, lb, v),
        iterations: 0,
        status: lb === v ? "EXACT" : "GRID_ONLY_BOUNDED",
      };
    }
    const t0 = performance.now();
    const { arrays, trades, horizon } = this.subMarket(coalition);
    const c = this.community;
    const solver = new AdmmSolver(arrays, this.settings, { check: false, horizon });
    solver.warmStart({
      trade: Float64Array.from(trades, (k) => c.trade[k]),
      price: Float64Array.from(trades, (k) => c.price[k]),
    });
    const r = solver.solve();
    this.cleared++;
    this.iterations += r.info.iterations;
    let value: number;
    let lowerBound: number;
    if (r.info.status === "PRIMAL_INFEASIBLE") value = lowerBound = Infinity;
    else if (r.info.status === "DUAL_INFEASIBLE") value = lowerBound = -Infinity;
    else if (horizon) {
      // With storage the engine's objective is already money over the horizon.
      value = r.info.objective;
      lowerBound =
        horizonDualBound(
          solver.problem,
          horizon,
          r.solution.price,
          r.solution.trade,
          r.solution.charge ?? horizon.charge,
          r.solution.discharge ?? horizon.discharge,
        ) * dt;
      if (Number.isFinite(value) && Number.isFinite(lowerBound))
        this.maxGap = Math.max(this.maxGap, Math.abs(value - lowerBound));
    } else {
      value = r.info.objective * dt;
      lowerBound = dualBound(solver.problem, r.solution.price) * dt;
      if (Number.isFinite(value) && Number.isFinite(lowerBound))
        this.maxGap = Math.max(this.maxGap, Math.abs(value - lowerBound));
    }
    this.seconds += (performance.now() - t0) / 1000;
    return {
      value,
      lowerBound,
      tolerance: blockingTolerance(value, lowerBound, value),
      iterations: r.info.iterations,
      status: r.info.status,
    };
  }
}

/**
 * The Lagrangian dual function at prices λ (one per directed trade, equal on both directions):
 * Σ_n min over its own power and trades of f_n + trade costs − Σ_m λ_nm p_nm. A lower bound on
 * the market's optimum for any λ (the λ terms cancel on every reciprocal point), equal to it at
 * the optimal prices.
 */
export function dualBound(m: MarketArrays, price: Float64Array, skip: Int32Array | null = null): number {
  let total = 0;
  for (let n = 0; n < m.nAgents; n++) {
    if (skip && skip[n] >= 0) continue;
    const s = m.tradeStart[n];
    const e = m.tradeStart[n + 1];
    const sNeg = new Float64Array(e - s);
    const sPos = new Float64Array(e - s);
    for (let k = s; k < e; k++) {
      sNeg[k - s] = -(price[k] + m.costBuy[k]);
      sPos[k - s] = m.costSell[k] - price[k];
    }
    total += minOwnCost(
      m.a[n],
      m.b[n],
      m.pMin[n],
      m.pMax[n],
      m.lo.subarray(s, e),
      m.hi.subarray(s, e),
      sNeg,
      sPos,
    ).value;
  }
  return total;
}

/**
 * The Lagrangian dual of a market with storage at prices λ (per hour): every period agent without
 * storage as in `dualBound`, every storage agent by `storageDualBound` (its best response over the
 * horizon, bounded below through the relaxed SoC chain). A lower bound on the optimum for any λ.
 */
export function horizonDualBound(
  m: MarketArrays,
  H: HorizonArrays,
  price: Float64Array,
  trade: ArrayLike<number>,
  charge: ArrayLike<number>,
  discharge: ArrayLike<number>,
): number {
  let total = dualBound(m, price, H.storageOf);
  for (let q = 0; q < H.storage.count; q++) total += storageDualBound(m, H, q, price, trade, charge, discharge);
  return total;
}
