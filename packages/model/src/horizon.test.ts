import { test } from "node:test";
import assert from "node:assert/strict";
import { expandMarket } from "./expand.js";
import { makeCharges, makeGrid, makeAgent, makeMarket } from "./fixtures.js";
import { loadProfilesCsv, ProfilesCsvError } from "./profiles-csv.js";
import { parseMarketJson, marketToJson } from "./scenario-json.js";
import type { Market, Storage } from "./types.js";
import { validateMarket } from "./validate.js";
import { MarketValidationError } from "./validation-issues.js";

function storage(fields: Partial<Storage> = {}): Storage {
  return { energyCapacity: 10, chargeMax: 5, dischargeMax: 5, socInitial: 2, socMin: 0, throughputCost: 0, ...fields };
}

function community(fields: Partial<Market> = {}): Market {
  return makeMarket({
    name: "c",
    agents: [
      makeAgent("pv", { costLinear: 1, powerMax: 6 }),
      makeAgent("home", { costQuadratic: 2, costLinear: 80, powerMin: -5, powerMax: 0 }),
      makeAgent("flex", { costQuadratic: 1, costLinear: 30, powerMin: -2, powerMax: 2 }),
    ],
    grid: makeGrid({ bus: "", importPrice: 90, exportPrice: 10 }),
    ...fields,
  });
}

const arrayKeys = [
  "a",
  "b",
  "pMin",
  "pMax",
  "tradeStart",
  "partner",
  "mirror",
  "lo",
  "hi",
  "costSell",
  "costBuy",
] as const;

test("a horizon of one period without storage expands to exactly the single-period arrays", () => {
  const single = expandMarket(community());
  const one = expandMarket(community({ horizon: { periods: 1, periodHours: 1, startTime: "" } }));
  assert.ok(one.horizon);
  for (const k of arrayKeys) assert.deepEqual(one.arrays[k], single.arrays[k], k);
  assert.deepEqual(one.tradeOfFirst, single.tradeOfFirst);
  assert.deepEqual(one.pairFirst, single.pairFirst);
  assert.deepEqual(one.agentIds, single.agentIds);
});

test("a horizon without profiles is T copies of the single-period market", () => {
  const single = expandMarket(community());
  const T = 3;
  const x = expandMarket(community({ horizon: { periods: T, periodHours: 0.5, startTime: "" } }));
  const s = single.arrays;
  const m = x.arrays;
  assert.equal(m.nAgents, s.nAgents * T);
  assert.equal(m.partner.length, s.partner.length * T);
  assert.equal(x.horizon!.pairCount, single.pairFirst.length);
  for (let n = 0; n < s.nAgents; n++) {
    const deg = s.tradeStart[n + 1] - s.tradeStart[n];
    for (let t = 0; t < T; t++) {
      const i = n * T + t;
      assert.equal(m.a[i], s.a[n]);
      assert.equal(m.b[i], s.b[n]);
      assert.equal(m.pMin[i], s.pMin[n]);
      assert.equal(m.pMax[i], s.pMax[n]);
      assert.equal(m.tradeStart[i + 1] - m.tradeStart[i], deg);
      for (let j = 0; j < deg; j++) {
        const k = m.tradeStart[i] + j;
        const kb = s.tradeStart[n] + j;
        assert.equal(m.partner[k], s.partner[kb] * T + t, "partners are the same agents in the same period");
        assert.equal(m.lo[k], s.lo[kb]);
        assert.equal(m.hi[k], s.hi[kb]);
      }
    }
  }
});

