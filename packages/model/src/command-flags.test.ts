import { test } from "node:test";
import assert from "node:assert/strict";
import { applyLoadsAsBuyers, parseLoadsAsBuyers } from "./loads-as-buyers.js";
import { booleanFlag, nothingToTradeWarning, numberFlag, settingsFromFlags, UsageError } from "./command-flags.js";
import { loadScenarioText } from "./load.js";
import { readBundledCase } from "./bundled.js";
import { toProtoJson } from "./scenario-json.js";
import { makeAgent, makeMarket } from "./fixtures.js";

test("settings flags: one parser, the same answers for every command", () => {
  assert.deepEqual(settingsFromFlags({ "adaptive-rho": "on", "max-iter": "50", "eps-abs": "1e-5", workers: "2" }), {
    warmStartSolutionId: "",
    adaptiveRho: true,
    maxIter: 50,
    epsAbs: 1e-5,
    workers: 2,
  });
  for (const v of ["off", "false", "0", "NO"]) assert.equal(booleanFlag("adaptive-rho", v), false);
  assert.throws(
    () => settingsFromFlags({ "adaptive-rho": "maybe" }),
    (e: Error) => e instanceof UsageError && /--adaptive-rho: expected true or false/.test(e.message),
  );
  assert.throws(() => settingsFromFlags({ "max-iter": "1.5" }), /--max-iter: expected an integer, got "1\.5"/);
  assert.throws(() => numberFlag("port", "-1", { integer: true, min: 0 }), /--port: expected an integer ≥ 0/);
  assert.equal(numberFlag("x", " 3 "), 3);
  assert.throws(() => numberFlag("x", ""), UsageError);
});

test("loads as buyers: one buyer per bus with Pd > 0, at VOLL or on a linear curve", () => {
  assert.deepEqual(parseLoadsAsBuyers("1000"), { kind: "voll", voll: 1000 });
  assert.deepEqual(parseLoadsAsBuyers("linear:80:60"), { kind: "linear", first: 80, drop: 60 });
  for (const bad of ["", "x", "linear:1", "linear:a:1", "linear:1:-2"])
    assert.throws(() => parseLoadsAsBuyers(bad), bad);
  const m = loadScenarioText(readBundledCase("case14"), "case14.m");
  assert.match(nothingToTradeWarning(m) ?? "", /--loads-as-buyers/);
  const voll = applyLoadsAsBuyers(m, { kind: "voll", voll: 500 });
  const loads = voll.agents.filter((a) => a.id.startsWith("load"));
  assert.equal(loads.length, 11);
  const l2 = loads.find((a) => a.id === "load2")!;
  assert.deepEqual([l2.bus, l2.powerMin, l2.powerMax, l2.costLinear, l2.costQuadratic], ["2", -21.7, 0, 500, 0]);
  assert.equal(nothingToTradeWarning(voll), null);
  const linear = applyLoadsAsBuyers(m, { kind: "linear", first: 80, drop: 60 });
  const l3 = linear.agents.find((a) => a.id === "load3")!;
  // marginal value at full load Pd = 94.2: b − a·Pd = 80 − 60
  assert.ok(Math.abs(l3.costLinear - l3.costQuadratic * 94.2 - 20) < 1e-12);
  assert.throws(
    () => applyLoadsAsBuyers(makeMarket({ agents: [makeAgent("a")] }), { kind: "voll", voll: 1 }),
    /has no network/,
  );
  assert.throws(
    () => applyLoadsAsBuyers({ ...m, agents: [...m.agents, makeAgent("load2")] }, { kind: "voll", voll: 1 }),
    /already called "load2"/,
  );
});

test("proto3 JSON with every field present: zeros, empty strings, empty lists and maps; unset messages stay out", () => {
  const agent = { ...makeAgent("a"), costLinear: 0 };
  const sparse = toProtoJson("Agent", agent);
  assert.equal("costLinear" in sparse, false);
  const full = toProtoJson("Agent", agent, { emitDefaults: true });
  assert.equal(full.costLinear, 0);
  assert.equal(full.bus, "");
  assert.deepEqual(full.attributes, {});
  assert.equal("location" in full, false);
  const trade = toProtoJson(
    "Trade",
    { sellerId: "s", buyerId: "b", power: 0, price: 0, networkCharge: 0 },
    { emitDefaults: true },
  );
  assert.equal(trade.power, 0);
});
