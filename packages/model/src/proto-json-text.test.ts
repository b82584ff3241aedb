import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseJsonText } from "./json-text.js";
import { readMessage } from "./proto-json-read.js";
import { peermarketType } from "./proto-schema.js";
import { parseMarketJson, toProtoJson, writeProtoJsonText } from "./scenario-json.js";
import type { Market, Solution, SolutionInput } from "./types.js";

/** The streamed text of a message, collected from chunks of at most about `chunk` characters. */
function streamed(typeName: string, message: object, options = {}): { text: string; chunks: number } {
  let text = "";
  let chunks = 0;
  writeProtoJsonText(
    typeName,
    message,
    {
      write(c) {
        assert.ok(c.length > 0, "no empty chunk");
        text += c;
        chunks++;
      },
    },
    options,
  );
  return { text, chunks };
}

// Written as a producer may hold it: only the fields it sets (the writer fills the rest by emitDefaults).
function solution(trades: number): SolutionInput {
  return {
    id: "s-1",
    status: "SOLVE_STATUS_SOLVED",
    iterations: 12,
    primalResidual: 1.5e-7,
    dualResidual: 0,
    objective: -1234.5,
    solveTimeS: 0.25,
    agents: [
      {
        id: 'a"quoted\\',
        power: -0,
        marginalPrice: 50,
        energyCost: Infinity,
        tradeRevenue: -Infinity,
        networkCharge: Number.NaN,
        preferenceCost: 0,
      },
      {
        id: "é ✓ \u0001",
        power: 1e-300,
        marginalPrice: 1e21,
        energyCost: 0.1,
        tradeRevenue: 0,
        networkCharge: 0,
        preferenceCost: 2,
      },
    ],
    trades: Array.from({ length: trades }, (_, i) => ({
      sellerId: `s${i % 7}`,
      buyerId: `b${i % 5}`,
      power: i === 3 ? 0 : i / 3,
      price: 40 + i,
      networkCharge: 0,
    })),
    networkRevenue: 0,
    unitFee: 0,
    rho: 1,
    rhoUpdates: 0,
    statusMessage: "",
    setupTimeS: 0,
    marketName: "m",
    createTime: "2026-01-01T00:00:00.000Z",
    verification: {
      referenceObjective: 1,
      objectiveGap: 0,
      maxPowerDifference: 0,
      referenceSolver: "",
      maxReciprocityViolation: 0,
      maxBoundViolation: 0,
      maxPriceViolation: 0,
      worstAgentId: "",
      certificatePassed: true,
      referenceMessage: "",
    },
    costRecovery: null,
    pairCount: trades,
    periodResults: [],
    polished: true,
    polishIteration: 10,
    statusPolish: 1,
  };
}

describe("writeProtoJsonText", () => {
  it("writes the text of JSON.stringify(toProtoJson(…), null, 2), with every field by emitDefaults", () => {
    for (const n of [0, 1, 5000]) {
      const s = solution(n);
      const want = JSON.stringify(toProtoJson("peermarket.v1.Solution", s, { emitDefaults: true }), null, 2);
      const got = streamed("peermarket.v1.Solution", s, { emitDefaults: true });
      assert.equal(got.text, want);
      if (n === 5000) assert.ok(got.chunks > 1, "a large message is written in several chunks");
      const doc = JSON.parse(got.text) as Record<string, unknown>;
      // Every field of the Solution without presence is present, zeros and empty lists included.
      for (const f of peermarketType("Solution").fieldsArray) {
        if (f.options?.["proto3_optional"] === true || f.resolvedType?.constructor.name === "Type") continue;
        assert.ok(
          Object.hasOwn(
            doc,
            f.name.replace(/_(.)/g, (_m, c: string) => c.toUpperCase()),
          ),
          f.name,
        );
      }
      const trades = doc.trades as Record<string, unknown>[];
      assert.equal(trades.length, n);
      if (n > 3) assert.equal(trades[3].power, 0);
      // It reads back as the same Solution.
      const back = readMessage(peermarketType("Solution"), parseJsonText(got.text), []) as unknown as Solution;
      assert.equal(back.trades.length, n);
      assert.equal(back.agents[0].id, 'a"quoted\\');
      assert.ok(Object.is(back.agents[0].power, -0));
      assert.equal(back.agents[0].energyCost, Infinity);
      assert.ok(Number.isNaN(back.agents[0].networkCharge));
      assert.equal(back.agents[1].id, "é ✓ \u0001");
      assert.equal(back.agents[1].marginalPrice, 1e21);
      if (n > 0) assert.deepEqual(back.trades[n - 1], { ...s.trades?.[n - 1], period: 0 });
    }
  });

  it("leaves defaults out without emitDefaults, as toProtoJson does", () => {
    const s = solution(3);
    assert.equal(streamed("Solution", s).text, JSON.stringify(toProtoJson("Solution", s), null, 2));
  });

  it("writes markets with maps, oneofs, optional fields and nested messages as toProtoJson does", () => {
    const text = JSON.stringify({
      name: "m",
      tradingGraph: "TRADING_GRAPH_EXPLICIT",
      agents: [
        {
          id: "a",
          powerMin: "-Infinity",
          powerMax: 3,
          location: { xKm: 0, yKm: 2 },
          attributes: { tech: "pv", PROTO: "x" },
        },
        { id: "b", costLinear: 1, storage: { energyCapacity: 2, chargeMax: 1, dischargeMax: 1 } },
      ],
      pairs: [{ agentId: "a", partnerId: "b" }],
      network: { bundledCase: "case14" },
      grid: { importPrice: 30, exportMax: 0 },
      charges: { design: "CHARGE_DESIGN_UNIFORM", zoneDistances: [{ zoneA: "1", zoneB: "2", distance: 3 }] },
      horizon: { periods: 2, periodHours: 0.5 },
    });
    const market: Market = parseMarketJson(text.replace('"PROTO"', '"__proto__"'));
    assert.ok(Object.hasOwn(market.agents[0].attributes, "__proto__"));
    for (const emitDefaults of [false, true]) {
      const want = JSON.stringify(toProtoJson("Market", market, { emitDefaults }), null, 2);
      assert.equal(streamed("Market", market, { emitDefaults }).text, want);
    }
    assert.deepEqual(parseMarketJson(streamed("Market", market).text), market);
  });
});
