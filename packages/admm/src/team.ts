import { availableParallelism } from "node:os";
import { MessageChannel, type MessagePort, receiveMessageOnPort } from "node:worker_threads";
import type { Piscina } from "piscina";
import type { IterateArrays } from "./kernel.js";
import { type MarketArrays, maxTradeDegree } from "./problem.js";
import type { HorizonArrays } from "./horizon.js";
import { shardBounds } from "./shards.js";
import { CMD_CHUNKS, PR_DONE, PR_TAG, type ResidentTask, runChunks, type ShardJob } from "./shard-worker.js";
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
  CONTROL_INTS,
  P_ALPHA,
  P_ZERO_COSTS,
  P_RHO,
  P_RHO_DUAL,
  PARAMS,
} from "./team-protocol.js";

/** Runs one ADMM phase over all agents; `partials` has `slots` slots (one per shard or chunk). */
export interface PhaseExecutor {
  readonly slots: number;
  /** One phase; `costs` false: every trade cost is zero (`phase`). */
  run(cur: 0 | 1, rho: number, rhoDual: number, alpha: number, costs?: boolean): void;
  readonly partials: Float64Array;
  /** The multi-period horizon the phases run with (absent or null: none). */
  readonly horizon?: HorizonArrays | null;
  /** Per thread (the calling thread first), the chunks it has done (`ShardTeam.attach`). */
  readonly ran?: Int32Array;
}

/**
 * Resident shard workers on a Piscina pool: each worker runs a long-lived task that waits on a
 * shared control block, so that an iteration costs one barrier, not a task dispatch. The
 * coordinating thread takes shard 0 itself. After the asynchronous start, everything is
 * synchronous: a solve attaches its shared arrays, runs its phases, and detaches.
 */
export class ShardTeam {
  readonly threads: number;
  /**
   * Seconds one barrier costs (an empty command answered by every worker), measured when the team
   * starts: the best of a few rounds, as the workers are then spinning. The thread rule
   * (`parallelThreads`) weighs it against the work a second thread takes over.
   */
  barrierSeconds = Number.NaN;
  private readonly pool: Piscina;
  private readonly control: Int32Array;
  private readonly params: Float64Array;
  private readonly ports: MessagePort[];
  private readonly tasks: Promise<number>[];
  private closed = false;

  private constructor(
    threads: number,
    pool: Piscina,
    control: Int32Array,
    params: Float64Array,
    ports: MessagePort[],
    tasks: Promise<number>[],
  ) {
    this.threads = threads;
    this.pool = pool;
    this.control = control;
    this.params = params;
    this.ports = ports;
    this.tasks = tasks;
  }

  /** Starts `threads` resident workers and waits until each is in its loop. */
  static async start(threads: number): Promise<ShardTeam> {
    if (!(threads >= 1 && Number.isInteger(threads)))
      throw new RangeError(`a shard team needs ≥ 1 worker thread, got ${threads}`);
    // Loaded with the first team: a process that never starts one (small markets) does not load it.
    const { Piscina } = await import("piscina");
    const pool = new Piscina({
      filename: new URL("./shard-worker.js", import.meta.url).href,
      minThreads: threads,
      maxThreads: threads,
      idleTimeout: Number.MAX_SAFE_INTEGER,
    });
    const control = new Int32Array(new SharedArrayBuffer(4 * CONTROL_INTS));
    const params = new Float64Array(new SharedArrayBuffer(8 * PARAMS));
    const ports: MessagePort[] = [];
    const tasks: Promise<number>[] = [];
    let failure: unknown = null;
    for (let slot = 1; slot <= threads; slot++) {
      const { port1, port2 } = new MessageChannel();
      ports.push(port1);
      const task: ResidentTask = {
        control: control.buffer as SharedArrayBuffer,
        params: params.buffer as SharedArrayBuffer,
        port: port2,
        slot,
      };
      const run = pool.run(task, { transferList: [port2] }) as Promise<number>;
      run.catch((e) => (failure ??= e));
      tasks.push(run);
    }
    const deadline = Date.now() + 30_000;
    while (Atomics.load(control, C_READY) < threads) {
      if (failure) throw failure;
      if (Date.now() > deadline) throw new Error("shard workers did not start within 30 s");
      await new Promise((r) => setTimeout(r, 1));
    }
    // The resident loops never end on their own: do not let them keep the process alive.
    for (const w of pool.threads) w.unref();
    const team = new ShardTeam(threads, pool, control, params, ports, tasks);
    team.barrierSeconds = team.measureBarrier(BARRIER_ROUNDS);
    return team;
  }

