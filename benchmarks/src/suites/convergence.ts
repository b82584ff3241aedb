import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { lineChart, toCsv } from "@peermarket/charts";
import { solveMarket } from "@peermarket/market";
import {
  makeCharges,
  type ChargeDesign,
  loadScenarioText,
  type Market,
  readBundledCase,
  type SolverSettings,
} from "@peermarket/model";
import { median } from "../machine.js";
import type { Suite, SuiteContext, SuiteResult } from "../suite.js";

interface Variant {
  label: string;
  rho?: number;
  adaptiveRho: boolean;
  alpha: number;
}

const VARIANTS: Variant[] = [
  { label: "fixed ρ=0.1, α=1", rho: 0.1, adaptiveRho: false, alpha: 1 },
  { label: "fixed ρ=1, α=1", rho: 1, adaptiveRho: false, alpha: 1 },
  { label: "fixed ρ=10, α=1", rho: 10, adaptiveRho: false, alpha: 1 },
  { label: "fixed ρ=1, α=1.6", rho: 1, adaptiveRho: false, alpha: 1.6 },
  { label: "adaptive ρ=0.1, α=1.6", rho: 0.1, adaptiveRho: true, alpha: 1.6 },
  { label: "adaptive ρ=1, α=1.6", rho: 1, adaptiveRho: true, alpha: 1.6 },
  { label: "adaptive ρ=10, α=1.6", rho: 10, adaptiveRho: true, alpha: 1.6 },
  { label: "adaptive α=1 (default ρ₀)", adaptiveRho: true, alpha: 1 },
  { label: "defaults (adaptive, α=1.6)", adaptiveRho: true, alpha: 1.6 },
];

const DESIGNS: [ChargeDesign, string][] = [
  ["CHARGE_DESIGN_NONE", "free market"],
  ["CHARGE_DESIGN_UNIFORM", "uniform"],
  ["CHARGE_DESIGN_ELECTRICAL_DISTANCE", "electrical distance"],
  ["CHARGE_DESIGN_ZONAL", "zonal"],
];

/** case39b_31a with a charge design at a unit fee. */
export function case39b(design: ChargeDesign = "CHARGE_DESIGN_NONE", unitFee = 0): Market {
  const m = loadScenarioText(readBundledCase("case39b_31a"), "case39b_31a.m");
  if (design !== "CHARGE_DESIGN_NONE") m.charges = makeCharges({ design, unitFee, zoneDistances: [] });
  return m;
}

/**
 * Convergence on case39b_31a (Baroche et al. 2019) at eps_abs = eps_rel = 1e-4: iterations and
 * in-process time of each ρ strategy and over-relaxation, for every charge design at u = 10;
 * residual histories plotted for the free market.
 */
