import { AdmmSolver } from "@peermarket/admm";
import { int, sig } from "../format.js";
import { median } from "../machine.js";
import { writeChart, writeCsv } from "../outputs.js";
import { rng } from "../random.js";
import type { Suite, SuiteContext, SuiteResult } from "../suite.js";
import { type CommunityColumns, communityArrays, communityColumns } from "../synthetic.js";
import { atMost, type TargetRow, targetTable } from "../targets.js";

const SIZES = {
  smoke: [100, 300],
  quick: [1000, 10_000],
  full: [1000, 10_000, 100_000],
} as const;
const PERTURBATIONS = { smoke: 1, quick: 3, full: 5 } as const;
const EPS = 1e-4;
const SHARE = 0.01;
const FACTOR = 0.05;

const VARIANTS = [
  "cold",
  "warmStart(p, λ), new solver",
  "warmStart(p, λ, final ρ), new solver",
  "same solver, bounds updated",
  "warmStart(p, λ, final ρ), ADMM alone",
] as const;
/** The variants as the engine runs by default (polishing on); the last is ADMM alone, for comparison. */
const DEFAULT_VARIANTS: readonly Variant[] = VARIANTS.slice(0, 4);
type Variant = (typeof VARIANTS)[number];

/** The agent columns of `c` with the bounds of 1 % of the members (distinct, drawn at random) scaled by 1 ± 5 % (seeded). */
function perturbed(
  c: CommunityColumns,
  seed: number,
): { a: Float64Array; b: Float64Array; pMin: Float64Array; pMax: Float64Array } {
  const r = rng(seed);
  const pMin = c.agents.pMin.slice();
  const pMax = c.agents.pMax.slice();
  const count = Math.max(1, Math.round(SHARE * c.members));
  const picked = new Uint8Array(c.members);
  for (let q = 0; q < count; q++) {
    let n = Math.floor(r() * c.members);
    while (picked[n]) n = (n + 1) % c.members;
    picked[n] = 1;
    const f = r() < 0.5 ? 1 - FACTOR : 1 + FACTOR;
    pMin[n] *= f;
    pMax[n] *= f;
  }
  return { a: c.agents.a, b: c.agents.b, pMin, pMax };
}

/** Where a warm re-solve starts (its worst residual in units of the tolerance) and how fast it closes in. */
interface Landing {
  /** max(primal / eps_primal, dual / eps_dual) after the first iteration. */
  start: number;
  /** Mean factor by which that ratio shrinks per iteration until the stop. */
  rate: number;
}

function landing(history: readonly [number, number][], epsP: number, epsD: number): Landing {
  const ratio = ([p, d]: readonly [number, number]) => Math.max(p / epsP, d / epsD);
  if (history.length < 2) return { start: history.length ? ratio(history[0]) : Number.NaN, rate: Number.NaN };
  const start = ratio(history[0]);
  const end = ratio(history[history.length - 1]);
  const steps = history.length - 2; // the last report repeats the final iteration
  return { start, rate: steps > 0 ? (end / start) ** (1 / steps) : Number.NaN };
}

/**
 * Iterations to re-solve a synthetic community at 1e-4 after scaling the power bounds of 1 % of
 * its members by 5 % (up or down): cold, warm-started from the previous solution (trades and
 * prices, with or without the final ρ), and as a second solve of the same solver whose bounds were
 * updated in place.
 */
