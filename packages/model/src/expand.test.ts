import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { canTrade, checkArrays } from "@peermarket/admm";
import { checkConvexity, combineCosts } from "./convexity.js";
import { expandMarket } from "./expand.js";
import type { ExpandedMarket } from "./expanded-types.js";
import { marketFingerprint } from "./fingerprint.js";
import { makeGrid, makeAgent, makeMarket, makePreference } from "./fixtures.js";
import { findTrade } from "./preferences-fold.js";
import { rolesCanTrade, tradeRole } from "./trade-roles.js";
import type { Market } from "./types.js";
import { MarketValidationError } from "./validate.js";

/** pv (producer), home (consumer), battery and ev (prosumers), with locations. */
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
      makeAgent("ev", {
        costQuadratic: 0.2,
        costLinear: 40,
        powerMin: -1,
        powerMax: 1,
        zone: "z2",
        location: { xKm: 0, yKm: 2 },
      }),
    ],
  });
}

/** Index of an agent by id. */
const at = (x: ExpandedMarket, id: string) => x.agentIds.indexOf(id);

/** The directed trade of agent `n` with `m` (by id), asserted to exist. */
function trade(x: ExpandedMarket, n: string, m: string): number {
  const k = findTrade(x.arrays, at(x, n), at(x, m));
  assert.ok(k >= 0, `no trade ${n}–${m}`);
  return k;
}

/** The ValidationIssue paths of the MarketValidationError thrown by `f`. */
function rejectionPaths(f: () => unknown): string[] {
  try {
    f();
  } catch (e) {
    assert.ok(e instanceof MarketValidationError, String(e));
    return e.issues.map((i) => i.path);
  }
  assert.fail("not rejected");
}

