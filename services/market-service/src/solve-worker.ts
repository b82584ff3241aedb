/**
 * Worker-thread side of the solver pool (Piscina). Decodes the request, runs the clearing pipeline
 * and returns encoded protobuf blobs: the service thread only stores and forwards them.
 */
import { status } from "@grpc/grpc-js";
import { decodeIterate, encodeIterate, networkChargeReport, solveMarket } from "@peermarket/market";
import { CancelledError, DeadlineExceededError, SolveAbortedError, TimeLimitExceededError } from "@peermarket/network";
import type { MessagePort } from "node:worker_threads";
import type { Solution, SolverSettings, SolveProgress } from "@peermarket/model";
import { classifyError } from "./classify-error.js";
import { solutionWithoutResult } from "./empty-solution.js";
import { faultsFromEnv, withFault } from "./fault.js";
import type { SolveMarketRequest } from "@peermarket/model";
import { marketServiceDefinition, messageCodec } from "./proto.js";
import {
  PROGRESS_WINDOW,
  STOP_MESSAGES,
  StopReason,
  type ChargesTask,
  type ChargesTaskResult,
  type ProgressMessage,
  type SolveTask,
  type SolveTaskResult,
  type TaskFailure,
} from "./task.js";
import { replySolution, solutionReplyEstimate } from "./solution-trades.js";
import { checkRequest, requestBudget, wrapField } from "./wire.js";

const codec = messageCodec();
const service = marketServiceDefinition();
const faults = faultsFromEnv();
/** Field number of `solution` in peermarket.v1.SolveEvent. */
const SOLVE_EVENT_SOLUTION = 2;

/** A copy that owns exactly its bytes (a pooled Buffer would drag its whole pool through postMessage). */
function exact(bytes: Uint8Array): Uint8Array {
  return bytes.slice();
}

/** The request's settings with the server's cap on the time limit applied. */
export function cappedSettings(
  settings: SolverSettings | null | undefined,
  maxTimeLimitS: number,
): SolverSettings | null {
  if (!(maxTimeLimitS > 0)) return settings ?? null;
  const requested = settings?.timeLimitS;
  const limit = typeof requested === "number" && requested > 0 ? Math.min(requested, maxTimeLimitS) : maxTimeLimitS;
  return { ...(settings ?? ({} as SolverSettings)), timeLimitS: limit };
}

/** Default largest reply (gRPC's message limit of the service), when the task does not say. */
const DEFAULT_MAX_REPLY_BYTES = 64 * 1024 * 1024;

/** Throws the typed error of a stop request (the call's deadline, cancellation, shutdown). */
function stopCheck(stop: Int32Array): (stage: string) => void {
  return (stage) => {
    const reason = Atomics.load(stop, 0) as StopReason;
    if (reason === StopReason.none) return;
    if (reason === StopReason.deadline) throw new DeadlineExceededError(STOP_MESSAGES[reason], stage);
    throw new CancelledError(STOP_MESSAGES[reason], stage, reason === StopReason.shutdown ? "shutdown" : "cancelled");
  };
}

/** Whether the caller of a stopped solve is gone (cancelled, or past its deadline): nobody reads the reply. */
function callerGone(stop: Int32Array): boolean {
  const reason = Atomics.load(stop, 0);
  return reason === StopReason.cancelled || reason === StopReason.deadline;
}

/**
 * The reply a Solution of these agents cannot fit in (RESOURCE_EXHAUSTED before solving), or null:
 * a reply always carries every agent; trades beyond the limit are left to ListSolutionTrades.
 */
function unsendable(market: { agents: { id: string }[]; grid?: unknown }, maxReplyBytes: number): TaskFailure | null {
  let idBytes = 0;
  for (const a of market.agents) idBytes += Buffer.byteLength(a.id ?? "", "utf8");
  const agents = market.agents.length + (market.grid ? 2 : 0);
  const estimate = solutionReplyEstimate(idBytes + 24, agents);
  if (estimate <= maxReplyBytes) return null;
  const description = `the Solution of ${agents} agents would take about ${estimate} bytes without its trades, over the service's message limit of ${maxReplyBytes} bytes (max-message-bytes): it could not be sent; split the market or raise the limit`;
  return {
    code: status.RESOURCE_EXHAUSTED,
    message: `market.agents: ${description}`,
    violations: [{ field: "market.agents", description }],
  };
}

