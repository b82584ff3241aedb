import {
  AdmmSolver,
  closeShardTeam,
  parallelMinTrades,
  parallelThreads,
  shardTeam,
  solveParallel,
  THREAD_COSTS,
} from "@peermarket/admm";
import { readdirSync, readFileSync } from "node:fs";
import { int, seconds, sig } from "../format.js";
import { writeChart, writeCsv } from "../outputs.js";
import { profileChild, shareOf } from "../profile-run.js";
import type { Suite, SuiteContext, SuiteResult } from "../suite.js";
import { syntheticCommunity } from "../synthetic.js";
import { atLeast, type TargetRow, targetTable } from "../targets.js";
import { solutionHash } from "../timed-solve.js";

const SIZES = {
  smoke: [30, 300],
  quick: [10, 30, 100, 200, 300, 500, 1000, 2000, 3000, 10_000, 30_000],
  full: [10, 30, 100, 200, 300, 500, 1000, 2000, 3000, 10_000, 30_000, 100_000, 300_000],
} as const;
const REPEATS = { smoke: 1, quick: 5, full: 7 } as const;
/** Wall time aimed at per timed run (1 thread), to size the fixed iteration count. */
const RUN_S = { smoke: 0.02, quick: 0.15, full: 0.4 } as const;
/** A rough cost per directed trade and iteration, only to pick the iteration count. */
const NS_PER_TRADE_GUESS = 40;

interface Row {
  members: number;
  directed_trades: number;
  iterations: number;
  per_iteration_1thread_s: number;
  per_iteration_2threads_s: number;
  speedup: number;
  bit_identical: boolean;
  /** Threads the engine's rule (`parallelThreads`, with the running team's measured barrier) picks for this market. */
  rule_threads: number;
  /**
   * From the threads' CPU times (Linux; NaN elsewhere): the 1-thread runs' CPU time over the
   * 2-thread runs' busiest thread's, i.e. the speed-up if each thread had a core of its own.
   */
  cpu_speedup: number;
}

/** CPU seconds of each thread of this process (Linux: each `/proc/self/task/TID/stat`, 10 ms ticks), or null. */
function threadCpuSeconds(): Map<string, number> | null {
  try {
    const m = new Map<string, number>();
    for (const t of readdirSync("/proc/self/task")) {
      const stat = readFileSync(`/proc/self/task/${t}/stat`, "utf8");
      const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      m.set(t, (Number(f[11]) + Number(f[12])) / 100);
    }
    return m;
  } catch {
    return null;
  }
}

/** CPU seconds each thread spent between two `threadCpuSeconds` readings, added into `into`. */
function addCpu(
  into: Map<string, number>,
  before: Map<string, number> | null,
  after: Map<string, number> | null,
): void {
  if (!before || !after) return;
  for (const [t, v] of after) into.set(t, (into.get(t) ?? 0) + v - (before.get(t) ?? 0));
}

/** The crossover in trades where the speed-up passes 1, by log-linear interpolation, or null. */
function crossover(rows: readonly Row[]): { trades: number; between: [number, number] } | null {
  // The largest size where one thread is still at least as fast; the crossover lies just above it.
  let last = -1;
  rows.forEach((r, i) => {
    if (r.speedup <= 1) last = i;
  });
  if (last === rows.length - 1) return null;
  if (last < 0) return { trades: rows[0].directed_trades, between: [0, rows[0].directed_trades] };
  const a = rows[last];
  const b = rows[last + 1];
  const f = (1 - a.speedup) / (b.speedup - a.speedup);
  const t = Math.exp(Math.log(a.directed_trades) + f * (Math.log(b.directed_trades) - Math.log(a.directed_trades)));
  return { trades: t, between: [a.directed_trades, b.directed_trades] };
}

/** Whether the Linux scheduler shares CPU time between sessions (autogroups) rather than threads. */
function autogroupScheduling(): boolean {
  try {
    return readFileSync("/proc/sys/kernel/sched_autogroup_enabled", "utf8").trim() === "1";
  } catch {
    return false;
  }
}

/** Iterations per timing window of `bestWindow`. */
const WINDOW = 10;

/**
 * Solves on `threads` threads (`solveParallel`) from the solver's iterate; returns the best time
 * per iteration over windows of WINDOW iterations after the first 10 (JIT warm-up) — a best-of,
 * so that time other processes take from these threads is left out as far as possible — and the
 * hash of the solution.
 */
