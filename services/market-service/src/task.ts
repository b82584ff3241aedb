import type { MessagePort } from "node:worker_threads";
import type { SolveProgress } from "@peermarket/model";

/**
 * The contract between the service and its worker threads. Workers return encoded protobuf blobs
 * (ready to send and to store), so no Solution object crosses the thread boundary.
 */

/** Why a solve was asked to stop: the value stored in its stop flag (0: keep going). */
export const StopReason = {
  none: 0,
  cancelled: 1,
  deadline: 2,
  shutdown: 3,
} as const;
export type StopReason = (typeof StopReason)[keyof typeof StopReason];

/** Words for each stop reason, used as the status message of a cancelled solve. */
export const STOP_MESSAGES: Record<number, string> = {
  [StopReason.cancelled]: "cancelled by the client",
  [StopReason.deadline]: "stopped at the call's deadline",
  [StopReason.shutdown]: "cancelled: the service is shutting down",
};

/** A field that made a request invalid (google.rpc.BadRequest.FieldViolation). */
export interface FieldViolation {
  field: string;
  description: string;
}

/** A task that failed for a reason the client should hear about, with its gRPC status code. */
export interface TaskFailure {
  code: number;
  message: string;
  violations: FieldViolation[];
  /** Stack of an unexpected error, for the log only. */
  stack?: string;
}

/** Input of the `solve` worker task. */
export interface SolveTask {
  id: string;
  /** The encoded peermarket.v1.SolveMarketRequest as received (the worker decodes it). */
  request: Uint8Array;
  /** Encoded iterate of the stored solution to warm start from. */
  warmStart: Uint8Array | null;
  /** Progress cadence in iterations, and where to post it (null: no progress wanted). */
  progressInterval: number;
  progressPort: MessagePort | null;
  /**
   * Int32Array(1) over this buffer: progress messages the service thread has handled. The worker
   * keeps at most PROGRESS_WINDOW messages in flight beyond it and coalesces the rest (the latest
   * is kept and sent when there is room, and at the end), so a slow consumer never floods the
   * event loop nor the port's queue.
   */
  progressAck: SharedArrayBuffer | null;
  /** Int32Array(1) over this buffer: the StopReason; the engine polls it once per iteration. */
  stop: SharedArrayBuffer;
  limits: { maxAgents: number; maxPairs: number };
  /** Server-side cap of settings.timeLimitS in seconds (0: none). */
  maxTimeLimitS: number;
  /** Also encode the final peermarket.v1.SolveEvent (for StreamSolveMarket). */
  encodeEvent: boolean;
  /** 1 for the first run of a request, 2 when it is run again after its worker died. */
  attempt: number;
  /**
   * Largest reply the service may send (its gRPC message limit): a Solution over it is replied
   * with the trades that carry power, as many as fit (Solution.trades_truncated). Default 64 MiB.
   */
  maxReplyBytes?: number;
}

/** What the service needs to know about a finished solve, besides its blobs. */
export interface SolveSummary {
  status: string;
  iterations: number;
  agentCount: number;
  pairCount: number;
  solveTimeS: number;
  setupTimeS: number;
}

/** Output of the `solve` worker task. */
export type SolveTaskResult =
  | {
      kind: "solved";
      summary: SolveSummary;
      /** When the worker picked the task up (ms since the epoch). */
      startMs: number;
      createMs: number;
      createTime: string;
      /** Encoded Solution (full and BASIC), iterate, and SolveEvent (or null). */
      solution: Uint8Array;
      /** The Solution as the reply carries it when the full one is over the message limit (else null: the full one). */
      reply: Uint8Array | null;
      basic: Uint8Array;
      iterate: Uint8Array | null;
      event: Uint8Array | null;
    }
  | { kind: "skipped"; reason: StopReason }
  /** Stopped during set-up (deadline, cancellation, shutdown) before the engine ran: nothing to store. */
  | { kind: "stopped"; reason: StopReason; stage: string; message: string }
  | { kind: "failed"; failure: TaskFailure };

/** Input of the `charges` worker task: the stored request and solution. */
export interface ChargesTask {
  solutionId: string;
  request: Uint8Array;
  solution: Uint8Array;
}

/** Output of the `charges` worker task: an encoded NetworkChargeReport. */
export type ChargesTaskResult = { kind: "report"; report: Uint8Array } | { kind: "failed"; failure: TaskFailure };

/** Progress messages a worker may have posted and not yet seen handled. */
export const PROGRESS_WINDOW = 16;

/** Messages on a solve's progress port. `end` is always the last. */
export type ProgressMessage = { type: "progress"; progress: SolveProgress } | { type: "end" };
