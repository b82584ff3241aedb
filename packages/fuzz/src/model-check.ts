import assert from "node:assert/strict";
import {
  expandMarket,
  type Market,
  MarketValidationError,
  marketToJson,
  parseMarketJson,
  ScenarioError,
} from "@peermarket/model";
import { FuzzFailure } from "./runner.js";

/** Checks that an error is one the model may throw for bad input, and that it says where and what. */
export function expectModelError(e: unknown, stage: string): string {
  if (e instanceof MarketValidationError) {
    if (e.issues.length === 0) throw new FuzzFailure(`${stage}: MarketValidationError without issues`);
    for (const issue of e.issues) {
      if (issue.path === "" && issue.message === "")
        throw new FuzzFailure(`${stage}: an issue with neither path nor message: ${e.message}`);
    }
    if (e.message.trim() === "") throw new FuzzFailure(`${stage}: MarketValidationError with an empty message`);
    return "MarketValidationError";
  }
  if (e instanceof ScenarioError) {
    if (e.detail.trim() === "" || e.message.trim() === "")
      throw new FuzzFailure(`${stage}: ScenarioError with an empty message`);
    if (e.path === "" && e.line === undefined)
      throw new FuzzFailure(`${stage}: ScenarioError with neither a field path nor a position: ${e.message}`);
    return e.name;
  }
  const detail = e instanceof Error ? (e.stack ?? e.message) : String(e);
  throw new FuzzFailure(`${stage} threw ${e instanceof Error ? e.name : typeof e}, not a model error: ${detail}`, {
    cause: e,
  });
}

/** -0 as 0 everywhere in a value (proto3 JSON writes both as 0). */
function withoutNegativeZero(v: unknown): unknown {
  return JSON.parse(
    JSON.stringify(v, (_k, x: unknown) =>
      typeof x === "number" && !Number.isFinite(x) ? `#${x}` : Object.is(x, -0) ? 0 : x,
    ),
  );
}

/**
 * A scenario text through the model: parseMarketJson, then (for a Market) the canonical JSON
 * round trip (marketToJson read back gives the same Market) and expandMarket. Every step must
 * succeed or throw a ScenarioError / MarketValidationError that names a field or a position.
 * Returns the outcome: "expanded", or the error class and stage.
 */
export function checkScenarioText(text: string): string {
  let market: Market;
  try {
    market = parseMarketJson(text, "fuzz.json");
  } catch (e) {
    return `parse: ${expectModelError(e, "parseMarketJson")}`;
  }
  let again: Market;
  try {
    again = parseMarketJson(JSON.stringify(marketToJson(market)));
  } catch (e) {
    throw new FuzzFailure(`the canonical JSON of a parsed market does not parse: ${(e as Error).message}`, {
      cause: e,
    });
  }
  try {
    assert.deepStrictEqual(withoutNegativeZero(again), withoutNegativeZero(market));
  } catch (e) {
    throw new FuzzFailure(`marketToJson → parseMarketJson changes the market: ${(e as Error).message.slice(0, 2000)}`, {
      cause: e,
    });
  }
  try {
    expandMarket(market);
  } catch (e) {
    return `expand: ${expectModelError(e, "expandMarket")}`;
  }
  return "expanded";
}
