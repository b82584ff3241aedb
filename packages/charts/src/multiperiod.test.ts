import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import {
  agentPeriodRows,
  MULTI_PERIOD_FILES,
  multiPeriodOptionsFromMarket,
  type MultiPeriodSolutionJson,
  periodRows,
  periodTime,
  socChart,
  storagePeriodRows,
  tradePeriodRows,
  writeMultiPeriodOutputs,
} from "./index.js";

// A hand-built day of four quarter-hours: a home, a PV producer, a home with a battery and the grid.
// Consistent by construction: power = own + discharge − charge; SoC from 2 kWh with η = 1:
// E_t = E_{t−1} + 0.25·(c_t − d_t) → 2, 2.25, 1.75, 1 kWh.
const solution: MultiPeriodSolutionJson = {
  marketName: "tiny-day",
  periods: 4,
  periodResults: [
    // proto3 JSON omits zeros: period 0 has no `period` and no `gridExport`.
    { gridImport: 0.003, networkRevenue: 0.01, priceMin: 180, priceMax: 185, tradedEnergy: 0.00075 },
    { period: 1, gridImport: 0.001, priceMin: 50, priceMax: 60, tradedEnergy: 0.001 },
    { period: 2, gridExport: 0.002, priceMin: 40, priceMax: 41, tradedEnergy: 0.00125 },
    { period: 3, gridImport: 0.002, priceMin: 380, priceMax: 382, tradedEnergy: 0.001 },
  ],
  agents: [
    {
      id: "home",
      power: -0.0025,
      powerProfile: [-0.002, -0.003, -0.001, -0.004],
      marginalPriceProfile: [185, 60, 41, 382],
    },
    { id: "pv", power: 0.002, powerProfile: [0, 0.003, 0.005, 0] },
    {
      id: "bat-home",
      power: 0,
      powerProfile: [-0.001, -0.002, 0.001, 0.002],
      ownPowerProfile: [-0.001, -0.001, -0.001, -0.001],
      chargeProfile: [0, 0.001, 0, 0],
      dischargeProfile: [0, 0, 0.002, 0.003],
      socProfile: [0.002, 0.00225, 0.00175, 0.001],
    },
    { id: "grid_import", powerProfile: [0.003, 0.001, 0, 0.002] },
    { id: "grid_export", powerProfile: [0, 0, -0.002, 0] },
  ],
  trades: [
    { sellerId: "grid_import", buyerId: "home", power: 0.002, price: 185 },
    { sellerId: "grid_import", buyerId: "bat-home", power: 0.001, price: 180, networkCharge: 0.01 },
    { sellerId: "pv", buyerId: "home", power: 0.002, price: 50, period: 1 },
    { sellerId: "pv", buyerId: "bat-home", power: 0.001, price: 60, period: 1 },
    { sellerId: "grid_import", buyerId: "home", power: 0.001, price: 185, period: 1 },
    { sellerId: "pv", buyerId: "home", power: 0.001, price: 41, period: 2 },
    { sellerId: "pv", buyerId: "grid_export", power: 0.004, price: 40, period: 2 },
    { sellerId: "bat-home", buyerId: "home", power: 0.002, price: 380, period: 3 },
    { sellerId: "grid_import", buyerId: "home", power: 0.002, price: 382, period: 3 },
    { sellerId: "pv", buyerId: "home", period: 3 }, // listed with no power: not part of the mean
  ],
};
const options = { periodHours: 0.25, startTime: "2026-06-21T00:00:00+02:00", pv: [0, 0.003, 0.006, 0.0005] };

function lineChartPoints(chart: {
  series: readonly { points: readonly (readonly [number, number])[] }[];
}): (readonly [number, number])[] {
  return [...chart.series[0].points];
}

function parseCsv(text: string): { header: string[]; rows: string[][] } {
  const lines = text.trimEnd().split("\n");
  return { header: lines[0].split(","), rows: lines.slice(1).map((l) => l.split(",")) };
}

test("period times keep the offset of the start time", () => {
  assert.equal(periodTime("2026-06-21T00:00:00+02:00", 0.25, 3), "2026-06-21T00:45:00+02:00");
  assert.equal(periodTime("2026-06-21T23:30:00Z", 0.5, 2), "2026-06-22T00:30:00Z");
  assert.equal(periodTime("2026-01-01T00:00:00-05:30", 1, 25), "2026-01-02T01:00:00-05:30");
  assert.equal(periodTime("not a time", 1, 0), undefined);
  assert.equal(periodTime(undefined, 1, 0), undefined);
});

