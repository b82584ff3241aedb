import { AdmmSolver } from "@peermarket/admm";
import { solveReference } from "@peermarket/reference";
import { int, seconds, sig } from "../format.js";
import { median } from "../machine.js";
import { writeChart, writeCsv } from "../outputs.js";
import type { Suite, SuiteContext, SuiteResult } from "../suite.js";
import { syntheticCommunity } from "../synthetic.js";
import { atLeast, atMost, type TargetRow, targetTable } from "../targets.js";

const SIZES = {
  smoke: [10, 30],
  quick: [10, 30, 100, 200, 300, 1000, 3000],
  full: [10, 30, 100, 200, 300, 1000, 2000, 3000, 5000],
} as const;
const BUDGET_S = { smoke: 10, quick: 10, full: 60 } as const;
const REPEATS = { smoke: 1, quick: 5, full: 9 } as const;
/** The engine's runs per size: many, since a small market's solve takes well under a millisecond and one collection shifts a median of five. */
const ENGINE_REPEATS = { smoke: 3, quick: 21, full: 41 } as const;
/** HiGHS is run `REPEATS` times (median) where one run takes less than this, else once. */
const HIGHS_REPEAT_BELOW_S = 1;
/** eps_abs = eps_rel of the engine: tight enough for a 1e-6 relative objective gap. */
const EPS = 1e-7;

interface Row {
  members: number;
  agents: number;
  directed_trades: number;
  highs_status: string;
  highs_optimal: boolean;
  highs_regularized: boolean;
  highs_s: number;
  engine_status: string;
  engine_iterations: number;
  engine_s: number;
  ratio: number;
  objective_highs: number;
  objective_engine: number;
  relative_gap: number;
}

/**
 * The synthetic communities of the scaling suite, small, solved by HiGHS's QP solver
 * (`solveReference`, with a time budget) and by the engine at eps 1e-7: time ratio and relative
 * objective gap, growing the market until HiGHS exceeds the budget.
 */
