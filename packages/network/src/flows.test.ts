import { test } from "node:test";
import assert from "node:assert/strict";
import { dcNetwork } from "./dc.js";
import { busInjections, lineFlows } from "./flows.js";
import { ptdf } from "./ptdf.js";
import { branchRow, busRow, caseOf } from "./testing/cases.js";
import { testMarket } from "./testing/market.js";
import { dcPowerFlow } from "./testing/power-flow.js";

// Triangle 1–2–3 (ratings 30, unrated, 60) and an out-of-service 1–3 duplicate.
const c = caseOf(
  "tri",
  [busRow(1, 3), busRow(2, 1), busRow(3, 1)],
  [branchRow(1, 2, 0.1, 30), branchRow(2, 3, 0.1, 0), branchRow(1, 3, 0.2, 60), branchRow(1, 3, 0.1, 10, 0, 0)],
);
const net = dcNetwork(c);
const h = ptdf(net);

const market = () =>
  testMarket([
    { id: "g1", bus: "1", pMin: 0, pMax: 100 },
    { id: "g1b", bus: "1", pMin: 0, pMax: 100 },
    { id: "c3", bus: "3", pMin: -100, pMax: 0 },
    { id: "p2", bus: "2", pMin: -50, pMax: 50 },
  ]);

test("bus injections sum the powers of the agents on each bus", () => {
  const inj = busInjections(net, market(), Float64Array.of(40, 35, -90, 15));
  assert.deepEqual([...inj], [75, 15, -90]);
});

test("line flows follow the DC power flow, with loadings against rateA", () => {
  const inj = busInjections(net, market(), Float64Array.of(40, 35, -90, 15));
  const lines = lineFlows(net, h, inj);
  const { flow } = dcPowerFlow(c, inj, net.reference);
  assert.equal(lines.length, 4);
  lines.forEach((l, i) => {
    assert.equal(l.index, i);
    assert.ok(Math.abs(l.flow - flow[i]) < 1e-9, `branch ${i}: ${l.flow} vs ${flow[i]}`);
    assert.equal(l.rateA, net.rateA[i]);
    assert.equal(l.loading, l.rateA > 0 ? Math.abs(l.flow) / l.rateA : 0);
    assert.equal(l.overloaded, l.loading > 1);
  });
  assert.deepEqual([lines[0].fromBus, lines[0].toBus], ["1", "2"]);
  // 1→2 carries more than its 30 MW rating; 2–3 is unrated; the spare 1–3 is out of service.
  assert.ok(lines[0].flow > 30 && lines[0].overloaded);
  assert.equal(lines[1].loading, 0);
  assert.ok(lines[1].flow > 0 && !lines[1].overloaded);
  assert.equal(lines[3].inService, false);
  assert.equal(lines[3].flow, 0);
  assert.ok(lines.slice(0, 3).every((l) => l.inService));
});

test("agents without a bus and mismatched sizes are rejected", () => {
  const x = testMarket([
    { id: "g", bus: "1", pMin: 0, pMax: 1 },
    { id: "c", pMin: -1, pMax: 0 },
  ]);
  assert.throws(
    () => busInjections(net, x, Float64Array.of(1, -1)),
    /agents\[1\]\.bus: agent "c" has no bus; line flows need every agent on a bus of the network tri/,
  );
  assert.throws(
    () => busInjections(net, x, Float64Array.of(1)),
    /agent powers have 1 entries, the market has 2 agents/,
  );
  assert.throws(() => lineFlows(net, h, new Float64Array(2)), /2 bus injections given, the network has 3 buses/);
});
