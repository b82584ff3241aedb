import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { readBundledCase } from "./bundled.js";
import { makeCharges, makeGrid, makeAgent, makeMarket, makePreference } from "./fixtures.js";
import type { Market } from "./types.js";
import { defaultLimits, MarketValidationError, validateMarket, type ValidationIssue } from "./validate.js";

/** A valid market: a producer, a consumer, a prosumer, all with locations and attributes. */
function base(): Market {
  return makeMarket({
    agents: [
      makeAgent("pv", {
        costLinear: 5,
        powerMax: 10,
        location: { xKm: 0, yKm: 0 },
        attributes: { tech: "pv", co2: "0" },
      }),
      makeAgent("home", { costQuadratic: 0.1, costLinear: 60, powerMin: -8, location: { xKm: 3, yKm: 4 } }),
      makeAgent("battery", {
        costQuadratic: 0.05,
        costLinear: 30,
        powerMin: -2,
        powerMax: 2,
        location: { xKm: 1, yKm: 1 },
        attributes: { co2: "120" },
      }),
    ],
  });
}

/** The issues of `base()` changed by `change`. */
function issuesAfter(change: (m: Market) => void): ValidationIssue[] {
  const m = base();
  change(m);
  return validateMarket(m);
}

/** Asserts that one issue has this path and a message matching `message`. */
function assertIssue(issues: ValidationIssue[], path: string, message: RegExp): void {
  assert.ok(
    issues.some((i) => i.path === path && message.test(i.message)),
    `no issue at ${path} matching ${message}; got ${JSON.stringify(issues)}`,
  );
}

