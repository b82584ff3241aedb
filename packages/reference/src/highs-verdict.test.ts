import assert from "node:assert/strict";
import { test } from "node:test";
import { checkFeasibility } from "@peermarket/admm";
import { solveReference } from "./highs.js";
import { verdictConfirmed } from "./highs-verdict.js";
import { handMarket, randomMarketArrays } from "./testing/markets.js";

// HiGHS's infeasible/unbounded verdicts are trusted only when the engine's exact pre-checks agree.

test("a feasible market with bounded trades: no infeasible or unbounded verdict is confirmed", () => {
  const m = randomMarketArrays(30, 4);
  assert.equal(checkFeasibility(m).feasible, true);
  for (const code of [8, 9, 10]) assert.equal(verdictConfirmed(m, code), false, `code ${code}`);
  for (const code of [7, 13, 14, 15]) assert.equal(verdictConfirmed(m, code), true, `code ${code} is not a verdict`);
});

test("an infeasible market: the infeasible verdicts are confirmed, unbounded is not", () => {
  // A must-run producer (at least 50) whose only buyer takes at most 10.
  const { m } = handMarket(
    [
      { a: 0.1, b: 10, pMin: 50, pMax: 60 },
      { a: 0.1, b: 40, pMin: -10, pMax: 0 },
    ],
    [{ first: 0, second: 1 }],
  );
  assert.equal(verdictConfirmed(m, 8), true);
  assert.equal(verdictConfirmed(m, 9), true);
  assert.equal(verdictConfirmed(m, 10), false);
});

test("an unbounded market: the unbounded verdicts are confirmed, infeasible is not", () => {
  // A linear seller without limit at 10 and a linear buyer without limit at 40.
  const { m } = handMarket(
    [
      { a: 0, b: 10, pMin: 0, pMax: Infinity },
      { a: 0, b: 40, pMin: -Infinity, pMax: 0 },
    ],
    [{ first: 0, second: 1 }],
  );
  assert.equal(verdictConfirmed(m, 10), true);
  assert.equal(verdictConfirmed(m, 9), true);
  assert.equal(verdictConfirmed(m, 8), false);
});

test("solveReference keeps a confirmed verdict and reports no wrong one", async () => {
  const { m: infeasible } = handMarket(
    [
      { a: 0.1, b: 10, pMin: 50, pMax: 60 },
      { a: 0.1, b: 40, pMin: -10, pMax: 0 },
    ],
    [{ first: 0, second: 1 }],
  );
  const r = await solveReference(infeasible, { timeLimit: 10 });
  assert.equal(r.optimal, false);
  assert.ok(["Infeasible", "Primal infeasible or unbounded"].includes(r.status), r.status);
  // Feasible, bounded markets: never "Infeasible" or "Unbounded", whatever HiGHS's run says.
  for (const seed of [1, 2, 3]) {
    const ok = await solveReference(randomMarketArrays(12, seed), { timeLimit: 10 });
    assert.ok(!["Infeasible", "Unbounded", "Primal infeasible or unbounded"].includes(ok.status), ok.status);
  }
});
