import { status } from "@grpc/grpc-js";
import { MarketValidationError, ScenarioError } from "@peermarket/model";
import { WarmStartMismatchError } from "@peermarket/market";
import type { FieldViolation, TaskFailure } from "./task.js";

/** Field paths of the market are reported relative to the request (`market.agents[2].powerMin`). */
function marketPath(path: string): string {
  if (path === "") return "market";
  return path.startsWith("[") ? `market${path}` : `market.${path}`;
}

/** SolverSettings fields by the names the engine's messages use (OSQP's snake_case). */
const SETTING_FIELDS: Record<string, string> = {
  rho: "rho",
  eps_abs: "epsAbs",
  eps_rel: "epsRel",
  max_iter: "maxIter",
  time_limit: "timeLimitS",
  time_limit_s: "timeLimitS",
  adaptive_rho: "adaptiveRho",
  alpha: "alpha",
  workers: "workers",
  check_termination: "checkTermination",
};

/** `settings.<field>` when the message starts with the name of a setting, else `settings`. */
function settingPath(message: string): string {
  const name = /^([a-z_]+)\b/.exec(message)?.[1];
  const field = name === undefined ? undefined : SETTING_FIELDS[name];
  return field === undefined ? "settings" : `settings.${field}`;
}

function summarise(violations: FieldViolation[]): string {
  const [first, ...rest] = violations;
  const head = `${first.field}: ${first.description}`;
  return rest.length === 0 ? head : `${head} (and ${rest.length} more: see the field violations)`;
}

/**
 * Maps an error thrown by the clearing pipeline to the status a client should get:
 * invalid markets and settings → INVALID_ARGUMENT with the field paths, a warm start from another
 * market → FAILED_PRECONDITION, anything else → INTERNAL (details kept for the log).
 */
export function classifyError(err: unknown): TaskFailure {
  if (err instanceof MarketValidationError) {
    const violations = err.issues.map((issue) => ({ field: marketPath(issue.path), description: issue.message }));
    if (violations.length === 0) violations.push({ field: "market", description: err.message });
    return { code: status.INVALID_ARGUMENT, message: summarise(violations), violations };
  }
  if (err instanceof ScenarioError) {
    // A MATPOWER field (mpc.gen) is inside the network's case text; its position is in the message.
    const inCase = err.path.startsWith("mpc.") || (err.path === "" && err.line !== undefined);
    const field = inCase ? "market.network" : marketPath(err.path);
    const description = inCase || err.path === "" ? err.message : err.detail;
    const violations = [{ field, description }];
    return { code: status.INVALID_ARGUMENT, message: summarise(violations), violations };
  }
  if (err instanceof WarmStartMismatchError) {
    const violations = [{ field: "settings.warmStartSolutionId", description: err.message }];
    return { code: status.FAILED_PRECONDITION, message: summarise(violations), violations };
  }
  if (err instanceof RangeError) {
    const violations = [{ field: settingPath(err.message), description: err.message }];
    return { code: status.INVALID_ARGUMENT, message: summarise(violations), violations };
  }
  const e = err instanceof Error ? err : new Error(String(err));
  return { code: status.INTERNAL, message: `internal error: ${e.message}`, violations: [], stack: e.stack };
}
