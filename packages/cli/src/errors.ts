import { MarketValidationError, ScenarioError } from "@peermarket/model";

/** A usage error of the command line: printed as one line, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** Exit codes of the command. */
export const EXIT = { ok: 0, internal: 1, badInput: 2, notSolved: 3, verificationFailed: 4 } as const;

/**
 * The one-line message and exit code for an error of the user's input (bad flags, an invalid
 * market, a bad setting), or null for anything else (a bug: let it surface with its stack).
 */
export function inputError(err: unknown): string | null {
  if (err instanceof UsageError) return err.message;
  if (err instanceof MarketValidationError) return err.message;
  if (err instanceof ScenarioError) return err.message;
  if (err instanceof RangeError) return err.message;
  const grpcErr = err as { code?: number; details?: string };
  if (typeof grpcErr?.code === "number" && typeof grpcErr.details === "string") return grpcErr.details;
  return null;
}
