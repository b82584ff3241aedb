import { mkdtempSync, rmSync, statSync } from "node:fs";
import { availableParallelism, cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import type { Market } from "@peermarket/model";
import { case39bMarket } from "./case39b.js";
import { MarketClient } from "./client.js";
import { silentLogger } from "./logger.js";
import { percentile } from "./percentile.js";
import { startServer } from "./server.js";

/** What to measure. */
export interface LoadBenchmarkOptions {
  /** Concurrent clients per level (default 1, 8, 32). */
  concurrency?: number[];
  /** Solves per level (default 1000). */
  solvesPerLevel?: number;
  /** Solves of the memory run, at 8 clients (default 10 000; 0 skips it). */
  memorySolves?: number;
  /** Solver worker threads (default: number of cores). */
  workers?: number;
  /** The market to solve (default case39b_31a). */
  market?: Market;
  /** Progress lines (default: none). */
  log?: (line: string) => void;
}

/** Throughput and latency at one level of concurrency. */
export interface LoadLevelResult {
  clients: number;
  solves: number;
  errors: number;
  seconds: number;
  solvesPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /**
   * CPU time of this process (every thread: server, clients, solver threads) over the wall time
   * of all cores: 1 when the process had the machine to itself and kept it busy; well below 1 when
   * other processes took cores away (the figures are then low).
   */
  cpuShare: number;
}

/** Process memory (MB) around the memory run. */
export interface MemoryResult {
  solves: number;
  rssBeforeMB: number;
  rssAfterMB: number;
  heapBeforeMB: number;
  heapAfterMB: number;
  /** Whether the heap was measured after a forced GC (node --expose-gc). */
  gcForced: boolean;
  storeMB: number;
}

/** Everything the load benchmark measured. */
export interface LoadBenchmarkResult {
  market: string;
  agents: number;
  workers: number;
  cpus: number;
  cpuModel: string;
  node: string;
  levels: LoadLevelResult[];
  memory: MemoryResult | null;
}

const MB = 1024 * 1024;

/**
 * V8's full collection: `gc` when node runs with --expose-gc, else one made available by setting
 * the flag at run time (a new context then has `gc`), so that the heap is measured after a full
 * collection rather than wherever the collector happens to be.
 */
function collector(): (() => void) | undefined {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed) return exposed;
  try {
    setFlagsFromString("--expose-gc");
    return runInNewContext("gc") as () => void;
  } catch {
    return undefined;
  }
}

function memory(): { rss: number; heap: number; gcForced: boolean } {
  const gc = collector();
  if (gc) {
    gc();
    gc();
  }
  const m = process.memoryUsage();
  return { rss: m.rss / MB, heap: m.heapUsed / MB, gcForced: gc !== undefined };
}

/** Runs `total` solves with `clients` concurrent clients (each waits for its reply before the next). */
async function level(clients: MarketClient[], market: Market, total: number): Promise<LoadLevelResult> {
  const latencies: number[] = [];
  let next = 0;
  let errors = 0;
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  await Promise.all(
    clients.map(async (client) => {
      while (next < total) {
        next++;
        const t0 = performance.now();
        try {
          await client.solveMarket({ market });
          latencies.push(performance.now() - t0);
        } catch {
          errors++;
        }
      }
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpu0);
  latencies.sort((a, b) => a - b);
  return {
    clients: clients.length,
    solves: latencies.length,
    errors,
    seconds,
    solvesPerSecond: latencies.length / seconds,
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
    maxMs: latencies[latencies.length - 1] ?? NaN,
    cpuShare: (cpu.user + cpu.system) / 1e6 / (seconds * availableParallelism()),
  };
}

/**
 * Load benchmark of the service over loopback (server and clients in this process, as a
 * benchmark harness would run them): solves per second and p50/p99 latency of SolveMarket with
 * 1, 8 and 32 concurrent clients (each on its own connection), then process memory before and
 * after a long run. Uses a temporary store, removed afterwards.
 */
export async function runLoadBenchmark(options: LoadBenchmarkOptions = {}): Promise<LoadBenchmarkResult> {
  const concurrency = options.concurrency ?? [1, 8, 32];
  const solvesPerLevel = options.solvesPerLevel ?? 1000;
  const memorySolves = options.memorySolves ?? 10_000;
  const workers = options.workers ?? availableParallelism();
  const market = options.market ?? case39bMarket();
  const log = options.log ?? (() => {});
  const dir = mkdtempSync(join(tmpdir(), "peermarket-bench-"));
  const storePath = join(dir, "bench.db");
  // every client connects from loopback: no per-client limit here (the load test exercises it)
  const server = await startServer({
    host: "127.0.0.1",
    port: 0,
    storePath,
    workers,
    queue: Math.max(64, ...concurrency),
    maxSolvesPerClient: 0,
    logger: silentLogger,
  });
  const maxClients = Math.max(8, ...concurrency);
  const clients = Array.from(
    { length: maxClients },
    () => new MarketClient(server.address, { channelOptions: { "grpc.use_local_subchannel_pool": 1 } }),
  );
  try {
    await Promise.all(clients.map((c) => c.waitForReady()));
    await level(clients.slice(0, Math.min(8, maxClients)), market, Math.min(200, solvesPerLevel));
    const levels: LoadLevelResult[] = [];
    for (const n of concurrency) {
      const result = await level(clients.slice(0, n), market, solvesPerLevel);
      log(
        `${n} clients: ${result.solvesPerSecond.toFixed(1)} solves/s, p50 ${result.p50Ms.toFixed(2)} ms, p99 ${result.p99Ms.toFixed(2)} ms, ${result.errors} errors, cpu ${(100 * result.cpuShare).toFixed(0)}%`,
      );
      levels.push(result);
    }
    let memoryResult: MemoryResult | null = null;
    if (memorySolves > 0) {
      const before = memory();
      const run = await level(clients.slice(0, 8), market, memorySolves);
      const after = memory();
      memoryResult = {
        solves: run.solves,
        rssBeforeMB: before.rss,
        rssAfterMB: after.rss,
        heapBeforeMB: before.heap,
        heapAfterMB: after.heap,
        gcForced: after.gcForced,
        storeMB: (statSync(storePath).size + (statSync(`${storePath}-wal`, { throwIfNoEntry: false })?.size ?? 0)) / MB,
      };
      log(
        `memory over ${run.solves} solves: rss ${before.rss.toFixed(1)} → ${after.rss.toFixed(1)} MB, heap ${before.heap.toFixed(1)} → ${after.heap.toFixed(1)} MB`,
      );
    }
    return {
      market: market.name,
      agents: market.agents.length,
      workers,
      cpus: availableParallelism(),
      cpuModel: cpus()[0]?.model ?? "",
      node: process.version,
      levels,
      memory: memoryResult,
    };
  } finally {
    for (const c of clients) c.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
