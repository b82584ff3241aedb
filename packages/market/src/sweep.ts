import { AdmmSolver, type AdmmSettings } from "@peermarket/admm";
import {
  type ChargeDesign,
  combineCosts,
  expandMarket,
  type Market,
  MarketValidationError,
  type MarketLimits,
  type SolverSettings,
} from "@peermarket/model";
import { chargesFromDistances, networkChargeReport, pairDistances } from "@peermarket/network";
import { asMarketError, networkContext } from "./network-context.js";
import { engineSettings } from "./settings.js";

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
 * fee. The market is expanded once; each design's distances are computed once; every clearing is
 * warm-started from the previous fee's.
 */
export function sweepFees(
  market: Market,
  designs: readonly ChargeDesign[],
  fees: readonly number[],
  options: SweepOptions = {},
): SweepPoint[] {
  const x = expandMarket(market, { limits: options.limits });
  if (x.horizon)
    throw new MarketValidationError([{ path: "horizon", message: "fee sweeps cover single-period markets" }]);
  const network = networkContext(x);
  const share = network.charges.sellerShare ?? 0.5;
  const settings: Partial<AdmmSettings> = engineSettings(options.settings);
  const points: SweepPoint[] = [];
  for (const design of designs) {
    const charges = { ...network.charges, design };
    const distances = asMarketError("charges", () =>
      pairDistances(
        x,
        network.net,
        charges,
        design === "CHARGE_DESIGN_ELECTRICAL_DISTANCE" ? (network.ptdf() ?? undefined) : undefined,
      ),
    );
    let solver: AdmmSolver | null = null;
    for (const fee of fees) {
      asMarketError("charges", () => chargesFromDistances(x, distances, fee, share));
      combineCosts(x);
      if (!solver) solver = new AdmmSolver(x.arrays, settings, { check: false });
      else solver.updateCosts(x.arrays.costSell, x.arrays.costBuy);
      const r = solver.solve({ agentName: (n) => `"${x.agentIds[n]}"` });
      const pairPower = Float64Array.from(x.tradeOfFirst, (k) => r.solution.trade[k]);
      const report = networkChargeReport(
        x,
        { pairPower, agentPower: r.solution.agentPower },
        distances,
        network.net,
        network.ptdf(),
        charges,
        fee,
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