test("agents_periods rows: one per agent and period, profiles and derived own power", () => {
  const rows = agentPeriodRows(solution, options);
  assert.equal(rows.length, 5 * 4);
  const bat = rows.filter((r) => r.agent_id === "bat-home");
  assert.deepEqual(
    bat.map((r) => r.soc_mwh),
    [0.002, 0.00225, 0.00175, 0.001],
  );
  assert.deepEqual(
    bat.map((r) => r.discharge_mw),
    [0, 0, 0.002, 0.003],
  );
  assert.equal(bat[3].time, "2026-06-21T00:45:00+02:00");
  assert.equal(bat[3].hour, 0.75);
  const home = rows.filter((r) => r.agent_id === "home");
  assert.deepEqual(
    home.map((r) => r.soc_mwh),
    [undefined, undefined, undefined, undefined],
    "no SoC without storage",
  );
  assert.deepEqual(
    home.map((r) => r.own_power_mw),
    [-0.002, -0.003, -0.001, -0.004],
    "own power = power without storage",
  );
  assert.deepEqual(
    home.map((r) => r.marginal_price_eur_per_mwh),
    [185, 60, 41, 382],
  );
  // Without an ownPowerProfile the own power is power − discharge + charge.
  const derived = agentPeriodRows({
    periods: 2,
    agents: [{ id: "b", powerProfile: [0.5, -1], chargeProfile: [0, 2], dischargeProfile: [1, 0], socProfile: [1, 2] }],
  });
  assert.deepEqual(
    derived.map((r) => r.own_power_mw),
    [-0.5, 1],
  );
});

test("trades rows are in period order with energy = power·Δ", () => {
  const rows = tradePeriodRows(solution, options);
  assert.equal(rows.length, 10);
  assert.deepEqual(
    rows.map((r) => r.period),
    [0, 0, 1, 1, 1, 2, 2, 3, 3, 3],
  );
  assert.equal(rows[1].network_charge_eur, 0.01);
  assert.equal(rows[2].energy_mwh, 0.002 * 0.25);
  assert.equal(rows[9].power_mw, 0);
});

test("storage rows: charge, discharge, net discharge, SoC, simultaneous flag", () => {
  const rows = storagePeriodRows(solution, options);
  assert.equal(rows.length, 4, "one battery × four periods");
  assert.deepEqual(
    rows.map((r) => r.net_discharge_mw),
    [0, -0.001, 0.002, 0.003],
  );
  assert.ok(rows.every((r) => r.charge_and_discharge === false));
  const both = storagePeriodRows({
    periods: 1,
    agents: [{ id: "x", chargeProfile: [0.5], dischargeProfile: [0.25], socProfile: [1] }],
  });
  assert.equal(both[0].charge_and_discharge, true);
});

test("periods rows: grid from periodResults (absent fields are 0), volume-weighted mean price, PV", () => {
  const rows = periodRows(solution, options);
  assert.equal(rows.length, 4);
  assert.equal(rows[0].grid_export_mw, 0);
  assert.equal(rows[0].grid_import_mw, 0.003);
  assert.equal(rows[2].net_import_mw, -0.002);
  const mean1 = (0.002 * 50 + 0.001 * 60 + 0.001 * 185) / 0.004;
  assert.ok(Math.abs((rows[1].price_mean_eur_per_mwh as number) - mean1) < 1e-9);
  assert.ok(Math.abs((rows[3].price_mean_eur_per_mwh as number) - 381) < 1e-9, "the power-less trade does not count");
  assert.equal(rows[3].trades, 2);
  assert.deepEqual(
    rows.map((r) => r.storage_discharge_mw),
    [0, 0, 0.002, 0.003],
  );
  assert.deepEqual(
    rows.map((r) => r.pv_available_mw),
    [0, 0.003, 0.006, 0.0005],
  );
  // A single-period solution without periodResults: the grid comes from the grid agents.
  const one = periodRows({
    agents: [
      { id: "grid_import", power: 2 },
      { id: "grid_export", power: -0.5 },
    ],
    trades: [
      { sellerId: "grid_import", buyerId: "a", power: 2, price: 70 },
      { sellerId: "b", buyerId: "a", power: 1, price: 40 },
    ],
  });
  assert.equal(one.length, 1);
  assert.equal(one[0].grid_import_mw, 2);
  assert.equal(one[0].grid_export_mw, 0.5);
  assert.equal(one[0].price_mean_eur_per_mwh, 60);
  assert.equal(one[0].traded_energy_mwh, 1, "members' trades only, grid excluded");
});

test("Δ and the period labels come from the solution when the options do not give them", () => {
  const s: MultiPeriodSolutionJson = {
    periods: 2,
    periodHours: 0.5,
    periodResults: [{ startTime: "2026-06-21T00:00:00Z" }, { period: 1, startTime: "2026-06-21T00:30:00Z" }],
    trades: [{ sellerId: "a", buyerId: "b", power: 2, price: 10, period: 1 }],
  };
  const rows = tradePeriodRows(s);
  assert.equal(rows[0].time, "2026-06-21T00:30:00Z");
  assert.equal(rows[0].hour, 0.5);
  assert.equal(rows[0].energy_mwh, 1);
});

