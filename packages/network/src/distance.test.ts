import { test } from "node:test";
import assert from "node:assert/strict";
import { dcNetwork } from "./dc.js";
import { electricalDistance, powerTransferDistance } from "./distance.js";
import { ptdf } from "./ptdf.js";
import { branchRow, busRow, caseOf, randomCase } from "./testing/cases.js";
import { checkDistances } from "./testing/physics.js";

test("power-transfer distance: symmetric, zero diagonal, a metric, independent of the slack", () => {
  for (const seed of [21, 22, 23]) {
    const net = dcNetwork(randomCase(seed, 16, 14));
    checkDistances(net, net.busNames[net.nBus - 1]);
  }
});

test("on a radial network the distance counts the branches on the path", () => {
  // 1 – 2 – 3 – 4 and 2 – 5: every path branch carries the full unit transfer.
  const c = caseOf(
    "feeder",
    [busRow(1, 3), busRow(2, 1), busRow(3, 1), busRow(4, 1), busRow(5, 1)],
    [branchRow(1, 2, 0.1), branchRow(2, 3, 0.3), branchRow(3, 4, 0.05), branchRow(5, 2, 0.2)],
  );
  const net = dcNetwork(c);
  const h = ptdf(net);
  const idx = (b: string) => net.busIndex.get(b)!;
  const hops: [string, string, number][] = [
    ["1", "4", 3],
    ["4", "5", 3],
    ["3", "5", 2],
    ["1", "2", 1],
  ];
  for (const [a, b, n] of hops)
    assert.ok(Math.abs(powerTransferDistance(net, h, idx(a), idx(b)) - n) < 1e-12, `${a}–${b}`);
});

test("the memoised distance equals the direct sum", () => {
  const net = dcNetwork(randomCase(31, 14, 9));
  const h = ptdf(net);
  const d = electricalDistance(net, h);
  for (let i = 0; i < net.nBus; i += 3)
    for (let j = 0; j < net.nBus; j += 2) assert.equal(d(i, j), powerTransferDistance(net, h, i, j));
});

test("a ring splits a transfer: the distance across it is below the path length", () => {
  // Square 1–2–3–4–1 with equal reactances: 1 → 3 goes half each way over 2 branches each, d = 2.
  const c = caseOf(
    "ring",
    [busRow(1, 3), busRow(2, 1), busRow(3, 1), busRow(4, 1)],
    [branchRow(1, 2, 0.1), branchRow(2, 3, 0.1), branchRow(3, 4, 0.1), branchRow(4, 1, 0.1)],
  );
  const net = dcNetwork(c);
  const h = ptdf(net);
  // Adjacent buses: 3/4 over the direct branch, 1/4 around the other three: d = 3/4 + 3·1/4.
  assert.ok(Math.abs(powerTransferDistance(net, h, 0, 1) - 1.5) < 1e-12);
  assert.ok(Math.abs(powerTransferDistance(net, h, 0, 2) - 2) < 1e-12);
});

test("bad bus indices and mismatched PTDF sizes are rejected", () => {
  const net = dcNetwork(randomCase(3, 6, 2));
  const h = ptdf(net);
  assert.throws(() => powerTransferDistance(net, h, 0, 6), /bus index 6 is out of range 0..5/);
  assert.throws(() => electricalDistance(net, h.subarray(1)), /PTDF has \d+ entries, expected nBranch × nBus/);
});
