import { availableParallelism } from "node:os";
import {
  AdmmSolver,
  SettingError,
  type AdmmResult,
  type AdmmSettings,
  type PhaseExecutor,
  shardTeam,
  type ShardTeam,
} from "@peermarket/admm";
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
import {
  type AbortCheck,
  chargesFromDistances,
  type NetworkLimits,
  neverAbort,
  TimeLimitExceededError,
} from "@peermarket/network";
import { type Iterate, iterateFromTrades, iterateToTrades, WarmStartMismatchError } from "./iterate.js";
import { asMarketError, networkContext, type NetworkContext } from "./network-context.js";
import { engineSettings } from "./settings.js";
import { buildSolution, solutionFrame } from "./solution.js";
import { recoverCosts } from "./cost-recovery.js";
import { engineAgentName, setTradeCharges } from "./horizon-charges.js";
import { buildHorizonSolution } from "./horizon-solution.js";

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
  /** Size limits of the network work (buses, branches, electrical-distance work). */
  networkLimits?: Partial<NetworkLimits>;
  /**
   * Called between set-up stages and every so often inside the network work (PTDF factorisation,
   * electrical distances); throws a SolveAbortedError (DeadlineExceededError, CancelledError) to
   * stop the request before the engine runs. The engine itself polls `shouldStop`.
   */
  check?: AbortCheck;
  /**
   * When the request started (performance.now() time; default: the call). settings.timeLimitS
   * counts from here and covers the whole request: set-up (expansion, network matrices, charges)
   * past the limit throws TimeLimitExceededError, and the engine gets what is left.
   */
  startMs?: number;
  /**
   * Asked when the engine stopped with CANCELLED: true when nobody will read the Solution's agents
   * and trades (the caller is gone), so they are not built; the iterate is kept for warm starts.
   */
  omitResultsWhenCancelled?: () => boolean;
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
 * market, SettingError for bad settings, WarmStartMismatchError for an iterate of another market.
 */
export async function solveMarket(market: Market, options: SolveMarketOptions = {}): Promise<SolveOutcome> {
  // Set-up time counts from when the request started (options.startMs: decoding included).
  const t0 = options.startMs ?? performance.now();
  const settingsTimeLimit = options.settings?.timeLimitS;
  const timeLimitMs = typeof settingsTimeLimit === "number" && settingsTimeLimit > 0 ? settingsTimeLimit * 1000 : 0;
  const start = t0;
  const outer = options.check ?? neverAbort;
  const check: AbortCheck = (stage) => {
    outer(stage);
    if (timeLimitMs > 0 && performance.now() - start >= timeLimitMs) {
      throw new TimeLimitExceededError(
        `the time limit of ${timeLimitMs / 1000} s (settings.timeLimitS) was reached before the engine could iterate`,
        stage,
      );
    }
  };
  check("decoding the request");
  const x = expandMarket(market, { limits: options.limits });
  check("expanding the market");
  const network = networkContext(x, { check, limits: options.networkLimits });
  check("computing network charges");
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
    asMarketError("charges", () => setTradeCharges(x, network.distances, u, charges.sellerShare ?? 0.5));
    combineCosts(x);
    const issues = checkConvexity(x);
    if (issues.length > 0) throw new MarketValidationError(issues);
  };
  if (network.charging) setCharges(fee);
  check("setting up the engine");
  const requested = options.settings?.workers ?? options.defaultWorkers ?? 1;
  if (!Number.isInteger(requested) || requested < 0)
    throw new SettingError(`workers must be an integer ≥ 0, got ${requested}`);
  const threads = solveThreads(x.arrays.partner.length, requested);
  const solver = new AdmmSolver(x.arrays, settings, {
    check: false,
    shared: threads > 1,
    horizon: x.horizon?.arrays ?? null,
  });
  if (options.warmStart) solver.warmStart(iterateToTrades(x, options.warmStart));
  let team: ShardTeam | null = null;
  let executor: PhaseExecutor | undefined;
  if (threads > 1) {
    team = await shardTeam(threads - 1);
    executor = team.attach(solver.problem, solver.iterate, Math.min(threads, team.threads + 1), solver.horizon);
  }
  const setupTime = (performance.now() - t0) / 1000;
  // The time limit covers the whole request: the engine gets what set-up left of it.
  if (timeLimitMs > 0) solver.settings.timeLimit = Math.max(1e-9, (timeLimitMs - (performance.now() - start)) / 1000);
  const solveOptions = {
    executor,
    agentName: (n: number) => engineAgentName(x, n),
    progressInterval: options.progressInterval,
    shouldStop: options.shouldStop,
    onProgress: options.onProgress
      ? (p: { iteration: number; primalResidual: number; dualResidual: number; rho: number; elapsed: number }) =>
          options.onProgress!({
            iteration: p.iteration,
            primalResidual: p.primalResidual,
            dualResidual: p.dualResidual,
            rho: p.rho,
            elapsedS: p.elapsed,
          })
      : undefined,
  };
  let unitFee = network.charging ? fee : 0;
  let recovery: Solution["costRecovery"] = null;
  let result: AdmmResult;
  try {
    if (network.charging && charges.targetRevenue !== undefined && charges.targetRevenue !== null) {
      // The engine's money is per hour: a multi-period target (over the horizon) is divided by Δ.
      const dt = x.horizon?.periodHours ?? 1;
      const found = recoverCosts(x, network, solver, setCharges, charges.targetRevenue / dt, solveOptions);
      unitFee = found.unitFee;
      recovery = x.horizon
        ? {
            ...found.costRecovery,
            targetRevenue: charges.targetRevenue,
            maxRevenue: found.costRecovery.maxRevenue * dt,
          }
        : found.costRecovery;
      result = found.result;
    } else {
      result = solver.solve(solveOptions);
    }
  } finally {
    team?.detach();
  }
  const omit = result.info.status === "CANCELLED" && options.omitResultsWhenCancelled?.() === true;
  const solution = omit
    ? summarySolution(x, result, unitFee)
    : x.horizon
      ? buildHorizonSolution(x, result, unitFee)
      : buildSolution(x, result, unitFee);
  solution.costRecovery = recovery;
  solution.setupTimeS = setupTime;
  solution.solveTimeS = (performance.now() - t0) / 1000 - setupTime;
  const iterate = iterateFromTrades(x, fingerprint, result.solution.trade, result.solution.price);
  return { solution, iterate, expanded: x, result, network };
}

/**
 * The Solution of a stopped solve without its agents and trades (nobody will read them): status,
 * residuals, objective and counts only. Building and encoding every trade of a large market takes
 * longer than the engine's stop (tens of seconds for millions of pairs).
 */
function summarySolution(x: ExpandedMarket, result: AdmmResult, unitFee: number): Solution {
  const { info } = result;
  const note = "agents and trades not listed: the caller was gone; the iterate is kept for warm starts";
  return {
    ...solutionFrame(x, info, unitFee),
    statusMessage: info.statusMessage ? `${info.statusMessage}; ${note}` : note,
  };
}
