import assert from "node:assert/strict";
import { test } from "node:test";
import { makeCharges, makeAgent, makeMarket } from "@peermarket/model";
import { coordinatorMarketIssues, epochMarket, registrationProblem } from "./coordinator-market.js";
import type { PeerAgent } from "@peermarket/model";

const peer = (id: string, fields: Partial<PeerAgent> = {}): PeerAgent => ({
  id,
  bus: "",
  zone: "",
  powerMin: 0,
  powerMax: 0,
  attributes: {},
  location: null,
  ...fields,
});

test("a coordinator's market holds no costs, bounds, preferences or cost recovery", () => {
  const clean = makeMarket({ name: "m", agents: [makeAgent("a"), makeAgent("b", { bus: "3" })] });
  assert.deepEqual(coordinatorMarketIssues(clean), []);
  const dirty = makeMarket({
    name: "m",
    agents: [makeAgent("a", { costLinear: 3 }), makeAgent("b", { powerMax: 2 })],
    preferences: [{ agentId: "a", partnerId: "b", attributeKey: "", attributeValue: "", cost: 1, costPerKm: 0 }],
    charges: makeCharges({ design: "CHARGE_DESIGN_UNIFORM", unitFee: 1, targetRevenue: 10, zoneDistances: [] }),
  });
  assert.deepEqual(
    coordinatorMarketIssues(dirty).map((i) => i.path),
    ["agents[0].costLinear", "agents[1].powerMax", "preferences", "charges.targetRevenue"],
  );
});

test("registrations must name the market's agents at the buses and zones it pins", () => {
  const market = makeMarket({ name: "m", agents: [makeAgent("a", { bus: "3" }), makeAgent("b", { zone: "north" })] });
  assert.equal(registrationProblem(market, peer("a", { bus: "3" })), null);
  assert.equal(registrationProblem(market, peer("b", { bus: "7" })), null);
  assert.match(registrationProblem(market, peer("c"))!, /"c" is not part of market "m"/);
  assert.match(
    registrationProblem(market, peer("a", { bus: "4" }))!,
    /registered at bus "4", the market places it at bus "3"/,
  );
  assert.match(registrationProblem(market, peer("b", { zone: "south" }))!, /zone "south"/);
  assert.match(
    registrationProblem(market, peer("a", { bus: "3", powerMin: -Infinity }))!,
    /power bounds must be finite in a negotiation, got \[-Infinity, 0\]/,
  );
  assert.match(
    registrationProblem(market, peer("a", { bus: "3", powerMin: 2, powerMax: 1 }))!,
    /powerMin must not exceed powerMax \(2 > 1\)/,
  );
});

test("an epoch's market takes the registered data of the agents present and drops the pairs of the others", () => {
  const market = makeMarket({
    name: "m",
    agents: [makeAgent("a", { bus: "3" }), makeAgent("b"), makeAgent("c")],
    tradingGraph: "TRADING_GRAPH_EXPLICIT",
    pairs: [
      { agentId: "a", partnerId: "b" },
      { agentId: "b", partnerId: "c" },
    ],
  });
  const registered = new Map([
    ["a", peer("a", { bus: "9", powerMax: 5, attributes: { t: "x" }, location: { xKm: 1, yKm: 2 } })],
    ["b", peer("b", { bus: "4", powerMin: -3 })],
  ]);
  const m = epochMarket(market, registered, new Set(["a", "b"]));
  assert.deepEqual(
    m.agents.map((x) => [x.id, x.bus, x.powerMin, x.powerMax, x.costQuadratic, x.costLinear]),
    [
      ["a", "3", 0, 5, 0, 0],
      ["b", "4", -3, 0, 0, 0],
    ],
  );
  assert.deepEqual(m.agents[0].attributes, { t: "x" });
  assert.deepEqual(m.pairs, [{ agentId: "a", partnerId: "b" }]);
  assert.throws(() => epochMarket(market, registered, new Set(["a", "c"])), /"c" is present but not registered/);
});

test("a negotiation clears one period: horizons, batteries and per-period profiles are refused by field", () => {
  const day = makeMarket({
    name: "day",
    horizon: { periods: 24, periodHours: 1, startTime: "" },
    agents: [
      makeAgent("a"),
      makeAgent("bat", {
        storage: {
          energyCapacity: 4,
          chargeMax: 2,
          dischargeMax: 2,
          socInitial: 0,
          socMin: 0,
          throughputCost: 0,
        },
      }),
    ],
    charges: makeCharges({ design: "CHARGE_DESIGN_UNIFORM", unitFee: 1, unitFeeProfile: [1, 2], zoneDistances: [] }),
  });
  const issues = coordinatorMarketIssues(day);
  assert.deepEqual(
    issues.map((i) => i.path),
    ["horizon.periods", "agents[1].storage", "charges.unitFeeProfile"],
  );
  assert.match(issues[0].message, /single period/);
});
