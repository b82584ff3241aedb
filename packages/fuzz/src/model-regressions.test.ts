import { test } from "node:test";
import assert from "node:assert/strict";
import { expandMarket, MarketValidationError, parseMarketJson, ScenarioError } from "@peermarket/model";
import { checkScenarioText } from "./model-check.js";

// Inputs the fuzz targets found crashing or overflowing, fixed in packages/model (RELIABILITY.md, "Fuzzing").

test("values nested 10 000 deep are a ScenarioError with a position, not a stack overflow", () => {
  const text = `{"agents":${"[".repeat(10_000)}${"]".repeat(10_000)}}`;
  assert.throws(
    () => parseMarketJson(text, "deep.json"),
    (e: unknown) => e instanceof ScenarioError && e.line === 1 && /nested more than 1000 levels/.test(e.message),
  );
  assert.equal(checkScenarioText(text), "parse: ScenarioError");
});

test("numbers beyond ±1e100 are refused with their field path; infinite bounds stay allowed", () => {
  const market = parseMarketJson(
    '{"agents":[{"id":"g","costQuadratic":0.001,"powerMax":"Infinity"},{"id":"d","costQuadratic":0.001,"costLinear":1e308,"powerMin":-1.8}]}',
  );
  assert.throws(
    () => expandMarket(market),
    (e: unknown) =>
      e instanceof MarketValidationError &&
      e.issues.length === 1 &&
      e.issues[0].path === "agents[1].costLinear" &&
      /±1e100/.test(e.issues[0].message),
  );
  const ok = parseMarketJson(
    '{"agents":[{"id":"g","costQuadratic":1,"powerMax":"Infinity"},{"id":"d","costQuadratic":1,"costLinear":1e100,"powerMin":"-Infinity"}]}',
  );
  assert.equal(expandMarket(ok).arrays.nAgents, 2);
});

test("a numeric attribute beyond ±1e100 does not multiply a preference cost to Infinity", () => {
  const market = parseMarketJson(
    '{"agents":[{"id":"g","costQuadratic":1,"costLinear":10,"powerMax":5,"attributes":{"co2":"1e300"}},{"id":"d","costQuadratic":1,"costLinear":50,"powerMin":-5}],' +
      '"preferences":[{"agentId":"d","attributeKey":"co2","cost":1e9}]}',
  );
  assert.throws(
    () => expandMarket(market),
    (e: unknown) =>
      e instanceof MarketValidationError &&
      e.issues.some((i) => i.path === "preferences[0].attributeKey" && /1e300/.test(i.message)),
  );
});
