import { test } from "node:test";
import assert from "node:assert/strict";
import {
  makeCharges,
  combineCosts,
  expandMarket,
  marketFromMatpower,
  readBundledCase,
  type NetworkCharges,
} from "@peermarket/model";
import { applyNetworkCharges } from "./charges.js";
import { dcNetwork } from "./dc.js";
import { powerTransferDistance } from "./distance.js";
import { ptdf } from "./ptdf.js";
import { realCase } from "./testing/real-cases.js";
import { zoneAdjacency, zoneHops } from "./zones.js";

/** Baroche et al.'s case39b_31a as a market, expanded by the model. */
function baroche() {
  const c = realCase("case39b_31a");
  const x = expandMarket(marketFromMatpower(c, readBundledCase("case39b_31a"), "case39b_31a"));
  return { c, x, net: dcNetwork(c) };
}

const design = (d: NetworkCharges["design"]): NetworkCharges =>
  makeCharges({ design: d, unitFee: 10, zoneDistances: [] });

test("case39b_31a electrical charges: each pair at the distance of its buses, combined into the engine costs", () => {
  const { x, net } = baroche();
  assert.equal(x.agentIds.length, 31);
  const d = applyNetworkCharges(x, net, design("CHARGE_DESIGN_ELECTRICAL_DISTANCE"));
  const h = ptdf(net);
  for (let p = 0; p < x.pairFirst.length; p++) {
    const bi = net.busIndex.get(x.agentBus[x.pairFirst[p]])!;
    const bj = net.busIndex.get(x.agentBus[x.pairSecond[p]])!;
    assert.ok(Math.abs(d.distance[p] - powerTransferDistance(net, h, bi, bj)) < 1e-12);
  }
  assert.ok(Math.max(...d.distance) > 7, "long transfers cross the network");
  combineCosts(x);
  for (let k = 0; k < x.arrays.partner.length; k++) {
    assert.equal(x.arrays.costSell[k], x.prefSell[k] + x.chargeSell[k]);
    assert.equal(x.arrays.costBuy[k], x.prefBuy[k] + x.chargeBuy[k]);
  }
});

test("case39b_31a zonal charges: free inside a zone, u/2 per border for each side", () => {
  const { x, net } = baroche();
  const d = applyNetworkCharges(x, net, design("CHARGE_DESIGN_ZONAL"));
  const g = zoneAdjacency(net);
  let inside = 0;
  for (let p = 0; p < x.pairFirst.length; p++) {
    const [a, b] = [d.agentZone[x.pairFirst[p]], d.agentZone[x.pairSecond[p]]];
    const hops = zoneHops(g, a).get(b)!;
    assert.equal(d.distance[p], hops);
    if (hops === 0) inside++;
    const k = x.tradeOfFirst[p];
    assert.equal(x.arrays.hi[k] > 0 ? x.chargeSell[k] : x.chargeBuy[k], 5 * hops);
  }
  assert.ok(inside > 0 && inside < x.pairFirst.length, "some pairs inside a zone, some across");
});
