import { AdmmSolver } from "@peermarket/admm";
import {
  type ChargeDesign,
  type Market,
  MarketValidationError,
  type MarketLimits,
  type SolverSettings,
} from "@peermarket/model";
import { chargeReportFromArrays } from "@peermarket/network";
import { asMarketError } from "./network-context.js";
import { prepareMarket } from "./pipeline.js";

/** One clearing of a fee sweep. */
export interface SweepPoint {
  design: ChargeDesign;
  unitFee: number;
  status: string;
  iterations: number;
  /** Σ charges collected. */
  revenue: number;
  tradedVolume: number;
  interZoneVolume: number;
  /** Largest |flow| / rateA over rated branches (0 without a network). */
  maxLoading: number;
  overloadedLines: number;
  objective: number;
  solveTimeS: number;
}

/** Options of `sweepFees`. */
export interface SweepOptions {
  settings?: SolverSettings | null;
  limits?: MarketLimits;
  /** Called after each clearing. */
  onPoint?: (p: SweepPoint) => void;
}

/**
 * Clears a market for every unit fee of `fees` under each charge design — the figure a DSO uses to
 * choose its fee: revenue, traded volume, inter-zone volume and maximum line loading against the
 * fee. Each design's market is set up once by `prepareMarket` (its distances computed once) and
 * priced at every fee with the same charges, costs and convexity check as `solveMarket`: a fee at
 * which the market is not convex is refused (NonConvexMarketError). Every clearing is
 * warm-started from the previous fee's.
 */
export function sweepFees(
  market: Market,
  designs: readonly ChargeDesign[],
  fees: readonly number[],
  options: SweepOptions = {},
): SweepPoint[] {
  const points: SweepPoint[] = [];
  for (const design of designs) {
    const prepared = prepareMarket(market, options.settings, { limits: options.limits, design, unitFee: fees[0] ?? 0 });
    if (prepared.base.horizon)
      throw new MarketValidationError([{ path: "horizon", message: "fee sweeps cover single-period markets" }]);
    const { network, settings } = prepared;
    let solver: AdmmSolver | null = null;
    for (const fee of fees) {
      const { expanded: x, problem } = fee === fees[0] ? prepared : prepared.atFee(fee);
      if (!solver) {
        // The solver keeps its own copy of the costs: updateCosts writes into its problem.
        const own = { ...problem, costSell: problem.costSell.slice(), costBuy: problem.costBuy.slice() };
        solver = new AdmmSolver(own, settings, { check: false });
      } else solver.updateCosts(problem.costSell, problem.costBuy);
      const r = solver.solve({ agentName: (n) => `"${x.agentIds[n]}"` });
      const pairPower = Float64Array.from(x.tradeOfFirst, (k) => r.solution.trade[k]);
      const report = asMarketError("charges", () =>
        chargeReportFromArrays(
          x,
          { pairPower, agentPower: r.solution.agentPower },
          network.distances,
          network.net,
          network.ptdf(),
          network.charges,
          fee,
        ),
      );
      const point: SweepPoint = {
        design,
        unitFee: fee,
        status: r.info.status,
        iterations: r.info.iterations,
        revenue: report.totalCollected,
        tradedVolume: report.tradedVolume,
        interZoneVolume: report.interZoneVolume,
        maxLoading: report.maxLoading,
        overloadedLines: report.overloadedLines.length,
        objective: r.info.objective,
        solveTimeS: r.info.solveTime,
      };
      points.push(point);
      options.onPoint?.(point);
    }
  }
  return points;
}