test("profiles, grid profiles and storage set the period agents and their trade bounds", () => {
  const market = community({
    horizon: { periods: 2, periodHours: 1, startTime: "" },
    grid: makeGrid({
      bus: "",
      importPrice: 90,
      exportPrice: 10,
      importPriceProfile: [50, 120],
      importMaxProfile: [3, Infinity],
    }),
  });
  market.agents[0].powerMaxProfile = [0, 4];
  market.agents[1].costLinearProfile = [70, 95];
  market.agents[2].storage = storage({ chargeMax: 3, dischargeMax: 1 });
  const x = expandMarket(market);
  const T = 2;
  const m = x.arrays;
  assert.equal(m.pMax[0 * T + 0], 0);
  assert.equal(m.pMax[0 * T + 1], 4);
  assert.equal(m.b[1 * T + 1], 95);
  // Grid import is agent 3.
  assert.equal(m.b[3 * T + 0], 50);
  assert.equal(m.b[3 * T + 1], 120);
  assert.equal(m.pMax[3 * T + 0], 3);
  assert.equal(m.pMax[3 * T + 1], Infinity);
  // The storage agent keeps its own bounds; its trades reach [−2 − 3, 2 + 1]
  const h = x.horizon!;
  assert.equal(h.arrays.storage.count, 1);
  assert.equal(h.arrays.storage.first[0], 2 * T);
  assert.equal(h.arrays.storageOf[2 * T + 1], 0);
  assert.equal(m.pMin[2 * T], -2);
  let lo = 0;
  let hi = 0;
  // (period 1: in period 0 the grid sells at most 3, so the trade with it reaches only −3.)
  for (let k = m.tradeStart[2 * T + 1]; k < m.tradeStart[2 * T + 2]; k++) {
    lo = Math.min(lo, m.lo[k]);
    hi = Math.max(hi, m.hi[k]);
  }
  assert.equal(lo, -5);
  assert.equal(hi, 3);
  // pv sells nothing in period 0 but is paired: it can trade in period 1.
  assert.ok(x.pairFirst.some((f, e) => f === 0 * T && x.pairSecond[e] === 1 * T));
});

function issuesOf(m: Market): string[] {
  return validateMarket(m).map((i) => `${i.path}: ${i.message}`);
}

