import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ScenarioError } from "./scenario-error.js";
import { marketToJson, parseMarketJson } from "./scenario-json.js";
import type { Market } from "./types.js";

/** Runs parseMarketJson and returns the ScenarioError it throws. */
function errorOf(text: string, source = "s.json"): ScenarioError {
  try {
    parseMarketJson(text, source);
  } catch (e) {
    assert.ok(e instanceof ScenarioError, `expected a ScenarioError, got ${String(e)}`);
    return e;
  }
  assert.fail(`no error for ${text}`);
}

describe("parseMarketJson", () => {
  it("reads lowerCamelCase and snake_case names to the same market", () => {
    const camel = parseMarketJson(
      JSON.stringify({
        name: "m",
        tradingGraph: "TRADING_GRAPH_EXPLICIT",
        agents: [
          {
            id: "a",
            costQuadratic: 0.5,
            costLinear: 10,
            powerMin: -2,
            powerMax: 3,
            location: { xKm: 1, yKm: 2 },
            attributes: { tech: "pv" },
          },
        ],
        pairs: [{ agentId: "a", partnerId: "b" }],
        grid: { importPrice: 30, exportMax: 5 },
      }),
    );
    const snake = parseMarketJson(
      JSON.stringify({
        name: "m",
        trading_graph: "TRADING_GRAPH_EXPLICIT",
        agents: [
          {
            id: "a",
            cost_quadratic: 0.5,
            cost_linear: 10,
            power_min: -2,
            power_max: 3,
            location: { x_km: 1, y_km: 2 },
            attributes: { tech: "pv" },
          },
        ],
        pairs: [{ agent_id: "a", partner_id: "b" }],
        grid: { import_price: 30, export_max: 5 },
      }),
    );
    assert.deepEqual(snake, camel);
    assert.equal(camel.agents[0].costQuadratic, 0.5);
    assert.deepEqual(camel.agents[0].location, { xKm: 1, yKm: 2 });
    assert.equal(camel.pairs[0].partnerId, "b");
    assert.equal(camel.grid?.exportMax, 5);
  });

  it("fills proto3 defaults and leaves optional fields and sub-messages undefined", () => {
    const m = parseMarketJson('{"agents":[{"id":"a"}],"charges":{},"grid":{"bus":"3"}}');
    assert.deepEqual(
      { ...m.agents[0] },
      {
        id: "a",
        bus: "",
        zone: "",
        costQuadratic: 0,
        costLinear: 0,
        powerMin: 0,
        powerMax: 0,
        attributes: {},
        costQuadraticProfile: [],
        costLinearProfile: [],
        powerMinProfile: [],
        powerMaxProfile: [],
      },
    );
    assert.equal(m.name, "");
    assert.equal(m.tradingGraph, "TRADING_GRAPH_UNSPECIFIED");
    assert.deepEqual(m.pairs, []);
    assert.deepEqual(m.preferences, []);
    assert.equal(m.network, undefined);
    assert.deepEqual(m.charges, {
      design: "CHARGE_DESIGN_UNSPECIFIED",
      unitFee: 0,
      zoneDistances: [],
      unitFeeProfile: [],
    });
    assert.equal(m.charges?.sellerShare, undefined);
    assert.equal(m.grid?.importMax, undefined);
    assert.equal(m.agents[0].location, undefined);
  });

  it("reads numbers given as strings, infinities, NaN, enums by number and null as default", () => {
    const m = parseMarketJson(
      JSON.stringify({
        tradingGraph: 1,
        agents: [
          { id: "a", powerMin: "-Infinity", powerMax: "Infinity", costLinear: "1e3", costQuadratic: "0.25" },
          { id: "b", costLinear: "NaN", bus: null },
        ],
        charges: { design: 4, sellerShare: "0", targetRevenue: null },
      }),
    );
    assert.equal(m.tradingGraph, "TRADING_GRAPH_COMPLETE");
    assert.equal(m.agents[0].powerMin, -Infinity);
    assert.equal(m.agents[0].powerMax, Infinity);
    assert.equal(m.agents[0].costLinear, 1000);
    assert.equal(m.agents[0].costQuadratic, 0.25);
    assert.ok(Number.isNaN(m.agents[1].costLinear));
    assert.equal(m.agents[1].bus, "");
    assert.equal(m.charges?.design, "CHARGE_DESIGN_ZONAL");
    assert.equal(m.charges?.sellerShare, 0);
    assert.equal(m.charges?.targetRevenue, undefined);
  });

  it("names the set member of the network oneof", () => {
    assert.deepEqual(parseMarketJson('{"network":{"bundled_case":"case14"}}').network, {
      bundledCase: "case14",
      source: "bundledCase",
    });
    assert.deepEqual(parseMarketJson('{"network":{"matpower":""}}').network, { matpower: "", source: "matpower" });
    assert.deepEqual(parseMarketJson('{"network":{}}').network, {});
  });

  it("keeps map keys that look like object internals as data", () => {
    const m = parseMarketJson('{"agents":[{"id":"a","attributes":{"__proto__":"x","constructor":"y"}}]}');
    assert.equal(Object.getOwnPropertyDescriptor(m.agents[0].attributes, "__proto__")?.value, "x");
    assert.equal(m.agents[0].attributes["constructor"], "y");
  });

  it("rejects unknown fields with their path and position", () => {
    const e = errorOf(
      '{\n  "agents": [\n    {"id": "a"},\n    {"id": "b"},\n    {"id": "c"},\n    {"id": "d", "powerMaxx": 3}\n  ]\n}',
    );
    assert.equal(e.path, "agents[3].powerMaxx");
    assert.match(e.message, /^s\.json:6:17: agents\[3\]\.powerMaxx: unknown field/);
    assert.equal(e.line, 6);
    assert.equal(e.column, 17);
    assert.equal(e.source, "s.json");
  });

  it("rejects wrong types naming the field and the value", () => {
    assert.match(
      errorOf('{"agents":[{"powerMin":"abc"}]}').message,
      /agents\[0\]\.powerMin: expected a number, got "abc"/,
    );
    assert.match(
      errorOf('{"agents":[{"powerMin":true}]}').message,
      /agents\[0\]\.powerMin: expected a number, got true/,
    );
    assert.match(errorOf('{"agents":[{"id":3}]}').message, /agents\[0\]\.id: expected a string, got 3/);
    assert.match(errorOf('{"agents":{"id":"a"}}').message, /agents: expected an array, got an object/);
    assert.match(errorOf('{"agents":["a"]}').message, /agents\[0\]: expected an object \(message Agent\), got "a"/);
    assert.match(errorOf('{"agents":[null]}').message, /agents\[0\]: null is not allowed in a repeated field/);
    assert.match(
      errorOf('{"agents":[{"attributes":{"tech":1}}]}').message,
      /agents\[0\]\.attributes\.tech: expected a string, got 1/,
    );
    assert.match(errorOf('{"agents":[{"powerMin":" 1"}]}').message, /expected a number, got " 1"/);
    assert.match(errorOf("[]").message, /expected an object \(message Market\), got an array/);
  });

  it("rejects unknown enum values by name or number", () => {
    const e = errorOf('{"tradingGraph": "FULL"}');
    assert.equal(e.path, "tradingGraph");
    assert.match(e.message, /tradingGraph: unknown enum value "FULL"/);
    assert.match(errorOf('{"charges":{"design":9}}').message, /charges\.design: unknown enum value 9/);
    assert.match(errorOf('{"charges":{"design":1.5}}').message, /charges\.design: unknown enum value 1\.5/);
  });

  it("rejects two members of a oneof and a field given under both names", () => {
    const e = errorOf('{"network": {"matpower": "x", "bundledCase": "case14"}}');
    assert.equal(e.path, "network");
    assert.match(e.message, /network: only one of matpower, bundledCase may be set/);
    assert.match(
      errorOf('{"agents":[{"power_min":1,"powerMin":2}]}').message,
      /agents\[0\]\.powerMin: field given twice, as "power_min" and as "powerMin"/,
    );
  });

  it("reports JSON syntax errors with line and column", () => {
    const e = errorOf('{\n  "name": "x",\n  "agents": [ {"id": "a",} ]\n}');
    assert.equal(e.line, 3);
    assert.equal(e.column, 26);
    assert.match(e.message, /^s\.json:3:26: invalid JSON: expected a property name/);
    assert.match(errorOf('{"name": "x"').message, /^s\.json:1:13: invalid JSON: expected ',' or '}'/);
    assert.match(errorOf('{"name": tru}').message, /^s\.json:1:10: invalid JSON: unexpected 'tru'/);
    assert.match(errorOf('{"a": 01}').message, /1:7: invalid JSON: leading zeros/);
    assert.match(errorOf('{"name": "a", "name": "b"}').message, /1:15: invalid JSON: duplicate key "name"/);
    assert.match(errorOf("").message, /1:1: invalid JSON: expected a value, got end of input/);
    assert.match(
      errorOf('{"name": "x"} x').message,
      /1:15: invalid JSON: unexpected character 'x' after the JSON value/,
    );
  });
});