describe("expandMarket: agents and trading graph", () => {
  it("keeps agents in order, builds consistent CSR arrays and sorted pairs of the complete graph", () => {
    const x = expandMarket(base());
    assert.deepEqual(x.agentIds, ["pv", "home", "battery", "ev"]);
    assert.deepEqual(x.agentZone, ["", "", "", "z2"]);
    assert.equal(x.gridImport, -1);
    assert.equal(checkArrays(x.arrays), null);
    // pv–home, pv–battery, pv–ev, home–battery, home–ev, battery–ev: all can trade.
    assert.deepEqual([...x.pairFirst], [0, 0, 0, 1, 1, 2]);
    assert.deepEqual([...x.pairSecond], [1, 2, 3, 2, 3, 3]);
    assert.equal(x.droppedPairs, 0);
    for (let p = 0; p < x.pairFirst.length; p++) {
      assert.equal(x.arrays.partner[x.tradeOfFirst[p]], x.pairSecond[p]);
      assert.equal(x.arrays.partner[x.tradeOfSecond[p]], x.pairFirst[p]);
      assert.equal(x.arrays.mirror[x.tradeOfFirst[p]], x.tradeOfSecond[p]);
    }
    assert.deepEqual([...x.arrays.a], [0, 0.1, 0.05, 0.2]);
    assert.deepEqual([...x.arrays.pMin], [0, -8, -2, -1]);
    const k = trade(x, "battery", "home");
    assert.deepEqual([x.arrays.lo[k], x.arrays.hi[k]], [0, 2]);
  });

  it("adds the grid agents after the market's, paired with every agent that can trade with them", () => {
    const m = base();
    m.grid = makeGrid({ bus: "7", importPrice: 80, exportPrice: 20, importMax: 50 });
    const x = expandMarket(m);
    assert.deepEqual(x.agentIds, ["pv", "home", "battery", "ev", "grid_import", "grid_export"]);
    assert.deepEqual([x.gridImport, x.gridExport], [4, 5]);
    assert.deepEqual(x.agentBus.slice(4), ["7", "7"]);
    assert.deepEqual([...x.arrays.a.slice(4)], [0, 0]);
    assert.deepEqual([...x.arrays.b.slice(4)], [80, 20]);
    assert.deepEqual([x.arrays.pMin[4], x.arrays.pMax[4], x.arrays.pMin[5], x.arrays.pMax[5]], [0, 50, -Infinity, 0]);
    assert.equal(checkArrays(x.arrays), null);
    // pv cannot buy from grid_import, home cannot sell to grid_export; the grid agents do not pair.
    assert.equal(findTrade(x.arrays, 0, 4), -1);
    assert.equal(findTrade(x.arrays, 1, 5), -1);
    assert.equal(findTrade(x.arrays, 4, 5), -1);
    for (const [n, g] of [
      ["pv", "grid_export"],
      ["home", "grid_import"],
      ["battery", "grid_import"],
      ["battery", "grid_export"],
      ["ev", "grid_export"],
    ])
      trade(x, n, g);
    assert.equal(x.droppedPairs, 2);
    assert.match(x.notes.join("\n"), /2 pairs of the trading graph can never trade/);
    assert.equal(x.pairFirst.length, 6 + 6);
  });

  it("drops pairs that can never trade and counts them", () => {
    const m = makeMarket({
      agents: [
        makeAgent("p1", { powerMax: 1 }),
        makeAgent("p2", { powerMin: 1, powerMax: 3 }),
        makeAgent("c1", { powerMin: -1 }),
        makeAgent("c2", { powerMin: -2 }),
        makeAgent("off", {}),
      ],
    });
    const x = expandMarket(m);
    assert.deepEqual(
      [...x.pairFirst].map((f, p) => `${x.agentIds[f]}-${x.agentIds[x.pairSecond[p]]}`),
      ["p1-c1", "p1-c2", "p2-c1", "p2-c2"],
    );
    assert.equal(x.droppedPairs, 10 - 4);
  });

  it("uses explicit pairs in either orientation, sorted, with the grid pairs always present", () => {
    const m = base();
    m.tradingGraph = "TRADING_GRAPH_EXPLICIT";
    m.grid = makeGrid({ bus: "", importPrice: 80, exportPrice: 20 });
    m.pairs = [
      { agentId: "ev", partnerId: "pv" },
      { agentId: "home", partnerId: "pv" },
      { agentId: "home", partnerId: "grid_import" },
    ];
    const x = expandMarket(m);
    assert.equal(checkArrays(x.arrays), null);
    const names = [...x.pairFirst].map((f, p) => `${x.agentIds[f]}-${x.agentIds[x.pairSecond[p]]}`);
    assert.deepEqual(names, [
      "pv-home",
      "pv-ev",
      "pv-grid_export",
      "home-grid_import",
      "battery-grid_import",
      "battery-grid_export",
      "ev-grid_import",
      "ev-grid_export",
    ]);
    assert.match(x.notes.join("\n"), /1 explicit pairs with a grid agent were already in the graph/);
    const none = expandMarket({ ...base(), tradingGraph: "TRADING_GRAPH_EXPLICIT" });
    assert.equal(none.pairFirst.length, 0);
    assert.deepEqual([...none.arrays.tradeStart], [0, 0, 0, 0, 0]);
  });

  it("classifies agents exactly as canTrade of the engine does", () => {
    const values = [-Infinity, -5, -1, 0, 1, 5, Infinity];
    const bounds = values.flatMap((lo) => values.filter((hi) => hi >= lo).map((hi) => [lo, hi] as const));
    for (const [a, b] of bounds) {
      for (const [c, d] of bounds) {
        assert.equal(
          rolesCanTrade(tradeRole(a, b), tradeRole(c, d)),
          canTrade(a, b, c, d),
          `[${a}, ${b}] with [${c}, ${d}]`,
        );
      }
    }
  });

  it("expands 3 000 agents (4.5 M pairs) with typed arrays", (t) => {
    const agents = Array.from({ length: 3000 }, (_, i) =>
      makeAgent(`a${i}`, { costQuadratic: 0.1, costLinear: 10 + (i % 7), powerMin: -5, powerMax: 5 }),
    );
    const start = performance.now();
    const x = expandMarket(makeMarket({ agents }));
    const ms = performance.now() - start;
    t.diagnostic(`expandMarket, 3000 agents, ${x.pairFirst.length} pairs: ${ms.toFixed(0)} ms`);
    assert.equal(x.pairFirst.length, (3000 * 2999) / 2);
    assert.equal(x.arrays.partner.length, 3000 * 2999);
    assert.deepEqual([x.pairFirst[2998], x.pairSecond[2998], x.pairFirst[2999], x.pairSecond[2999]], [0, 2999, 1, 2]);
  });

  it("refuses a complete graph of 100 000 agents with the default limits before allocating it", () => {
    const agents = Array.from({ length: 100_000 }, (_, i) => makeAgent(`a${i}`, { powerMin: -1, powerMax: 1 }));
    const before = process.memoryUsage().arrayBuffers;
    assert.throws(
      () => expandMarket(makeMarket({ agents })),
      (e: unknown) =>
        e instanceof MarketValidationError &&
        e.issues[0].path === "tradingGraph" &&
        /4999950000 pairs .* over the limit of 25000000/.test(e.message),
    );
    assert.ok(process.memoryUsage().arrayBuffers - before < 64 * 2 ** 20, "no pair arrays were allocated");
  });
});