test("validation names the field of every multi-period problem", () => {
  const h = { periods: 4, periodHours: 0.25, startTime: "" };
  const cases: [string, (m: Market) => void, RegExp][] = [
    [
      "profile length",
      (m) => (m.agents[0].powerMaxProfile = [1, 2, 3]),
      /^agents\[0\]\.powerMaxProfile: has 3 values, the horizon has 4 periods/,
    ],
    [
      "NaN in a profile",
      (m) => (m.agents[1].costLinearProfile = [1, NaN, 3, 4]),
      /^agents\[1\]\.costLinearProfile\[1\]: must be a number, got NaN/,
    ],
    [
      "Infinity in a price profile",
      (m) => (m.grid!.importPriceProfile = [1, 2, Infinity, 4]),
      /^grid\.importPriceProfile\[2\]: must be finite/,
    ],
    [
      "negative curvature",
      (m) => (m.agents[2].costQuadraticProfile = [1, 1, -1, 1]),
      /^agents\[2\]\.costQuadraticProfile\[2\]: must be ≥ 0/,
    ],
    [
      "bounds inverted in one period",
      (m) => (m.agents[2].powerMinProfile = [-1, 3, -1, -1]),
      /^agents\[2\]\.powerMinProfile\[1\]: powerMin must not exceed powerMax in period 1 \(3 > 2\)/,
    ],
    [
      "efficiency above 1",
      (m) => (m.agents[2].storage = storage({ chargeEfficiency: 1.2 })),
      /^agents\[2\]\.storage\.chargeEfficiency: must be in \(0, 1\], got 1\.2/,
    ],
    [
      "efficiency 0",
      (m) => (m.agents[2].storage = storage({ dischargeEfficiency: 0 })),
      /^agents\[2\]\.storage\.dischargeEfficiency: must be in \(0, 1\]/,
    ],
    [
      "negative capacity",
      (m) => (m.agents[2].storage = storage({ energyCapacity: -1 })),
      /^agents\[2\]\.storage\.energyCapacity: must be ≥ 0, got -1/,
    ],
    [
      "negative charge power",
      (m) => (m.agents[2].storage = storage({ chargeMax: -1 })),
      /^agents\[2\]\.storage\.chargeMax: must be ≥ 0/,
    ],
    [
      "soc bounds inverted",
      (m) => (m.agents[2].storage = storage({ socMin: 6, socMax: 4, socInitial: 5 })),
      /^agents\[2\]\.storage\.socMin: must not exceed socMax \(6 > 4\)/,
    ],
    [
      "initial soc outside",
      (m) => (m.agents[2].storage = storage({ socMin: 1, socInitial: 0.5 })),
      /^agents\[2\]\.storage\.socInitial: must be within \[socMin, socMax\] = \[1, 10\], got 0\.5/,
    ],
    [
      "final soc out of reach",
      (m) => (m.agents[2].storage = storage({ socInitial: 0, socFinalMin: 6, chargeMax: 5, chargeEfficiency: 0.9 })),
      /^agents\[2\]\.storage\.socFinalMin: cannot be reached: .* stores at most 4\.5 MWh, not 6/,
    ],
    [
      "NaN in storage",
      (m) => (m.agents[2].storage = storage({ throughputCost: NaN })),
      /^agents\[2\]\.storage\.throughputCost: must be a number, got NaN/,
    ],
    [
      "periods 0",
      (m) => (m.horizon = { periods: 0, periodHours: 1, startTime: "" }),
      /^horizon\.periods: must be an integer ≥ 1/,
    ],
    [
      "period hours 0",
      (m) => (m.horizon = { periods: 4, periodHours: 0, startTime: "" }),
      /^horizon\.periodHours: must be > 0/,
    ],
    [
      "unit fees",
      (m) =>
        (m.charges = { design: "CHARGE_DESIGN_UNIFORM", unitFee: 1, zoneDistances: [], unitFeeProfile: [1, -1, 1, 1] }),
      /^charges\.unitFeeProfile\[1\]: must be ≥ 0/,
    ],
  ];
  for (const [name, edit, expected] of cases) {
    const m = community({ horizon: { ...h } });
    edit(m);
    const issues = issuesOf(m);
    assert.ok(
      issues.some((i) => expected.test(i)),
      `${name}: ${JSON.stringify(issues)}`,
    );
  }
  assert.deepEqual(issuesOf(community({ horizon: { ...h } })), []);
  // Without a horizon, profiles have one value.
  const noH = community();
  noH.agents[0].powerMaxProfile = [1, 2];
  assert.match(
    issuesOf(noH)[0],
    /^agents\[0\]\.powerMaxProfile: has 2 values, the market has 1 period \(set horizon\.periods\)/,
  );
  assert.throws(() => expandMarket(noH), MarketValidationError);
});

test("size limits count agents × periods and pairs × periods", () => {
  const m = community({ horizon: { periods: 100, periodHours: 1, startTime: "" } });
  const agents = validateMarket(m, { maxAgents: 1000, maxPairs: 1e6, maxAgentPeriods: 400 });
  assert.match(
    `${agents[0].path}: ${agents[0].message}`,
    /^horizon\.periods: 5 agents × 100 periods = 500 period agents, over the limit of 400/,
  );
  assert.throws(
    () => expandMarket(m, { limits: { maxAgents: 1000, maxPairs: 1e6, maxPairPeriods: 500 } }),
    (e: unknown) =>
      e instanceof MarketValidationError &&
      /^horizon\.periods: \d+ pairs × 100 periods = \d+ pair-periods, over the limit of 500$/.test(
        `${e.issues[0].path}: ${e.issues[0].message}`,
      ),
  );
});