describe("marketToJson", () => {
  const market: Market = parseMarketJson(
    JSON.stringify({
      name: "round trip",
      tradingGraph: "TRADING_GRAPH_EXPLICIT",
      agents: [
        {
          id: "pv",
          bus: "3",
          costLinear: 5,
          powerMin: 0,
          powerMax: "Infinity",
          attributes: { tech: "pv" },
          location: { xKm: 0, yKm: 2.5 },
        },
        { id: "home", zone: "z1", costQuadratic: 0.2, costLinear: 60, powerMin: "-Infinity", powerMax: -0.5 },
      ],
      pairs: [{ agentId: "pv", partnerId: "home" }],
      preferences: [{ agentId: "home", attributeKey: "tech", attributeValue: "pv", cost: -1.5, costPerKm: 0.1 }],
      network: { bundledCase: "case14" },
      charges: {
        design: "CHARGE_DESIGN_UNIFORM",
        unitFee: 10,
        sellerShare: 0,
        zoneDistances: [{ zoneA: "1", zoneB: "2", distance: 1 }],
      },
      grid: { importPrice: 80, exportPrice: 20, importMax: 0, exportMax: "Infinity" },
    }),
  );

  it("writes canonical proto3 JSON that reads back to the same market", () => {
    const json = marketToJson(market);
    const back = parseMarketJson(JSON.stringify(json, null, 2));
    assert.deepEqual(back, market);
  });

  it("uses lowerCamelCase, leaves out defaults, keeps optional zeros and writes infinities as strings", () => {
    const json = marketToJson(market) as Record<string, any>;
    assert.deepEqual(json.agents[0], {
      id: "pv",
      bus: "3",
      costLinear: 5,
      powerMax: "Infinity",
      location: { yKm: 2.5 },
      attributes: { tech: "pv" },
    });
    assert.equal(json.agents[1].powerMin, "-Infinity");
    assert.equal(json.tradingGraph, "TRADING_GRAPH_EXPLICIT");
    assert.deepEqual(json.network, { bundledCase: "case14" });
    assert.equal(json.charges.sellerShare, 0);
    assert.ok(!("targetRevenue" in json.charges));
    assert.deepEqual(json.grid, { importPrice: 80, exportPrice: 20, importMax: 0, exportMax: "Infinity" });
  });

  it("round-trips NaN, negative zero and an empty oneof member", () => {
    const m = parseMarketJson('{"agents":[{"id":"a","costLinear":"NaN","powerMin":"-0"}],"network":{"matpower":""}}');
    assert.ok(Object.is(m.agents[0].powerMin, -0));
    const json = marketToJson(m) as Record<string, any>;
    assert.equal(json.agents[0].costLinear, "NaN");
    assert.equal(json.agents[0].powerMin, "-0");
    assert.deepEqual(json.network, { matpower: "" });
    assert.deepEqual(parseMarketJson(JSON.stringify(json)), m);
  });

  it("writes an empty market as an empty object", () => {
    assert.deepEqual(marketToJson(parseMarketJson("{}")), {});
  });
});
