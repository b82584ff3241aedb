import { test } from "node:test";
import assert from "node:assert/strict";
import { dcNetwork, withReference } from "./dc.js";
import { ptdf } from "./ptdf.js";
import { branchRow, busRow, caseOf, randomCase } from "./testing/cases.js";
import { checkPhysics } from "./testing/physics.js";

test("PTDF flows equal an independent B-θ power flow and satisfy KCL (random meshed networks)", () => {
  for (const seed of [1, 2, 3, 4, 5]) checkPhysics(randomCase(seed, 12 + 3 * seed, 10 + seed), [seed * 11, seed * 13]);
});

test("the reference column and out-of-service rows are zero", () => {
  const c = randomCase(7, 20, 15);
  const net = dcNetwork(c);
  const h = ptdf(net);
  let off = 0;
  for (let l = 0; l < net.nBranch; l++) {
    assert.equal(h[l * net.nBus + net.reference], 0);
    if (!net.status[l]) {
      off++;
      for (let i = 0; i < net.nBus; i++) assert.equal(h[l * net.nBus + i], 0);
    }
  }
  assert.ok(off > 0, "the random case has out-of-service branches");
});

test("on a radial feeder each branch carries exactly the injection it separates from the slack", () => {
  // 1 (slack) – 2 – 3 – 4, and 2 – 5
  const c = caseOf(
    "feeder",
    [busRow(1, 3), busRow(2, 1), busRow(3, 1), busRow(4, 1), busRow(5, 1)],
    [branchRow(1, 2, 0.1), branchRow(2, 3, 0.3), branchRow(3, 4, 0.05), branchRow(5, 2, 0.2)],
  );
  const net = dcNetwork(c);
  const h = ptdf(net);
  // Injection at bus 4 flows 1→2→3→4 reversed: from 4 towards the slack.
  const at = (l: number, bus: string) => h[l * net.nBus + net.busIndex.get(bus)!];
  assert.ok(Math.abs(at(0, "4") + 1) < 1e-12 && Math.abs(at(1, "4") + 1) < 1e-12 && Math.abs(at(2, "4") + 1) < 1e-12);
  assert.ok(Math.abs(at(3, "4")) < 1e-12);
  assert.ok(Math.abs(at(3, "5") - 1) < 1e-12 && Math.abs(at(0, "5") + 1) < 1e-12);
});

test("two parallel lines share a transfer in inverse proportion to their reactances (taps included)", () => {
  const x1 = 0.1,
    x2 = 0.3,
    tap = 1.05;
  const c = caseOf("pair", [busRow(1, 3), busRow(2, 1)], [branchRow(1, 2, x1), branchRow(1, 2, x2, 0, tap)]);
  const net = dcNetwork(c);
  const h = ptdf(net);
  const b1 = 1 / x1,
    b2 = 1 / (x2 * tap);
  // One unit injected at bus 2 returns to bus 1: flows 1→2 are negative.
  assert.ok(Math.abs(h[0 * 2 + 1] + b1 / (b1 + b2)) < 1e-12);
  assert.ok(Math.abs(h[1 * 2 + 1] + b2 / (b1 + b2)) < 1e-12);
});

test("transfers between two buses do not depend on the slack", () => {
  const c = randomCase(9, 15, 12);
  const net = dcNetwork(c);
  const h1 = ptdf(net);
  const other = withReference(net, net.busNames[3]);
  const h2 = ptdf(other);
  for (let l = 0; l < net.nBranch; l++) {
    for (const [i, j] of [
      [0, 5],
      [2, 9],
      [7, 14],
    ]) {
      const d1 = h1[l * net.nBus + i] - h1[l * net.nBus + j];
      const d2 = h2[l * net.nBus + i] - h2[l * net.nBus + j];
      assert.ok(Math.abs(d1 - d2) < 1e-10, `branch ${l}, buses ${i}→${j}: ${d1} vs ${d2}`);
    }
  }
});

test("a series capacitor (x < 0) is handled", () => {
  const c = randomCase(12, 10, 8);
  c.branch[c.branch.length - 1][3] = -0.02;
  c.branch[c.branch.length - 1][10] = 1;
  checkPhysics(c, [5]);
});