describe("validateMarket", () => {
  it("accepts a valid market, with a grid, preferences, charges and a network", () => {
    assert.deepEqual(validateMarket(base()), []);
    const m = base();
    m.agents[0].bus = "3";
    m.grid = makeGrid({ bus: "1", importPrice: 80, exportPrice: 20, exportMax: Infinity });
    m.preferences = [
      makePreference("home", { partnerId: "grid_import", cost: 2 }),
      makePreference("home", { attributeKey: "co2", cost: 0.01, costPerKm: 0.5 }),
    ];
    m.charges = makeCharges({
      design: "CHARGE_DESIGN_ELECTRICAL_DISTANCE",
      unitFee: 10,
      sellerShare: 1,
      targetRevenue: 100,
      zoneDistances: [],
    });
    m.network = { bundledCase: "case14", source: "bundledCase" };
    assert.deepEqual(validateMarket(m), []);
  });

  it("checks agent ids: empty, duplicate (naming the first), grid ids with a grid", () => {
    assertIssue(
      issuesAfter((m) => (m.agents[1].id = "")),
      "agents[1].id",
      /must not be empty/,
    );
    assertIssue(
      issuesAfter((m) => (m.agents[2].id = "pv")),
      "agents[2].id",
      /duplicate id "pv" \(first used by agents\[0\]\)/,
    );
    const grid = issuesAfter((m) => {
      m.agents[1].id = "grid_export";
      m.grid = makeGrid({ bus: "", importPrice: 1, exportPrice: 0 });
    });
    assertIssue(grid, "agents[1].id", /"grid_export" is the id of a grid agent/);
    assert.deepEqual(
      issuesAfter((m) => (m.agents[1].id = "grid_export")),
      [],
      "allowed without a grid",
    );
  });

  it("rejects NaN anywhere and infinities except open power bounds and grid limits", () => {
    assertIssue(
      issuesAfter((m) => (m.agents[0].costLinear = NaN)),
      "agents[0].costLinear",
      /must be a number, got NaN/,
    );
    assertIssue(
      issuesAfter((m) => (m.agents[1].location = { xKm: NaN, yKm: 0 })),
      "agents[1].location.xKm",
      /NaN/,
    );
    assertIssue(
      issuesAfter((m) => (m.agents[0].costQuadratic = Infinity)),
      "agents[0].costQuadratic",
      /must be finite, got Infinity/,
    );
    assertIssue(
      issuesAfter((m) => (m.agents[0].powerMin = Infinity)),
      "agents[0].powerMin",
      /must be finite, got Infinity \(only -Infinity/,
    );
    assertIssue(
      issuesAfter((m) => (m.agents[1].powerMax = -Infinity)),
      "agents[1].powerMax",
      /must be finite, got -Infinity \(only Infinity/,
    );
    assertIssue(
      issuesAfter((m) => (m.agents[1].powerMin = NaN)),
      "agents[1].powerMin",
      /NaN/,
    );
    assert.deepEqual(
      issuesAfter((m) => {
        m.agents[2].powerMin = -Infinity;
        m.agents[2].powerMax = Infinity;
        m.grid = makeGrid({ bus: "", importPrice: 10, exportPrice: 5, importMax: Infinity, exportMax: Infinity });
      }),
      [],
    );
    assertIssue(
      issuesAfter((m) => (m.grid = makeGrid({ bus: "", importPrice: 10, exportPrice: 5, importMax: -Infinity }))),
      "grid.importMax",
      /-Infinity/,
    );
    assertIssue(
      issuesAfter((m) => (m.grid = makeGrid({ bus: "", importPrice: Infinity, exportPrice: 5 }))),
      "grid.importPrice",
      /finite/,
    );
    assertIssue(
      issuesAfter((m) => (m.preferences = [makePreference("home", { cost: NaN })])),
      "preferences[0].cost",
      /NaN/,
    );
    assertIssue(
      issuesAfter(
        (m) => (m.charges = makeCharges({ design: "CHARGE_DESIGN_UNIFORM", unitFee: Infinity, zoneDistances: [] })),
      ),
      "charges.unitFee",
      /finite/,
    );
  });

  it("rejects a negative quadratic cost and powerMin above powerMax", () => {
    assertIssue(
      issuesAfter((m) => (m.agents[1].costQuadratic = -0.1)),
      "agents[1].costQuadratic",
      /must be ≥ 0 \(a convex cost\), got -0\.1/,
    );
    assertIssue(
      issuesAfter((m) => (m.agents[0].powerMin = 12)),
      "agents[0].powerMin",
      /must not exceed powerMax \(12 > 10\)/,
    );
  });

  it("checks explicit pairs: graph kind, unknown ids, self-pairs, duplicates in either orientation", () => {
    assertIssue(
      issuesAfter((m) => (m.pairs = [{ agentId: "pv", partnerId: "home" }])),
      "pairs",
      /1 pairs are given but tradingGraph is TRADING_GRAPH_UNSPECIFIED; pairs are only used with TRADING_GRAPH_EXPLICIT/,
    );
    const explicit = (pairs: Market["pairs"], grid = false) =>
      issuesAfter((m) => {
        m.tradingGraph = "TRADING_GRAPH_EXPLICIT";
        m.pairs = pairs;
        if (grid) m.grid = makeGrid({ bus: "", importPrice: 1, exportPrice: 0 });
      });
    assert.deepEqual(explicit([]), [], "an explicit graph without pairs is allowed");
    assertIssue(explicit([{ agentId: "pv", partnerId: "nobody" }]), "pairs[0].partnerId", /unknown agent "nobody"/);
    assertIssue(explicit([{ agentId: "", partnerId: "pv" }]), "pairs[0].agentId", /must name an agent/);
    assertIssue(explicit([{ agentId: "pv", partnerId: "pv" }]), "pairs[0].partnerId", /cannot trade with itself/);
    const dup = explicit([
      { agentId: "pv", partnerId: "home" },
      { agentId: "battery", partnerId: "home" },
      { agentId: "home", partnerId: "pv" },
    ]);
    assertIssue(dup, "pairs[2]", /duplicate of pairs\[0\] \(pv–home\)/);
    assert.equal(dup.length, 1);
    assertIssue(
      explicit([{ agentId: "pv", partnerId: "grid_import" }]),
      "pairs[0].partnerId",
      /unknown agent "grid_import"/,
    );
    assert.deepEqual(explicit([{ agentId: "pv", partnerId: "grid_import" }], true), []);
    assertIssue(
      explicit([{ agentId: "grid_export", partnerId: "grid_import" }], true),
      "pairs[0]",
      /grid agents do not trade with each other/,
    );
  });

  it("checks preferences: owner, partner, attribute, location and numeric attributes", () => {
    const prefs = (...p: Market["preferences"]) => issuesAfter((m) => (m.preferences = p));
    assertIssue(prefs(makePreference("ghost", { cost: 1 })), "preferences[0].agentId", /unknown agent "ghost"/);
    assertIssue(prefs(makePreference("", { cost: 1 })), "preferences[0].agentId", /must name an agent/);
    assertIssue(
      prefs(makePreference("home", { partnerId: "ghost" })),
      "preferences[0].partnerId",
      /unknown agent "ghost"/,
    );
    assertIssue(
      prefs(makePreference("home", { partnerId: "home" })),
      "preferences[0].partnerId",
      /no preference on itself/,
    );
    assertIssue(
      prefs(makePreference("home", { partnerId: "pv", attributeKey: "tech" })),
      "preferences[0].attributeKey",
      /either partnerId .* or attributeKey/,
    );
    assertIssue(
      prefs(makePreference("home", { attributeValue: "pv" })),
      "preferences[0].attributeValue",
      /needs attributeKey/,
    );
    const noLocation = (m: Market) => (m.agents[1].location = null);
    const withNoLocation = issuesAfter((m) => {
      noLocation(m);
      m.preferences = [makePreference("home", { costPerKm: 0.2 })];
    });
    assertIssue(withNoLocation, "preferences[0].costPerKm", /agent "home" has no location/);
    const partnerNoLocation = issuesAfter((m) => {
      m.agents[2].location = null;
      m.preferences = [makePreference("home", { costPerKm: 0.2 })];
    });
    assertIssue(partnerNoLocation, "preferences[0].costPerKm", /partner "battery" \(agents\[2\]\) has no location/);
    assertIssue(
      issuesAfter((m) => {
        m.agents[2].attributes.co2 = "high";
        m.preferences = [makePreference("home", { attributeKey: "co2", cost: 0.01 })];
      }),
      "preferences[0].attributeKey",
      /partner "battery" has co2 = "high", not a number/,
    );
    assertIssue(
      issuesAfter(
        (m) => (
          (m.preferences = [makePreference("grid_import", { cost: 1 })]),
          (m.grid = makeGrid({ bus: "", importPrice: 1, exportPrice: 0 }))
        ),
      ),
      "preferences[0].agentId",
      /grid agents have no preferences/,
    );
  });

  it("checks the grid: export price above import price, negative limits", () => {
    assertIssue(
      issuesAfter((m) => (m.grid = makeGrid({ bus: "", importPrice: 50, exportPrice: 60 }))),
      "grid.exportPrice",
      /must not exceed importPrice \(60 > 50\)/,
    );
    assertIssue(
      issuesAfter((m) => (m.grid = makeGrid({ bus: "", importPrice: 50, exportPrice: 10, importMax: -1 }))),
      "grid.importMax",
      /must be ≥ 0/,
    );
    assertIssue(
      issuesAfter((m) => (m.grid = makeGrid({ bus: "", importPrice: 50, exportPrice: 10, exportMax: -2 }))),
      "grid.exportMax",
      /must be ≥ 0/,
    );
  });

  it("checks charges: seller share, fee, target revenue, zone distances, design needs", () => {
    const charges = (c: Partial<NonNullable<Market["charges"]>>) =>
      issuesAfter(
        (m) => (m.charges = makeCharges({ design: "CHARGE_DESIGN_UNIFORM", unitFee: 1, zoneDistances: [], ...c })),
      );
    assertIssue(charges({ sellerShare: 1.5 }), "charges.sellerShare", /between 0 and 1/);
    assertIssue(charges({ sellerShare: -0.1 }), "charges.sellerShare", /between 0 and 1/);
    assertIssue(charges({ unitFee: -1 }), "charges.unitFee", /must be ≥ 0, got -1/);
    assertIssue(charges({ targetRevenue: -5 }), "charges.targetRevenue", /must be ≥ 0/);
    assertIssue(
      charges({ design: "CHARGE_DESIGN_NONE", targetRevenue: 5 }),
      "charges.targetRevenue",
      /needs a charge design/,
    );
    assertIssue(charges({ design: "CHARGE_DESIGN_ELECTRICAL_DISTANCE" }), "charges.design", /needs a network/);
    const zones = charges({
      design: "CHARGE_DESIGN_ZONAL",
      zoneDistances: [
        { zoneA: "1", zoneB: "2", distance: 1 },
        { zoneA: "2", zoneB: "3", distance: -1 },
        { zoneA: "2", zoneB: "1", distance: 2 },
        { zoneA: "", zoneB: "1", distance: 2 },
      ],
    });
    assertIssue(zones, "charges.zoneDistances[1].distance", /must be ≥ 0/);
    assertIssue(zones, "charges.zoneDistances[2]", /zones "2" and "1" are given twice \(first in zoneDistances\[0\]\)/);
    assertIssue(zones, "charges.zoneDistances[3].zoneA", /must name a zone/);
  });

  it("checks the network: parse errors with position, unknown cases, buses not in the case", () => {
    assertIssue(
      issuesAfter((m) => (m.network = { bundledCase: "case15", source: "bundledCase" })),
      "network.bundledCase",
      /unknown bundled case "case15"; available: /,
    );
    const text = readBundledCase("case14").replace("mpc.baseMVA = 100;", "mpc.baseMVA = x;");
    assertIssue(
      issuesAfter((m) => (m.network = { matpower: text, source: "matpower" })),
      "network.matpower",
      /^line 20, column 15: undefined name 'x'/,
    );
    const buses = issuesAfter((m) => {
      m.network = { bundledCase: "case14", source: "bundledCase" };
      m.agents[1].bus = "15";
      m.grid = makeGrid({ bus: "99", importPrice: 1, exportPrice: 0 });
    });
    assertIssue(buses, "agents[1].bus", /bus "15" is not in the network case14/);
    assertIssue(buses, "grid.bus", /bus "99" is not in the network case14/);
    assertIssue(
      issuesAfter((m) => (m.network = {})),
      "network",
      /set matpower .* or bundledCase/,
    );
  });

  it("refuses markets over the size limits without enumerating their pairs", () => {
    const agents = Array.from({ length: 100_000 }, (_, i) => makeAgent(`a${i}`, { powerMin: -1, powerMax: 1 }));
    const issues = validateMarket(makeMarket({ agents }));
    assert.deepEqual(issues, [
      {
        path: "tradingGraph",
        message: `a complete trading graph of 100000 agents has 4999950000 pairs that can trade, over the limit of ${defaultLimits.maxPairs}; use TRADING_GRAPH_EXPLICIT and list the pairs that may trade`,
      },
    ]);
    // Only pairs that can trade count: 5 producers and 5 consumers make 25 pairs.
    const small = makeMarket({
      agents: [...Array(5)]
        .map((_, i) => makeAgent(`p${i}`, { powerMax: 1 }))
        .concat([...Array(5)].map((_, i) => makeAgent(`c${i}`, { powerMin: -1 }))),
    });
    assert.deepEqual(validateMarket(small, { maxAgents: 10, maxPairs: 25 }), []);
    assertIssue(
      validateMarket(small, { maxAgents: 10, maxPairs: 24 }),
      "tradingGraph",
      /has 25 pairs that can trade, over the limit of 24/,
    );
    assertIssue(validateMarket(small, { maxAgents: 9, maxPairs: 100 }), "agents", /10 agents, over the limit of 9/);
    const withGrid = { ...small, grid: makeGrid({ bus: "", importPrice: 2, exportPrice: 1 }) };
    assertIssue(validateMarket(withGrid, { maxAgents: 10, maxPairs: 34 }), "tradingGraph", /has 35 pairs/);
    const explicit = {
      ...small,
      tradingGraph: "TRADING_GRAPH_EXPLICIT" as const,
      pairs: [
        { agentId: "p0", partnerId: "c0" },
        { agentId: "p1", partnerId: "c0" },
      ],
    };
    assertIssue(validateMarket(explicit, { maxAgents: 10, maxPairs: 1 }), "pairs", /2 pairs, over the limit of 1/);
  });

  it("reports every issue, at most 100, and MarketValidationError summarises them", () => {
    const agents = Array.from({ length: 150 }, () => makeAgent("", { powerMin: -1 }));
    const issues = validateMarket(makeMarket({ agents }));
    assert.equal(issues.length, 100);
    const two = issuesAfter((m) => {
      m.agents[0].costQuadratic = -1;
      m.agents[2].powerMin = 3;
    });
    assert.equal(two.length, 2);
    const e = new MarketValidationError(two);
    assert.equal(e.message, "agents[0].costQuadratic: must be ≥ 0 (a convex cost), got -1 (and 1 more)");
    assert.equal(
      new MarketValidationError(two.slice(0, 1)).message,
      "agents[0].costQuadratic: must be ≥ 0 (a convex cost), got -1",
    );
    assert.equal(e.issues, two);
  });
});