export const referenceSuite: Suite = {
  name: "reference",
  description:
    "HiGHS QP vs peermarket on synthetic communities until HiGHS exceeds its budget: time ratio, objective gap",
  async run(ctx: SuiteContext): Promise<SuiteResult> {
    const budget = BUDGET_S[ctx.mode];
    const repeats = REPEATS[ctx.mode];
    // Every engine measurement first, before HiGHS has ever run in this process: measured after
    // HiGHS's runs at the same size, the engine's small solves came out several-fold slower in two
    // suite runs (84 trades: a median of 1.2 ms against about 0.1 ms; a full collection in between
    // did not undo it), for a reason not found — a later attempt outside the suite, HiGHS run five
    // times and then the engine, did not reproduce it. The engine's figures are the engine's alone.
    const engine = new Map<number, { seconds: number; result: ReturnType<AdmmSolver["solve"]> }>();
    for (const members of SIZES[ctx.mode]) {
      const c = syntheticCommunity({ members, seed: 1, shared: false });
      const run = () => {
        const t = performance.now();
        const result = new AdmmSolver(c.arrays, { epsAbs: EPS, epsRel: EPS, maxIter: 100_000 }).solve();
        return { result, seconds: (performance.now() - t) / 1000 };
      };
      // Warm the JIT up: at least 3 runs and 0.2 s (the first solves of a process run 10–20× slower).
      let warm = 0;
      for (let i = 0; i < 3 || warm < 0.2; i++) warm += run().seconds;
      const times: number[] = [];
      let last = run();
      for (let i = 0; i < ENGINE_REPEATS[ctx.mode]; i++) {
        last = run();
        times.push(last.seconds);
      }
      engine.set(members, { seconds: median(times), result: last.result });
    }
    // Load and compile HiGHS's WebAssembly before timing it.
    await solveReference(syntheticCommunity({ members: 5, seed: 99, shared: false }).arrays, { timeLimit: budget });
    const rows: Row[] = [];
    for (const members of SIZES[ctx.mode]) {
      const c = syntheticCommunity({ members, seed: 1, shared: false });
      // HiGHS's time: the median of several runs where they are cheap (a single run varied 4×
      // between suite runs at 84 trades), else one.
      let ref = await solveReference(c.arrays, { timeLimit: budget });
      if (ref.time < HIGHS_REPEAT_BELOW_S && repeats > 1) {
        const highsTimes = [ref.time];
        for (let i = 1; i < repeats; i++) {
          const again = await solveReference(c.arrays, { timeLimit: budget });
          highsTimes.push(again.time);
          ref = again;
        }
        ref = { ...ref, time: median(highsTimes) };
      }
      const measured = engine.get(members)!;
      const info = measured.result.info;
      const engineS = measured.seconds;
      const gap = ref.optimal
        ? Math.abs(info.objective - ref.objective) / Math.max(1e-12, Math.abs(ref.objective))
        : Number.NaN;
      const row: Row = {
        members,
        agents: c.agents,
        directed_trades: c.trades,
        highs_status: ref.status,
        highs_optimal: ref.optimal,
        highs_regularized: ref.regularized,
        highs_s: ref.time,
        engine_status: info.status,
        engine_iterations: info.iterations,
        engine_s: engineS,
        ratio: ref.time / engineS,
        objective_highs: ref.objective,
        objective_engine: info.objective,
        relative_gap: gap,
      };
      rows.push(row);
      ctx.log(
        `reference: ${members} members: HiGHS ${ref.status} in ${seconds(ref.time)}, engine ${info.status} in ${seconds(engineS)}, gap ${sig(gap, 2)}`,
      );
      if (ref.time >= budget) break;
    }
    const files = [
      writeCsv(ctx.outDir, "reference.csv", rows as unknown as Record<string, string | number | boolean>[]),
    ];
    files.push(
      writeChart(ctx.outDir, "reference_time.svg", {
        title: "HiGHS QP vs peermarket (eps 1e-7): time",
        xLabel: "directed trades",
        yLabel: "time (s)",
        logX: true,
        logY: true,
        series: [
          {
            name: "HiGHS QP (solveReference)",
            points: rows.map((r) => [r.directed_trades, r.highs_s] as const),
            markers: true,
          },
          {
            name: "peermarket, setup + solve",
            points: rows.map((r) => [r.directed_trades, r.engine_s] as const),
            markers: true,
          },
        ],
      }),
    );
    const solved = rows.filter((r) => r.highs_optimal);
    const minRatio = solved.length ? Math.min(...solved.map((r) => r.ratio)) : Number.NaN;
    const maxGap = solved.length ? Math.max(...solved.map((r) => r.relative_gap)) : Number.NaN;
    const failed = rows.filter((r) => !r.highs_optimal);
    const slowest = solved.filter((r) => r.ratio < 100);
    const timedOut = rows.find((r) => !r.highs_optimal && r.highs_s >= budget);
    const targets: TargetRow[] = [
      {
        target: `≥ 100× faster than HiGHS's QP at every size HiGHS finishes within the budget (${budget} s)`,
        measured: solved.length
          ? `${sig(minRatio)}× at worst; ${solved.map((r) => `${int(r.directed_trades)} trades ${sig(r.ratio)}×`).join(", ")}`
          : "HiGHS solved none",
        verdict: atLeast(minRatio, 100),
        note:
          slowest.length > 0
            ? `${sig(100 / minRatio)}× short at worst. HiGHS finishes only up to ${int(Math.max(...solved.map((r) => r.directed_trades)))} trades here, in ${seconds(Math.min(...solved.map((r) => r.highs_s)))}–${seconds(Math.max(...solved.map((r) => r.highs_s)))}; ` +
              `at those sizes the engine needs ${Math.min(...solved.map((r) => r.engine_iterations))}–${Math.max(...solved.map((r) => r.engine_iterations))} iterations to reach eps ${EPS} (${seconds(Math.min(...solved.map((r) => r.engine_s)))}–${seconds(Math.max(...solved.map((r) => r.engine_s)))}), so the ratio stays between ${sig(minRatio)}× and ${sig(Math.max(...solved.map((r) => r.ratio)))}×.` +
              (timedOut
                ? ` Where HiGHS ran out of its ${budget} s budget (${int(timedOut.directed_trades)} trades) the ratio is at least ${sig(timedOut.highs_s / timedOut.engine_s)}× (budget / engine time).`
                : "")
            : "HiGHS time includes building the model; the engine's includes its setup.",
      },
      {
        target: "same objective within 1e-6 relative",
        measured: solved.length ? `largest gap ${sig(maxGap, 2)}` : "—",
        verdict: atMost(maxGap, 1e-6),
        note: `engine at eps_abs = eps_rel = ${EPS}; the gap is |f_engine − f_HiGHS| / |f_HiGHS| at sizes where HiGHS proved optimality.`,
      },
    ];
    if (failed.length > 0) {
      targets.push({
        target: "HiGHS solves every instance within the budget",
        measured: failed
          .map((r) => `${int(r.directed_trades)} trades: ${r.highs_status} after ${seconds(r.highs_s)}`)
          .join("; "),
        verdict: "missed",
        note: 'not a peermarket target: HiGHS\'s active-set QP fails ("Solve error", also with the proximal fallback of `solveReference`) or runs out of time on these semidefinite QPs (grid agents have linear costs, trades have no curvature); those sizes have no ratio or gap.',
      });
    }
    const md: string[] = [];
    md.push(
      `The scaling suite's communities (seed 1, no preferences), small. HiGHS: \`solveReference\` (QP, exact first, proximal fallback), ` +
        `time limit ${budget} s, its time including building the model, the median of ${repeats} runs where one takes less than ${HIGHS_REPEAT_BELOW_S} s (else one run); the growth stops at the first size where HiGHS reaches the budget. ` +
        `peermarket: \`AdmmSolver\` setup + solve at eps_abs = eps_rel = ${EPS}, median of ${ENGINE_REPEATS[ctx.mode]} runs after at least 3 warm-up runs (0.2 s), one thread, every size measured before HiGHS first runs in the process (measured after HiGHS's runs, the engine's small solves had come out several-fold slower in two suite runs, for a reason not found).\n`,
    );
    md.push(targetTable(targets));
    md.push("");
    md.push(
      "| members | directed trades | HiGHS status | HiGHS time | peermarket iterations | peermarket time | HiGHS / peermarket | relative objective gap |",
    );
    md.push("|---:|---:|---|---:|---:|---:|---:|---:|");
    for (const r of rows) {
      md.push(
        `| ${int(r.members)} | ${int(r.directed_trades)} | ${r.highs_status}${r.highs_regularized ? " (proximal)" : ""} | ${seconds(r.highs_s)} | ${r.engine_iterations} | ${seconds(r.engine_s)} | ${r.highs_optimal ? sig(r.ratio) + "×" : "—"} | ${r.highs_optimal ? sig(r.relative_gap, 2) : "—"} |`,
      );
    }
    md.push("\nPlot: `results/reference_time.svg`; data: `results/reference.csv`.");
    return { name: "reference", markdown: md.join("\n"), files };
  },
};
