import { randomUUID } from "node:crypto";
import { type AdmmResult, AdmmSolver, type Progress, toSharedArrays } from "@peermarket/admm";
import { buildSolution, type PreparedMarket, prepareMarket } from "@peermarket/market";
import {
  type ExpandedMarket,
  type Market,
  type MarketLimits,
  MarketValidationError,
  type Solution,
  type SolverSettings,
} from "@peermarket/model";
import { type RemoteTimings, RemoteShards, type ShardTakeover } from "./remote-shards.js";
import type { ShardCoordinator } from "./shard-coordinator.js";
import { planShards } from "./shard-plan.js";
import { runThreadedSolve } from "./threaded-solve.js";

/** Options of `solveDistributed`. */
export interface DistributedSolveOptions {
  /** Remote shards, one per worker (default: every idle worker of the coordinator). */
  remoteWorkers?: number;
  /** Threads computing the coordinator's own shards (default 1; 0: every agent on remote workers). */
  localThreads?: number;
  settings?: SolverSettings | null;
  /** A phase result must arrive within this many ms (default 10 000), the first after an assignment within `assignTimeoutMs` (default 60 000). */
  phaseTimeoutMs?: number;
  assignTimeoutMs?: number;
  onProgress?: (p: Progress) => void;
  progressInterval?: number;
  limits?: MarketLimits;
}

/** Where a shard ran. */
export interface ShardPlacement {
  shard: string;
  agentBegin: number;
  agentEnd: number;
  trades: number;
  /** "coordinator (2 threads)", or the worker's name and address. */
  where: string;
}

/** The outcome of a distributed solve. */
export interface DistributedOutcome {
  solution: Solution;
  result: AdmmResult;
  expanded: ExpandedMarket;
  placements: ShardPlacement[];
  /** Shards the coordinator took back from failed workers. */
  takeovers: ShardTakeover[];
  /** Where the coordinator's network side spent its time (null when nothing was distributed). */
  timings: RemoteTimings | null;
}

/**
 * The market set up for a solve across processes by the pipeline `solveMarket` uses
 * (`prepareMarket`: expansion, network charges at the market's unit fee, trade costs, convexity,
 * the engine's problem). Cost recovery (a unit-fee search) is refused: MarketValidationError.
 */
export function prepareDistributedMarket(
  market: Market,
  settings?: SolverSettings | null,
  limits?: MarketLimits,
): PreparedMarket {
  const prepared = prepareMarket(market, settings, { limits });
  const { charges } = prepared.network;
  if (prepared.network.charging && charges.targetRevenue !== undefined && charges.targetRevenue !== null) {
    throw new MarketValidationError([
      {
        path: "charges.targetRevenue",
        message:
          "cost recovery (a unit-fee search) is not supported over remote shard workers; solve with a fixed unit_fee",
      },
    ]);
  }
  return prepared;
}

/** The takeovers in words, for the Solution's status message. */
export function describeTakeovers(takeovers: ShardTakeover[]): string {
  return takeovers
    .map(
      (t) =>
        `shard ${t.shard} (agents ${t.agentBegin}–${t.agentEnd - 1}) taken back from worker ${t.worker} at iteration ${t.iteration}: ${t.reason}`,
    )
    .join("; ");
}

/**
 * Clears a market like `solveMarket`, its agents split between the coordinator's own threads and
 * remote shard workers connected to `coordinator`. The engine's loop and arithmetic are the same,
 * so the Solution is bit-identical to the in-process one (timings aside); a worker that fails is
 * replaced by the coordinator from the last completed iterate, without changing the result, and
 * the status message says so. Markets asking for cost recovery are refused (MarketValidationError).
 */
export async function solveDistributed(
  coordinator: ShardCoordinator,
  market: Market,
  options: DistributedSolveOptions = {},
): Promise<DistributedOutcome> {
  const t0 = performance.now();
  const prepared = prepareDistributedMarket(market, options.settings, options.limits);
  const { expanded: x, unitFee, problem: engineProblem, settings } = prepared;
  const localThreads = options.localThreads ?? 1;
  const remoteCount = options.remoteWorkers ?? coordinator.idle().length;
  const nt = x.arrays.partner.length;
  let result: AdmmResult;
  let takeovers: ShardTakeover[] = [];
  let timings: RemoteTimings | null = null;
  const placements: ShardPlacement[] = [];
  let setupTime: number;
  if (nt === 0) {
    // Nothing to split: no trades, no phases worth sending anywhere.
    setupTime = (performance.now() - t0) / 1000;
    result = new AdmmSolver(engineProblem, settings, { check: false }).solve({
      agentName: (n) => `"${x.agentIds[n]}"`,
    });
  } else {
    const problem = toSharedArrays(engineProblem);
    const plan = planShards(problem, localThreads, remoteCount);
    const links = coordinator.borrow(remoteCount);
    if (plan.localEnd > 0)
      placements.push({
        shard: "local",
        agentBegin: 0,
        agentEnd: plan.localEnd,
        trades: problem.tradeStart[plan.localEnd],
        where: `coordinator (${localThreads} thread${localThreads === 1 ? "" : "s"})`,
      });
    for (const s of plan.remote)
      placements.push({
        shard: String(s.index),
        agentBegin: s.agentBegin,
        agentEnd: s.agentEnd,
        trades: s.tradeEnd - s.tradeBegin,
        where: links[s.index].label,
      });
    const side = new RemoteShards(randomUUID(), problem, plan, links, {
      phaseTimeoutMs: options.phaseTimeoutMs ?? 10_000,
      assignTimeoutMs: options.assignTimeoutMs ?? 60_000,
    });
    setupTime = (performance.now() - t0) / 1000;
    try {
      const run = runThreadedSolve({
        problem,
        settings,
        slots: plan.slots,
        local: { agentEnd: plan.localEnd, threads: localThreads },
        network: side,
        onProgress: options.onProgress,
        progressInterval: options.progressInterval,
        agentIds: x.agentIds,
      });
      result = await run.result;
    } finally {
      side.release();
      coordinator.giveBack(links);
    }
    takeovers = side.takeovers;
    timings = side.timings;
  }
  const solution = buildSolution(x, result, unitFee);
  if (takeovers.length > 0)
    solution.statusMessage = [solution.statusMessage, describeTakeovers(takeovers)].filter((s) => s !== "").join("; ");
  solution.setupTimeS = setupTime;
  solution.solveTimeS = (performance.now() - t0) / 1000 - setupTime;
  return { solution, result, expanded: x, placements, takeovers, timings };
}
