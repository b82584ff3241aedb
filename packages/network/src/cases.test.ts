import { test } from "node:test";
import assert from "node:assert/strict";
import { BUS_TYPE } from "@peermarket/model";
import { dcNetwork } from "./dc.js";
import { electricalDistance, powerTransferDistance } from "./distance.js";
import { ptdf } from "./ptdf.js";
import { checkDistances, checkPhysics } from "./testing/physics.js";
import { realCase } from "./testing/real-cases.js";
import { zoneAdjacency, zoneHops } from "./zones.js";

const transmission = ["case14", "case39", "case118", "case300", "case39b_31a"];
const feeders = ["case33bw", "case69"];

for (const name of [...transmission, ...feeders]) {
  test(`${name}: PTDF flows match an independent DC power flow and KCL`, () => {
    const c = realCase(name);
    const net = dcNetwork(c);
    assert.equal(c.bus[net.reference][BUS_TYPE], 3);
    assert.deepEqual(net.notes, []);
    checkPhysics(c, [1, 2]);
  });

  test(`${name}: power-transfer distances are symmetric, a metric and independent of the slack`, () => {
    const net = dcNetwork(realCase(name));
    checkDistances(net, net.busNames[net.nBus - 1 === net.reference ? 0 : net.nBus - 1], net.nBus > 100 ? 9 : 1);
  });
}

test("case39b_31a: the distance between buses 16 and 39 is about 7.43 (Baroche et al.: 7.3)", () => {
  const net = dcNetwork(realCase("case39b_31a"));
  const d = powerTransferDistance(net, ptdf(net), net.busIndex.get("16")!, net.busIndex.get("39")!);
  assert.ok(Math.abs(d - 7.43) < 0.01, `d(16, 39) = ${d}`);
});

test("case39b_31a: hop counts between its four zones", () => {
  const g = zoneAdjacency(dcNetwork(realCase("case39b_31a")));
  assert.deepEqual([...g.keys()].sort(), ["1", "2", "3", "4"]);
  // Borders: 1–2 (25–26), 1–3 (3–4, 9–39), 1–4 (17–18), 2–4 (17–27), 3–4 (14–15); none 2–3.
  const hops = (a: string) => Object.fromEntries([...zoneHops(g, a)].sort());
  assert.deepEqual(hops("1"), { "1": 0, "2": 1, "3": 1, "4": 1 });
  assert.deepEqual(hops("2"), { "1": 1, "2": 0, "3": 2, "4": 1 });
  assert.deepEqual(hops("3"), { "1": 1, "2": 2, "3": 0, "4": 1 });
});

for (const name of feeders) {
  test(`${name}: a radial feeder, so distances count the in-service branches on the path`, () => {
    const net = dcNetwork(realCase(name));
    const inService = [...net.status].filter((s) => s === 1).length;
    assert.equal(inService, net.nBus - 1, "radial: nBus − 1 branches in service");
    // Tree hop counts by breadth-first search over in-service branches.
    const adj: number[][] = Array.from({ length: net.nBus }, () => []);
    for (let l = 0; l < net.nBranch; l++)
      if (net.status[l]) adj[net.from[l]].push(net.to[l]), adj[net.to[l]].push(net.from[l]);
    const d = electricalDistance(net, ptdf(net));
    for (const src of [0, Math.floor(net.nBus / 2), net.nBus - 1]) {
      const hops = new Array<number>(net.nBus).fill(-1);
      hops[src] = 0;
      for (const q = [src]; q.length > 0; ) {
        const i = q.shift()!;
        for (const j of adj[i]) if (hops[j] < 0) (hops[j] = hops[i] + 1), q.push(j);
      }
      for (let j = 0; j < net.nBus; j++)
        assert.ok(
          Math.abs(d(src, j) - hops[j]) < 1e-9,
          `${name} d(${net.busNames[src]}, ${net.busNames[j]}) = ${d(src, j)}, path ${hops[j]}`,
        );
    }
  });
}

test("case33bw: its five tie lines are out of service and carry nothing", () => {
  const net = dcNetwork(realCase("case33bw"));
  const h = ptdf(net);
  const ties = [...net.status].flatMap((s, l) => (s ? [] : [l]));
  assert.deepEqual(
    ties.map((l) => `${net.busNames[net.from[l]]}-${net.busNames[net.to[l]]}`),
    ["21-8", "9-15", "12-22", "18-33", "25-29"],
  );
  for (const l of ties) for (let i = 0; i < net.nBus; i++) assert.equal(h[l * net.nBus + i], 0);
});