export const warmstartSuite: Suite = {
  name: "warmstart",
  description: "iterations to re-solve after perturbing 1 % of the agents' bounds by 5 %, warm vs cold",
  async run(ctx: SuiteContext): Promise<SuiteResult> {
    const rows: Record<string, string | number>[] = [];
    const landings: Landing[] = [];
    const unperturbed: number[] = [];
    for (const members of SIZES[ctx.mode]) {
      const cols = communityColumns({ members, seed: 1, shared: false });
      const settings = { epsAbs: EPS, epsRel: EPS };
      for (let p = 0; p < PERTURBATIONS[ctx.mode]; p++) {
        const first = new AdmmSolver(communityArrays(cols).arrays, settings);
        const trades = first.problem.partner.length;
        const r0 = first.solve();
        // Control: the same warm start on the unperturbed market.
        const control = new AdmmSolver(communityArrays(cols).arrays, { ...settings, rho: r0.info.rho });
        control.warmStart({ trade: r0.solution.trade, price: r0.solution.price });
        unperturbed.push(control.solve().info.iterations);
        const next = communityArrays(cols, perturbed(cols, 1000 + p)).arrays;
        const its = new Map<Variant, { iterations: number; status: string }>();
        const cold = new AdmmSolver(next, settings).solve();
        its.set("cold", { iterations: cold.info.iterations, status: cold.info.status });
        const w1 = new AdmmSolver(next, settings);
        w1.warmStart({ trade: r0.solution.trade, price: r0.solution.price });
        const r1 = w1.solve();
        its.set("warmStart(p, λ), new solver", { iterations: r1.info.iterations, status: r1.info.status });
        const w2 = new AdmmSolver(next, { ...settings, rho: r0.info.rho });
        w2.warmStart({ trade: r0.solution.trade, price: r0.solution.price });
        const r2 = w2.solve();
        its.set("warmStart(p, λ, final ρ), new solver", { iterations: r2.info.iterations, status: r2.info.status });
        // The same warm start with polishing off: how many iterations ADMM itself needs.
        const w4 = new AdmmSolver(next, { ...settings, rho: r0.info.rho, polish: false });
        w4.warmStart({ trade: r0.solution.trade, price: r0.solution.price });
        const r4 = w4.solve();
        its.set("warmStart(p, λ, final ρ), ADMM alone", { iterations: r4.info.iterations, status: r4.info.status });
        // Same CSR layout: copy the new bounds into the first solver's arrays and solve again.
        first.problem.pMin.set(next.pMin);
        first.problem.pMax.set(next.pMax);
        first.problem.lo.set(next.lo);
        first.problem.hi.set(next.hi);
        // Residuals relative to the tolerances, per iteration: how far the warm start lands and how fast ADMM closes the gap.
        const history: [number, number][] = [];
        const r3 = first.solve({
          progressInterval: 1,
          onProgress: (q) => history.push([q.primalResidual, q.dualResidual]),
        });
        landings.push(landing(history, r3.info.epsPrimal, r3.info.epsDual));
        its.set("same solver, bounds updated", { iterations: r3.info.iterations, status: r3.info.status });
        for (const v of VARIANTS) {
          const x = its.get(v)!;
          rows.push({
            members,
            directed_trades: trades,
            perturbation: p,
            variant: v,
            status: x.status,
            iterations: x.iterations,
            first_solve_iterations: r0.info.iterations,
          });
        }
        ctx.log(
          `warmstart: ${int(members)} members, perturbation ${p}: ${VARIANTS.map((v) => `${v} ${its.get(v)!.iterations}`).join(", ")}`,
        );
      }
    }
    const files = [writeCsv(ctx.outDir, "warmstart.csv", rows)];
    const summary = SIZES[ctx.mode].map((members) => {
      const of = (v: Variant) =>
        rows.filter((r) => r.members === members && r.variant === v).map((r) => r.iterations as number);
      return {
        members,
        trades: rows.find((r) => r.members === members)?.directed_trades as number,
        byVariant: VARIANTS.map((v) => ({
          v,
          med: median(of(v)),
          max: Math.max(...of(v)),
          allSolved: rows.filter((r) => r.members === members && r.variant === v).every((r) => r.status === "SOLVED"),
        })),
      };
    });
    files.push(
      writeChart(ctx.outDir, "warmstart.svg", {
        title: `Iterations to re-solve at 1e-4 after a 1 % / 5 % bound perturbation (median)`,
        xLabel: "community members",
        yLabel: "iterations",
        logX: true,
        logY: true,
        series: VARIANTS.map((v, i) => ({
          name: v,
          points: summary.map((s) => [s.members, s.byVariant[i].med] as const),
          markers: true,
        })),
      }),
    );
    const warm = DEFAULT_VARIANTS.filter((v) => v !== "cold");
    const bestVariant = warm.reduce((a, b) => {
      const worst = (v: Variant) => Math.max(...summary.map((s) => s.byVariant[VARIANTS.indexOf(v)].max));
      return worst(b) < worst(a) ? b : a;
    });
    const bi = VARIANTS.indexOf(bestVariant);
    const worstBest = Math.max(...summary.map((s) => s.byVariant[bi].max));
    const coldMed = summary.map((s) => s.byVariant[0].med);
    const verdict = atMost(worstBest, 10);
    const ai = VARIANTS.indexOf("warmStart(p, λ, final ρ), ADMM alone");
    const aloneText = `With polishing off (ADMM alone, the same warm start): ${summary.map((s) => `median ${s.byVariant[ai].med}, max ${s.byVariant[ai].max} at ${int(s.members)} members`).join("; ")}: the polishing try at the first iteration finds the new optimum from the old one's active set.`;
    const targets: TargetRow[] = [
      {
        target: "warm start: ≤ 10 iterations after a 1 % perturbation",
        measured: `best: ${bestVariant}, at most ${worstBest} iteration${worstBest === 1 ? "" : "s"} (${summary.map((s) => `${int(s.members)} members: median ${s.byVariant[bi].med}`).join(", ")}); cold: median ${coldMed.join(", ")}`,
        verdict,
        note:
          verdict === "met"
            ? `As the engine runs by default (polishing on). ${summary.map((s) => `${sig(s.byVariant[0].med / Math.max(1, s.byVariant[bi].med))}× fewer iterations than cold at ${int(s.members)} members`).join(", ")}. ${aloneText}`
            : `${sig(worstBest / 10)}× over. Warm starts save ${summary.map((s) => `${sig(s.byVariant[0].med / Math.max(1, s.byVariant[bi].med))}×`).join(", ")} of the cold iterations, and the same warm start without a perturbation re-solves in ${Math.max(...unperturbed)} iteration${Math.max(...unperturbed) === 1 ? "" : "s"} at most; ` +
              `but after the perturbation the first warm iteration (same solver) has its worst residual at ${sig(median(landings.map((l) => l.start)))}× the tolerance (median), ` +
              `and the residuals then shrink by a factor of only ${sig(median(landings.map((l) => l.rate)), 2)} per iteration (ADMM's linear rate on these markets), ` +
              `so ≈ ${Math.ceil(1 + Math.log(median(landings.map((l) => l.start))) / -Math.log(median(landings.map((l) => l.rate))))} iterations are needed. ` +
              "The start is already the previous optimum; what remains is this linear tail, which only a faster rate (e.g. acceleration) would shorten.",
      },
    ];
    const md: string[] = [];
    md.push(
      `The scaling suite's communities (seed 1), solved at eps_abs = eps_rel = 1e-4; then the power bounds of 1 % of the members (drawn at random, seeded) ` +
        `are multiplied by 0.95 or 1.05 (trade bounds follow), and the market is re-solved: cold; with \`AdmmSolver.warmStart\` from the previous trades and prices on a new solver ` +
        `(ρ from the data, or the previous final ρ); and as a second \`solve()\` of the first solver after copying the new bounds into its arrays (it keeps its iterate and ρ). ` +
        `All as the engine runs by default (polishing on), and the warm start with the final ρ once more with polishing off (ADMM alone). ` +
        `${PERTURBATIONS[ctx.mode]} perturbation(s) per size.\n`,
    );
    md.push(targetTable(targets));
    md.push("");
    md.push(`| members | directed trades | ${VARIANTS.join(" | ")} |`);
    md.push(`|---:|---:|${VARIANTS.map(() => "---:").join("|")}|`);
    for (const s of summary) {
      md.push(
        `| ${int(s.members)} | ${int(s.trades)} | ${s.byVariant.map((b) => `${b.med} (max ${b.max})${b.allSolved ? "" : " not all SOLVED"}`).join(" | ")} |`,
      );
    }
    md.push(
      "\nIterations: median (max) over the perturbations. Plot: `results/warmstart.svg`; data: `results/warmstart.csv`.",
    );
    return { name: "warmstart", markdown: md.join("\n"), files };
  },
};
