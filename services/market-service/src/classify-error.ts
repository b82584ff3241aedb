import { status } from "@grpc/grpc-js";
import { MarketValidationError, ScenarioError } from "@peermarket/model";
import { WarmStartMismatchError } from "@peermarket/market";
import { NetworkLimitError, SolveAbortedError } from "@peermarket/network";
import type { FieldViolation, TaskFailure } from "./task.js";
import { LimitError, WireFormatError } from "./wire.js";

/** Field paths of the market are reported relative to the request (`market.agents[2].powerMin`). */
function marketPath(path: string): string {
  if (path === "") return "market";
  return path.startsWith("[") ? `market${path}` : `market.${path}`;
}

function summarise(violations: FieldViolation[]): string {
  const [first, ...rest] = violations;
  const head = `${first.field}: ${first.description}`;
  return rest.length === 0 ? head : `${head} (and ${rest.length} more: see the field violations)`;
}

/** A failure of the client's input: its code, a message naming the first field, the violations. */
export function inputFailure(code: number, violations: FieldViolation[]): TaskFailure {
  return { code, message: summarise(violations), violations };
}

/**
 * Maps an error thrown by the clearing pipeline to the status a client should get, by the error's
 * type (the place that raised it knew what was wrong): an invalid market (MarketValidationError,
 * ScenarioError: the field path they carry) or malformed bytes (WireFormatError) →
 * INVALID_ARGUMENT; a request over a limit (LimitError) → RESOURCE_EXHAUSTED; a warm start from
 * another market → FAILED_PRECONDITION; anything else → INTERNAL (details kept for the log).
 * A RangeError is not bad input: input is checked where it is read (settings before the solve, the
 * wire before decoding, the MATPOWER text's nesting while it is parsed), so one reaching here —
 * a stack overflow included — is a fault of the service.
 */
export function classifyError(err: unknown): TaskFailure {
  if (err instanceof MarketValidationError) {
    const violations = err.issues.map((issue) => ({ field: marketPath(issue.path), description: issue.message }));
    if (violations.length === 0) violations.push({ field: "market", description: err.message });
    return inputFailure(status.INVALID_ARGUMENT, violations);
  }
  if (err instanceof ScenarioError) {
    // A MATPOWER field (mpc.gen) is inside the network's case text; its position is in the message.
    const inCase = err.path.startsWith("mpc.") || (err.path === "" && err.line !== undefined);
    const field = inCase ? "market.network" : marketPath(err.path);
    const description = inCase || err.path === "" ? err.message : err.detail;
    return inputFailure(status.INVALID_ARGUMENT, [{ field, description }]);
  }
  if (err instanceof WireFormatError) {
    return inputFailure(status.INVALID_ARGUMENT, [{ field: err.field, description: err.message }]);
  }
  if (err instanceof LimitError) {
    return inputFailure(status.RESOURCE_EXHAUSTED, [{ field: err.subject, description: err.description }]);
  }
  if (err instanceof NetworkLimitError) {
    // The network, or the electrical-distance work of the market's pairs over it, is over a limit.
    const field = err.limit === "maxDistanceWork" ? "market.charges" : "market.network";
    return inputFailure(status.RESOURCE_EXHAUSTED, [{ field, description: err.message.replace(/^charges: /, "") }]);
  }
  if (err instanceof SolveAbortedError) {
    const code =
      err.reason === "deadline"
        ? status.DEADLINE_EXCEEDED
        : err.reason === "time-limit"
          ? status.DEADLINE_EXCEEDED
          : status.CANCELLED;
    return { code, message: err.message, violations: [] };
  }
  if (err instanceof WarmStartMismatchError) {
    return inputFailure(status.FAILED_PRECONDITION, [
      { field: "settings.warmStartSolutionId", description: err.message },
    ]);
  }
  const e = err instanceof Error ? err : new Error(String(err));
  return { code: status.INTERNAL, message: `internal error: ${e.message}`, violations: [], stack: e.stack };
}
