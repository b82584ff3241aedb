import { type MessagePort, receiveMessageOnPort } from "node:worker_threads";
import { type IterateArrays, phase } from "./kernel.js";
import { reserveLocalScratch } from "./local.js";
import { reserveStorageScratch } from "./storage-local.js";
import { storageMaxDegree } from "./shards.js";
import type { MarketArrays } from "./problem.js";
import type { HorizonArrays } from "./horizon.js";
import {
  C_CMD,
  C_CUR,
  C_DONE,
  C_EPOCH,
  C_ERROR,
  C_READY,
  CMD_EXIT,
  CMD_JOB,
  CMD_PHASE,
  P_ALPHA,
  P_RHO,
  P_RHO_DUAL,
  SPIN,
} from "./team-protocol.js";

/** What a resident shard worker is started with. */
export interface ResidentTask {
  control: SharedArrayBuffer;
  params: SharedArrayBuffer;
  /** Jobs arrive here (read synchronously); errors go back through it. */
  port: MessagePort;
  /** The worker's residual slot (1, 2, …; the coordinator is slot 0). */
  slot: number;
}

/** One solve's share of work: views of the shared arrays and the agent range. */
export interface ShardJob {
  problem: MarketArrays;
  iterate: IterateArrays;
  partials: Float64Array;
  agentBegin: number;
  agentEnd: number;
  maxDegree: number;
  /** A multi-period market's horizon (charge/discharge on SharedArrayBuffers), or null. */
  horizon?: HorizonArrays | null;
}

function waitForEpoch(control: Int32Array, seen: number): number {
  for (let i = 0; i < SPIN; i++) {
    const e = Atomics.load(control, C_EPOCH);
    if (e !== seen) return e;
  }
  for (;;) {
    Atomics.wait(control, C_EPOCH, seen);
    const e = Atomics.load(control, C_EPOCH);
    if (e !== seen) return e;
  }
}

/**
 * A Piscina task that stays resident: it waits on the control block for commands and runs ADMM
 * phases on its agents of the current job, one per epoch, until told to exit. Jobs (the shared
 * arrays of a solve) are read synchronously from its port, so no event loop is involved.
 * Returns the number of phases it ran.
 */
export default function residentShardLoop(task: ResidentTask): number {
  const control = new Int32Array(task.control);
  const params = new Float64Array(task.params);
  let seen = Atomics.load(control, C_EPOCH);
  Atomics.add(control, C_READY, 1);
  Atomics.notify(control, C_READY);
  let job: ShardJob | null = null;
  let phases = 0;
  for (;;) {
    seen = waitForEpoch(control, seen);
    const cmd = Atomics.load(control, C_CMD);
    if (cmd === CMD_EXIT) {
      task.port.close();
      return phases;
    }
    try {
      if (cmd === CMD_JOB) {
        let msg = receiveMessageOnPort(task.port);
        for (let i = 0; !msg && i < 1_000_000; i++) msg = receiveMessageOnPort(task.port);
        job = (msg?.message as ShardJob | undefined) ?? null;
        if (job) reserveLocalScratch(job.maxDegree);
        if (job?.horizon && job.horizon.storage.count > 0)
          reserveStorageScratch(job.horizon.periods, storageMaxDegree(job.problem.tradeStart, job.horizon));
      } else if (cmd === CMD_PHASE && job && job.agentEnd > job.agentBegin) {
        const it = job.iterate;
        const cur = Atomics.load(control, C_CUR);
        phase(
          job.problem,
          job.problem.mirror,
          it,
          cur === 0 ? it.p0 : it.p1,
          cur === 0 ? it.p1 : it.p0,
          job.agentBegin,
          job.agentEnd,
          params[P_RHO],
          params[P_RHO_DUAL],
          params[P_ALPHA],
          job.partials,
          task.slot,
          job.horizon,
        );
        phases++;
      }
    } catch (err) {
      task.port.postMessage({ error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
      Atomics.store(control, C_ERROR, 1);
    }
    Atomics.add(control, C_DONE, 1);
    Atomics.notify(control, C_DONE);
  }
}
