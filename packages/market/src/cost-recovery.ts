import type { AdmmResult, AdmmSolver, SolveOptions } from "@peermarket/admm";
import type { CostRecovery, ExpandedMarket } from "@peermarket/model";
import { findUnitFee } from "@peermarket/network";
import type { NetworkContext } from "./network-context.js";
import type { PricedMarket } from "./pipeline.js";

/** Network revenue of a solution: Σ over pairs of the charges both sides pay. */
export function networkRevenue(x: ExpandedMarket, trade: Float64Array): number {
  let total = 0;
  for (let k = 0; k < trade.length; k++) {
    const t = trade[k];
    if (t > 0) total += x.chargeSell[k] * t;
    else if (t < 0) total -= x.chargeBuy[k] * t;
  }
  return total;
}

/**
 * Cost recovery (docs/network-charges.md): the smallest unit fee whose cleared market collects the target
 * revenue, each clearing warm-started from the previous one. Ends with the market cleared at the
 * fee found (or, when the target is out of reach, at the fee collecting the most) and says so.
 * `priceAt` prices the market at a fee (the pipeline's `atFee`); `priced` is the market of the
 * returned result (null only if nothing was cleared).
 */
export function recoverCosts(
  network: NetworkContext,
  solver: AdmmSolver,
  priceAt: (fee: number) => PricedMarket,
  target: number,
  options: SolveOptions,
): { unitFee: number; costRecovery: CostRecovery; result: AdmmResult; priced: PricedMarket | null } {
  type Clearing = { fee: number; result: AdmmResult; priced: PricedMarket };
  let last: Clearing | null = null;
  let solves = 0;
  const clear = (fee: number): Clearing => {
    const priced = priceAt(fee);
    solver.updateCosts(priced.problem.costSell, priced.problem.costBuy);
    const result = solver.solve({
      agentName: options.agentName,
      shouldStop: options.shouldStop,
      executor: options.executor,
    });
    solves++;
    last = { fee, result, priced };
    return last;
  };
  const revenueAt = (fee: number): number => {
    const { result: r, priced } = clear(fee);
    if (r.info.status === "CANCELLED" || r.info.status === "PRIMAL_INFEASIBLE" || r.info.status === "NUMERICAL_ERROR") {
      throw new CostRecoveryStopped(r);
    }
    return networkRevenue(priced.expanded, r.solution.trade);
  };
  // The fee scale: one currency unit per MWh over the mean distance of the market's pairs.
  let meanDistance = 0;
  for (let p = 0; p < network.distances.distance.length; p++) meanDistance += network.distances.distance[p];
  meanDistance = network.distances.distance.length > 0 ? meanDistance / network.distances.distance.length : 1;
  const step = meanDistance > 0 ? 1 / meanDistance : 1;
  try {
    const found = findUnitFee(target, revenueAt, { initialStep: step, tolerance: 1e-6 * step, growth: 1.5 });
    const previous = last as Clearing | null;
    const final = previous && previous.fee === found.unitFee ? previous : clear(found.unitFee);
    const result = final.result;
    if (options.onProgress) {
      const i = result.info;
      options.onProgress({
        iteration: i.iterations,
        primalResidual: i.primalResidual,
        dualResidual: i.dualResidual,
        rho: i.rho,
        elapsed: i.solveTime,
      });
    }
    if (!found.reachable && result.info.status === "SOLVED") {
      result.info.statusMessage =
        `target revenue ${target} is out of reach: the most this market pays is ${found.maxRevenue.toPrecision(6)} ` +
        `at unit fee ${found.feeAtMaxRevenue.toPrecision(6)}; cleared at that fee`;
    }
    return {
      unitFee: found.unitFee,
      result,
      priced: final.priced,
      costRecovery: {
        targetRevenue: target,
        reachable: found.reachable,
        maxRevenue: found.maxRevenue,
        feeAtMaxRevenue: found.feeAtMaxRevenue,
        solves,
      },
    };
  } catch (e) {
    if (!(e instanceof CostRecoveryStopped)) throw e;
    const stopped = last as Clearing | null;
    const fee = stopped?.fee ?? 0;
    e.result.info.statusMessage = `cost recovery stopped at unit fee ${fee}: ${e.result.info.statusMessage || e.result.info.status}`;
    return {
      unitFee: fee,
      result: e.result,
      priced: stopped?.priced ?? null,
      costRecovery: { targetRevenue: target, reachable: false, maxRevenue: 0, feeAtMaxRevenue: 0, solves },
    };
  }
}

class CostRecoveryStopped extends Error {
  constructor(readonly result: AdmmResult) {
    super("cost recovery stopped");
  }
}
