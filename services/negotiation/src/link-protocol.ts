/**
 * The link between the thread that runs the engine's (synchronous) solve loop and the thread that
 * talks to remote parties over gRPC. Once per iteration the solve thread posts a `phase` message
 * and blocks on `control[L_DONE]` until the network side has done its part of the phase.
 */
export const L_DONE = 0; // sequence number of the last phase completed by the network side
export const L_STOP = 1; // set to 1 to stop the solve (status CANCELLED) at the end of the iteration
export const L_FAIL = 2; // set to 1 when the network side failed: the solve thread throws
export const CONTROL_INTS = 4;

/** Messages of the solve thread. */
export type SolveThreadMessage =
  | { type: "iterate"; iterate: import("@peermarket/admm").IterateArrays }
  | { type: "phase"; seq: number; cur: 0 | 1; rho: number; rhoDual: number; alpha: number; costs: boolean }
  | { type: "progress"; iteration: number; primalResidual: number; dualResidual: number; rho: number; elapsed: number }
  | { type: "result"; result: import("@peermarket/admm").AdmmResult }
  | { type: "error"; message: string };

/** The shards the solve thread computes itself: agents [0, agentEnd) over `threads` threads. */
export interface LocalPlan {
  agentEnd: number;
  threads: number;
}

/** What the solve thread is started with. */
export interface SolveThreadData {
  problem: import("@peermarket/admm").MarketArrays;
  settings: Partial<import("@peermarket/admm").AdmmSettings>;
  warmStart: { trade?: Float64Array; price?: Float64Array } | null;
  /** Int32Array(CONTROL_INTS) on a SharedArrayBuffer. */
  control: Int32Array;
  /** Residual partials of every shard, PARTIALS per slot; the local shards own slots [0, local.threads). */
  partials: Float64Array;
  slots: number;
  local: LocalPlan;
  progressInterval: number;
  /** Agent names for messages (the infeasibility reason), or null. */
  agentIds: string[] | null;
}
