import { test } from "node:test";
import assert from "node:assert/strict";
import type { NetworkCharges } from "@peermarket/model";
import { applyNetworkCharges, chargesFromDistances } from "./charges.js";
import { dcNetwork } from "./dc.js";
import { powerTransferDistance } from "./distance.js";
import { pairDistances } from "./pair-distances.js";
import { ptdf } from "./ptdf.js";
import { branchRow, busRow, caseOf } from "./testing/cases.js";
import { testMarket, type TestAgent } from "./testing/market.js";

// Areas 1 | 2 | 3 | 4 along a chain of five buses, with a ring branch 2–4.
const net = dcNetwork(
  caseOf(
    "chain",
    [busRow(1, 3, 1), busRow(2, 1, 1), busRow(3, 1, 2), busRow(4, 1, 3), busRow(5, 1, 4)],
    [branchRow(1, 2, 0.1), branchRow(2, 3, 0.2), branchRow(3, 4, 0.1), branchRow(4, 5, 0.3), branchRow(2, 4, 0.4)],
  ),
);

const agents: TestAgent[] = [
  { id: "g1", bus: "1", pMin: 0, pMax: 100 },
  { id: "c3", bus: "3", pMin: -80, pMax: 0 },
  { id: "c5", bus: "5", zone: "2", pMin: -40, pMax: 0 },
  { id: "p4", bus: "4", pMin: -20, pMax: 30 },
];

const charges = (design: NetworkCharges["design"], extra: Partial<NetworkCharges> = {}): NetworkCharges => ({
  design,
  unitFee: 10,
  zoneDistances: [],
  unitFeeProfile: [],
  ...extra,
});

const pairName = (x: ReturnType<typeof testMarket>, p: number) =>
  `${x.agentIds[x.pairFirst[p]]}-${x.agentIds[x.pairSecond[p]]}`;

test("uniform: every pair at distance 1, shares on the sides each agent can trade", () => {
  const x = testMarket(agents);
  x.arrays.costSell.fill(3);
  x.arrays.costBuy.fill(4);
  const d = applyNetworkCharges(x, null, charges("CHARGE_DESIGN_UNIFORM", { sellerShare: 0.3 }));
  assert.deepEqual([...d.distance], Array(x.pairFirst.length).fill(1));
  for (let k = 0; k < x.arrays.partner.length; k++) {
    const canSell = x.arrays.hi[k] > 0;
    const canBuy = x.arrays.lo[k] < 0;
    assert.ok(Math.abs(x.chargeSell[k] - (canSell ? 3 : 0)) < 1e-12, `trade ${k} sell side`);
    assert.ok(Math.abs(x.chargeBuy[k] - (canBuy ? 7 : 0)) < 1e-12, `trade ${k} buy side`);
  }
  // The prosumer's trades with producer and consumers: it can buy from g1, sell to c3 and c5.
  const p4 = 3;
  for (let k = x.arrays.tradeStart[p4]; k < x.arrays.tradeStart[p4 + 1]; k++)
    assert.ok(x.chargeSell[k] + x.chargeBuy[k] > 0);
  assert.ok(
    x.arrays.costSell.every((c) => c === 3) && x.arrays.costBuy.every((c) => c === 4),
    "engine costs untouched",
  );
});

test("electrical: each pair gets the power-transfer distance between its agents' buses", () => {
  const x = testMarket(agents);
  const h = ptdf(net);
  const d = applyNetworkCharges(x, net, charges("CHARGE_DESIGN_ELECTRICAL_DISTANCE"));
  for (let p = 0; p < x.pairFirst.length; p++) {
    const bi = net.busIndex.get(x.agentBus[x.pairFirst[p]])!;
    const bj = net.busIndex.get(x.agentBus[x.pairSecond[p]])!;
    const expected = powerTransferDistance(net, h, bi, bj);
    assert.ok(expected > 0);
    assert.ok(Math.abs(d.distance[p] - expected) < 1e-12, pairName(x, p));
    // Default share ½: seller and buyer sides of the pair carry u·d/2 each.
    const kf = x.tradeOfFirst[p];
    const side = x.arrays.hi[kf] > 0 ? x.chargeSell[kf] : x.chargeBuy[kf];
    assert.ok(Math.abs(side - 5 * expected) < 1e-12);
  }
});

test("electrical: agents on the same bus trade free of charge", () => {
  const x = testMarket([
    { id: "g", bus: "4", pMin: 0, pMax: 10 },
    { id: "c", bus: "4", pMin: -10, pMax: 0 },
  ]);
  const d = applyNetworkCharges(x, net, charges("CHARGE_DESIGN_ELECTRICAL_DISTANCE"));
  assert.equal(d.distance[0], 0);
  assert.equal(x.chargeSell[x.tradeOfFirst[0]], 0);
});

test("zonal: hop counts between agent zones, Agent.zone overriding the bus area", () => {
  const x = testMarket(agents);
  const d = applyNetworkCharges(x, net, charges("CHARGE_DESIGN_ZONAL"));
  assert.deepEqual(d.agentZone, ["1", "2", "2", "3"]);
  const byName = Object.fromEntries([...d.distance].map((v, p) => [pairName(x, p), v]));
  // Area adjacency: 1–2, 2–3, 3–4 and 1–3 (ring branch 2–4 joins areas 1 and 3).
  assert.deepEqual(byName, { "g1-c3": 1, "g1-c5": 1, "g1-p4": 1, "c3-p4": 1, "c5-p4": 1 });
  const explicit = applyNetworkCharges(
    testMarket(agents),
    net,
    charges("CHARGE_DESIGN_ZONAL", { zoneDistances: [{ zoneA: "3", zoneB: "1", distance: 2.5 }] }),
  );
  assert.equal(explicit.distance[x.pairFirst.findIndex((_, p) => pairName(x, p) === "g1-p4")], 2.5);
});