  /**
   * The best time of `rounds` empty phases (workers without a job only answer): the cost of one
   * barrier, without the phase's work. Seconds.
   */
  measureBarrier(rounds: number): number {
    let best = Infinity;
    for (let i = 0; i < rounds; i++) {
      const t = performance.now();
      this.command(CMD_PHASE);
      best = Math.min(best, performance.now() - t);
    }
    return best / 1000;
  }

  private command(cmd: number, own?: () => void): void {
    const c = this.control;
    Atomics.store(c, C_DONE, 0);
    post(c, cmd);
    own?.();
    for (;;) {
      const done = Atomics.load(c, C_DONE);
      if (done >= this.threads) break;
      Atomics.wait(c, C_DONE, done, 1000);
    }
    this.throwWorkerError();
  }

  /** Throws the errors workers reported, if any. */
  private throwWorkerError(): void {
    const c = this.control;
    if (Atomics.load(c, C_ERROR) !== 0) {
      Atomics.store(c, C_ERROR, 0);
      const messages: string[] = [];
      for (const p of this.ports) {
        for (let m = receiveMessageOnPort(p); m; m = receiveMessageOnPort(p))
          messages.push((m.message as { error?: string }).error ?? String(m.message));
      }
      throw new Error(`a shard worker failed: ${messages.join("; ") || "unknown error"}`);
    }
  }

  /**
   * Gives the workers a solve's shared arrays and returns the executor of its phases, on `slots`
   * threads (default: every worker plus the calling thread; workers beyond `slots` take no part).
   * The agents are cut into chunks of about equal weight (trades plus a per-agent cost,
   * `shardBounds`; at most CHUNKS_PER_SLOT per thread, none lighter than MIN_CHUNK_WEIGHT unless
   * there are fewer than `slots`), and thread s owns a contiguous run of them, the calling thread
   * the first. In a phase each thread does its own chunks front to back, then takes what is left of
   * the others' from their back (`runChunks`, shard-worker.ts): the weight misses what differs
   * between agents with as many trades, and on a busy machine a thread may lose its core for a
   * while; either way the others finish its work instead of waiting for it. The phase is over when
   * every chunk is done. Each chunk writes its own residual partials, so results never depend on
   * who did what. A multi-period market passes its `horizon` (charge/discharge on
   * SharedArrayBuffers): chunks then never split a storage agent's periods.
   */
  attach(
    problem: MarketArrays,
    iterate: IterateArrays,
    slots = this.threads + 1,
    horizon: HorizonArrays | null = null,
  ): PhaseExecutor {
    if (this.closed) throw new Error("the shard team is closed");
    if (!(slots >= 1 && slots <= this.threads + 1))
      throw new RangeError(`a team of ${this.threads} workers runs 1 to ${this.threads + 1} shards, not ${slots}`);
    const weight = problem.tradeStart[problem.nAgents] + 4 * problem.nAgents;
    const count = Math.max(slots, Math.min(CHUNKS_PER_SLOT * slots, Math.floor(weight / MIN_CHUNK_WEIGHT)));
    const chunks = shardBounds(problem.tradeStart, count, undefined, horizon);
    const owners = new Int32Array(2 * slots);
    for (let s = 0; s < slots; s++) {
      owners[2 * s] = Math.round((count * s) / slots);
      owners[2 * s + 1] = Math.round((count * (s + 1)) / slots);
    }
    const sab = (bytes: number) => new SharedArrayBuffer(bytes);
    const partials = new Float64Array(sab(8 * 4 * count));
    const claim = new Int32Array(sab(4 * count));
    const progress = new Int32Array(sab(4 * 2));
    const ran = new Int32Array(sab(4 * slots));
    const maxDegree = maxTradeDegree(problem.tradeStart, problem.nAgents);
    const job: ShardJob = { problem, iterate, partials, chunks, owners, claim, progress, ran, maxDegree, horizon };
    for (const port of this.ports) port.postMessage(job);
    this.command(CMD_JOB);
    const team = this;
    let tag = 0;
    return {
      slots: count,
      partials,
      horizon,
      ran,
      run(cur, rho, rhoDual, alpha, costs = true) {
        team.params[P_RHO] = rho;
        team.params[P_RHO_DUAL] = rhoDual;
        team.params[P_ALPHA] = alpha;
        team.params[P_ZERO_COSTS] = costs ? 0 : 1;
        Atomics.store(team.control, C_CUR, cur);
        // The count is reset before the new tag is published: a thread late for the last phase
        // that reads the new tag takes chunks of this one, and its counts must not be wiped out.
        Atomics.store(progress, PR_DONE, 0);
        Atomics.store(progress, PR_TAG, ++tag);
        team.chunkPhase(job);
      },
    };
  }

