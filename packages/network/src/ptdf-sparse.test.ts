import { test } from "node:test";
import assert from "node:assert/strict";
import { bundledCaseNames } from "@peermarket/model";
import { DeadlineExceededError } from "./abort.js";
import { dcNetwork } from "./dc.js";
import { factoredDistance, powerTransferDistance } from "./distance.js";
import { NetworkLimitError } from "./limits.js";
import { densePtdf, ptdf, PtdfFactor } from "./ptdf.js";
import { branchRow, busRow, caseOf, randomCase } from "./testing/cases.js";
import { realCase } from "./testing/real-cases.js";
import { syntheticCase } from "./testing/synthetic.js";

/** Largest |a - b| relative to the largest |b| (at least 1). */
function maxRelDiff(a: Float64Array, b: Float64Array): number {
  assert.equal(a.length, b.length);
  let scale = 1;
  for (const v of b) scale = Math.max(scale, Math.abs(v));
  let worst = 0;
  for (let k = 0; k < a.length; k++) worst = Math.max(worst, Math.abs(a[k] - b[k]));
  return worst / scale;
}

test("the sparse PTDF equals the dense LU one on every bundled case", () => {
  const names = bundledCaseNames();
  assert.ok(names.includes("case300") && names.includes("case69"));
  for (const name of names) {
    const net = dcNetwork(realCase(name));
    const diff = maxRelDiff(ptdf(net), densePtdf(net));
    assert.ok(diff < 1e-10, `${name}: sparse and dense PTDFs differ by ${diff}`);
  }
});

test("the sparse PTDF equals the dense one on random meshed networks (taps, parallel and out-of-service lines, series capacitors)", () => {
  for (const seed of [1, 2, 3, 4, 5, 6]) {
    const c = randomCase(seed, 20 + 7 * seed, 15 + 3 * seed);
    if (seed % 2 === 0) {
      c.branch[c.branch.length - 1][3] = -0.02;
      c.branch[c.branch.length - 1][10] = 1;
    }
    const net = dcNetwork(c);
    const diff = maxRelDiff(ptdf(net), densePtdf(net));
    assert.ok(diff < 1e-10, `seed ${seed}: ${diff}`);
  }
});

test("line flows and single columns from the factor equal the dense PTDF's", () => {
  const net = dcNetwork(realCase("case118"));
  const dense = densePtdf(net);
  const factor = PtdfFactor.of(net);
  const inj = new Float64Array(net.nBus).map((_, i) => Math.sin(i + 1));
  const flows = factor.flows(inj);
  for (let l = 0; l < net.nBranch; l++) {
    let f = 0;
    for (let i = 0; i < net.nBus; i++) f += dense[l * net.nBus + i] * inj[i];
    assert.ok(Math.abs(flows[l] - f) < 1e-9, `branch ${l}: ${flows[l]} vs ${f}`);
  }
  const buses = [3, 17, 50, 117, net.reference];
  const d = factoredDistance(factor, buses);
  for (const i of buses)
    for (const j of buses) {
      const want = powerTransferDistance(net, dense, i, j);
      assert.ok(Math.abs(d(i, j) - want) < 1e-9 * Math.max(1, want), `${i}–${j}`);
    }
  assert.throws(() => d(3, 4), /not among the buses/);
});

test("a radial factor has no fill: one entry of L per non-reference bus", () => {
  const net = dcNetwork(syntheticCase("radial", 3000, 5));
  const factor = PtdfFactor.of(net);
  // Without the reference the tree is a forest; eliminated leaves first it fills nothing: L has one
  // entry per branch between two non-reference buses.
  let edges = 0;
  for (let l = 0; l < net.nBranch; l++) if (net.from[l] !== net.reference && net.to[l] !== net.reference) edges++;
  const nnz = (factor as unknown as { ldl: { nnz: number } }).ldl.nnz;
  assert.equal(nnz, edges);
  // Distances on a radial network count the branches on the path (every one carries the unit).
  const d = factoredDistance(factor, [0, 1, 2, 2999]);
  assert.ok(Math.abs(d(0, 1) - 1) < 1e-9);
});

test("a singular network (reactances that cancel) is reported", () => {
  // Two parallel branches of opposite reactance: the susceptances cancel.
  const c = caseOf("cancel", [busRow(1, 3), busRow(2, 1)], [branchRow(1, 2, 0.1), branchRow(1, 2, -0.1)]);
  assert.throws(() => PtdfFactor.of(dcNetwork(c)), /singular/);
});

test("network-size limits name what is over", () => {
  const net = dcNetwork(syntheticCase("radial", 500, 1));
  assert.throws(
    () => PtdfFactor.of(net, { limits: { maxBuses: 100 } }),
    (e: unknown) => e instanceof NetworkLimitError && /500 buses, over the limit of 100 buses/.test(e.message),
  );
  assert.throws(
    () => ptdf(net, { limits: { maxDensePtdfEntries: 1000 } }),
    /499 branches × 500 buses = 249500 entries, over the limit of 1000/,
  );
});

test("the factorisation and the columns stop when the abort check says so", () => {
  const net = dcNetwork(syntheticCase("meshed", 4000, 2));
  let calls = 0;
  const check = (stage: string): void => {
    if (++calls > 3) throw new DeadlineExceededError("stopped", stage);
  };
  assert.throws(
    () => ptdf(net, { check }),
    (e: unknown) => e instanceof DeadlineExceededError && /while /.test(e.message),
  );
  assert.ok(calls > 3);
});
