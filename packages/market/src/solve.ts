import {
  AdmmSolver,
  attachSolver,
  SettingError,
  type AdmmResult,
  solveParallel,
  type PhaseExecutor,
  parallelMinTrades,
  parallelThreads,
  shardTeam,
  type ShardTeam,
} from "@peermarket/admm";
import {
  type ExpandedMarket,
  type Market,
  type MarketLimits,
  marketFingerprint,
  type Solution,
  type SolverSettings,
  type SolveProgress,
} from "@peermarket/model";
import { type AbortCheck, type NetworkLimits, neverAbort, TimeLimitExceededError } from "@peermarket/network";
import { type Iterate, iterateFromTrades, iterateToTrades, WarmStartMismatchError } from "./iterate.js";
import type { NetworkContext } from "./network-context.js";
import { type PricedMarket, prepareMarket } from "./pipeline.js";
import { deferPairArrays } from "./pair-arrays.js";
import { buildSolution, solutionFrame, TradeRows } from "./solution.js";
import { recoverCosts } from "./cost-recovery.js";
import { engineAgentName } from "./horizon-charges.js";
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
  /**
   * Whether `solution.trades` lists the trades as Trade objects (default true). False leaves it
   * empty (`pairCount` still counts the pairs) and the trades are read from `outcome.tradeRows`
   * one at a time: a market of millions of pairs (or of pair and period entries) then never holds
   * an object per trade (the command line streams its JSON from them).
   */
  tradeObjects?: boolean;
  /**
   * The caller gives the market object up to the solve (the command line, which reads a scenario
   * only to clear it): once expanded — the expansion holds the trading graph as arrays — its pair
   * list is emptied (`market.pairs = []`), so that an explicit graph's TradePair objects (tens of
   * bytes per pair) are collected while the engine runs. The expansion's `market` is that same
   * object and then lists no pairs either.
   */
  releasePairs?: boolean;
}

/**
 * The fewest directed trades a solve may run on several threads with: the engine's thread rule
 * (`parallelThreads`, packages/admm/src/parallel.ts; docs/admm.md, "Threads") with the shard team
 * already running. When the team must first be started, the rule asks for far more (its start-up
 * cost must be repaid: `parallelMinTrades(false)`).
 */
export const PARALLEL_MIN_TRADES = parallelMinTrades(true);

/** The number of threads a solve of `nTrades` directed trades uses: the engine's measured thread rule. */
export function solveThreads(nTrades: number, requested: number): number {
  return parallelThreads(nTrades, requested);
}

/** A solve's outcome: the Solution message, the iterate for warm starts, and the working data. */
export interface SolveOutcome {
  solution: Solution;
  /** The iterate for warm starts (built when first read). */
  readonly iterate: Iterate;
  /**
   * The trades of the solve, row by row from the engine's arrays (the same values as the Trade
   * objects of `solution.trades`: every pair, or for a multi-period market the (pair, period)
   * entries that carry power); null for a solve whose results were left out.
   */
  tradeRows: TradeRows | null;
  /** The expanded market and the engine's arrays and solution (for verification and reports). */
  expanded: ExpandedMarket;
  result: AdmmResult;
  network: NetworkContext;
  /**
   * The first iteration the shard workers ran phases of (the calling thread ran the ones before,
   * while they started); −1 when the solve ran on this thread alone.
   */
  teamFromIteration: number;
}

