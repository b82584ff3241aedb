#!/usr/bin/env node
/**
 * `node packages/fuzz/dist/measure-robustness.js [--reference]`: solves every badly scaled market
 * of robustness-markets.ts with the default settings and prints, per market, the status,
 * iterations, time, the three certificates (see judge.ts) and (with --reference, markets up to 2 000 directed trades)
 * the objective gap to HiGHS; then the iterations of a few markets in other units (powers × P,
 * costs × Λ) — the tables of RELIABILITY.md, "Numerical robustness".
 */
import { solveMarket, verifyOutcome } from "@peermarket/market";
import { certify, solveReference } from "@peermarket/reference";
import { nonFiniteNumbers } from "./finite.js";
import { costSpread, kwNextToGw, rescaled, robustnessCases } from "./robustness-markets.js";

const withReference = process.argv.includes("--reference");
console.log(
  "| class | seed | agents | directed trades | status | iterations | time s | certificate (verifyOutcome, stopping-rule tol.) | certify default | HiGHS objective gap |",
);
console.log("|---|---:|---:|---:|---|---:|---:|---|---|---:|");
for (const c of robustnessCases()) {
  const t0 = performance.now();
  const out = await solveMarket(c.market);
  const seconds = (performance.now() - t0) / 1000;
  const s = out.solution;
  const v = await verifyOutcome(out, { timeLimit: 0 });
  const d = certify(out.expanded.arrays, out.result.solution);
  const nt = out.expanded.arrays.partner.length;
  let gap = "";
  if (withReference && nt <= 2000) {
    const ref = await solveReference(out.expanded.arrays, { timeLimit: 30 });
    gap = ref.optimal
      ? (Math.abs(s.objective - ref.objective) / Math.max(1, Math.abs(ref.objective))).toExponential(1)
      : ref.status;
  }
  const finite = nonFiniteNumbers(s).length === 0 ? "" : " (non-finite numbers!)";
  const pass = (ok: boolean, worst: number) => `${ok ? "pass" : "FAIL"} (price ${worst.toExponential(1)})`;
  console.log(
    `| ${c.cls} | ${c.seed} | ${out.expanded.arrays.nAgents} | ${nt} | ${s.status.replace("SOLVE_STATUS_", "")}${finite} | ${s.iterations} | ${seconds.toFixed(2)} | ` +
      `${pass(v.certificatePassed, v.maxPriceViolation)} | ${pass(d.passed, d.maxPriceViolation)} | ${gap} |`,
  );
}

console.log("\n| market | (P, Λ) = (1, 1) | (1e3, 1) | (1e-3, 1) | (1, 1e6) | (1, 1e-6) |");
console.log("|---|---|---|---|---|---|");
const units: [number, number][] = [
  [1, 1],
  [1e3, 1],
  [1e-3, 1],
  [1, 1e6],
  [1, 1e-6],
];
for (const [name, make] of [
  ["costs 1e-6…1e3, 60 agents", (seed: number) => costSpread(seed, 60)],
  ["kW next to GW, 30 agents", (seed: number) => kwNextToGw(seed)],
] as const) {
  for (const seed of [1, 4, 5]) {
    const cells: string[] = [];
    for (const [P, L] of units) {
      const out = await solveMarket(rescaled(make(seed), P, L));
      cells.push(`${out.solution.status.replace("SOLVE_STATUS_", "")} ${out.solution.iterations}`);
    }
    console.log(`| ${name}, seed ${seed} | ${cells.join(" | ")} |`);
  }
}