test("writeMultiPeriodOutputs writes the four CSV files with units in the headers and three plots", () => {
  const dir = mkdtempSync(join(tmpdir(), "multiperiod-"));
  const files = writeMultiPeriodOutputs(dir, solution, options);
  assert.deepEqual(
    files.map((f) => basename(f)),
    [...MULTI_PERIOD_FILES],
  );
  const read = (name: string) => readFileSync(join(dir, name), "utf8");

  const agents = parseCsv(read("agents_periods.csv"));
  assert.deepEqual(agents.header, [
    "period",
    "time",
    "hour",
    "agent_id",
    "power_mw",
    "own_power_mw",
    "charge_mw",
    "discharge_mw",
    "soc_mwh",
    "marginal_price_eur_per_mwh",
  ]);
  assert.equal(agents.rows.length, 20);
  const trades = parseCsv(read("trades.csv"));
  assert.deepEqual(trades.header, [
    "period",
    "time",
    "hour",
    "seller_id",
    "buyer_id",
    "power_mw",
    "energy_mwh",
    "price_eur_per_mwh",
    "network_charge_eur",
  ]);
  assert.equal(trades.rows.length, 10);
  assert.deepEqual(trades.rows[7], [
    "3",
    "2026-06-21T00:45:00+02:00",
    "0.75",
    "bat-home",
    "home",
    "0.002",
    "0.0005",
    "380",
    "0",
  ]);
  const storage = parseCsv(read("storage.csv"));
  assert.deepEqual(storage.header, [
    "period",
    "time",
    "hour",
    "agent_id",
    "charge_mw",
    "discharge_mw",
    "net_discharge_mw",
    "soc_mwh",
    "charge_and_discharge",
  ]);
  assert.deepEqual(
    storage.rows.map((r) => r[7]),
    ["0.002", "0.00225", "0.00175", "0.001"],
  );
  const periods = parseCsv(read("periods.csv"));
  assert.equal(periods.header[periods.header.length - 1], "pv_available_mw");
  assert.ok(periods.header.includes("price_mean_eur_per_mwh") && periods.header.includes("grid_import_mw"));
  assert.equal(periods.rows.length, 4);

  const prices = read("prices.svg");
  assert.equal((prices.match(/<polygon/g) ?? []).length, 1, "one price band");
  assert.match(prices, /range of trade prices \(min–max\)/);
  assert.match(prices, /mean, weighted by traded power/);
  assert.match(prices, /€\/MWh/);
  const mean = /<polyline[^>]*points="([^"]*)"/.exec(prices)![1].split(" ");
  assert.equal(mean.length, 2 * 4 + 1, "a step line: one flat segment per period (4 periods, 5 points, 4 risers)");
  assert.equal(mean[1].split(",")[1], mean[0].split(",")[1], "flat over period 0");
  const soc = read("storage_soc.svg");
  assert.match(soc, />bat-home</);
  assert.match(soc, /stored energy \(kWh\)/, "home batteries are drawn in kWh");
  const polyline = /<polyline[^>]*points="([^"]*)"/.exec(soc)![1].split(" ");
  assert.equal(polyline.length, 4, "four SoC points");
  const withStart = lineChartPoints(socChart(solution, { ...options, socInitial: { "bat-home": 0.002 } }));
  assert.deepEqual(withStart[0], [0, 2], "the line starts at the initial 2 kWh at hour 0");
  assert.equal(withStart.length, 5);
  const grid = read("grid_pv.svg");
  for (const name of ["grid import", "grid export", "PV available", "batteries: discharge − charge"])
    assert.ok(grid.includes(`>${name}<`), name);
  assert.equal((grid.match(/<polyline/g) ?? []).length, 4);
});

test("the options of the community-day example: 96 quarter-hours, PV zero at night and up at noon, ToU prices", () => {
  const market = JSON.parse(readFileSync(new URL("../../../examples/community-day.json", import.meta.url), "utf8"));
  const o = multiPeriodOptionsFromMarket(market);
  assert.equal(o.periodHours, 0.25);
  assert.equal(o.pv?.length, 96);
  assert.equal(o.pv![0], 0, "no PV at midnight");
  assert.ok(o.pv![52] > 0.03, `PV at 13:00 is ${o.pv![52]} MW`);
  assert.equal(o.importPrice?.length, 96);
  assert.equal(Object.keys(o.socInitial ?? {}).length, 10, "ten batteries");
  assert.ok(
    o.importPrice![76] > o.importPrice![52] && o.importPrice![52] > o.importPrice![8],
    "evening peak > day > night",
  );
  for (let t = 0; t < 96; t++) assert.ok(o.exportPrice![t] <= o.importPrice![t]);
});
