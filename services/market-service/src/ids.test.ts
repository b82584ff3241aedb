import { test } from "node:test";
import assert from "node:assert/strict";
import { isSolutionId, newSolutionId } from "./ids.js";

test("solution ids are sol_ + 26 Crockford base32 characters", () => {
  const id = newSolutionId();
  assert.ok(isSolutionId(id), id);
  assert.ok(!isSolutionId("sol_123"));
  assert.ok(!isSolutionId(id.replace("sol_", "sln_")));
});

test("ids are unique and increase within one millisecond", () => {
  const now = Date.UTC(2024, 0, 1);
  const ids = Array.from({ length: 1000 }, () => newSolutionId(now));
  assert.equal(new Set(ids).size, ids.length);
  const sorted = [...ids].sort();
  assert.deepEqual(sorted, ids);
});

test("ids sort by creation time", () => {
  const a = newSolutionId(Date.UTC(2024, 0, 1));
  const b = newSolutionId(Date.UTC(2024, 0, 1) + 1);
  const c = newSolutionId(Date.UTC(2030, 5, 1));
  assert.ok(a < b && b < c, `${a} ${b} ${c}`);
});
