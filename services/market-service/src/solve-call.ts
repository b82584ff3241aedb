import { status, type StatusObject } from "@grpc/grpc-js";
import type { SolveProgress } from "@peermarket/model";
import { mayReadFull } from "./access.js";
import type { Principal } from "./auth.js";
import type { ClientLimiter } from "./client-limiter.js";
import type { Logger } from "./logger.js";
import { newSolutionId } from "./ids.js";
import { QueueFullError, type SolveInput, type SolveJob, type SolverPool } from "./pool.js";
import type { MessageCodec } from "./proto.js";
import type { RequestLog } from "./request-log.js";
import { boundaryStatus, settingsStatus, workerOutOfMemory } from "./request-boundary.js";
import { solutionNotFound, statusError } from "./status-error.js";
import { storeFailureStatus } from "./store-errors.js";
import type { SolutionStore } from "./store.js";
import { StopReason, type SolveTaskResult } from "./task.js";
import { outlineRequestAsync, requestBudget } from "./wire.js";

/** What solving needs from the service. */
export interface SolveDeps {
  store: SolutionStore;
  pool: SolverPool;
  codec: MessageCodec;
  logger: Logger;
  limits: SolveLimits;
  clients: ClientLimiter;
}

/** Limits applied to every solve. */
export interface SolveLimits {
  maxAgents: number;
  maxPairs: number;
  /** Cap of settings.timeLimitS, in seconds (0: none). */
  maxTimeLimitS: number;
  /** The service's gRPC message limit: the largest reply (default 64 MiB). */
  maxMessageBytes?: number;
}

/** Who asks for a solve: the authenticated principal, and the key of the per-client limit. */
export interface SolveCaller {
  principal: Principal;
  client: string;
}

/** The part of a grpc-js server call that solving watches: cancellation and deadline. */
export interface WatchedCall {
  readonly cancelled: boolean;
  getDeadline(): Date | number;
  on(event: "cancelled", listener: () => void): unknown;
  off(event: "cancelled", listener: () => void): unknown;
}

/** Outcome of a solve call: the encoded Solution (and SolveEvent), or a status to send. */
export type SolveReply =
  | { ok: true; solution: Buffer; event: Buffer | null }
  | { ok: false; error: Partial<StatusObject> };

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

/** Runs the task on the pool; when its worker dies, runs it once more (unless it was asked to stop). */
async function runOnPool(
  deps: SolveDeps,
  call: WatchedCall,
  input: Omit<SolveInput, "attempt">,
  onProgress: ((progress: SolveProgress) => void) | undefined,
  id: string,
): Promise<{ result: SolveTaskResult } | { error: Partial<StatusObject> }> {
  for (let attempt = 1; ; attempt++) {
    let job: SolveJob;
    try {
      job = deps.pool.solve({ ...input, attempt }, onProgress);
    } catch (err) {
      if (err instanceof QueueFullError) return { error: statusError(status.RESOURCE_EXHAUSTED, err.message) };
      throw err;
    }
    const unlink = linkStop(call, job);
    try {
      return { result: await job.result };
    } catch (err) {
      const message = (err as Error)?.message ?? String(err);
      deps.logger.error("solver worker died", { solutionId: id, attempt, error: message });
      const overHeap = workerOutOfMemory(err);
      if (overHeap !== null) return { error: overHeap };
      if (attempt >= 2 || job.stopped()) {
        return {
          error: statusError(
            status.INTERNAL,
            `the solver worker died ${attempt === 1 ? "" : "twice "}while solving (${message}); nothing was stored`,
          ),
        };
      }
    } finally {
      unlink();
    }
  }
}

function invalid(field: string, description: string): { ok: false; error: Partial<StatusObject> } {
  return {
    ok: false,
    error: statusError(status.INVALID_ARGUMENT, `${field}: ${description}`, [{ field, description }]),
  };
}

/**
 * Runs one SolveMarket / StreamSolveMarket request (its encoded bytes): checks it, looks up the warm
 * start, takes one of the client's slots, records the solve as running, solves it on the pool
 * (stopping on cancellation or deadline; once more if its worker dies), stores the solution and
 * returns it encoded. Expected failures come back as a status; it rejects only on a programming error.
 */
