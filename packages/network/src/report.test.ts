import { test } from "node:test";
import assert from "node:assert/strict";
import type { NetworkCharges } from "@peermarket/model";
import { applyNetworkCharges } from "./charges.js";
import { dcNetwork } from "./dc.js";
import { ptdf } from "./ptdf.js";
import { chargeReportFromArrays, pairPowers } from "./report.js";
import { branchRow, busRow, caseOf } from "./testing/cases.js";
import { testMarket } from "./testing/market.js";
import { makeCharges } from "@peermarket/model";

// Two zones: buses 1, 2 in area "1", bus 3 in area "2".
const net = dcNetwork(
  caseOf(
    "two",
    [busRow(1, 3, 1), busRow(2, 1, 1), busRow(3, 1, 2)],
    [branchRow(1, 2, 0.1, 50), branchRow(2, 3, 0.1, 3), branchRow(1, 3, 0.2, 100)],
  ),
);
const h = ptdf(net);
const agents = [
  { id: "g1", bus: "1", pMin: 0, pMax: 100 },
  { id: "c2", bus: "2", pMin: -100, pMax: 0 },
  { id: "c3", bus: "3", pMin: -100, pMax: 0 },
  { id: "p3", bus: "3", pMin: -50, pMax: 50 },
];
const charges: NetworkCharges = makeCharges({
  design: "CHARGE_DESIGN_ZONAL",
  unitFee: 8,
  sellerShare: 0.25,
  zoneDistances: [],
});

/** Pairs (complete, tradable): g1-c2, g1-c3, g1-p3, c2-p3, c3-p3. Powers from first to second. */
function solved() {
  const x = testMarket(agents);
  const names = [...x.pairFirst].map((f, p) => `${x.agentIds[f]}-${x.agentIds[x.pairSecond[p]]}`);
  assert.deepEqual(names, ["g1-c2", "g1-c3", "g1-p3", "c2-p3", "c3-p3"]);
  const pairPower = Float64Array.of(30, 20, 10, -5, 1e-9); // c2 buys 5 from p3; c3-p3 carries nothing
  const agentPower = Float64Array.of(60, -35, -20, -5);
  return { x, sol: { pairPower, agentPower, solutionId: "s1" } };
}

test("per-trade charges: direction from the sign, u·d·q split by the seller share", () => {
  const { x, sol } = solved();
  const d = applyNetworkCharges(x, net, charges);
  const r = chargeReportFromArrays(x, sol, d, net, h, charges, charges.unitFee);
  assert.equal(r.solutionId, "s1");
  assert.equal(r.design, "CHARGE_DESIGN_ZONAL");
  assert.equal(r.sellerShare, 0.25);
  assert.equal(r.networkName, "two");
  assert.deepEqual(
    r.trades.map((t) => [t.sellerId, t.buyerId, t.power, t.distance, t.sellerZone, t.buyerZone]),
    [
      ["g1", "c2", 30, 0, "1", "1"],
      ["g1", "c3", 20, 1, "1", "2"],
      ["g1", "p3", 10, 1, "1", "2"],
      ["p3", "c2", 5, 1, "2", "1"],
    ],
  );
  for (const t of r.trades) {
    assert.ok(Math.abs(t.totalCharge - 8 * t.distance * t.power) < 1e-12);
    assert.ok(Math.abs(t.sellerCharge - 0.25 * t.totalCharge) < 1e-12);
    assert.ok(Math.abs(t.sellerCharge + t.buyerCharge - t.totalCharge) < 1e-12);
  }
});

