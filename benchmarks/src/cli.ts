import { mkdirSync, mkdtempSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { basename, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { machineInfo } from "./machine.js";
import { updateResultsMd } from "./results-md.js";
import type { Suite, SuiteContext, SuiteResult } from "./suite.js";
import { suites } from "./suites/index.js";

export const BENCH_USAGE = `Usage: peermarket bench [suite ...] [--full | --smoke] [--out-dir DIR]

Runs benchmark suites, writes CSV and SVG files to benchmarks/results/ and updates the tables of
benchmarks/RESULTS.md (machine, Node version, date and command included).

  --full        the full sizes (long; the figures of RESULTS.md)
  --smoke       the smallest sizes, into a temporary directory, RESULTS.md untouched (CI)
  --out-dir DIR write CSV/SVG there instead
  --list        list the suites

Suites: ${suites.map((s) => s.name).join(", ")} (default: all)
`;

/** Where the package lives (for results/ and RESULTS.md). */
export const benchmarksDir = fileURLToPath(new URL("..", import.meta.url));

/** Runs suites; returns their results. */
export async function runSuites(selected: Suite[], ctx: SuiteContext): Promise<SuiteResult[]> {
  const out: SuiteResult[] = [];
  for (const s of selected) {
    const t = performance.now();
    const start = loadavg()[0];
    ctx.log(`== ${s.name}: ${s.description}`);
    const result = await s.run(ctx);
    out.push({ ...result, loadAverage: { start, end: loadavg()[0] } });
    ctx.log(`== ${s.name} done in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  }
  return out;
}

/** `peermarket bench`. */
export async function benchCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      full: { type: "boolean" },
      smoke: { type: "boolean" },
      "out-dir": { type: "string" },
      list: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
    allowPositionals: true,
  });
  if (values.help) {
    process.stdout.write(BENCH_USAGE);
    return 0;
  }
  if (values.list) {
    for (const s of suites) process.stdout.write(`${s.name.padEnd(14)} ${s.description}\n`);
    return 0;
  }
  const unknown = positionals.filter((p) => !suites.some((s) => s.name === p));
  if (unknown.length > 0) {
    process.stderr.write(
      `peermarket bench: unknown suite ${unknown.join(", ")}; suites: ${suites.map((s) => s.name).join(", ")}\n`,
    );
    return 2;
  }
  const selected = positionals.length > 0 ? suites.filter((s) => positionals.includes(s.name)) : suites;
  const mode = values.smoke ? "smoke" : values.full ? "full" : "quick";
  const outDir =
    values["out-dir"] ??
    (mode === "smoke" ? mkdtempSync(join(tmpdir(), "peermarket-bench-")) : join(benchmarksDir, "results"));
  mkdirSync(outDir, { recursive: true });
  const results = await runSuites(selected, { mode, outDir, log: (l) => process.stderr.write(l + "\n") });
  if (mode !== "smoke" && values["out-dir"] === undefined) {
    const command = `npm run bench${mode === "full" ? ":full" : ""}${positionals.length ? ` -- ${positionals.join(" ")}` : ""}`;
    updateResultsMd(join(benchmarksDir, "RESULTS.md"), results, machineInfo(), command);
    process.stderr.write(`updated ${join(benchmarksDir, "RESULTS.md")}\n`);
  }
  // The sections name their files as `results/…` (right for RESULTS.md); elsewhere, name where they really are.
  const resultsDir = join(benchmarksDir, "results");
  const here = (md: string) =>
    resolve(outDir) === resolve(resultsDir) ? md : md.replaceAll("`results/", `\`${outDir.replace(/\/$/, "")}/`);
  for (const r of results) process.stdout.write(`\n## ${r.name}\n\n${here(r.markdown)}\n`);
  const files = results.flatMap((r) => r.files);
  if (files.length > 0)
    process.stderr.write(
      `wrote ${files.length} file${files.length === 1 ? "" : "s"} to ${outDir}: ${files.map((f) => basename(f)).join(", ")}\n`,
    );
  return 0;
}