test("the multi-period fields go through the scenario JSON", () => {
  const m = community({ horizon: { periods: 2, periodHours: 0.25, startTime: "2026-06-21T00:00:00Z" } });
  m.agents[0].powerMaxProfile = [0, Infinity];
  m.agents[2].storage = storage({ chargeEfficiency: 0.95, socFinalMin: 3 });
  m.grid!.exportPriceProfile = [5, 8];
  const back = parseMarketJson(JSON.stringify(marketToJson(m)));
  assert.deepEqual(back.horizon, m.horizon);
  assert.deepEqual(back.agents[0].powerMaxProfile, [0, Infinity]);
  assert.equal(back.agents[2].storage!.chargeEfficiency, 0.95);
  assert.equal(back.agents[2].storage!.socFinalMin, 3);
  assert.equal(back.agents[2].storage!.socMax, undefined);
  assert.deepEqual(back.grid!.exportPriceProfile, [5, 8]);
});

test("profiles from CSV: one row per period, a column per agent field", () => {
  const csv =
    "period,pv.power_max,home.cost_linear,grid.import_price,flex.powerMin\n0,0,70,50,-1\n1,4.5,95,120,-Infinity\n";
  const m = loadProfilesCsv(csv, community());
  assert.deepEqual(m.horizon, { periods: 2, periodHours: 1, startTime: "" });
  assert.deepEqual(m.agents[0].powerMaxProfile, [0, 4.5]);
  assert.deepEqual(m.agents[1].costLinearProfile, [70, 95]);
  assert.deepEqual(m.agents[2].powerMinProfile, [-1, -Infinity]);
  assert.deepEqual(m.grid!.importPriceProfile, [50, 120]);
  const withFees = loadProfilesCsv(
    "charges.unit_fee\n1\n2\n",
    community({ charges: makeCharges({ design: "CHARGE_DESIGN_UNIFORM", unitFee: 1, zoneDistances: [] }) }),
  );
  assert.deepEqual(withFees.charges!.unitFeeProfile, [1, 2]);
  // The input is not changed, and the result validates.
  assert.deepEqual(community().agents[0].powerMaxProfile, []);
  assert.deepEqual(validateMarket(m), []);
});

test("CSV profile errors name the row and the column", () => {
  const base = community({ horizon: { periods: 2, periodHours: 1, startTime: "" } });
  const cases: [string, string, RegExp, number, string][] = [
    [
      "unknown agent",
      "pv.power_max,wind-3.power_max\n1,2\n3,4\n",
      /header, column "wind-3\.power_max": unknown agent "wind-3"/,
      0,
      "wind-3.power_max",
    ],
    [
      "unknown field",
      "pv.power_max,pv.colour\n1,2\n3,4\n",
      /header, column "pv\.colour": unknown agent field "colour"/,
      0,
      "pv.colour",
    ],
    [
      "not a number",
      "pv.power_max,home.cost_linear\n1,2\n3,abc\n",
      /row 2, column "home\.cost_linear": not a number: "abc"/,
      2,
      "home.cost_linear",
    ],
    [
      "empty cell",
      "pv.power_max,home.cost_linear\n1,\n3,4\n",
      /row 1, column "home\.cost_linear": not a number: ""/,
      1,
      "home.cost_linear",
    ],
    ["row count", "pv.power_max\n1\n2\n3\n", /row 3: 3 rows of periods, but the market's horizon has 2 periods/, 3, ""],
    ["short row", "pv.power_max,home.cost_linear\n1,2\n3\n", /row 2: has 1 cells, the header has 2 columns/, 2, ""],
    [
      "twice",
      "pv.power_max,pv.powerMax\n1,2\n3,4\n",
      /column "pv\.powerMax": the same profile as column "pv\.power_max"/,
      0,
      "pv.powerMax",
    ],
    ["no charges", "charges.unit_fee\n1\n2\n", /the market has no network charges/, 0, "charges.unit_fee"],
  ];
  for (const [name, csv, expected, row, column] of cases) {
    assert.throws(
      () => loadProfilesCsv(csv, base, "day.csv"),
      (e: unknown) => {
        assert.ok(e instanceof ProfilesCsvError, name);
        assert.match(e.message, expected, name);
        assert.match(e.message, /^day\.csv:\d+:\d+: /, `${name}: ${e.message}`);
        assert.equal(e.row, row, name);
        assert.equal(e.csvColumn, column, name);
        return true;
      },
    );
  }
});
