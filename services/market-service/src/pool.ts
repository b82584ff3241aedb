import { MessageChannel, type ResourceLimits } from "node:worker_threads";
import { Piscina } from "piscina";
import type { SolveProgress } from "@peermarket/model";
import {
  StopReason,
  type ChargesTask,
  type ChargesTaskResult,
  type ProgressMessage,
  type SolveTask,
  type SolveTaskResult,
} from "./task.js";

/** Every worker is busy and the queue is full. */
export class QueueFullError extends Error {
  constructor(running: number, queued: number) {
    super(`the solver is busy: ${running} solves running and ${queued} queued (the queue's limit); retry later`);
    this.name = "QueueFullError";
  }
}

/** Sizing of the pool. */
export interface SolverPoolOptions {
  /** Worker threads. */
  workers: number;
  /** Tasks that may wait for a worker beyond the running ones. */
  queue: number;
  /** Worker module (file URL or path); the compiled solve-worker by default. */
  workerFile?: string;
  /**
   * Heap limits of each worker thread: a worker over them is ended (its task fails) instead of the
   * whole process running out of memory.
   */
  resourceLimits?: ResourceLimits;
}

/** What a solve needs besides its stop flag and progress port, which the pool provides. */
export type SolveInput = Omit<SolveTask, "progressPort" | "stop" | "progressAck">;

/** A submitted solve. */
export interface SolveJob {
  /** Settles when the worker is done and every progress message has been delivered. */
  readonly result: Promise<SolveTaskResult>;
  /** Asks the solve to stop: the engine sees it within one iteration; a queued solve is skipped. First reason wins. */
  stop(reason: StopReason): void;
  /** Whether it was asked to stop. */
  stopped(): boolean;
}

const DEFAULT_WORKER = new URL("./solve-worker.js", import.meta.url).href;

/**
 * A Piscina pool of solver threads with a bounded queue. Solves never run on the caller's thread;
 * stopping reaches the engine through a SharedArrayBuffer flag it polls with Atomics.load.
 */
export class SolverPool {
  readonly workers: number;
  readonly queue: number;
  private readonly piscina: Piscina;
  /** Tasks submitted and not yet finished (running and queued). */
  private inFlight = 0;
  private readonly stops = new Set<(reason: StopReason) => void>();

  constructor(options: SolverPoolOptions) {
    this.workers = options.workers;
    this.queue = options.queue;
    this.piscina = new Piscina({
      filename: options.workerFile ?? DEFAULT_WORKER,
      minThreads: options.workers,
      maxThreads: options.workers,
      idleTimeout: 60_000,
      resourceLimits: options.resourceLimits,
    });
  }

  private admit(): void {
    if (this.inFlight >= this.workers + this.queue) {
      throw new QueueFullError(Math.min(this.inFlight, this.workers), Math.max(0, this.inFlight - this.workers));
    }
    this.inFlight++;
  }

  /**
   * Submits a solve. `onProgress` (if given) receives the engine's progress reports in order,
   * all before `result` settles.
   * @throws QueueFullError when every worker is busy and the queue is full.
   */
  solve(input: SolveInput, onProgress?: (progress: SolveProgress) => void): SolveJob {
    this.admit();
    const stop = new SharedArrayBuffer(4);
    const flag = new Int32Array(stop);
    const stopJob = (reason: StopReason): void => {
      Atomics.compareExchange(flag, 0, StopReason.none, reason);
    };
    this.stops.add(stopJob);
    const channel = onProgress ? new MessageChannel() : null;
    const progressAck = channel ? new SharedArrayBuffer(4) : null;
    const acked = progressAck ? new Int32Array(progressAck) : null;
    let ended: Promise<void> = Promise.resolve();
    if (channel && onProgress && acked) {
      ended = new Promise<void>((resolve) => {
        channel.port1.on("message", (message: ProgressMessage) => {
          if (message.type === "progress") {
            Atomics.add(acked, 0, 1);
            onProgress(message.progress);
          } else resolve();
        });
        channel.port1.on("close", () => resolve());
      });
    }
    const task: SolveTask = { ...input, stop, progressPort: channel ? channel.port2 : null, progressAck };
    const run = this.piscina.run(task, {
      name: "solve",
      transferList: channel ? [channel.port2] : [],
    }) as Promise<SolveTaskResult>;
    const result = run
      .then(async (value) => {
        await ended;
        return value;
      })
      .finally(() => {
        channel?.port1.close();
        this.stops.delete(stopJob);
        this.inFlight--;
      });
    return { result, stop: stopJob, stopped: () => Atomics.load(flag, 0) !== StopReason.none };
  }

  /**
   * Computes the DSO report of a stored solution on a worker. Rejects with QueueFullError when
   * every worker is busy and the queue is full.
   */
  async charges(task: ChargesTask): Promise<ChargesTaskResult> {
    this.admit();
    try {
      return (await this.piscina.run(task, { name: "charges" })) as ChargesTaskResult;
    } finally {
      this.inFlight--;
    }
  }

  /** Asks every running and queued solve to stop. */
  stopAll(reason: StopReason): void {
    for (const stop of this.stops) stop(reason);
  }

  /** Loads the worker module on every thread, so the first solves do not pay for it. */
  async warmUp(): Promise<void> {
    await Promise.all(Array.from({ length: this.workers }, () => this.piscina.run(null, { name: "ping" })));
  }

  /** Stops the threads; running tasks are abandoned (stop them first). */
  async close(): Promise<void> {
    await this.piscina.destroy();
  }
}
