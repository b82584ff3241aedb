/**
 * Stopping long set-up work (network matrices, distances, expansion) when the request it serves
 * is over: the caller passes an `AbortCheck`, which the work calls every so often and which throws
 * one of the errors below. The errors are typed so that a service can map them to its statuses
 * (DEADLINE_EXCEEDED, CANCELLED, or a solution with status TIME_LIMIT_REACHED).
 */

/** Why work was stopped. */
export type AbortReason = "deadline" | "cancelled" | "time-limit" | "shutdown";

/** Work stopped before it finished; `stage` names what was being done. */
export class SolveAbortedError extends Error {
  constructor(
    readonly reason: AbortReason,
    message: string,
    readonly stage = "",
  ) {
    super(stage === "" ? message : `${message} (while ${stage})`);
    this.name = "SolveAbortedError";
  }
}

/** The request's deadline passed. */
export class DeadlineExceededError extends SolveAbortedError {
  constructor(message = "the deadline passed", stage = "") {
    super("deadline", message, stage);
    this.name = "DeadlineExceededError";
  }
}

/** The request was cancelled (by its client, or by the service shutting down: `reason` says which). */
export class CancelledError extends SolveAbortedError {
  constructor(message = "cancelled", stage = "", reason: "cancelled" | "shutdown" = "cancelled") {
    super(reason, message, stage);
    this.name = "CancelledError";
  }
}

/** The solve's own time limit (settings.time_limit_s) ran out before the engine could iterate. */
export class TimeLimitExceededError extends SolveAbortedError {
  constructor(message = "the time limit was reached", stage = "") {
    super("time-limit", message, stage);
    this.name = "TimeLimitExceededError";
  }
}

/**
 * Called by long work every so often; throws a SolveAbortedError when the work must stop.
 * `stage` names the work being done, for the error message.
 */
export type AbortCheck = (stage: string) => void;

/** An AbortCheck that never stops anything. */
export const neverAbort: AbortCheck = () => {};

/**
 * Calls `check` once every `every` ticks, so that a tight loop can tick at every step for the
 * price of a counter decrement.
 */
export class AbortTicker {
  private left: number;
  constructor(
    private readonly check: AbortCheck,
    private readonly stage: string,
    private readonly every = 4096,
  ) {
    this.left = every;
  }

  /** Counts `n` units of work; checks when `every` have been counted since the last check. */
  tick(n = 1): void {
    this.left -= n;
    if (this.left <= 0) {
      this.left = this.every;
      this.check(this.stage);
    }
  }

  /** Checks now. */
  now(): void {
    this.check(this.stage);
  }
}
