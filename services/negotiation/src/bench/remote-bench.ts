import { deepStrictEqual } from "node:assert/strict";
import { availableParallelism, cpus } from "node:os";
import { solveMarket, type SolveOutcome } from "@peermarket/market";
import type { Market } from "@peermarket/model";
import { type CommandProcess, startCommand } from "../command-process.js";
import { type DistributedOutcome, solveDistributed } from "../distributed-solve.js";
import { ShardCoordinator } from "../shard-coordinator.js";
import { planShards } from "../shard-plan.js";
import { syntheticMarket } from "../testing/synthetic-market.js";

/** Options of the remote-shard benchmark. */
export interface RemoteBenchOptions {
  /** The large market: producers × consumers pairs (100 × 1000: 200 000 directed trades). */
  producers: number;
  consumers: number;
  /** Remote worker processes. */
  workers: number;
  /** Coordinator threads of the distributed runs (one run per value). */
  localThreads: number[];
  log?: (line: string) => void;
}

/** One measured configuration. */
export interface BenchRow {
  run: string;
  iterations: number;
  solveS: number;
  msPerIteration: number;
  /** Whether trades, prices, powers, objective and iterations equal the single-thread solve bit for bit. */
  identical: boolean | null;
  /** Distributed runs, per iteration: the slowest worker's own phase time, and the coordinator's gathering/encoding, updates and copying (ms). */
  workerPhaseMs?: number;
  sendMs?: number;
  updateMs?: number;
  receiveMs?: number;
}

/** What the benchmark measured. */
export interface RemoteBenchResult {
  machine: string;
  directedTrades: number;
  rows: BenchRow[];
  /** Per iteration on a 14-agent market over the same workers: messaging and thread hand-off alone. */
  roundTripMs: number;
  /** Bytes each iteration sends to and receives from the workers (all remote), payload only. */
  bytesOut: number;
  bytesIn: number;
}

function identical(out: DistributedOutcome | SolveOutcome, ref: SolveOutcome): boolean {
  try {
    deepStrictEqual(out.result.solution.trade, ref.result.solution.trade);
    deepStrictEqual(out.result.solution.price, ref.result.solution.price);
    deepStrictEqual(out.result.solution.agentPower, ref.result.solution.agentPower);
    deepStrictEqual(
      [out.result.info.iterations, out.result.info.objective, out.result.info.rho],
      [ref.result.info.iterations, ref.result.info.objective, ref.result.info.rho],
    );
    return true;
  } catch {
    return false;
  }
}

function row(run: string, o: DistributedOutcome | SolveOutcome, ref: SolveOutcome | null): BenchRow {
  const it = o.result.info.iterations;
  const s = o.result.info.solveTime;
  return {
    run,
    iterations: it,
    solveS: s,
    msPerIteration: (1000 * s) / Math.max(1, it + 1),
    identical: ref ? identical(o, ref) : null,
  };
}

/**
 * Clears one large market in-process (1 and 2 threads) and over `workers` remote shard worker
 * processes on loopback (with each number of coordinator threads), checks the distributed results
 * equal the single-thread one bit for bit, and measures the per-iteration cost of the gRPC round
 * trip on a tiny market over the same workers.
 */
