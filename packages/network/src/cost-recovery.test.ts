import { test } from "node:test";
import assert from "node:assert/strict";
import { findUnitFee } from "./cost-recovery.js";

/** R(u) = u·max(0, 100 − 5u): peak 500 at u = 10, zero from u = 20. */
const parabola = (u: number) => u * Math.max(0, 100 - 5 * u);

test("a reachable target: the smallest fee collecting it, to the tolerance", () => {
  const target = 300;
  const r = findUnitFee(target, parabola, { tolerance: 1e-6 });
  // Smallest root of 5u² − 100u + target = 0.
  const exact = (100 - Math.sqrt(100 * 100 - 20 * target)) / 10;
  assert.equal(r.reachable, true);
  assert.ok(r.unitFee >= exact - 1e-12 && r.unitFee - exact <= 1e-6, `fee ${r.unitFee} vs ${exact}`);
  assert.ok(r.revenue >= target && r.revenue === parabola(r.unitFee));
  assert.ok(r.unitFee < 10, "the rising side, not the falling one");
  assert.ok(r.evaluations < 40);
});

test("an unreachable target reports the maximum revenue and its fee", () => {
  const r = findUnitFee(600, parabola, { tolerance: 1e-6 });
  assert.equal(r.reachable, false);
  assert.ok(Math.abs(r.feeAtMaxRevenue - 10) < 1e-3, `fee at max ${r.feeAtMaxRevenue}`);
  assert.ok(500 - r.maxRevenue < 1e-4, `max revenue ${r.maxRevenue}`);
  assert.equal(r.unitFee, r.feeAtMaxRevenue);
  assert.equal(r.revenue, r.maxRevenue);
});

test("every evaluation is counted and the fee found collects the target", () => {
  const calls: number[] = [];
  const r = findUnitFee(450, (u) => {
    calls.push(u);
    return parabola(u);
  });
  assert.equal(r.reachable, true);
  assert.equal(r.evaluations, calls.length);
  assert.ok(parabola(r.unitFee) >= 450 && parabola(r.unitFee - 1e-3) < 450);
});

test("the scan stops once no trade pays any more", () => {
  // Everything priced out from u = 3: revenue 0 for ever after.
  const r = findUnitFee(1000, (u) => (u < 3 ? 40 * u : 0), { maxFee: 1e6 });
  assert.equal(r.reachable, false);
  assert.ok(r.maxRevenue <= 120 && r.maxRevenue > 119, `max ${r.maxRevenue}`);
  assert.ok(r.evaluations < 50);
});

test("the bound maxFee · Σd·q rules targets out early", () => {
  // Σ d·q(u) = 10 / (1 + u): revenue rises towards 10 and never reaches 50 below maxFee = 100.
  let evaluations = 0;
  const r = findUnitFee(
    50,
    (u) => {
      evaluations++;
      return (10 * u) / (1 + u);
    },
    { maxFee: 100 },
  );
  assert.equal(r.reachable, false);
  assert.ok(r.maxRevenue > 9.8 && r.maxRevenue <= (10 * 100) / 101 + 1e-12);
  assert.equal(r.evaluations, evaluations);
});

test("a target of zero needs no fee; bad options are rejected", () => {
  const r = findUnitFee(0, () => {
    throw new Error("not called");
  });
  assert.deepEqual([r.reachable, r.unitFee, r.evaluations], [true, 0, 0]);
  assert.throws(() => findUnitFee(-1, parabola), /target revenue must be finite and ≥ 0, got -1/);
  assert.throws(() => findUnitFee(10, parabola, { growth: 1 }), /growth must be finite and > 1/);
  assert.throws(() => findUnitFee(10, () => Number.NaN), /revenue at unit fee 1 is not a finite number \(NaN\)/);
});

test("step-shaped revenue curves (linear costs): crossings before and after a drop", () => {
  // Σ d·q drops from 10 to 4 at u = 5: R rises to 50, falls to 20, then grows as 4u.
  const step = (u: number) => u * (u < 5 ? 10 : 4);
  const before = findUnitFee(30, step, { tolerance: 1e-8 });
  assert.equal(before.reachable, true);
  assert.ok(Math.abs(before.unitFee - 3) < 1e-7, `fee ${before.unitFee}`);
  // 60 is out of reach before the drop (R < 50) and reached at u = 15 after it.
  const after = findUnitFee(60, step, { tolerance: 1e-8 });
  assert.equal(after.reachable, true);
  assert.ok(Math.abs(after.unitFee - 15) < 1e-7, `fee ${after.unitFee}`);
});
