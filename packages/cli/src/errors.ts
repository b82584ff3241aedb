import { SettingError } from "@peermarket/admm";
import { EXIT_CODES, MarketValidationError, ScenarioError, UsageError } from "@peermarket/model";

/** A usage error of the command line (the one class every command throws): one line, exit code 2. */
export { UsageError };

/** Exit codes of the command. */
export const EXIT = EXIT_CODES;

/** INVALID_ARGUMENT, NOT_FOUND, PERMISSION_DENIED, RESOURCE_EXHAUSTED, FAILED_PRECONDITION, OUT_OF_RANGE, UNAUTHENTICATED. */
const INPUT_STATUS = new Set([3, 5, 7, 8, 9, 11, 16]);

/**
 * The one-line message and exit code for an error of the user's input (bad flags, an invalid
 * market, a bad setting), or null for anything else (a bug: let it surface with its stack).
 */
export function inputError(err: unknown): string | null {
  if (err instanceof UsageError) return err.message;
  const code = (err as { code?: unknown })?.code;
  if (typeof code === "string" && code.startsWith("ERR_PARSE_ARGS")) return (err as Error).message;
  if (err instanceof MarketValidationError) return err.message;
  if (err instanceof ScenarioError) return err.message;
  if (err instanceof SettingError) return err.message;
  // A service's verdict on the caller's request (gRPC status codes): bad input, over a limit,
  // unknown id, missing or wrong credentials. Anything else from a server is not the user's input.
  const grpcErr = err as { code?: number; details?: string };
  if (typeof grpcErr?.code === "number" && typeof grpcErr.details === "string" && INPUT_STATUS.has(grpcErr.code))
    return grpcErr.details;
  return null;
}

const GRPC_STATUS = [
  "OK",
  "CANCELLED",
  "UNKNOWN",
  "INVALID_ARGUMENT",
  "DEADLINE_EXCEEDED",
  "NOT_FOUND",
  "ALREADY_EXISTS",
  "PERMISSION_DENIED",
  "RESOURCE_EXHAUSTED",
  "FAILED_PRECONDITION",
  "ABORTED",
  "OUT_OF_RANGE",
  "UNIMPLEMENTED",
  "INTERNAL",
  "UNAVAILABLE",
  "DATA_LOSS",
  "UNAUTHENTICATED",
];

/** The name of a gRPC status code (e.g. 14 → UNAVAILABLE). */
export function grpcStatusName(code: number): string {
  return GRPC_STATUS[code] ?? `status ${code}`;
}
