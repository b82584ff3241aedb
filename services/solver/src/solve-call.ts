import { status, type StatusObject } from "@grpc/grpc-js";
import type { SolveProgress } from "@peermarket/model";
import type { Logger } from "./logger.js";
import type { SolveMarketRequest } from "./messages.js";
import { newSolutionId } from "./ids.js";
import { QueueFullError, type SolveJob, type SolverPool } from "./pool.js";
import type { RequestLog } from "./request-log.js";
import { statusError } from "./status-error.js";
import type { SolutionStore } from "./store.js";
import { StopReason } from "./task.js";

/** What solving needs from the service. */
export interface SolveDeps {
  store: SolutionStore;
  pool: SolverPool;
  logger: Logger;
  limits: { maxAgents: number; maxPairs: number };
}

/** The part of a grpc-js server call that solving watches: cancellation and deadline. */
export interface WatchedCall {
  readonly cancelled: boolean;
  getDeadline(): Date | number;
  on(event: "cancelled", listener: () => void): unknown;
  off(event: "cancelled", listener: () => void): unknown;
}

/** Outcome of a solve call: the encoded Solution (and SolveEvent), or a status to send. */
export type SolveReply = { ok: true; solution: Buffer; event: Buffer | null } | { ok: false; error: Partial<StatusObject> };

/** Default progress cadence of StreamSolveMarket, in iterations. */
export const DEFAULT_PROGRESS_INTERVAL = 10;

const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * A cancellation this close to the deadline is the deadline: the client's own deadline timer
 * cancels the call a little before the server's copy of the deadline (the timeout header counted
 * from receipt) runs out.
 */
const DEADLINE_SLACK_MS = 50;

function deadlineMs(call: WatchedCall): number {
  const deadline = call.getDeadline();
  return deadline instanceof Date ? deadline.getTime() : deadline;
}

function deadlinePassed(call: WatchedCall): boolean {
  return Date.now() >= deadlineMs(call) - DEADLINE_SLACK_MS;
}

function toBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Stops the job when the call is cancelled or its deadline passes; returns the unlinking function. */
function linkStop(call: WatchedCall, job: SolveJob): () => void {
  const deadline = deadlineMs(call);
  let timer: NodeJS.Timeout | undefined;
  if (Number.isFinite(deadline) && deadline - Date.now() < MAX_TIMER_MS) {
    timer = setTimeout(() => job.stop(StopReason.deadline), Math.max(0, deadline - Date.now()));
  }
  const onCancelled = (): void => job.stop(deadlinePassed(call) ? StopReason.deadline : StopReason.cancelled);
  call.on("cancelled", onCancelled);
  if (call.cancelled) onCancelled();
  return () => {
    if (timer !== undefined) clearTimeout(timer);
    call.off("cancelled", onCancelled);
  };
}

/** The status of a call whose client went away: DEADLINE_EXCEEDED once the deadline has passed, else CANCELLED. */
export function goneStatus(call: WatchedCall): number {
  return deadlinePassed(call) ? status.DEADLINE_EXCEEDED : status.CANCELLED;
}

/**
 * Runs one SolveMarket / StreamSolveMarket request: checks it, looks up the warm start, solves it
 * on the pool (stopping on cancellation or deadline), stores the solution and returns it encoded.
 * Expected failures come back as a status; it rejects only on a programming error.
 */
export async function solveCall(
  request: SolveMarketRequest,
  call: WatchedCall,
  deps: SolveDeps,
  log: RequestLog,
  onProgress?: (progress: SolveProgress) => void,
): Promise<SolveReply> {
  const receivedMs = Date.now();
  const market = request.market;
  if (!market) return { ok: false, error: statusError(status.INVALID_ARGUMENT, "market: required", [{ field: "market", description: "required" }]) };
  log.set({ market: market.name, agents: market.agents?.length ?? 0 });
  const interval = request.progressInterval ?? 0;
  if (!Number.isInteger(interval) || interval < 0) {
    const description = `must be a non-negative integer, got ${interval}`;
    return { ok: false, error: statusError(status.INVALID_ARGUMENT, `progressInterval: ${description}`, [{ field: "progressInterval", description }]) };
  }
  const settings = request.settings ?? null;
  let warmStart: Uint8Array | null = null;
  const warmId = settings?.warmStartSolutionId ?? "";
  if (warmId !== "") {
    const iterate = deps.store.iterate(warmId);
    const field = "settings.warmStartSolutionId";
    if (iterate === undefined) {
      const description = `no stored solution with id ${JSON.stringify(warmId)}`;
      return { ok: false, error: statusError(status.NOT_FOUND, `${field}: ${description}`, [{ field, description }]) };
    }
    if (iterate === null) {
      const description = `stored solution ${JSON.stringify(warmId)} has no iterate to start from`;
      return { ok: false, error: statusError(status.FAILED_PRECONDITION, `${field}: ${description}`, [{ field, description }]) };
    }
    warmStart = iterate;
  }

  const id = newSolutionId(receivedMs);
  let job: SolveJob;
  try {
    job = deps.pool.solve(
      {
        id,
        market,
        settings,
        warmStart,
        progressInterval: interval === 0 ? DEFAULT_PROGRESS_INTERVAL : interval,
        limits: deps.limits,
        encodeEvent: onProgress !== undefined,
      },
      onProgress,
    );
  } catch (err) {
    if (err instanceof QueueFullError) return { ok: false, error: statusError(status.RESOURCE_EXHAUSTED, err.message) };
    throw err;
  }
  const unlink = linkStop(call, job);
  let result;
  try {
    result = await job.result;
  } catch (err) {
    deps.logger.error("solver worker failed", { solutionId: id, error: (err as Error).message, stack: (err as Error).stack });
    return { ok: false, error: statusError(status.INTERNAL, `the solver worker failed: ${(err as Error).message}`) };
  } finally {
    unlink();
  }

  if (result.kind === "skipped") {
    return { ok: false, error: statusError(goneStatus(call), "the request was stopped before it was solved; nothing was stored") };
  }
  if (result.kind === "failed") {
    const { failure } = result;
    if (failure.stack) deps.logger.error("solve failed", { solutionId: id, error: failure.message, stack: failure.stack });
    return { ok: false, error: statusError(failure.code, failure.message, failure.violations) };
  }
  const s = result.summary;
  log.set({ solutionId: id, agents: s.agentCount, pairs: s.pairCount, status: s.status, iterations: s.iterations });
  try {
    deps.store.insert({
      id,
      createMs: result.createMs,
      createTime: result.createTime,
      marketName: market.name,
      status: s.status,
      iterations: s.iterations,
      agentCount: s.agentCount,
      pairCount: s.pairCount,
      solveTimeS: s.solveTimeS,
      setupTimeS: s.setupTimeS,
      queueMs: Math.max(0, result.startMs - receivedMs),
      totalMs: Date.now() - receivedMs,
      request: result.request,
      summary: result.basic,
      solution: result.solution,
      iterate: result.iterate,
    });
  } catch (err) {
    deps.logger.error("cannot store solution", { solutionId: id, error: (err as Error).message });
    return { ok: false, error: statusError(status.INTERNAL, `solved, but the solution could not be stored: ${(err as Error).message}`) };
  }
  return { ok: true, solution: toBuffer(result.solution), event: result.event === null ? null : toBuffer(result.event) };
}
