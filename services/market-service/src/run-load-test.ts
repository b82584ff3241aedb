#!/usr/bin/env node
/**
 * `npm run load-test [-- --clients 64 --duration 60 --max-requests N --workers N --seed N --json]`:
 * the full load test (64 clients for 60 s by default); prints a table per kind of request and the
 * checks of the store, and exits 1 when anything unexpected happened or a solution was lost.
 */
import { parseArgs } from "node:util";
import { runLoadTest } from "./load-test.js";
import { fixed, formatTable } from "./tables.js";

const { values } = parseArgs({
  options: {
    clients: { type: "string" },
    duration: { type: "string" },
    "max-requests": { type: "string" },
    workers: { type: "string" },
    seed: { type: "string" },
    "max-solves-per-client": { type: "string" },
    json: { type: "boolean" },
  },
});
const num = (s: string | undefined, name: string): number | undefined => {
  if (s === undefined) return undefined;
  const n = Number(s);
  if (!Number.isFinite(n) || n < 0)
    throw new Error(`--${name}: expected a non-negative number, got ${JSON.stringify(s)}`);
  return n;
};
const result = await runLoadTest({
  clients: num(values.clients, "clients"),
  durationS: num(values.duration, "duration"),
  maxRequests: num(values["max-requests"], "max-requests"),
  workers: num(values.workers, "workers"),
  seed: num(values.seed, "seed"),
  maxSolvesPerClient: num(values["max-solves-per-client"], "max-solves-per-client"),
  log: values.json ? undefined : (line) => process.stderr.write(line + "\n"),
});
if (values.json) {
  process.stdout.write(JSON.stringify(result, null, 2) + "\n");
} else {
  const r = result;
  process.stdout.write(
    `${r.clients} clients, ${r.workers} workers, ${r.cpus} cores, ${fixed(r.seconds, 1)} s: ${r.requests} requests (${fixed(r.requestsPerSecond, 1)}/s), ` +
      `${fixed(r.solvesPerSecond, 1)} solves/s, p50 ${fixed(r.p50Ms)} ms, p99 ${fixed(r.p99Ms)} ms, ${r.rejected} rejected (RESOURCE_EXHAUSTED), ${r.unexpected} unexpected, cpu ${(100 * r.cpuShare).toFixed(0)}%\n`,
  );
  process.stdout.write(
    formatTable(
      ["request", "count", "as expected", "rejected", "unexpected", "p50 ms", "p99 ms"],
      r.kinds.map((k) => [
        k.kind,
        String(k.requests),
        String(k.expected),
        String(k.rejected),
        String(k.unexpected),
        fixed(k.p50Ms),
        fixed(k.p99Ms),
      ]),
      ["left", "right", "right", "right", "right", "right", "right"],
    ) + "\n",
  );
  for (const s of r.unexpectedSamples) process.stdout.write(`unexpected: ${s}\n`);
  process.stdout.write(
    `acknowledged ${r.acknowledged}: ${r.readable} readable and identical after a restart, ${r.missing} missing, ${r.different} different\n` +
      `stored ${r.stored}, SOLVED ${r.storedSolved}: ${r.certified} pass the KKT certificate, ${r.certificateFailures.length} fail; integrity ${r.integrity}; interrupted ${r.interrupted}\n`,
  );
  for (const f of r.certificateFailures) process.stdout.write(`certificate: ${f}\n`);
  process.stdout.write(r.passed ? "PASSED\n" : "FAILED\n");
}
process.exitCode = result.passed ? 0 : 1;