  /** One phase by chunks (see `attach`): starts it, takes part, and waits until every chunk is done. */
  private chunkPhase(job: ShardJob): void {
    const c = this.control;
    const progress = job.progress;
    const total = job.chunks.length - 1;
    post(c, CMD_CHUNKS);
    runChunks(job, 0, c, this.params);
    // Spin a little before sleeping: a chunk another thread is finishing is usually done within a
    // few µs, less than a futex wake-up costs; not longer, so as not to keep a core from a late one.
    for (let i = 0; i < COORDINATOR_SPIN && Atomics.load(progress, PR_DONE) < total; i++);
    for (;;) {
      const done = Atomics.load(progress, PR_DONE);
      if (done >= total || Atomics.load(c, C_ERROR) !== 0) break;
      Atomics.wait(progress, PR_DONE, done, 1000);
    }
    this.throwWorkerError();
  }

  /** Drops the workers' references to the last solve's arrays. */
  detach(): void {
    if (this.closed) return;
    for (const port of this.ports) port.postMessage(null);
    this.command(CMD_JOB);
  }

  /** Stops the workers and the pool. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    post(this.control, CMD_EXIT);
    await Promise.allSettled(this.tasks);
    for (const p of this.ports) p.close();
    await this.pool.destroy();
  }
}

/**
 * Posts a command: the epoch word carries the command in its low 3 bits and a sequence number
 * above, so that a worker reads both at once. A worker may miss chunk phases (their work is done
 * by whoever takes it; they are not answered), so it must never pair one epoch with another's
 * command. Only the coordinating thread writes the word.
 */
function post(control: Int32Array, cmd: number): void {
  Atomics.store(control, C_CMD, cmd);
  const e = Atomics.load(control, C_EPOCH);
  Atomics.store(control, C_EPOCH, (((e >>> 3) + 1) << 3) | cmd);
  Atomics.notify(control, C_EPOCH);
}

/** Loads of the chunk counter the coordinating thread spins through before sleeping (`chunkPhase`). */
const COORDINATOR_SPIN = 500;
/** At most this many chunks per thread: enough to even out a phase, few enough to cost nothing. */
export const CHUNKS_PER_SLOT = 16;
/** Chunks weigh at least this much (trades + 4 per agent), unless there are fewer than threads. */
export const MIN_CHUNK_WEIGHT = 2048;

/** Rounds of the barrier measurement at a team's start. */
const BARRIER_ROUNDS = 32;

let shared: { team: Promise<ShardTeam>; threads: number } | null = null;
/** The shared team once started (null while starting or when none runs). */
let sharedReady: ShardTeam | null = null;

/** The workers a team asked for `threads` workers gets: capped at the machine's parallelism − 1. */
function teamWorkers(threads: number): number {
  return Math.max(1, Math.min(threads, Math.max(1, availableParallelism() - 1), 64));
}

/**
 * The process's (this thread's) shared shard team if it is running, else null; with `threads`,
 * only if it is as large as `shardTeam(threads)` would make it.
 */
export function runningShardTeam(threads = 1): ShardTeam | null {
  return sharedReady !== null && shared !== null && shared.threads >= teamWorkers(threads) ? sharedReady : null;
}

/**
 * The process's (this thread's) shard team with at least `threads` workers, started on first use
 * and grown when more are asked for (up to the machine's parallelism − 1).
 */
export async function shardTeam(threads: number): Promise<ShardTeam> {
  const want = teamWorkers(threads);
  if (shared && shared.threads >= want) return shared.team;
  if (shared) {
    const old = shared.team;
    shared = null;
    sharedReady = null;
    await (await old).close();
  }
  sharedReady = null;
  const team = ShardTeam.start(want);
  shared = { team, threads: want };
  team.then(
    (t) => {
      if (shared?.team === team) sharedReady = t;
    },
    () => {
      if (shared?.team === team) shared = null;
    },
  );
  return team;
}

/** Stops the shared shard team, if one was started. */
export async function closeShardTeam(): Promise<void> {
  const s = shared;
  shared = null;
  sharedReady = null;
  if (s) await (await s.team).close();
}
