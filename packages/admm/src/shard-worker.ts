import { type MessagePort, receiveMessageOnPort } from "node:worker_threads";
import { type IterateArrays, phase } from "./kernel.js";
import { reserveLocalScratch } from "./local.js";
import { reserveStorageScratch } from "./storage-local.js";
import { storageMaxDegree } from "./shards.js";
import type { MarketArrays } from "./problem.js";
import type { HorizonArrays } from "./horizon.js";
import { needsPriming, primeKernel, primeOnce } from "./prime.js";
import {
  C_CUR,
  C_DONE,
  C_EPOCH,
  C_ERROR,
  C_READY,
  CMD_EXIT,
  CMD_JOB,
  P_ALPHA,
  P_ZERO_COSTS,
  P_RHO,
  P_RHO_DUAL,
  SPIN,
} from "./team-protocol.js";

/**
 * Command: run one ADMM phase by chunks (`runChunks`). Unlike the other commands, workers do not
 * answer it: the phase is over when every chunk is done (`ShardJob.progress`), whoever did them.
 */
export const CMD_CHUNKS = 4;
/** Slots of `ShardJob.progress`: chunks done in the current phase, and the phase's tag. */
export const PR_DONE = 0;
export const PR_TAG = 1;

/** What a resident shard worker is started with. */
export interface ResidentTask {
  control: SharedArrayBuffer;
  params: SharedArrayBuffer;
  /** Jobs arrive here (read synchronously); errors go back through it. */
  port: MessagePort;
  /** The worker's slot (1, 2, …; the coordinator is slot 0). */
  slot: number;
}

/**
 * One solve's share of work: views of the shared arrays, and how a phase is cut. The agents are
 * cut into chunks [chunks[c], chunks[c + 1]) of about equal weight; slot s owns chunks
 * [owners[2s], owners[2s + 1]) and does them first, front to back, then takes the others' from
 * their back while any are left. A chunk is taken by writing the phase's tag into `claim[c]`
 * (compare-and-exchange, only over an older tag), so each is done exactly once per phase.
 */
export interface ShardJob {
  problem: MarketArrays;
  iterate: IterateArrays;
  /** Residual partials, one slot per chunk (shared). */
  partials: Float64Array;
  chunks: Int32Array;
  owners: Int32Array;
  /** Per chunk, the tag of the last phase that took it (shared). */
  claim: Int32Array;
  /** [chunks done in the current phase, its tag] (shared; see PR_DONE, PR_TAG). */
  progress: Int32Array;
  /** Per slot, the chunks it has done (shared; diagnostics and tests). */
  ran: Int32Array;
  maxDegree: number;
  /** A multi-period market's horizon (charge/discharge on SharedArrayBuffers), or null. */
  horizon?: HorizonArrays | null;
}

/** Takes chunk c for the phase tagged `tag`: false if it is taken already (or by a later phase). */
function take(claim: Int32Array, c: number, tag: number): boolean {
  const old = Atomics.load(claim, c);
  return old < tag && Atomics.compareExchange(claim, c, old, tag) === old;
}

function runChunk(
  job: ShardJob,
  c: number,
  slot: number,
  pCur: Float64Array,
  pNext: Float64Array,
  rho: number,
  rhoDual: number,
  alpha: number,
  costs: boolean,
): void {
  const P = job.problem;
  phase(
    P,
    P.mirror,
    job.iterate,
    pCur,
    pNext,
    job.chunks[c],
    job.chunks[c + 1],
    rho,
    rhoDual,
    alpha,
    job.partials,
    c,
    job.horizon,
    costs,
  );
  Atomics.add(job.ran, slot, 1);
  if (Atomics.add(job.progress, PR_DONE, 1) + 1 === job.chunks.length - 1) Atomics.notify(job.progress, PR_DONE);
}

/**
 * This thread's part of the current phase of `job` (see `ShardJob`): its own chunks, then
 * whatever is left of the others'. The phase's tag is read first, then the iterate buffer and the
 * parameters: a thread that sees a tag sees what the coordinator wrote before it; a thread late for
 * a phase that is over can take nothing (every chunk then holds that tag or a later one).
 * Allocates nothing.
 */
export function runChunks(job: ShardJob, slot: number, control: Int32Array, params: Float64Array): void {
  const tag = Atomics.load(job.progress, PR_TAG);
  const cur = Atomics.load(control, C_CUR);
  const rho = params[P_RHO];
  const rhoDual = params[P_RHO_DUAL];
  const alpha = params[P_ALPHA];
  const costs = params[P_ZERO_COSTS] !== 1;
  const it = job.iterate;
  const pCur = cur === 0 ? it.p0 : it.p1;
  const pNext = cur === 0 ? it.p1 : it.p0;
  const owners = job.owners;
  const claim = job.claim;
  for (let c = owners[2 * slot]; c < owners[2 * slot + 1] && take(claim, c, tag); c++)
    runChunk(job, c, slot, pCur, pNext, rho, rhoDual, alpha, costs);
  const slots = owners.length >> 1;
  for (let i = 1; i < slots; i++) {
    const o = (slot + i) % slots;
    for (let c = owners[2 * o + 1] - 1; c >= owners[2 * o] && take(claim, c, tag); c--)
      runChunk(job, c, slot, pCur, pNext, rho, rhoDual, alpha, costs);
  }
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
 * A Piscina task that stays resident: it waits on the control block for commands and takes part
 * in the ADMM phases of the current job, one per epoch, until told to exit. Jobs (the shared
 * arrays of a solve) are read synchronously from its port, so no event loop is involved.
 * Returns the number of phases it took part in.
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
    // The command of the epoch just seen is in its low 3 bits (see `post`, team.ts): a worker late
    // for a chunk phase may see a later epoch, and then does that epoch's command.
    const cmd = seen & 7;
    if (cmd === CMD_EXIT) {
      task.port.close();
      return phases;
    }
    try {
      if (cmd === CMD_JOB) {
        let msg = receiveMessageOnPort(task.port);
        for (let i = 0; !msg && i < 1_000_000; i++) msg = receiveMessageOnPort(task.port);
        job = (msg?.message as ShardJob | undefined) ?? null;
        // A large market's first job in this worker: its kernel primed first (prime.ts).
        if (job && needsPriming(job.problem)) primeOnce(primeKernel);
        if (job) reserveLocalScratch(job.maxDegree);
        if (job?.horizon && job.horizon.storage.count > 0)
          reserveStorageScratch(job.horizon.periods, storageMaxDegree(job.problem.tradeStart, job.horizon));
      } else if (cmd === CMD_CHUNKS && job && 2 * task.slot < job.owners.length) {
        runChunks(job, task.slot, control, params);
        phases++;
      }
    } catch (err) {
      task.port.postMessage({ error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
      Atomics.store(control, C_ERROR, 1);
      if (job) Atomics.notify(job.progress, PR_DONE);
    }
    // CMD_PHASE (no work: the barrier's measurement) and the job commands are answered.
    if (cmd !== CMD_CHUNKS) {
      Atomics.add(control, C_DONE, 1);
      Atomics.notify(control, C_DONE);
    }
  }
}