export const convergenceSuite: Suite = {
  name: "convergence",
  description: "case39b_31a: iterations and time at 1e-4, fixed vs adaptive ρ, α, every charge design",
  async run(ctx: SuiteContext): Promise<SuiteResult> {
    const repeats = ctx.mode === "smoke" ? 1 : ctx.mode === "quick" ? 15 : 50;
    const rows: Record<string, string | number>[] = [];
    const histories: { label: string; points: [number, number, number][] }[] = [];
    for (const [design, designLabel] of DESIGNS) {
      const market = case39b(design, 10);
      for (const v of VARIANTS) {
        const settings: SolverSettings = {
          epsAbs: 1e-4,
          epsRel: 1e-4,
          adaptiveRho: v.adaptiveRho,
          alpha: v.alpha,
          maxIter: 10_000,
          warmStartSolutionId: "",
        };
        if (v.rho !== undefined) settings.rho = v.rho;
        // As the engine runs by default (polishing on), then ADMM alone (the variant's own rate).
        const timed = async (polish: boolean) => {
          const times: number[] = [];
          const st = { ...settings, polish };
          let last = await solveMarket(market, { settings: st });
          for (let i = 0; i < repeats; i++) {
            last = await solveMarket(market, { settings: st });
            times.push(last.solution.solveTimeS);
          }
          return { s: last.solution, ms: 1000 * median(times) };
        };
        const { s, ms } = await timed(true);
        const alone = await timed(false);
        const prices = s.trades.filter((t) => t.power > 1e-6).map((t) => t.price);
        rows.push({
          design: designLabel,
          variant: v.label,
          status: s.status.replace("SOLVE_STATUS_", ""),
          polished: s.polished ? 1 : 0,
          iterations: s.iterations,
          solve_ms: ms,
          rho_final: s.rho,
          rho_updates: s.rhoUpdates,
          objective: s.objective,
          min_price: prices.length ? Math.min(...prices) : Number.NaN,
          max_price: prices.length ? Math.max(...prices) : Number.NaN,
          admm_status: alone.s.status.replace("SOLVE_STATUS_", ""),
          admm_iterations: alone.s.iterations,
          admm_solve_ms: alone.ms,
          admm_rho_final: alone.s.rho,
        });
        if (design === "CHARGE_DESIGN_NONE") {
          // The residual histories are ADMM's own (a polished solve stops at its first success).
          const points: [number, number, number][] = [];
          await solveMarket(market, {
            settings: { ...settings, polish: false },
            progressInterval: 1,
            onProgress: (p) => points.push([p.iteration, p.primalResidual, p.dualResidual]),
          });
          histories.push({ label: v.label, points });
        }
      }
      ctx.log(`convergence: ${designLabel} done`);
    }
    const files: string[] = [];
    const csv = join(ctx.outDir, "convergence.csv");
    writeFileSync(csv, toCsv(rows));
    files.push(csv);
    const hist = join(ctx.outDir, "convergence_history.csv");
    writeFileSync(
      hist,
      toCsv(
        histories.flatMap((h) =>
          h.points.map(([it, r, d]) => ({ variant: h.label, iteration: it, primal_residual: r, dual_residual: d })),
        ),
      ),
    );
    files.push(hist);
    for (const [k, name] of [
      [1, "primal"],
      [2, "dual"],
    ] as const) {
      const svg = join(ctx.outDir, `convergence_${name}.svg`);
      writeFileSync(
        svg,
        lineChart({
          title: `case39b_31a: ${name} residual per iteration (free market, ADMM alone)`,
          xLabel: "iteration",
          yLabel: `${name} residual (∞-norm)`,
          logY: true,
          series: histories
            .filter((h) => !h.label.startsWith("fixed ρ=0.1"))
            .map((h) => ({ name: h.label, points: h.points.map((p) => [p[0], p[k]] as const) })),
        }),
      );
      files.push(svg);
    }
    const md: string[] = [];
    md.push(
      `eps_abs = eps_rel = 1e-4, max_iter 10 000; solve time is the median of ${repeats} in-process solves (setup excluded). ` +
        "Each variant twice: as the engine runs by default (polishing on: the solve ends exact at the first successful try, *polished* yes) and with polishing off (ADMM alone: the rate of the variant itself).",
    );
    md.push(
      "Charges at u = 10 €/MWh. Anchor: Baroche et al.'s MATLAB ADMM, fixed ρ = 1, ~141 iterations at 1e-3, 9.5 s. Target: ≤ 50 iterations and ≤ 10 ms at 1e-4.\n",
    );
    md.push(
      "| design | variant | status | polished | iterations | solve (ms) | final ρ | prices (€/MWh) | ADMM alone: status | iterations | solve (ms) | final ρ |",
    );
    md.push("|---|---|---|---|---:|---:|---:|---|---|---:|---:|---:|");
    for (const r of rows) {
      md.push(
        `| ${r.design} | ${r.variant} | ${r.status} | ${r.polished ? "yes" : "no"} | ${r.iterations} | ${(r.solve_ms as number).toFixed(2)} | ${(r.rho_final as number).toPrecision(3)} | ${(r.min_price as number).toFixed(2)}–${(r.max_price as number).toFixed(2)} | ${r.admm_status} | ${r.admm_iterations} | ${(r.admm_solve_ms as number).toFixed(2)} | ${(r.admm_rho_final as number).toPrecision(3)} |`,
      );
    }
    md.push(
      "\nResidual histories (ADMM alone): `results/convergence_primal.svg`, `results/convergence_dual.svg`; data: `results/convergence.csv`, `results/convergence_history.csv`.",
    );
    return { name: "convergence", markdown: md.join("\n"), files };
  },
};