export async function runRemoteBench(o: RemoteBenchOptions): Promise<RemoteBenchResult> {
  const log = o.log ?? (() => undefined);
  const market: Market = syntheticMarket({ producers: o.producers, consumers: o.consumers, seed: 7 });
  log(`market: ${o.producers} producers × ${o.consumers} consumers`);
  const single = await solveMarket(market, { settings: { warmStartSolutionId: "", workers: 1 } });
  const nt = single.expanded.arrays.partner.length;
  log(
    `in-process, 1 thread: ${single.result.info.iterations} iterations, ${single.result.info.solveTime.toFixed(3)} s`,
  );
  const rows: BenchRow[] = [row("in-process, 1 thread", single, null)];
  const two = await solveMarket(market, { settings: { warmStartSolutionId: "", workers: 2 } });
  rows.push(row("in-process, 2 threads (shared memory)", two, single));
  const coordinator = await ShardCoordinator.start();
  const workers: CommandProcess[] = [];
  try {
    for (let i = 0; i < o.workers; i++)
      workers.push(startCommand(["worker", "--coordinator", coordinator.address, "--name", `bench-w${i + 1}`]));
    await coordinator.waitForWorkers(o.workers, 60_000);
    for (const localThreads of o.localThreads) {
      const out = await solveDistributed(coordinator, market, { localThreads, remoteWorkers: o.workers });
      const r = row(
        `coordinator ${localThreads} thread${localThreads === 1 ? "" : "s"} + ${o.workers} worker processes`,
        out,
        single,
      );
      const t = out.timings!;
      r.workerPhaseMs = t.workerPhaseMs / t.phases;
      r.sendMs = t.sendMs / t.phases;
      r.updateMs = t.updateMs / t.phases;
      r.receiveMs = t.receiveMs / t.phases;
      log(`${r.run}: ${r.iterations} iterations, ${r.solveS.toFixed(3)} s, identical ${r.identical}`);
      rows.push(r);
    }
    const tiny = syntheticMarket({ producers: 4, consumers: 10, seed: 8 });
    const probe = await solveDistributed(coordinator, tiny, {
      localThreads: 0,
      remoteWorkers: o.workers,
      settings: { warmStartSolutionId: "", maxIter: 2000, epsAbs: 1e-12, epsRel: 1e-12 },
    });
    const roundTripMs = (1000 * probe.result.info.solveTime) / (probe.result.info.iterations + 1);
    const plan = planShards(single.expanded.arrays, 0, o.workers);
    let bytesOut = 0;
    let bytesIn = 0;
    for (const s of plan.remote) {
      bytesOut += 8 * s.ghostSource.length + 3 * 8;
      bytesIn += 8 * (s.tradeEnd - s.tradeBegin) + 8 * (s.agentEnd - s.agentBegin) + 4 * 8;
    }
    return {
      machine: `${cpus()[0]?.model ?? "unknown CPU"}, ${availableParallelism()} cores, Node ${process.version}`,
      directedTrades: nt,
      rows,
      roundTripMs,
      bytesOut,
      bytesIn,
    };
  } finally {
    await coordinator.close();
    for (const w of workers) await w.exit;
  }
}

/** The result as a markdown table. */
export function benchTable(r: RemoteBenchResult): string {
  const lines = [
    `${r.directedTrades} directed trades; ${r.machine}`,
    "",
    "| run | iterations | solve s | ms / iteration | slowest worker's phase ms | coordinator send / update / receive ms | bit-identical to 1 thread |",
    "|---|---:|---:|---:|---:|---:|:---:|",
    ...r.rows.map((x) => {
      const f = (v: number | undefined): string => (v === undefined ? "—" : v.toFixed(2));
      const coord = x.sendMs === undefined ? "—" : `${f(x.sendMs)} / ${f(x.updateMs)} / ${f(x.receiveMs)}`;
      return `| ${x.run} | ${x.iterations} | ${x.solveS.toFixed(3)} | ${x.msPerIteration.toFixed(2)} | ${f(x.workerPhaseMs)} | ${coord} | ${x.identical === null ? "—" : x.identical ? "yes" : "NO"} |`;
    }),
    "",
    `gRPC round trip to the workers (14-agent market, all shards remote): ${r.roundTripMs.toFixed(3)} ms per iteration`,
    `payload per iteration with every shard remote: ${(r.bytesOut / 1e6).toFixed(2)} MB out (ghost trades), ${(r.bytesIn / 1e6).toFixed(2)} MB in (trades, μ)`,
  ];
  return lines.join("\n") + "\n";
}
