import { test } from "node:test";
import assert from "node:assert/strict";
import { int, logLogSlope, seconds, sig } from "./format.js";
import { atLeast, atMost, targetTable } from "./targets.js";

test("log–log slope recovers a power law and ignores non-positive points", () => {
  const pts = [1e3, 1e4, 1e5].map((x) => [x, 3 * x ** 0.5] as const);
  assert.ok(Math.abs(logLogSlope(pts) - 0.5) < 1e-12);
  assert.ok(Math.abs(logLogSlope([...pts, [0, 5], [10, -1]]) - 0.5) < 1e-12);
  assert.ok(Number.isNaN(logLogSlope([[1, 1]])));
});

test("numbers are formatted for tables", () => {
  assert.equal(int(1234567), "1 234 567");
  assert.equal(sig(0.000012345), "1.23e-5");
  assert.equal(sig(123.456), "123");
  assert.equal(seconds(0.0042), "4.2 ms");
  assert.equal(seconds(12.34), "12.3 s");
});

test("verdicts compare against the limit and say when nothing was measured", () => {
  assert.equal(atMost(0.9, 1), "met");
  assert.equal(atMost(1.1, 1), "missed");
  assert.equal(atMost(undefined, 1), "not measured");
  assert.equal(atLeast(Number.NaN, 1), "not measured");
  assert.equal(atLeast(2, 1.7), "met");
  const md = targetTable([{ target: "t", measured: "a | b", verdict: "met", note: "" }]);
  assert.match(md, /\| t \| a \\\| b \| \*\*met\*\* \|/);
});
