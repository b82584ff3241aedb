import { availableParallelism } from "node:os";
import { AdmmSolver, type AdmmResult, type AdmmSettings, type PhaseExecutor, shardTeam, type ShardTeam } from "@peermarket/admm";
import {
  combineCosts,
  checkConvexity,
  expandMarket,
  type ExpandedMarket,
  type Market,
  type MarketLimits,
  marketFingerprint,
  MarketValidationError,
  type Solution,
  type SolverSettings,
  type SolveProgress,
} from "@peermarket/model";
import { chargesFromDistances } from "@peermarket/network";
import { type Iterate, iterateFromTrades, iterateToTrades, WarmStartMismatchError } from "./iterate.js";
import { asMarketError, networkContext, type NetworkContext } from "./network-context.js";
import { engineSettings } from "./settings.js";
import { buildSolution } from "./solution.js";
import { recoverCosts } from "./cost-recovery.js";

/** Options of `solveMarket`. */
export interface SolveMarketOptions {
  /** Solver settings (proto shape); unset fields take the engine's defaults. */
  settings?: SolverSettings | null;
  /** Start from the iterate of a stored solution of the same market (same agents and graph). */
  warmStart?: Iterate | null;
  /** Called every `progressInterval` iterations, and once at the end. */
  onProgress?: (p: SolveProgress) => void;
  progressInterval?: number;
  /** Polled once per iteration; returning true stops the solve with status CANCELLED. */
  shouldStop?: () => boolean;
  /** Size limits of the market. */
  limits?: MarketLimits;
  /**
   * Threads of a solve when the settings do not say (default 1). Either way a market with fewer
   * than `PARALLEL_MIN_TRADES` directed trades is solved on one thread, where it is faster.
   */
  defaultWorkers?: number;
}

/**
 * Below this many directed trades, a solve runs on one thread. Once the resident shard workers
 * run, two threads pay off from a few hundred trades (benchmarks/RESULTS.md, "workers"), but
 * starting them costs about 70 ms the first time in a process: a one-off solve gains from threads
 * only when its single-threaded time is well above that, which at ~50 ns per trade and iteration
 * and a few hundred iterations means tens of thousands of trades.
 */
export const PARALLEL_MIN_TRADES = 20_000;

/** The number of threads a solve of `nTrades` directed trades uses. */
export function solveThreads(nTrades: number, requested: number): number {
  if (!(requested > 1) || nTrades < PARALLEL_MIN_TRADES) return 1;
  return Math.min(Math.floor(requested), availableParallelism());
}

/** A solve's outcome: the Solution message, the iterate for warm starts, and the working data. */
export interface SolveOutcome {
  solution: Solution;
  iterate: Iterate;
  /** The expanded market and the engine's arrays and solution (for verification and reports). */
  expanded: ExpandedMarket;
  result: AdmmResult;
  network: NetworkContext;
}

/**
 * Clears a market: validates and expands it (model), adds network charges to the trade costs
 * (network), solves by consensus ADMM (admm) — finding the unit fee first when the charges ask
 * for a target revenue — and builds the Solution. CPU-bound, on the calling thread plus, for
 * large markets and `workers` > 1, resident shard workers (the result is bit-identical): run it
 * off the event loop in a service. Rejects with MarketValidationError or ScenarioError for a bad
 * market, RangeError for bad settings, WarmStartMismatchError for an iterate of another market.
 */
export async function solveMarket(market: Market, options: SolveMarketOptions = {}): Promise<SolveOutcome> {
  const t0 = performance.now();
  const x = expandMarket(market, { limits: options.limits });
  const network = networkContext(x);
  const { charges } = network;
  const fingerprint = marketFingerprint(x);
  if (options.warmStart && options.warmStart.fingerprint !== fingerprint) {
    throw new WarmStartMismatchError(
      "the warm-start solution is of a different market (its agents or trading graph differ); warm starts need the same agents and pairs",
    );
  }
  const settings: Partial<AdmmSettings> = engineSettings(options.settings);
  const fee = charges.unitFee;
  const setCharges = (u: number) => {
    asMarketError("charges", () => chargesFromDistances(x, network.distances, u, charges.sellerShare ?? 0.5));
    combineCosts(x);
    const issues = checkConvexity(x);
    if (issues.length > 0) throw new MarketValidationError(issues);
  };
  if (network.charging) setCharges(fee);
  const requested = options.settings?.workers ?? options.defaultWorkers ?? 1;
  if (!Number.isInteger(requested) || requested < 0) throw new RangeError(`workers must be an integer ≥ 0, got ${requested}`);
  const threads = solveThreads(x.arrays.partner.length, requested);
  const solver = new AdmmSolver(x.arrays, settings, { check: false, shared: threads > 1 });
  if (options.warmStart) solver.warmStart(iterateToTrades(x, options.warmStart));
  let team: ShardTeam | null = null;
  let executor: PhaseExecutor | undefined;
  if (threads > 1) {
    team = await shardTeam(threads - 1);
    executor = team.attach(solver.problem, solver.iterate, Math.min(threads, team.threads + 1));
  }
  const setupTime = (performance.now() - t0) / 1000;
  const solveOptions = {
    executor,
    agentName: (n: number) => `"${x.agentIds[n]}"`,
    progressInterval: options.progressInterval,
    shouldStop: options.shouldStop,
    onProgress: options.onProgress
      ? (p: { iteration: number; primalResidual: number; dualResidual: number; rho: number; elapsed: number }) =>
          options.onProgress!({ iteration: p.iteration, primalResidual: p.primalResidual, dualResidual: p.dualResidual, rho: p.rho, elapsedS: p.elapsed })
      : undefined,
  };
  let unitFee = network.charging ? fee : 0;
  let recovery: Solution["costRecovery"] = null;
  let result: AdmmResult;
  try {
    if (network.charging && charges.targetRevenue !== undefined && charges.targetRevenue !== null) {
      const found = recoverCosts(x, network, solver, setCharges, charges.targetRevenue, solveOptions);
      unitFee = found.unitFee;
      recovery = found.costRecovery;
      result = found.result;
    } else {
      result = solver.solve(solveOptions);
    }
  } finally {
    team?.detach();
  }
  const solution = buildSolution(x, result, unitFee);
  solution.costRecovery = recovery;
  solution.setupTimeS = setupTime;
  solution.solveTimeS = (performance.now() - t0) / 1000 - setupTime;
  const iterate = iterateFromTrades(x, fingerprint, result.solution.trade, result.solution.price);
  return { solution, iterate, expanded: x, result, network };
}
