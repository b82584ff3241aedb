/**
 * Test-only fault injection for the solver threads, to check that a thread dying or throwing in
 * the middle of a solve fails only that request and that the pool recovers. Off unless the
 * environment variable PEERMARKET_FAULT_INJECTION is set (never set it in production):
 *
 *   PEERMARKET_FAULT_INJECTION="<kind>:<market name>:<iteration>[,<kind>:<market name>:<iteration>...]"
 *
 * `kind` is `exit` (the thread calls process.exit, which ends the worker thread, as a crash
 * would), `exit-once` (the same, only on a request's first run, so the retry succeeds) or
 * `throw` (the engine's stop check throws an Error). Only solves of the market with that name
 * are affected, at that iteration.
 */
export const FAULT_ENV = "PEERMARKET_FAULT_INJECTION";

/** A parsed fault specification. */
export interface FaultSpec {
  kind: "exit" | "exit-once" | "throw";
  marketName: string;
  iteration: number;
}

/** The faults asked for by the environment (empty when unset). @throws Error for a malformed value. */
export function faultsFromEnv(env: NodeJS.ProcessEnv = process.env): FaultSpec[] {
  const raw = env[FAULT_ENV];
  if (raw === undefined || raw === "") return [];
  return raw.split(",").map((item) => {
    const match = /^(exit|exit-once|throw):(.*):(\d+)$/.exec(item);
    if (!match)
      throw new Error(
        `${FAULT_ENV}: expected "<exit|exit-once|throw>:<market name>:<iteration>", got ${JSON.stringify(item)}`,
      );
    return { kind: match[1] as FaultSpec["kind"], marketName: match[2], iteration: Number(match[3]) };
  });
}

/**
 * Wraps the engine's per-iteration stop check so that a fault of `faults` for this market strikes
 * at its iteration (on `attempt` 1 only for `exit-once`). Returns `check` itself when none applies.
 */
export function withFault(
  check: () => boolean,
  faults: readonly FaultSpec[],
  marketName: string,
  attempt: number,
): () => boolean {
  const fault = faults.find((f) => f.marketName === marketName && (f.kind !== "exit-once" || attempt === 1));
  if (fault === undefined) return check;
  let calls = 0;
  return () => {
    calls++;
    if (calls >= fault.iteration) {
      if (fault.kind === "throw") throw new Error(`injected fault at iteration ${calls} (${FAULT_ENV})`);
      process.exit(70);
    }
    return check();
  };
}
