import { AdmmSolver } from "@peermarket/admm";
import { int, seconds, sig } from "../format.js";
import { writeChart, writeCsv } from "../outputs.js";
import { profileChild } from "../profile-run.js";
import { streamArraysLike, streamPass } from "../stream-pass.js";
import type { Suite, SuiteContext, SuiteResult } from "../suite.js";
import { syntheticCommunity } from "../synthetic.js";
import { atMost, type TargetRow, targetTable } from "../targets.js";
import { timedSolve } from "../timed-solve.js";

const SIZES = {
  smoke: [300, 3000],
  quick: [1000, 10_000, 30_000],
  full: [1000, 10_000, 30_000, 100_000, 300_000],
} as const;
const REPEATS = { smoke: 1, quick: 3, full: 3 } as const;
const EPS = 1e-4;
/** Bytes a streaming pass moves per directed trade: 68 read, 24 written. */
const PASS_BYTES = 92;

/**
 * Time per iteration of the engine (one thread, steady state of a solve to 1e-4) divided by the
 * time of one plain streaming pass over the same typed arrays (`streamPass`): how far an
 * iteration is from the memory traffic it cannot avoid.
 */
export const floorSuite: Suite = {
  name: "floor",
  description:
    "time per iteration / one plain streaming pass over the same arrays (the memory floor), ≥ 100 000 trades",
  async run(ctx: SuiteContext): Promise<SuiteResult> {
    const repeats = REPEATS[ctx.mode];
    const rows: Record<string, number>[] = [];
    for (const members of SIZES[ctx.mode]) {
      const c = syntheticCommunity({ members, seed: 1 });
      const solver = new AdmmSolver(c.arrays, { epsAbs: EPS, epsRel: EPS }, { shared: true });
      const perIteration: number[] = [];
      let iterations = 0;
      for (let i = 0; i < repeats; i++) {
        solver.reset();
        const s = await timedSolve(solver, 1);
        perIteration.push(s.perIterationS);
        iterations = s.iterations;
      }
      // Best of the repeats, for both timings: other processes on the machine only ever add time.
      const iter = Math.min(...perIteration);
      const arrays = streamArraysLike(c.arrays, solver.iterate.p0);
      const passes: number[] = [];
      let check = 0;
      for (let i = 0; i < 3; i++) check += streamPass(arrays);
      const reps = Math.max(5, Math.min(50, Math.ceil(2e6 / c.trades)));
      for (let i = 0; i < reps; i++) {
        const t = performance.now();
        check += streamPass(arrays);
        passes.push((performance.now() - t) / 1000);
      }
      const pass = Math.min(...passes);
      rows.push({
        members,
        directed_trades: c.trades,
        iterations,
        iteration_s: iter,
        pass_s: pass,
        ratio: iter / pass,
        iteration_ns_per_trade: (1e9 * iter) / c.trades,
        pass_ns_per_trade: (1e9 * pass) / c.trades,
        pass_gb_per_s: (PASS_BYTES * c.trades) / pass / 1e9,
        checksum_finite: Number.isFinite(check) ? 1 : 0,
      });
      ctx.log(
        `floor: ${int(c.trades)} trades: iteration ${seconds(iter)}, pass ${seconds(pass)}, ratio ${sig(iter / pass)}`,
      );
    }
    const files = [writeCsv(ctx.outDir, "floor.csv", rows)];
    files.push(
      writeChart(ctx.outDir, "floor.svg", {
        title: "Time per iteration against one streaming pass",
        xLabel: "directed trades",
        yLabel: "ns per directed trade",
        logX: true,
        logY: true,
        series: [
          {
            name: "ADMM iteration (1 thread)",
            points: rows.map((r) => [r.directed_trades, r.iteration_ns_per_trade] as const),
            markers: true,
          },
          {
            name: "streaming pass",
            points: rows.map((r) => [r.directed_trades, r.pass_ns_per_trade] as const),
            markers: true,
          },
        ],
      }),
    );
    const large = rows.filter((r) => r.directed_trades >= 100_000);
    const worst = large.length ? large.reduce((a, b) => (b.ratio > a.ratio ? b : a)) : undefined;
    const verdict = atMost(worst?.ratio, 2);
    let note = worst
      ? `the pass runs at ${sig(worst.pass_gb_per_s)} GB/s (${sig(worst.pass_ns_per_trade)} ns per trade); an iteration costs ${sig(worst.iteration_ns_per_trade)} ns per trade.`
      : `no size with ≥ 100 000 trades in ${ctx.mode} mode.`;
    if (verdict === "missed" && worst) {
      note = `${sig(worst.ratio / 2)}× over the 2× target: ${note}`;
      if (ctx.mode !== "smoke") {
        const prof = await profileChild("scaling", {
          members: worst.members,
          seed: 1,
          preferences: false,
          eps: EPS,
          threads: [1],
          maxIter: 10_000,
        });
        note += ` CPU profile of that solve (self time): ${prof.text}.`;
      }
      const small = rows[0];
      if (small && small.directed_trades < 100_000) {
        note +=
          ` At ${int(small.directed_trades)} trades, where the arrays (${sig((small.directed_trades * PASS_BYTES) / 2 ** 20)} MB) fit in the caches, the ratio is already ${sig(small.ratio)}×` +
          (small.ratio >= 0.75 * worst.ratio
            ? ": most of the excess is computation per trade (the local solve passes over an agent's trades once per Newton step and once to write them), not memory traffic."
            : `; it grows to ${sig(worst.ratio)}× out of cache, so memory access (the mirror gather) accounts for much of the excess.`);
      }
    }
    const targets: TargetRow[] = [
      {
        target: "time per iteration ≤ 2× one streaming pass over the same arrays, at ≥ 100 000 trades",
        measured: large.length
          ? large.map((r) => `${int(r.directed_trades)} trades: ${sig(r.ratio)}×`).join(", ")
          : "—",
        verdict,
        note,
      },
    ];
    const md: string[] = [];
    md.push(
      `The scaling suite's communities. Iteration: steady-state time per iteration of a 1-thread solve to eps 1e-4 (best of ${repeats}). ` +
        "Pass: `streamPass` (`src/stream-pass.ts`) over copies of the same arrays with the same mirror permutation — read pCur, gather pCur[mirror], " +
        "read/write z and λ, read lo, hi, c⁺, c⁻ and the mirror, write pNext (92 bytes per directed trade) — best of repeated passes after 3 warm-up passes. Best-of on both sides, because other processes on the machine only ever add time.\n",
    );
    md.push(targetTable(targets));
    md.push("");
    md.push(
      "| members | directed trades | iterations | per iteration | one pass | ratio | iteration ns/trade | pass ns/trade | pass GB/s |",
    );
    md.push("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (const r of rows) {
      md.push(
        `| ${int(r.members)} | ${int(r.directed_trades)} | ${r.iterations} | ${seconds(r.iteration_s)} | ${seconds(r.pass_s)} | ${sig(r.ratio)}× | ${sig(r.iteration_ns_per_trade)} | ${sig(r.pass_ns_per_trade)} | ${sig(r.pass_gb_per_s)} |`,
      );
    }
    md.push("\nPlot: `results/floor.svg`; data: `results/floor.csv`.");
    return { name: "floor", markdown: md.join("\n"), files };
  },
};
