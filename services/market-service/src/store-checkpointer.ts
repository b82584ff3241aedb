/**
 * Worker thread of the solution store that checkpoints its WAL into the database file. The
 * store's own connection never checkpoints (wal_autocheckpoint = 0), so the copying and fsync of
 * a checkpoint do not stall the event loop. Every `intervalMs` this thread runs a PASSIVE
 * checkpoint, which never blocks writers. Under steady writes a passive checkpoint never catches
 * the last frame, so the WAL would never start over; when it holds more than `restartFrames`
 * frames, this thread raises the `pause` flag (the store then holds its writes back, without
 * blocking the event loop), runs a RESTART checkpoint — the few frames written since the passive
 * one — and lowers the flag: the next write starts the WAL from the beginning, and
 * `journal_size_limit` truncates the file. Stops on a "stop" message.
 */
import { parentPort, workerData } from "node:worker_threads";
import Database from "better-sqlite3";

/** What the checkpointer thread is started with. */
export interface CheckpointerData {
  path: string;
  intervalMs: number;
  restartFrames: number;
  /**
   * Int32Array(2): [0] 1 while a RESTART checkpoint wants the store to hold its writes back; [1]
   * set to 1 (and notified) once this thread has closed its connection after "stop".
   */
  pause: SharedArrayBuffer;
}

const { path, intervalMs, restartFrames, pause } = workerData as CheckpointerData;
const paused = new Int32Array(pause);
let db: Database.Database | undefined;
let timer: NodeJS.Timeout | undefined;

function report(err: unknown): void {
  parentPort?.postMessage({ type: "error", message: (err as Error)?.message ?? String(err) });
}

function checkpoint(): void {
  try {
    db ??= new Database(path, { timeout: 5000, fileMustExist: true });
    const [passive] = db.pragma("wal_checkpoint(PASSIVE)") as { busy: number; log: number; checkpointed: number }[];
    if (passive !== undefined && passive.log > restartFrames) {
      Atomics.store(paused, 0, 1);
      try {
        db.pragma("wal_checkpoint(RESTART)");
      } finally {
        Atomics.store(paused, 0, 0);
      }
    }
  } catch (err) {
    report(err);
  }
  timer = setTimeout(checkpoint, intervalMs);
}

parentPort?.on("message", (message: unknown) => {
  if (message !== "stop") return;
  if (timer !== undefined) clearTimeout(timer);
  try {
    db?.close();
  } finally {
    Atomics.store(paused, 1, 1);
    Atomics.notify(paused, 1);
    parentPort?.close();
  }
});
timer = setTimeout(checkpoint, intervalMs);