/**
 * Posts progress to the service thread with at most PROGRESS_WINDOW messages unhandled: beyond
 * that the latest report is kept (older ones are dropped) and posted when the service thread has
 * caught up, or by `flush` at the end — so the last report always arrives.
 */
function progressSender(
  port: MessagePort,
  ack: SharedArrayBuffer | null,
): { report: (p: SolveProgress) => void; flush: () => void } {
  const handled = ack === null ? null : new Int32Array(ack);
  let posted = 0;
  let pending: SolveProgress | null = null;
  const post = (p: SolveProgress): void => {
    posted++;
    port.postMessage({ type: "progress", progress: p } satisfies ProgressMessage);
  };
  return {
    report(p) {
      if (handled !== null && posted - Atomics.load(handled, 0) >= PROGRESS_WINDOW) {
        pending = p;
        return;
      }
      pending = null;
      post(p);
    },
    flush() {
      if (pending !== null) post(pending);
      pending = null;
    },
  };
}

/** Clears one market. Never throws: failures come back classified. */
export async function solve(task: SolveTask): Promise<SolveTaskResult> {
  const stop = new Int32Array(task.stop);
  const port = task.progressPort;
  const startMs = Date.now();
  const startPerf = performance.now();
  const maxReplyBytes = task.maxReplyBytes ?? DEFAULT_MAX_REPLY_BYTES;
  let marketName = "";
  const progress = port === null ? null : progressSender(port, task.progressAck);
  try {
    const before = Atomics.load(stop, 0) as StopReason;
    if (before !== StopReason.none) return { kind: "skipped", reason: before };
    // Bounded before decoding (fields, depth, objects per repeated field): WireFormatError or
    // LimitError, classified below; a request that passes decodes without error.
    checkRequest(task.request, requestBudget(task.limits));
    const request: SolveMarketRequest = codec.decodeRequest(task.request);
    const market = request.market;
    if (!market)
      return {
        kind: "failed",
        failure: {
          code: status.INVALID_ARGUMENT,
          message: "market: required",
          violations: [{ field: "market", description: "required" }],
        },
      };
    marketName = market.name;
    const tooLarge = unsendable(market, maxReplyBytes);
    if (tooLarge) return { kind: "failed", failure: tooLarge };
    const outcome = await solveMarket(market, {
      settings: cappedSettings(request.settings, task.maxTimeLimitS) ?? undefined,
      warmStart: task.warmStart === null ? undefined : decodeIterate(task.warmStart),
      onProgress: progress === null ? undefined : progress.report,
      progressInterval: task.progressInterval,
      shouldStop: withFault(() => Atomics.load(stop, 0) !== StopReason.none, faults, market.name, task.attempt),
      limits: task.limits,
      check: stopCheck(stop),
      startMs: startPerf,
      omitResultsWhenCancelled: () => callerGone(stop),
    });
    const createMs = Date.now();
    const solution: Solution = {
      ...outcome.solution,
      id: task.id,
      createTime: new Date(createMs).toISOString(),
      marketName: market.name,
    };
    const reason = Atomics.load(stop, 0);
    if (solution.status === "SOLVE_STATUS_CANCELLED" && reason !== StopReason.none) {
      solution.statusMessage = solution.statusMessage
        ? `${STOP_MESSAGES[reason]} (${solution.statusMessage})`
        : STOP_MESSAGES[reason];
    }
    // A caller gone while the solution was built: keep the summary, not every trade.
    if (callerGone(stop) && solution.trades.length > 0) {
      solution.trades = [];
      solution.agents = [];
      solution.statusMessage = `${solution.statusMessage ? `${solution.statusMessage}; ` : ""}agents and trades not stored: the caller was gone`;
    }
    const full = exact(codec.encodeSolution(solution));
    const reply = replySolution(full, maxReplyBytes, task.encodeEvent ? 6 : 0);
    if (reply === null) {
      const description = `the Solution without its trades is over the service's message limit of ${maxReplyBytes} bytes`;
      return {
        kind: "failed",
        failure: {
          code: status.RESOURCE_EXHAUSTED,
          message: `market.agents: ${description}`,
          violations: [{ field: "market.agents", description }],
        },
      };
    }
    return {
      kind: "solved",
      summary: {
        status: solution.status,
        iterations: solution.iterations,
        agentCount: solution.agents.length,
        pairCount: solution.pairCount,
        solveTimeS: solution.solveTimeS,
        setupTimeS: solution.setupTimeS,
      },
      startMs,
      createMs,
      createTime: solution.createTime,
      solution: full,
      reply: reply === full ? null : exact(reply),
      basic: exact(codec.encodeSolution({ ...solution, agents: [], trades: [] })),
      iterate: exact(encodeIterate(outcome.iterate)),
      event: task.encodeEvent ? wrapField(SOLVE_EVENT_SOLUTION, reply) : null,
    };
  } catch (err) {
    if (err instanceof TimeLimitExceededError) return timeLimitSolution(task, err, startMs, marketName);
    if (err instanceof SolveAbortedError)
      return { kind: "stopped", reason: stopReasonOf(stop, err), stage: err.stage, message: err.message };
    return { kind: "failed", failure: classifyError(err) };
  } finally {
    progress?.flush();
    if (port !== null) {
      port.postMessage({ type: "end" } satisfies ProgressMessage);
      port.close();
    }
  }
}