describe("expandMarket: preferences", () => {
  it("folds each kind of preference into both directions of the owner's trades", () => {
    const m = base();
    m.grid = makeGrid({ bus: "", importPrice: 80, exportPrice: 20 });
    m.preferences = [
      makePreference("home", { partnerId: "pv", cost: 3 }), // explicit partner
      makePreference("home", { attributeKey: "tech", attributeValue: "pv", cost: 2 }), // by attribute value: pv only
      makePreference("home", { attributeKey: "co2", cost: 0.01 }), // cost × attribute: pv 0, battery 120
      makePreference("pv", { cost: 1, costPerKm: 0.5 }), // every partner, plus distance where both have a location
      makePreference("home", { partnerId: "battery", costPerKm: 0.1 }), // distance only
      makePreference("battery", { partnerId: "grid_import", cost: 4 }), // a grid partner
    ];
    const x = expandMarket(m);
    const both = (n: string, p: string) => {
      const k = trade(x, n, p);
      assert.equal(x.prefSell[k], x.prefBuy[k], `${n}–${p}: same cost both ways`);
      assert.equal(x.arrays.costSell[k], x.prefSell[k]);
      assert.equal(x.arrays.costBuy[k], x.prefBuy[k]);
      return x.prefSell[k];
    };
    assert.equal(both("home", "pv"), 3 + 2 + 0);
    assert.ok(Math.abs(both("home", "battery") - (0.01 * 120 + 0.1 * Math.sqrt(13))) < 1e-12);
    assert.equal(both("home", "ev"), 0, "ev has no co2 attribute");
    assert.equal(both("pv", "home"), 1 + 0.5 * 5);
    assert.ok(Math.abs(both("pv", "battery") - (1 + 0.5 * Math.SQRT2)) < 1e-12);
    assert.equal(both("pv", "ev"), 1 + 0.5 * 2);
    assert.equal(both("pv", "grid_export"), 1, "the grid has no location: no distance term");
    assert.equal(both("battery", "grid_import"), 4);
    assert.equal(both("battery", "home"), 0, "preferences are the owner's only");
    assert.equal(x.chargeSell.every((v) => v === 0) && x.chargeBuy.every((v) => v === 0), true);
    assert.equal(checkArrays(x.arrays), null);
  });

  it("notes preferences that reach no trade", () => {
    const m = base();
    m.tradingGraph = "TRADING_GRAPH_EXPLICIT";
    m.pairs = [{ agentId: "pv", partnerId: "ev" }];
    m.preferences = [
      makePreference("home", { partnerId: "pv", cost: 3 }),
      makePreference("battery", { attributeKey: "tech", attributeValue: "pv", cost: 1 }),
    ];
    const x = expandMarket(m);
    assert.ok(x.prefSell.every((v) => v === 0));
    assert.match(x.notes.join("\n"), /preferences\[0\]: home and pv do not trade/);
    assert.match(x.notes.join("\n"), /preferences\[1\]: applies to none of battery's trades/);
  });

  it("allows a negative preference on a one-way trade", () => {
    const m = base();
    m.preferences = [
      makePreference("home", { partnerId: "pv", cost: -4 }),
      makePreference("battery", { partnerId: "home", cost: -1 }),
    ];
    const x = expandMarket(m);
    assert.equal(x.arrays.costBuy[trade(x, "home", "pv")], -4);
    assert.equal(x.arrays.costSell[trade(x, "battery", "home")], -1);
    assert.equal(checkArrays(x.arrays), null);
    assert.deepEqual(checkConvexity(x), []);
  });

  it("rejects a preference that makes a two-way trade non-convex, naming it", () => {
    const m = base();
    m.preferences = [
      makePreference("battery", { cost: 0.5 }),
      makePreference("battery", { partnerId: "ev", cost: -1 }),
    ];
    assert.deepEqual(
      rejectionPaths(() => expandMarket(m)),
      ["preferences[1].cost"],
    );
    const e = (() => {
      try {
        expandMarket(m);
      } catch (err) {
        return err as MarketValidationError;
      }
      assert.fail("not rejected");
    })();
    assert.match(
      e.message,
      /preferences\[1\]\.cost: makes the trade of "battery" with "ev" non-convex: c⁺ \+ c⁻ = -1 < 0 on a trade that can go both ways/,
    );
    m.preferences = [makePreference("ev", { costPerKm: -1 })];
    m.agents[3].location = { xKm: 1, yKm: 2 };
    assert.deepEqual(
      rejectionPaths(() => expandMarket(m)),
      ["preferences[0].costPerKm"],
    );
  });

  it("rejects an invalid market with all its issues", () => {
    const m = base();
    m.agents[0].costQuadratic = -1;
    m.preferences = [makePreference("nobody", { cost: 1 })];
    assert.deepEqual(
      rejectionPaths(() => expandMarket(m)),
      ["agents[0].costQuadratic", "preferences[0].agentId"],
    );
  });
});

describe("combineCosts and checkConvexity after charges", () => {
  it("adds the charge parts and finds two-way trades made non-convex", () => {
    const m = base();
    m.preferences = [makePreference("battery", { partnerId: "ev", cost: 1 })];
    const x = expandMarket(m);
    const k = trade(x, "battery", "ev");
    x.chargeSell[k] = 0.25;
    x.chargeBuy[k] = -3;
    combineCosts(x);
    assert.equal(x.arrays.costSell[k], 1.25);
    assert.equal(x.arrays.costBuy[k], -2);
    const issues = checkConvexity(x);
    assert.equal(issues.length, 1);
    assert.equal(issues[0].path, "agents[2]");
    assert.match(issues[0].message, /trade of "battery" with "ev" has c⁺ \+ c⁻ = -0\.75 < 0/);
    x.chargeBuy[k] = -2.25;
    assert.deepEqual(checkConvexity(x), []);
  });
});

describe("marketFingerprint", () => {
  it("is equal for the same agents and graph whatever the costs, different otherwise", () => {
    const a = marketFingerprint(expandMarket(base()));
    assert.match(a, /^[0-9a-f]{64}$/);
    const costs = base();
    costs.agents[0].costLinear = 99;
    costs.preferences = [makePreference("home", { cost: 1 })];
    assert.equal(marketFingerprint(expandMarket(costs)), a);
    const renamed = base();
    renamed.agents[3].id = "ev2";
    assert.notEqual(marketFingerprint(expandMarket(renamed)), a);
    const fewer = base();
    fewer.tradingGraph = "TRADING_GRAPH_EXPLICIT";
    fewer.pairs = [{ agentId: "pv", partnerId: "home" }];
    assert.notEqual(marketFingerprint(expandMarket(fewer)), a);
  });
});