export async function solveCall(
  bytes: Uint8Array,
  call: WatchedCall,
  deps: SolveDeps,
  caller: SolveCaller,
  log: RequestLog,
  onProgress?: (progress: SolveProgress) => void,
): Promise<SolveReply> {
  const receivedMs = Date.now();
  let outline;
  try {
    outline = await outlineRequestAsync(bytes, requestBudget(deps.limits));
  } catch (err) {
    const rejected = boundaryStatus(err);
    if (rejected !== undefined) return { ok: false, error: rejected };
    throw err;
  }
  if (!outline.hasMarket) return invalid("market", "required");
  log.set({ market: outline.marketName, agents: outline.agentCount });
  // checked against the schema by outlineRequest: decoding it cannot fail on the client's account
  const header = deps.codec.decodeRequest(outline.withoutMarket);
  const interval = header.progressInterval ?? 0;
  if (!Number.isInteger(interval) || interval < 0)
    return invalid("progressInterval", `must be a non-negative integer, got ${interval}`);
  const badSettings = settingsStatus(header.settings);
  if (badSettings !== null) return { ok: false, error: badSettings };
  let warmStart: Uint8Array | null = null;
  const warmId = header.settings?.warmStartSolutionId ?? "";
  if (warmId !== "") {
    const field = "settings.warmStartSolutionId";
    const owner = deps.store.tenantOf(warmId);
    if (owner === undefined) return { ok: false, error: solutionNotFound(field, warmId) };
    if (!mayReadFull(caller.principal, owner)) {
      return {
        ok: false,
        error: statusError(
          status.PERMISSION_DENIED,
          `${field}: solution ${JSON.stringify(warmId)} belongs to another tenant`,
        ),
      };
    }
    const iterate = deps.store.iterate(warmId);
    if (iterate === null || iterate === undefined) {
      const description = `stored solution ${JSON.stringify(warmId)} has no iterate to start from`;
      return {
        ok: false,
        error: statusError(status.FAILED_PRECONDITION, `${field}: ${description}`, [{ field, description }]),
      };
    }
    warmStart = iterate;
  }

  if (!deps.clients.acquire(caller.client)) {
    return {
      ok: false,
      error: statusError(
        status.RESOURCE_EXHAUSTED,
        `this client already has ${deps.clients.max} solves running or queued (the per-client limit); retry when one has finished`,
      ),
    };
  }
  const id = newSolutionId(receivedMs);
  const tenant = caller.principal.tenant;
  try {
    try {
      await deps.store.started({ id, createMs: receivedMs, marketName: outline.marketName, tenant, request: bytes });
    } catch (err) {
      const failure = storeFailureStatus(err, "the request was not solved");
      deps.logger.error("store write failed", { solutionId: id, error: (err as Error).message });
      return { ok: false, error: statusError(failure.code, failure.message) };
    }
    const forget = (): void => {
      deps.store
        .abandoned(id)
        .catch((err: unknown) =>
          deps.logger.error("store write failed", { solutionId: id, error: (err as Error).message }),
        );
    };
    const run = await runOnPool(
      deps,
      call,
      {
        id,
        request: bytes,
        warmStart,
        progressInterval: interval === 0 ? DEFAULT_PROGRESS_INTERVAL : interval,
        limits: { maxAgents: deps.limits.maxAgents, maxPairs: deps.limits.maxPairs },
        maxTimeLimitS: deps.limits.maxTimeLimitS,
        encodeEvent: onProgress !== undefined,
        maxReplyBytes: deps.limits.maxMessageBytes,
      },
      onProgress,
      id,
    );
    if ("error" in run) {
      forget();
      return { ok: false, error: run.error };
    }
    const result = run.result;
    if (result.kind === "skipped") {
      forget();
      return {
        ok: false,
        error: statusError(goneStatus(call), "the request was stopped before it was solved; nothing was stored"),
      };
    }
    if (result.kind === "stopped") {
      forget();
      const code = result.reason === StopReason.shutdown ? status.CANCELLED : goneStatus(call);
      return { ok: false, error: statusError(code, `${result.message}; nothing was stored`) };
    }
    if (result.kind === "failed") {
      forget();
      const { failure } = result;
      if (failure.stack)
        deps.logger.error("solve failed", { solutionId: id, error: failure.message, stack: failure.stack });
      return { ok: false, error: statusError(failure.code, failure.message, failure.violations) };
    }
    const s = result.summary;
    log.set({ solutionId: id, agents: s.agentCount, pairs: s.pairCount, status: s.status, iterations: s.iterations });
    try {
      await deps.store.finished({
        id,
        createMs: result.createMs,
        createTime: result.createTime,
        marketName: outline.marketName,
        tenant,
        status: s.status,
        iterations: s.iterations,
        agentCount: s.agentCount,
        pairCount: s.pairCount,
        solveTimeS: s.solveTimeS,
        setupTimeS: s.setupTimeS,
        queueMs: Math.max(0, result.startMs - receivedMs),
        totalMs: Date.now() - receivedMs,
        request: bytes,
        summary: result.basic,
        solution: result.solution,
        iterate: result.iterate,
      });
    } catch (err) {
      forget();
      const failure = storeFailureStatus(err, "solved, but the solution could not be stored");
      deps.logger.error("store write failed", { solutionId: id, error: (err as Error).message });
      return { ok: false, error: statusError(failure.code, failure.message) };
    }
    return {
      ok: true,
      solution: toBuffer(result.reply ?? result.solution),
      event: result.event === null ? null : toBuffer(result.event),
    };
  } finally {
    deps.clients.release(caller.client);
  }
}
