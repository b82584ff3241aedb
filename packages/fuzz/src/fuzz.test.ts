import { test } from "node:test";
import assert from "node:assert/strict";
import { TEST_SEED } from "./fuzz-seed.js";
import { formatRun, type FuzzTarget, runTarget } from "./runner.js";
import {
  engineTarget,
  grpcBytesTarget,
  grpcMutationTarget,
  matpowerTarget,
  modelJsonTarget,
  modelMutationTarget,
  modelStringTarget,
} from "./targets/index.js";

/** Runs a target's bounded test run and asserts no failure; returns the counts for further checks. */
async function fuzz<T>(target: FuzzTarget<T>): Promise<Record<string, number>> {
  const run = await runTarget(target, { seed: TEST_SEED, numRuns: target.testRuns });
  assert.equal(run.failed, false, formatRun(run));
  assert.equal(run.runs, target.testRuns);
  return run.outcomes;
}

/** The number of inputs whose label starts with one of the prefixes. */
function count(outcomes: Record<string, number>, ...prefixes: string[]): number {
  return Object.entries(outcomes).reduce((s, [label, n]) => (prefixes.some((p) => label.startsWith(p)) ? s + n : s), 0);
}

test("model: arbitrary JSON values give a Market or a model error naming a field", async () => {
  const o = await fuzz(modelJsonTarget);
  // The generator reaches both sides: markets that expand and rejected input.
  assert.ok(count(o, "expanded") > 0 && count(o, "parse:") > 0, JSON.stringify(o));
});

test("model: arbitrary strings give a Market or a ScenarioError with a position", async () => {
  const o = await fuzz(modelStringTarget);
  assert.ok(count(o, "parse: ScenarioError") > 0, JSON.stringify(o));
});

test("model: mutated scenarios give a Market or a ScenarioError / MarketValidationError naming a field", async () => {
  const o = await fuzz(modelMutationTarget);
  assert.ok(
    count(o, "expanded") > 0 && count(o, "expand: MarketValidationError") > 0 && count(o, "parse: ScenarioError") > 0,
    JSON.stringify(o),
  );
});

test("model: mutated MATPOWER cases give a case or a MatpowerParseError with a line", async () => {
  const o = await fuzz(matpowerTarget);
  assert.ok(count(o, "MatpowerParseError") > 0 && count(o, "case → expanded") > 0, JSON.stringify(o));
});

test("engine: random valid markets give finite Solutions with a status, and SOLVED ones pass the certificate", async () => {
  const o = await fuzz(engineTarget);
  assert.ok(count(o, "SOLVED") > 0, JSON.stringify(o));
});

test("gRPC: random payloads get a Solution or INVALID_ARGUMENT, and the server stays healthy", async () => {
  const o = await fuzz(grpcBytesTarget);
  assert.ok(count(o, "INVALID_ARGUMENT") > 0, JSON.stringify(o));
});

test("gRPC: mutated requests get a Solution or a documented status, and the server stays healthy", async () => {
  const o = await fuzz(grpcMutationTarget);
  assert.ok(count(o, "OK") > 0 && count(o, "INVALID_ARGUMENT") > 0, JSON.stringify(o));
});
