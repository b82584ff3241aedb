#!/usr/bin/env node
/**
 * `npm run bench:load [-- --solves N --memory-solves N --clients 1,8,32 --workers N --json]`:
 * runs the load benchmark and prints a table (or the JSON result).
 */
import { parseArgs } from "node:util";
import { runLoadBenchmark } from "./bench-load.js";
import { fixed, formatTable } from "./tables.js";

const { values } = parseArgs({
  options: {
    solves: { type: "string" },
    "memory-solves": { type: "string" },
    clients: { type: "string" },
    workers: { type: "string" },
    json: { type: "boolean" },
  },
});
const int = (s: string | undefined, name: string): number | undefined => {
  if (s === undefined) return undefined;
  const n = Number(s);
  if (!Number.isInteger(n) || n < 0)
    throw new Error(`--${name}: expected a non-negative integer, got ${JSON.stringify(s)}`);
  return n;
};
const result = await runLoadBenchmark({
  solvesPerLevel: int(values.solves, "solves"),
  memorySolves: int(values["memory-solves"], "memory-solves"),
  concurrency: values.clients?.split(",").map((c) => int(c, "clients")!),
  workers: int(values.workers, "workers"),
  log: values.json ? undefined : (line) => process.stderr.write(line + "\n"),
});
if (values.json) {
  process.stdout.write(JSON.stringify(result, null, 2) + "\n");
} else {
  process.stdout.write(
    `${result.market} (${result.agents} agents), ${result.workers} workers, ${result.cpus} × ${result.cpuModel}, node ${result.node}\n`,
  );
  process.stdout.write(
    formatTable(
      ["clients", "solves", "errors", "solves/s", "p50 ms", "p99 ms", "max ms", "cpu"],
      result.levels.map((l) => [
        String(l.clients),
        String(l.solves),
        String(l.errors),
        fixed(l.solvesPerSecond, 1),
        fixed(l.p50Ms),
        fixed(l.p99Ms),
        fixed(l.maxMs),
        `${(100 * l.cpuShare).toFixed(0)}%`,
      ]),
      ["right", "right", "right", "right", "right", "right", "right", "right"],
    ) + "\n",
  );
  const m = result.memory;
  if (m) {
    process.stdout.write(
      `memory over ${m.solves} solves: rss ${fixed(m.rssBeforeMB, 1)} → ${fixed(m.rssAfterMB, 1)} MB, heap ${fixed(m.heapBeforeMB, 1)} → ${fixed(m.heapAfterMB, 1)} MB` +
        `${m.gcForced ? " (after GC)" : " (run with --expose-gc for heap after GC)"}, store ${fixed(m.storeMB, 1)} MB\n`,
    );
  }
}
