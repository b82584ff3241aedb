import { availableParallelism } from "node:os";
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import type { AdmmSettings } from "@peermarket/admm";
import { CoalitionValuer } from "./coalitions.js";
import type { Community } from "./community.js";
import type { CoalitionTable } from "./stability.js";

const FLAG = "peermarket.coalitionValues";

interface Task {
  community: Community;
  settings: Partial<AdmmSettings>;
  /** Masks first..last (inclusive) of this worker. */
  first: number;
  last: number;
}

interface Reply {
  value: Float64Array;
  lowerBound: Float64Array;
  tolerance: Float64Array;
  cleared: number;
  iterations: number;
  seconds: number;
  maxGap: number;
}

function valuesOf(task: Task): Reply {
  const valuer = new CoalitionValuer(task.community, task.settings);
  const n = task.community.members.length;
  const count = task.last - task.first + 1;
  const value = new Float64Array(count);
  const lowerBound = new Float64Array(count);
  const tolerance = new Float64Array(count);
  const members: number[] = [];
  for (let mask = task.first; mask <= task.last; mask++) {
    members.length = 0;
    for (let i = 0; i < n; i++) if (mask & (1 << i)) members.push(i);
    const v = valuer.value(members);
    value[mask - task.first] = v.value;
    lowerBound[mask - task.first] = v.lowerBound;
    tolerance[mask - task.first] = v.tolerance;
  }
  return {
    value,
    lowerBound,
    tolerance,
    cleared: valuer.cleared,
    iterations: valuer.iterations,
    seconds: valuer.seconds,
    maxGap: valuer.maxGap,
  };
}

if (!isMainThread && (workerData as Record<string, unknown> | null)?.[FLAG]) {
  const reply = valuesOf((workerData as { task: Task }).task);
  parentPort!.postMessage(reply, [
    reply.value.buffer as ArrayBuffer,
    reply.lowerBound.buffer as ArrayBuffer,
    reply.tolerance.buffer as ArrayBuffer,
  ]);
}

/**
 * `allCoalitionValues` on several worker threads: the masks are split into contiguous ranges, one
 * per thread, each cleared as on one thread (every coalition's clearing is independent, so the
 * table is bit-identical for any number of threads). Returns the table and the work's totals.
 */
export async function allCoalitionValuesParallel(
  community: Community,
  settings: Partial<AdmmSettings>,
  threads: number,
): Promise<{ table: CoalitionTable; cleared: number; iterations: number; seconds: number; maxGap: number }> {
  const n = community.members.length;
  if (n > 16) throw new RangeError(`exact core test: ${n} members is too many (at most 16); use the search`);
  const total = (1 << n) - 1;
  const w = Math.max(1, Math.min(Math.floor(threads), availableParallelism(), total));
  const table: CoalitionTable = {
    members: n,
    value: new Float64Array(total + 1),
    lowerBound: new Float64Array(total + 1),
    tolerance: new Float64Array(total + 1),
  };
  const ranges: [number, number][] = [];
  for (let i = 0; i < w; i++) {
    const first = 1 + Math.floor((i * total) / w);
    const last = Math.floor(((i + 1) * total) / w);
    if (last >= first) ranges.push([first, last]);
  }
  const replies = await Promise.all(
    ranges.map(
      ([first, last]) =>
        new Promise<Reply>((resolve, reject) => {
          const worker = new Worker(new URL(import.meta.url), {
            workerData: { [FLAG]: true, task: { community, settings, first, last } satisfies Task },
          });
          worker.once("message", (r: Reply) => {
            resolve(r);
            void worker.terminate();
          });
          worker.once("error", reject);
          worker.once("exit", (code) => reject(new Error(`coalition worker stopped (exit ${code})`)));
        }),
    ),
  );
  let cleared = 0;
  let iterations = 0;
  let seconds = 0;
  let maxGap = 0;
  replies.forEach((r, i) => {
    const first = ranges[i][0];
    table.value.set(r.value, first);
    table.lowerBound.set(r.lowerBound, first);
    table.tolerance.set(r.tolerance, first);
    cleared += r.cleared;
    iterations += r.iterations;
    seconds = Math.max(seconds, r.seconds);
    maxGap = Math.max(maxGap, r.maxGap);
  });
  return { table, cleared, iterations, seconds, maxGap };
}
