import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { readMessageText } from "./proto-json-fast.js";
import { peermarketType } from "./proto-schema.js";
import { ScenarioError } from "./scenario-error.js";
import { marketToJson, parseMarketJson, parseMarketJsonReference } from "./scenario-json.js";

const EXAMPLES = new URL("../../../examples/", import.meta.url);

/** A document using most of the Market's forms: names in both cases, numbers as strings, null, a oneof, maps, escapes. */
const RICH = `\uFEFF{
  "name": "r\\u00e9seau \\"quoted\\" \\\\ \\/ \\n",
  "trading_graph": "TRADING_GRAPH_EXPLICIT",
  "agents": [
    {"id": "a", "costQuadratic": "0.5", "cost_linear": -1.5e-3, "powerMin": "-Infinity", "powerMax": 3E+2,
     "location": {"xKm": 0, "yKm": -0}, "attributes": {"tech": "pv", "__proto__": "x", "": ""}, "zone": null},
    {"id": "b", "powerMax": "Infinity", "costLinear": "NaN", "storage": {"energyCapacity": 2, "chargeMax": 1,
     "dischargeMax": 1, "socFinalMin": 0, "throughputCost": 0.1}, "powerMaxProfile": [1, 2.5, 0]},
    {"id": "c", "powerMin": -1, "bus": "3"}
  ],
  "pairs": [{"agentId": "a", "partnerId": "b"}, {"agent_id": "b", "partner_id": "c"}],
  "preferences": [{"agentId": "a", "attributeKey": "tech", "cost": 1}],
  "network": {"bundledCase": "case14"},
  "grid": {"bus": "1", "importPrice": 30, "exportMax": 0},
  "charges": {"design": "CHARGE_DESIGN_UNIFORM", "unitFee": 2, "zoneDistances": []},
  "horizon": {"periods": 3, "periodHours": 0.25, "startTime": "2026-01-01T00:00:00Z"}
}
`;

/** The outcome of a parse: the market, or the error's message and position. */
function outcome(parse: (t: string) => unknown, text: string): unknown {
  try {
    return { market: parse(text) };
  } catch (e) {
    assert.ok(e instanceof ScenarioError, `unexpected ${String(e)}`);
    return { error: e.message, line: e.line, column: e.column, path: e.path };
  }
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe("readMessageText (one-pass scenario reading)", () => {
  it("reads a document of every form to the market the reference path reads", () => {
    const fast = readMessageText(peermarketType("Market"), RICH);
    assert.ok(fast !== undefined, "the one-pass reader handles this document");
    const ref = parseMarketJsonReference(RICH);
    assert.deepEqual(fast, ref);
    assert.ok(Object.is((fast as { agents: { location: { yKm: number } }[] }).agents[0].location.yKm, -0));
    assert.ok(Object.hasOwn(ref.agents[0].attributes, "__proto__"));
    assert.equal(ref.network?.source, "bundledCase");
  });

  it("reads the examples and a written market as the reference path does", () => {
    const texts = ["community.json", "community-day.json"].map((f) => readFileSync(new URL(f, EXAMPLES), "utf8"));
    texts.push(JSON.stringify(marketToJson(parseMarketJsonReference(RICH)), null, 2));
    for (const text of texts) {
      assert.ok(readMessageText(peermarketType("Market"), text) !== undefined);
      assert.deepEqual(parseMarketJson(text), parseMarketJsonReference(text));
    }
  });

  it("gives up on errors and rare forms, which the reference path then reports or reads", () => {
    const give = [
      '{"name": 1}',
      '{"name": "a", "name": "b"}',
      '{"tradingGraph": "TRADING_GRAPH_EXPLICIT", "trading_graph": 1}',
      '{"tradingGraph": 2}',
      '{"agents": [null]}',
      '{"agents": [{"id": "a",}]}',
      '{"network": {"matpower": "x", "bundledCase": "y"}}',
      '{"horizon": {"periods": "3"}}',
      '{"unknown": 1}',
      '{"name": "a"} x',
      '{"agents": [{"powerMin": 01}]}',
      '{"agents": [{"attributes": {"a": "1", "a": "2"}}]}',
      '{"name": "\\x"}',
      '{"name": "a\u0001"}',
      '{"name": "a',
    ];
    for (const text of give) {
      assert.equal(readMessageText(peermarketType("Market"), text), undefined, text);
      assert.deepEqual(outcome(parseMarketJson, text), outcome(parseMarketJsonReference, text), text);
    }
    // Rare but valid forms: the result is the same.
    const market = parseMarketJson('{"tradingGraph": 2, "horizon": {"periods": "3"}}');
    assert.equal(market.tradingGraph, "TRADING_GRAPH_EXPLICIT");
    assert.equal(market.horizon?.periods, 3);
    // Errors keep their line and column.
    const err = outcome(parseMarketJson, '{\n  "agents": [\n    {"id": "a", "powerMin": true}\n  ]\n}') as {
      line: number;
      column: number;
      path: string;
    };
    assert.deepEqual([err.line, err.column, err.path], [3, 17, "agents[0].powerMin"]);
  });

  it("agrees with the reference path on thousands of mutated documents", () => {
    const rand = mulberry32(7);
    const pieces = ['"', "{", "}", "[", "]", ",", ":", "null", "1", "-", "e", "\\", " ", "Infinity", '"NaN"', "0"];
    let accepted = 0;
    for (let i = 0; i < 3000; i++) {
      let text = RICH;
      const edits = 1 + Math.floor(rand() * 3);
      for (let e = 0; e < edits; e++) {
        const at = Math.floor(rand() * text.length);
        const kind = rand();
        if (kind < 0.4) text = text.slice(0, at) + text.slice(at + 1 + Math.floor(rand() * 3));
        else text = text.slice(0, at) + pieces[Math.floor(rand() * pieces.length)] + text.slice(at);
      }
      const a = outcome(parseMarketJson, text);
      const b = outcome(parseMarketJsonReference, text);
      assert.deepEqual(a, b, text);
      if ((a as { market?: unknown }).market) accepted++;
    }
    assert.ok(accepted > 100, `some mutated documents are valid (${accepted})`);
  });
});