test("agent, zone and market totals add up", () => {
  const { x, sol } = solved();
  const d = applyNetworkCharges(x, net, charges);
  const r = chargeReportFromArrays(x, sol, d, net, h, charges, charges.unitFee);
  const sum = (xs: number[]) => xs.reduce((s, v) => s + v, 0);
  assert.ok(Math.abs(r.totalCollected - sum(r.trades.map((t) => t.totalCharge))) < 1e-12);
  assert.ok(Math.abs(r.totalCollected - sum(r.agents.map((a) => a.charge))) < 1e-12);
  assert.ok(Math.abs(r.totalCollected - sum(r.zones.map((z) => z.charges))) < 1e-12);
  assert.equal(r.tradedVolume, 65);
  assert.equal(r.interZoneVolume, 35);
  const g1 = r.agents.find((a) => a.agentId === "g1")!;
  assert.deepEqual([g1.volumeSold, g1.volumeBought, g1.zone], [60, 0, "1"]);
  const p3 = r.agents.find((a) => a.agentId === "p3")!;
  assert.deepEqual([p3.volumeSold, p3.volumeBought], [5, 10]);
  assert.deepEqual(
    r.zones.map((z) => [z.zone, z.internalVolume, z.exports, z.imports]),
    [
      ["1", 30, 30, 5],
      ["2", 0, 5, 30],
    ],
  );
  assert.deepEqual(r.zoneFlows, [
    { fromZone: "1", toZone: "2", volume: 30 },
    { fromZone: "2", toZone: "1", volume: 5 },
  ]);
  assert.equal(sum(r.zones.map((z) => z.exports)), r.interZoneVolume);
});

test("line flows, overloaded lines and the maximum loading", () => {
  const { x, sol } = solved();
  const d = applyNetworkCharges(x, net, charges);
  const r = chargeReportFromArrays(x, sol, d, net, h, charges, charges.unitFee);
  assert.equal(r.lines.length, 3);
  const net3 = r.lines.reduce((s, l) => s + (l.toBus === "3" ? l.flow : 0) - (l.fromBus === "3" ? l.flow : 0), 0);
  assert.ok(Math.abs(net3 - 25) < 1e-9, "25 MW consumed at bus 3 arrive over its branches");
  assert.deepEqual(
    r.overloadedLines,
    r.lines.filter((l) => l.loading > 1).map((l) => l.index),
  );
  assert.deepEqual(r.overloadedLines, [1], "only the 3 MW line 2–3 (carrying 3.75 MW) is overloaded");
  assert.equal(r.maxLoading, Math.max(...r.lines.map((l) => l.loading)));
  const noNet = chargeReportFromArrays(x, sol, d, null, null, charges, charges.unitFee);
  assert.deepEqual([noNet.lines, noNet.overloadedLines, noNet.maxLoading, noNet.networkName], [[], [], 0, ""]);
});

test("the report uses the fee it is given and rejects mismatched inputs", () => {
  const { x, sol } = solved();
  const d = applyNetworkCharges(x, net, charges);
  const at16 = chargeReportFromArrays(x, sol, d, net, h, charges, 16);
  const at8 = chargeReportFromArrays(x, sol, d, net, h, charges, 8);
  assert.ok(Math.abs(at16.totalCollected - 2 * at8.totalCollected) < 1e-12 && at8.totalCollected > 0);
  assert.throws(
    () => chargeReportFromArrays(x, { ...sol, pairPower: new Float64Array(2) }, d, net, h, charges, 8),
    /solution has 2 pair powers, the market has 5 pairs/,
  );
  assert.throws(
    () => chargeReportFromArrays(x, sol, d, net, h, charges, Number.NaN),
    /charges\.unitFee must be finite/,
  );
});

test("pair powers are read from the first agent's directed trades", () => {
  const { x } = solved();
  const trade = new Float64Array(x.arrays.partner.length);
  for (let p = 0; p < x.pairFirst.length; p++) {
    trade[x.tradeOfFirst[p]] = p + 1;
    trade[x.tradeOfSecond[p]] = -(p + 1);
  }
  assert.deepEqual([...pairPowers(x, trade)], [1, 2, 3, 4, 5]);
  assert.throws(() => pairPowers(x, new Float64Array(3)), /solution has 3 directed trades, the market has 10/);
});