function stopReasonOf(stop: Int32Array, err: SolveAbortedError): StopReason {
  const flagged = Atomics.load(stop, 0) as StopReason;
  if (flagged !== StopReason.none) return flagged;
  return err.reason === "deadline"
    ? StopReason.deadline
    : err.reason === "shutdown"
      ? StopReason.shutdown
      : StopReason.cancelled;
}

/**
 * The time limit ran out before the engine could iterate (set-up took it all): a Solution with
 * status TIME_LIMIT_REACHED, no iterations, no agents and no trades, saying where the time went.
 */
function timeLimitSolution(
  task: SolveTask,
  err: TimeLimitExceededError,
  startMs: number,
  marketName: string,
): SolveTaskResult {
  const createMs = Date.now();
  const setup = (createMs - startMs) / 1000;
  const solution = solutionWithoutResult({
    id: task.id,
    status: "SOLVE_STATUS_TIME_LIMIT_REACHED",
    statusMessage: err.message,
    setupTimeS: setup,
    marketName,
    createTime: new Date(createMs).toISOString(),
  });
  const full = exact(codec.encodeSolution(solution));
  return {
    kind: "solved",
    summary: { status: solution.status, iterations: 0, agentCount: 0, pairCount: 0, solveTimeS: 0, setupTimeS: setup },
    startMs,
    createMs,
    createTime: solution.createTime,
    solution: full,
    reply: null,
    basic: full,
    iterate: null,
    event: task.encodeEvent ? wrapField(SOLVE_EVENT_SOLUTION, full) : null,
  };
}

/** The DSO report of a stored solution. Never throws: failures come back classified. */
export function charges(task: ChargesTask): ChargesTaskResult {
  try {
    const request = codec.decodeRequest(task.request);
    const solution = codec.decodeSolution(task.solution);
    if (!request.market) throw new Error(`stored solution ${task.solutionId} has no market`);
    if (solution.agents.length === 0 && request.market.agents.length > 0) {
      const description = `solution ${task.solutionId} holds no dispatch to report on (${solution.status}: ${solution.statusMessage})`;
      return {
        kind: "failed",
        failure: {
          code: status.FAILED_PRECONDITION,
          message: `solutionId: ${description}`,
          violations: [{ field: "solutionId", description }],
        },
      };
    }
    const report = { ...networkChargeReport(request.market, solution), solutionId: task.solutionId };
    return { kind: "report", report: exact(service.GetNetworkCharges.responseSerialize(report)) };
  } catch (err) {
    return { kind: "failed", failure: classifyError(err) };
  }
}

/** Loads the worker's modules; the pool runs it once per thread at start-up. */
export function ping(): boolean {
  return true;
}
