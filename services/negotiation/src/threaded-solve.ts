import { Worker } from "node:worker_threads";
import {
  type AdmmResult,
  type AdmmSettings,
  type IterateArrays,
  type MarketArrays,
  PARTIALS,
  type Progress,
} from "@peermarket/admm";
import {
  CONTROL_INTS,
  L_DONE,
  L_FAIL,
  L_STOP,
  type LocalPlan,
  type SolveThreadData,
  type SolveThreadMessage,
} from "./link-protocol.js";

/** The parameters of one phase, as the engine's loop gives them to its executor. */
export interface PhaseParams {
  seq: number;
  cur: 0 | 1;
  rho: number;
  rhoDual: number;
  alpha: number;
  /** False when every trade cost of the market is zero: phases may skip reading them (kernel.ts). Default true. */
  costs?: boolean;
}

/**
 * The network side of a phase: what the coordinator does once per iteration besides the local
 * shards — remote shards or peer agents. `attach` receives the solve's iterate (shared memory)
 * before the first phase; `phase` must leave the new trades of its agents in the next buffer
 * (p1 when cur is 0), their z, λ, μ updated, and their residual partials in its slots.
 */
export interface NetworkSide {
  attach(iterate: IterateArrays, partials: Float64Array): void;
  phase(p: PhaseParams): Promise<void>;
}

/** Options of `runThreadedSolve`. */
export interface ThreadedSolveOptions {
  /** The market's arrays, on SharedArrayBuffers (`toSharedArrays`). */
  problem: MarketArrays;
  settings: Partial<AdmmSettings>;
  warmStart?: { trade?: Float64Array; price?: Float64Array } | null;
  /** Partial slots in all: the local shards' first (`local.threads` of them), then the network side's. */
  slots: number;
  local: LocalPlan;
  network: NetworkSide;
  onProgress?: (p: Progress) => void;
  progressInterval?: number;
  agentIds?: string[];
}

/** A running solve: its result, and a way to stop it at the end of the current iteration. */
export interface ThreadedSolve {
  result: Promise<AdmmResult>;
  /** Stops the solve (status CANCELLED) at the end of the current iteration. */
  stop(): void;
}

/**
 * Runs the engine's solve loop on a thread of its own, so that this thread's event loop stays free
 * for gRPC; every iteration the network side does its part of the phase here while the solve
 * thread computes the local shards. The engine itself is unchanged, so a split of the same agents
 * between local and remote shards gives bit-identical results.
 */
export function runThreadedSolve(options: ThreadedSolveOptions): ThreadedSolve {
  const control = new Int32Array(new SharedArrayBuffer(4 * CONTROL_INTS));
  const partials = new Float64Array(new SharedArrayBuffer(8 * PARTIALS * Math.max(1, options.slots)));
  const data: SolveThreadData = {
    problem: options.problem,
    settings: options.settings,
    warmStart: options.warmStart ?? null,
    control,
    partials,
    slots: options.slots,
    local: options.local,
    progressInterval: Math.max(1, Math.floor(options.progressInterval ?? 10)),
    agentIds: options.agentIds ?? null,
  };
  const worker = new Worker(new URL("./solve-thread.js", import.meta.url), { workerData: data });
  const result = new Promise<AdmmResult>((resolve, reject) => {
    let settled = false;
    const fail = (err: unknown): void => {
      Atomics.store(control, L_FAIL, 1);
      Atomics.notify(control, L_DONE);
      if (!settled) {
        settled = true;
        reject(err instanceof Error ? err : new Error(String(err)));
      }
    };
    // Phases arrive one at a time: the solve thread waits for each to be done.
    worker.on("message", (m: SolveThreadMessage) => {
      switch (m.type) {
        case "iterate":
          options.network.attach(m.iterate, partials);
          break;
        case "phase":
          options.network.phase(m).then(() => {
            Atomics.store(control, L_DONE, m.seq);
            Atomics.notify(control, L_DONE);
          }, fail);
          break;
        case "progress":
          options.onProgress?.(m);
          break;
        case "result":
          settled = true;
          resolve(m.result);
          break;
        case "error":
          fail(new Error(`solve thread: ${m.message}`));
          break;
      }
    });
    worker.on("error", fail);
    worker.on("exit", (code) => {
      if (!settled) fail(new Error(`the solve thread exited (code ${code}) without a result`));
    });
  });
  return {
    result,
    stop() {
      Atomics.store(control, L_STOP, 1);
    },
  };
}