/**
 * Clears a market: sets it up with `prepareMarket` (validation and expansion, network charges,
 * trade costs, convexity, the engine's problem), solves by consensus ADMM (admm) — finding the unit fee first when the charges ask
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
  const prepared = prepareMarket(market, options.settings, {
    limits: options.limits,
    networkLimits: options.networkLimits,
    check,
  });
  const { base, network, settings } = prepared;
  if (options.releasePairs === true) market.pairs = [];
  const { charges } = network;
  const fingerprint = marketFingerprint(base);
  if (options.warmStart && options.warmStart.fingerprint !== fingerprint) {
    throw new WarmStartMismatchError(
      "the warm-start solution is of a different market (its agents or trading graph differ); warm starts need the same agents and pairs",
    );
  }
  check("setting up the engine");
  const requested = options.settings?.workers ?? options.defaultWorkers ?? 1;
  if (!Number.isInteger(requested) || requested < 0)
    throw new SettingError(`workers must be an integer ≥ 0, got ${requested}`);
  const threads = solveThreads(prepared.problem.partner.length, requested);
  const solver = new AdmmSolver(prepared.problem, settings, {
    check: false,
    shared: threads > 1,
    horizon: prepared.horizon,
  });
  if (options.warmStart) solver.warmStart(iterateToTrades(base, options.warmStart));
  const targetRevenue = network.charging ? charges.targetRevenue : undefined;
  const recovering = targetRevenue !== undefined && targetRevenue !== null;
  // A single solve on several threads starts its team only if its first iteration has not ended
  // it, and goes on meanwhile (`solveParallel`); the search for a cost-recovering fee runs many
  // solves, on a team started first.
  const joined: { team: ShardTeam | null; teamFrom: number } = { team: null, teamFrom: -1 };
  let executor: PhaseExecutor | undefined;
  if (threads > 1 && recovering) {
    joined.team = await shardTeam(threads - 1);
    joined.teamFrom = 0;
    executor = attachSolver(joined.team, solver, threads);
  }
  const setupTime = (performance.now() - t0) / 1000;
  // The time limit covers the whole request: the engine gets what set-up left of it.
  if (timeLimitMs > 0) solver.settings.timeLimit = Math.max(1e-9, (timeLimitMs - (performance.now() - start)) / 1000);
  const solveOptions = {
    executor,
    agentName: (n: number) => engineAgentName(base, n),
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
  // The market as the engine solved it: priced at the fee the cost recovery settles on, if any.
  let priced: PricedMarket = prepared;
  let recovery: Solution["costRecovery"] = null;
  let result: AdmmResult;
  try {
    if (targetRevenue !== undefined && targetRevenue !== null) {
      // The engine's money is per hour: a multi-period target (over the horizon) is divided by Δ.
      const dt = base.horizon?.periodHours ?? 1;
      const found = recoverCosts(network, solver, prepared.atFee, targetRevenue / dt, solveOptions);
      priced = found.priced ?? prepared;
      recovery = base.horizon
        ? {
            ...found.costRecovery,
            targetRevenue,
            maxRevenue: found.costRecovery.maxRevenue * dt,
          }
        : found.costRecovery;
      result = found.result;
    } else {
      // The per-pair arrays are not read again before the results: rebuilt from the trade arrays
      // when first read after the solve, their memory can serve the engine meanwhile.
      deferPairArrays([base, prepared.expanded]);
      // The only solve of this solver: its solution takes over the iterate's buffers (no copies).
      result = await solveParallel(solver, threads, { ...solveOptions, handOver: true }, joined);
    }
  } finally {
    joined.team?.detach();
  }
  const x = priced.expanded;
  const unitFee = priced.unitFee;
  const omit = result.info.status === "CANCELLED" && options.omitResultsWhenCancelled?.() === true;
  const solution = omit
    ? summarySolution(x, result, unitFee)
    : x.horizon
      ? buildHorizonSolution(x, result, unitFee, options.tradeObjects !== false)
      : buildSolution(x, result, unitFee, options.tradeObjects !== false);
  solution.costRecovery = recovery;
  solution.setupTimeS = setupTime;
  solution.solveTimeS = (performance.now() - t0) / 1000 - setupTime;
  const tradeRows = omit ? null : new TradeRows(x, result.solution.trade, result.solution.price);
  // The warm-start iterate (8 bytes per directed trade) is built only when someone reads it.
  let iterate: Iterate | null = null;
  return {
    solution,
    get iterate(): Iterate {
      iterate ??= iterateFromTrades(x, fingerprint, result.solution.trade, result.solution.price);
      return iterate;
    },
    tradeRows,
    expanded: x,
    result,
    network,
    teamFromIteration: joined.teamFrom,
  };
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