async function bestWindow(solver: AdmmSolver, threads: number): Promise<{ perIterationS: number; hash: string }> {
  let last = -1;
  let lastT = 0;
  let best = Infinity;
  const r = await solveParallel(solver, threads, {
    progressInterval: WINDOW,
    onProgress: (p) => {
      const t = performance.now();
      if (last >= 10 && p.iteration === last + WINDOW) best = Math.min(best, (t - lastT) / 1000 / WINDOW);
      last = p.iteration;
      lastT = t;
    },
  });
  if (!Number.isFinite(best)) best = r.info.solveTime / Math.max(1, r.info.iterations);
  return { perIterationS: best, hash: solutionHash(r) };
}

/**
 * Speed-up of 2 threads over 1 (the calling thread plus one resident shard worker, `solveParallel`)
 * in time per iteration, at each size of the synthetic communities, with a check that both give
 * bit-identical solutions; and the size below which one thread is faster.
 */
export const workersSuite: Suite = {
  name: "workers",
  description: "speed-up of 2 threads over 1 per iteration at each size, bit-identity, and the crossover",
  async run(ctx: SuiteContext): Promise<SuiteResult> {
    const repeats = REPEATS[ctx.mode];
    const rows: Row[] = [];
    await closeShardTeam();
    const started = performance.now();
    const team = await shardTeam(1);
    const startS = (performance.now() - started) / 1000;
    const barrierS = team.barrierSeconds;
    try {
      for (const members of SIZES[ctx.mode]) {
        const c = syntheticCommunity({ members, seed: 1 });
        const iterations = Math.max(
          50,
          Math.min(3000, Math.round((RUN_S[ctx.mode] * 1e9) / (NS_PER_TRADE_GUESS * c.trades) / 10) * 10),
        );
        // A tolerance that is never met: every run does exactly `iterations` iterations.
        const solver = new AdmmSolver(
          c.arrays,
          // Polishing off: the phases alone are timed (a polish try runs on the calling thread only).
          { epsAbs: 1e-300, epsRel: 1e-300, maxIter: iterations, polish: false },
          { shared: true },
        );
        const t1: number[] = [];
        const t2: number[] = [];
        const hashes = new Set<string>();
        // CPU seconds per thread over the timed runs of 1 and 2 threads.
        const cpu1 = new Map<string, number>();
        const cpu2 = new Map<string, number>();
        for (let i = 0; i <= repeats; i++) {
          for (const threads of i % 2 === 0 ? [1, 2] : [2, 1]) {
            solver.reset();
            const before = threadCpuSeconds();
            const s = await bestWindow(solver, threads);
            if (i > 0) addCpu(threads === 1 ? cpu1 : cpu2, before, threadCpuSeconds());
            hashes.add(s.hash);
            if (i > 0) (threads === 1 ? t1 : t2).push(s.perIterationS); // the first round warms up
          }
        }
        const busiest = (m: Map<string, number>) => Math.max(0, ...m.values());
        const cpuSpeedup = cpu1.size > 0 && busiest(cpu2) > 0 ? busiest(cpu1) / busiest(cpu2) : Number.NaN;
        // Best of the repeats: other processes only ever add time, and a 2-thread run needs both cores free.
        const one = Math.min(...t1);
        const two = Math.min(...t2);
        rows.push({
          members,
          directed_trades: c.trades,
          iterations,
          per_iteration_1thread_s: one,
          per_iteration_2threads_s: two,
          speedup: one / two,
          bit_identical: hashes.size === 1,
          rule_threads: parallelThreads(c.trades, 2, c.arrays.nAgents, barrierS),
          cpu_speedup: cpuSpeedup,
        });
        ctx.log(
          `workers: ${int(c.trades)} trades: 1 thread ${seconds(one)}, 2 threads ${seconds(two)} per iteration, ×${sig(one / two)}${hashes.size === 1 ? "" : ", NOT bit-identical"}`,
        );
      }
    } finally {
      await closeShardTeam();
    }
    const files = [writeCsv(ctx.outDir, "workers.csv", rows as unknown as Record<string, number | boolean>[])];
    files.push(
      writeChart(ctx.outDir, "workers_speedup.svg", {
        title: "Speed-up of 2 threads over 1 (time per iteration)",
        xLabel: "directed trades",
        yLabel: "speed-up",
        logX: true,
        hLine: { y: 1, label: "break-even" },
        series: [
          {
            name: "2 threads / 1 thread",
            points: rows.map((r) => [r.directed_trades, r.speedup] as const),
            markers: true,
          },
        ],
      }),
      writeChart(ctx.outDir, "workers_time.svg", {
        title: "Time per iteration, 1 and 2 threads",
        xLabel: "directed trades",
        yLabel: "seconds per iteration",
        logX: true,
        logY: true,
        series: [
          {
            name: "1 thread",
            points: rows.map((r) => [r.directed_trades, r.per_iteration_1thread_s] as const),
            markers: true,
          },
          {
            name: "2 threads",
            points: rows.map((r) => [r.directed_trades, r.per_iteration_2threads_s] as const),
            markers: true,
          },
        ],
      }),
    );
    const large = rows.filter((r) => r.directed_trades >= 50_000);
    const minLarge = large.length ? Math.min(...large.map((r) => r.speedup)) : Number.NaN;
    const verdict = atLeast(minLarge, 1.7);
    let note = large.length ? "" : `no size with ≥ 50 000 trades in ${ctx.mode} mode.`;
    if (verdict === "missed") {
      const worst = large.reduce((a, b) => (b.speedup < a.speedup ? b : a));
      const tiny = rows[0];
      const barrier = tiny.per_iteration_2threads_s - tiny.per_iteration_1thread_s / 2;
      const share = Math.max(0, barrier) / worst.per_iteration_2threads_s;
      note =
        `${sig(1.7 / minLarge)}× short of 1.7×. The barrier costs about ${seconds(Math.max(0, barrier))} per iteration (2-thread time at ${int(tiny.directed_trades)} trades minus half the 1-thread time), ` +
        `${sig(100 * share, 2)} % of an iteration at ${int(worst.directed_trades)} trades` +
        (share < 0.1
          ? ", so the loss is in the phases themselves: the two threads competing for memory bandwidth and the caches (and, on a loaded machine, for the cores), or the last chunk of a phase (the threads share a phase's chunks, taking over each other's, so unequal shards are not the cause)."
          : ": synchronisation is a large part of the loss.");
      if (ctx.mode !== "smoke") {
        const prof = await profileChild("scaling", {
          members: worst.members,
          seed: 1,
          preferences: false,
          eps: 1e-4,
          threads: [2],
          maxIter: 100,
          polish: false,
        });
        const coordinatorWaits = shareOf(prof.entries, "chunkPhase");
        const workerWaits = prof.workers.length ? shareOf(prof.workers[0].entries, "waitForEpoch") : Number.NaN;
        note += ` CPU profile of 100 iterations of a 2-thread solve at ${int(worst.directed_trades)} trades (self time per thread): ${prof.text}.`;
        if (Number.isFinite(workerWaits)) {
          note += ` The worker waits for the coordinator ${sig(100 * workerWaits, 2)} % of its time (\`waitForEpoch\`), the coordinator for the worker's last chunk ${sig(100 * coordinatorWaits, 2)} % (\`chunkPhase\`).`;
        }
      }
    }
    const cross = crossover(rows);
    const crossText = !cross
      ? rows.some((r) => r.speedup > 1)
        ? "no single crossover: the speed-up goes above and below 1 along the sizes (2 threads slower at the largest size measured)"
        : "one thread is faster at every size measured"
      : cross.between[0] === 0
        ? `2 threads are faster at every size measured, down to ${int(cross.trades)} directed trades: the crossover lies below`
        : `2 threads are faster from about ${int(cross.trades)} directed trades on (speed-up crosses 1 between ${int(cross.between[0])} and ${int(cross.between[1])} trades)`;
    const warmMin = parallelMinTrades(true, barrierS);
    const coldMin = parallelMinTrades(false);
    // The rule must never pick 2 threads where they were measured slower than 1.
    const wrong = rows.filter((r) => r.rule_threads > 1 && r.speedup < 1);
    const identical = rows.every((r) => r.bit_identical);
    const c = THREAD_COSTS;
    const targets: TargetRow[] = [
      {
        target: "2 threads ≥ 1.7× faster than 1 wherever a market has ≥ 50 000 directed trades",
        measured: large.length
          ? large.map((r) => `${int(r.directed_trades)} trades: ${sig(r.speedup)}×`).join(", ")
          : "—",
        verdict,
        note,
      },
      {
        target: "bit-identical results for 1 and 2 threads",
        measured: identical
          ? `identical at all ${rows.length} sizes (SHA-256 of trades and prices)`
          : `differs at ${rows
              .filter((r) => !r.bit_identical)
              .map((r) => int(r.directed_trades))
              .join(", ")} trades`,
        verdict: identical ? "met" : "missed",
        note: "",
      },
      {
        target:
          "the thread rule (`parallelThreads`, packages/admm/src/parallel.ts) never picks 2 threads where they are slower than 1",
        measured:
          `${crossText}; the rule, with the barrier the team measured at start (${seconds(barrierS)}), picks 2 threads from ${int(warmMin)} directed trades on once the team runs, ` +
          `and from ${int(coldMin)} when it must first start it (measured start: ${seconds(startS)})`,
        verdict: rows.length === 0 ? "not measured" : wrong.length === 0 ? "met" : "missed",
        note:
          (wrong.length === 0
            ? "no size where the rule picks 2 threads ran slower on 2. "
            : `2 threads picked but slower at ${wrong.map((r) => `${int(r.directed_trades)} trades (${sig(r.speedup)}×)`).join(", ")}. `) +
          `Model: ${c.nsPerTrade} ns per directed trade + ${c.nsPerAgent} ns per agent and iteration on one thread, 1/k of it × ${c.imbalance} on k threads plus one barrier, ${sig(1e6 * c.shareS)} µs (chunk claims) and ${c.shareNsPerTrade} ns per directed trade up to ${int(c.shareTradesCap)} (a market in one core's caches: its iterate moving between the cores); ` +
          `threads only if the predicted speed-up is ≥ ${c.minSpeedup}× and, for a team not yet running, the time saved over ${c.amortiseIterations} iterations repays its start (${seconds(c.teamStartS)}).`,
      },
    ];
    const md: string[] = [];
    md.push(
      "The scaling suite's communities. Each size runs a fixed number of iterations (a tolerance never met, polishing off) from a cold start on 1 thread and on 2 " +
        `(\`solveParallel\`: the calling thread and one resident shard worker, one barrier per iteration), alternating, best of ${repeats} after a warm-up round (other processes only ever add time); ` +
        `time per iteration: the best window of ${WINDOW} iterations (after the first 10) of each run, from the progress timestamps. Every run's solution is hashed to check bit-identity. ` +
        "A 2-thread run needs both cores: when other processes keep them busy (see the load average in the stamp), its timings measure the contention for the cores as much as the engine, and the speed-ups below are then lower bounds of a quiet machine's, the verdicts on them not conclusive." +
        (autogroupScheduling()
          ? " This machine's kernel shares the CPU between sessions (`sched_autogroup_enabled` = 1): while other sessions are busy, the two threads of this one together get about the CPU one thread would, and the speed-up stays near 1 whatever the engine does.\n"
          : "\n") +
        "Speed-up by CPU time (Linux): the CPU time of the 1-thread runs over that of the busiest thread of the 2-thread runs (from `/proc/self/task/TID/stat`, whole runs including the solve's serial set-up; 10 ms ticks): what 2 threads would give with a core each, whatever the scheduler did; memory contention between truly simultaneous threads is only partly in it. The verdicts use the elapsed times.\n",
    );
    md.push(targetTable(targets));
    md.push("");
    md.push(
      "| members | directed trades | iterations | 1 thread | 2 threads | speed-up | speed-up by CPU time | identical | rule picks |",
    );
    md.push("|---:|---:|---:|---:|---:|---:|---:|---|---:|");
    for (const r of rows) {
      md.push(
        `| ${int(r.members)} | ${int(r.directed_trades)} | ${r.iterations} | ${seconds(r.per_iteration_1thread_s)} | ${seconds(r.per_iteration_2threads_s)} | ${sig(r.speedup)}× | ${Number.isFinite(r.cpu_speedup) ? `${sig(r.cpu_speedup)}×` : "—"} | ${r.bit_identical ? "yes" : "**no**"} | ${r.rule_threads} |`,
      );
    }
    md.push("\nPlots: `results/workers_speedup.svg`, `results/workers_time.svg`; data: `results/workers.csv`.");
    return { name: "workers", markdown: md.join("\n"), files };
  },
};
