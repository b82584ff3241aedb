import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { nonFiniteNumbers } from "./finite.js";
import { fromValue, toText } from "./json-tree.js";
import { FuzzFailure, type FuzzTarget, runTarget } from "./runner.js";

test("runTarget reports a failing input, shrunk, with counts of the inputs before it", async () => {
  const target: FuzzTarget<number> = {
    name: "threshold",
    description: "fails above 1000",
    testRuns: 200,
    hangMs: 10_000,
    arbitrary: () => fc.integer({ min: 0, max: 100_000 }),
    check: (n) => {
      if (n > 1000) throw new FuzzFailure(`${n} is above 1000`);
      return n % 2 === 0 ? "even" : "odd";
    },
  };
  const run = await runTarget(target, { seed: 7, numRuns: 200 });
  assert.equal(run.failed, true);
  assert.equal(run.counterexample, "1001");
  assert.match(run.error ?? "", /above 1000/);
  const counted = Object.values(run.outcomes).reduce((s, n) => s + n, 0);
  assert.equal(counted, run.runs - 1); // the failing input is counted in runs, not in an outcome
});

test("runTarget counts outcomes and passes when every input passes; the same seed gives the same counts", async () => {
  const target: FuzzTarget<number> = {
    name: "parity",
    description: "labels parity",
    testRuns: 300,
    hangMs: 10_000,
    arbitrary: () => fc.nat(),
    check: (n) => (n % 2 === 0 ? "even" : "odd"),
  };
  const a = await runTarget(target, { seed: 3, numRuns: 300 });
  const b = await runTarget(target, { seed: 3, numRuns: 300 });
  assert.equal(a.failed, false);
  assert.equal(a.runs, 300);
  assert.equal((a.outcomes.even ?? 0) + (a.outcomes.odd ?? 0), 300);
  assert.deepEqual(a.outcomes, b.outcomes);
});

test("runTarget counts an input beyond the hang bound as a failure", async () => {
  const target: FuzzTarget<number> = {
    name: "slow",
    description: "sleeps 50 ms",
    testRuns: 3,
    hangMs: 1,
    arbitrary: () => fc.nat(),
    check: async () => {
      await new Promise((r) => setTimeout(r, 50));
      return "slept";
    },
  };
  const run = await runTarget(target, { seed: 1, numRuns: 3 });
  assert.equal(run.failed, true);
  assert.match(run.error ?? "", /hang bound 1 ms/);
});

test("JSON trees keep raw number tokens and duplicate keys, and write deep nesting", () => {
  const tree = fromValue({ a: 1, b: [true, null, "x"] });
  assert.equal(toText(tree), '{"a":1,"b":[true,null,"x"]}');
  if (tree.t !== "obj") throw new Error("expected an object");
  tree.entries.push(["a", { t: "num", raw: "1e400" }]);
  assert.equal(toText(tree), '{"a":1,"b":[true,null,"x"],"a":1e400}');
  let deep: ReturnType<typeof fromValue> = { t: "num", raw: "0" };
  for (let i = 0; i < 100_000; i++) deep = { t: "arr", items: [deep] };
  assert.equal(toText(deep), `${"[".repeat(100_000)}0${"]".repeat(100_000)}`);
});

test("nonFiniteNumbers finds NaN and infinities at their paths, in arrays and typed arrays", () => {
  assert.deepEqual(nonFiniteNumbers({ a: 1, b: [2, NaN], c: { d: Infinity }, e: new Float64Array([0, -Infinity]) }), [
    "b[1] = NaN",
    "c.d = Infinity",
    "e[1] = -Infinity",
  ]);
  assert.deepEqual(nonFiniteNumbers({ ok: [1, 2, { x: 3 }] }), []);
});
