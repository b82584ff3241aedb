import fc from "fast-check";
import {
  makeCharges,
  makeGrid,
  makeAgent,
  makeMarket,
  makePreference,
  type Market,
  marketToJson,
  readBundledCase,
} from "@peermarket/model";
import { validMarketArbitrary } from "./market-arbitrary.js";

/** A feeder community on case33bw with electrical-distance charges and a grid (as examples/community.json). */
function feederCommunity(): Market {
  return makeMarket({
    name: "feeder-community",
    agents: [
      makeAgent("pv", {
        bus: "18",
        costQuadratic: 0.2,
        costLinear: 12,
        powerMax: 0.3,
        location: { xKm: 2.9, yKm: 0.2 },
        attributes: { technology: "solar", co2_intensity: "40" },
      }),
      makeAgent("chp", {
        bus: "25",
        costQuadratic: 0.5,
        costLinear: 55,
        powerMax: 0.2,
        attributes: { technology: "gas", co2_intensity: "420" },
      }),
      makeAgent("battery", { bus: "12", costQuadratic: 2, costLinear: 35, powerMin: -0.05, powerMax: 0.05 }),
      makeAgent("homes", {
        bus: "9",
        costQuadratic: 1.5,
        costLinear: 95,
        powerMin: -0.25,
        location: { xKm: 0.9, yKm: 1.6 },
      }),
    ],
    preferences: [
      makePreference("homes", { attributeKey: "technology", attributeValue: "gas", cost: 6 }),
      makePreference("homes", { costPerKm: 1.5 }),
    ],
    network: { bundledCase: "case33bw", source: "bundledCase" },
    charges: makeCharges({ design: "CHARGE_DESIGN_ELECTRICAL_DISTANCE", unitFee: 2, zoneDistances: [] }),
    grid: makeGrid({ bus: "1", importPrice: 110, exportPrice: 20, importMax: 1 }),
  });
}

/** An explicit graph with a zonal design and an inline MATPOWER network (case14's text). */
function inlineNetwork(): Market {
  return makeMarket({
    name: "inline",
    agents: [
      makeAgent("g", { bus: "1", costQuadratic: 0.1, costLinear: 20, powerMax: 100 }),
      makeAgent("d", { bus: "14", costQuadratic: 0.2, costLinear: 60, powerMin: -80 }),
      makeAgent("p", { bus: "5", zone: "east", costLinear: 40, powerMin: -10, powerMax: 10 }),
    ],
    tradingGraph: "TRADING_GRAPH_EXPLICIT",
    pairs: [
      { agentId: "g", partnerId: "d" },
      { agentId: "p", partnerId: "d" },
    ],
    network: { matpower: readBundledCase("case14"), source: "matpower" },
    charges: makeCharges({
      design: "CHARGE_DESIGN_ZONAL",
      unitFee: 3,
      sellerShare: 0.25,
      zoneDistances: [{ zoneA: "1", zoneB: "east", distance: 2 }],
    }),
  });
}

/** snake_case field names for every lowerCamelCase key of a JSON value (proto3 JSON accepts both). */
function snakeCase(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(snakeCase);
  if (v === null || typeof v !== "object") return v;
  return Object.fromEntries(
    Object.entries(v).map(([k, x]) => [
      k === "attributes" ? k : k.replace(/[A-Z]/g, (c) => "_" + c.toLowerCase()),
      k === "attributes" ? x : snakeCase(x),
    ]),
  );
}

/**
 * Valid scenarios as proto3 JSON values: random valid markets (canonical and snake_case) and two
 * fixed ones with networks (a bundled feeder with distance charges, an inline MATPOWER case with
 * zonal charges and an explicit graph).
 */
export function baseScenarioArbitrary(): fc.Arbitrary<unknown> {
  const random = validMarketArbitrary().map((m) => marketToJson(m));
  return fc.oneof(
    { weight: 6, arbitrary: random },
    { weight: 2, arbitrary: random.map(snakeCase) },
    { weight: 1, arbitrary: fc.constant(null).map(() => marketToJson(feederCommunity())) },
    { weight: 1, arbitrary: fc.constant(null).map(() => marketToJson(inlineNetwork())) },
  );
}