test("zonal without a network uses Agent.zone and the explicit list", () => {
  const x = testMarket([
    { id: "g", zone: "north", pMin: 0, pMax: 10 },
    { id: "c", zone: "south", pMin: -10, pMax: 0 },
    { id: "d", zone: "north", pMin: -10, pMax: 0 },
  ]);
  const d = applyNetworkCharges(
    x,
    null,
    charges("CHARGE_DESIGN_ZONAL", { zoneDistances: [{ zoneA: "south", zoneB: "north", distance: 3 }] }),
  );
  assert.deepEqual([...d.distance], [3, 0]);
});

test("NONE and UNSPECIFIED charge nothing whatever the fee", () => {
  for (const design of ["CHARGE_DESIGN_NONE", "CHARGE_DESIGN_UNSPECIFIED"] as const) {
    const x = testMarket(agents);
    x.chargeSell.fill(9);
    const d = applyNetworkCharges(x, net, charges(design, { unitFee: 50 }));
    assert.ok(d.distance.every((v) => v === 0));
    assert.ok(x.chargeSell.every((v) => v === 0) && x.chargeBuy.every((v) => v === 0));
  }
});

test("grid agents are charged like any other agent, at the grid bus", () => {
  const x = testMarket([
    ...agents,
    { id: "grid_import", bus: "5", pMin: 0, pMax: 1e3 },
    { id: "grid_export", bus: "5", pMin: -1e3, pMax: 0 },
  ]);
  const d = applyNetworkCharges(x, net, charges("CHARGE_DESIGN_ELECTRICAL_DISTANCE"));
  const h = ptdf(net);
  const p = [...x.pairFirst].findIndex(
    (f, i) => x.agentIds[f] === "g1" && x.agentIds[x.pairSecond[i]] === "grid_export",
  );
  assert.ok(p >= 0);
  assert.ok(Math.abs(d.distance[p] - powerTransferDistance(net, h, 0, 4)) < 1e-12);
});

test("a fee sweep reuses distances: charges scale linearly with the fee", () => {
  const x = testMarket(agents);
  const d = pairDistances(x, net, charges("CHARGE_DESIGN_ELECTRICAL_DISTANCE"));
  chargesFromDistances(x, d, 4, 0.25);
  const sell4 = x.chargeSell.slice();
  const buy4 = x.chargeBuy.slice();
  chargesFromDistances(x, d, 12, 0.25);
  for (let k = 0; k < sell4.length; k++) {
    assert.ok(Math.abs(x.chargeSell[k] - 3 * sell4[k]) < 1e-12 && Math.abs(x.chargeBuy[k] - 3 * buy4[k]) < 1e-12);
  }
  const y = testMarket(agents);
  applyNetworkCharges(y, net, charges("CHARGE_DESIGN_ELECTRICAL_DISTANCE", { sellerShare: 0.25 }), 12);
  assert.deepEqual(y.chargeSell, x.chargeSell);
  assert.deepEqual(y.chargeBuy, x.chargeBuy);
});

test("errors name the agent and the network", () => {
  const bad = agents.map((a) => ({ ...a }));
  bad[1].bus = "99";
  assert.throws(() => applyNetworkCharges(testMarket(bad), net, charges("CHARGE_DESIGN_ELECTRICAL_DISTANCE")), {
    message: 'agents[1].bus: bus "99" is not in the network chain',
  });
  const gridBad = testMarket([...agents, { id: "grid_import", bus: "77", pMin: 0, pMax: 1e3 }]);
  assert.throws(
    () => applyNetworkCharges(gridBad, net, charges("CHARGE_DESIGN_UNIFORM")),
    /^Error: grid\.bus: bus "77" is not in the network chain$/,
  );
  const noBus = agents.map((a) => ({ ...a }));
  delete noBus[2].bus;
  assert.throws(
    () => applyNetworkCharges(testMarket(noBus), net, charges("CHARGE_DESIGN_ELECTRICAL_DISTANCE")),
    /agents\[2\]\.bus: agent "c5" has no bus; the electrical-distance design needs every agent on a bus of the network chain/,
  );
  delete noBus[2].zone;
  assert.throws(
    () => applyNetworkCharges(testMarket(noBus), net, charges("CHARGE_DESIGN_ZONAL")),
    /agents\[2\]: agent "c5" has neither a zone nor a bus; the zonal design needs one/,
  );
  assert.throws(
    () => applyNetworkCharges(testMarket(agents), null, charges("CHARGE_DESIGN_ELECTRICAL_DISTANCE")),
    /needs a network \(Market\.network\)/,
  );
  assert.throws(
    () => applyNetworkCharges(testMarket(agents), net, charges("CHARGE_DESIGN_UNIFORM", { unitFee: -1 })),
    /charges\.unitFee must be finite and ≥ 0, got -1/,
  );
  assert.throws(
    () => applyNetworkCharges(testMarket(agents), net, charges("CHARGE_DESIGN_UNIFORM", { sellerShare: 1.5 })),
    /charges\.sellerShare must be in \[0, 1\], got 1\.5/,
  );
  const other = testMarket(agents.slice(0, 2));
  assert.throws(
    () => chargesFromDistances(other, pairDistances(testMarket(agents), net, charges("CHARGE_DESIGN_UNIFORM")), 1),
    /distances have 5 pairs, the market has 1/,
  );
});
