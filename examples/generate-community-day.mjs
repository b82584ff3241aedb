#!/usr/bin/env node
// Regenerates examples/community-day.json and examples/community-day.csv (seeded, deterministic):
//
//   node examples/generate-community-day.mjs [--seed 7] [--out-dir examples]   (after the build: it uses @peermarket/admm's seeded generator)
//
// A summer day (96 quarter-hours) of a residential community on the Baran–Wu feeder case33bw
// (the bundled case; loads in MW after the case's own kW → MW conversion, so this file works in
// MW, MWh and €/MWh throughout):
//
// - 40 homes ("home-01".."home-40") on feeder buses 2..33, each a consumer with a linear demand
//   curve: marginal value costLinear − costQuadratic·d at consumption d, high enough that the load
//   is served at any tariff; powerMin_t = −load_t from a daily shape with a morning and an evening
//   peak (0.3–1 kW average per home).
// - 16 of them own rooftop PV, modelled as a separate producer at the same bus ("pv-XX", 3–6 kWp,
//   near-zero marginal cost, powerMax_t = the PV output of a clear summer day). A home with PV is
//   two agents rather than one prosumer because its own power g = PV used − consumption has a
//   piecewise cost (free up to the PV output, the load's value beyond) that one quadratic cannot
//   express; at the same bus their trade pays no electrical-distance fee, so self-consumption is
//   what the market prefers.
// - 10 homes (8 of them with PV) have a battery behind the meter (`storage` on the home agent:
//   5–13.5 kWh, 3–5 kW, 95 % efficiency each way, a throughput cost for wear).
// - The grid (retailer) at the substation, bus 1: a time-of-use import tariff (night 180, day 260,
//   evening peak 17:00–21:00 380 €/MWh) and a feed-in price that falls at midday (40 €/MWh in
//   10:00–16:00, 70 otherwise). The batteries' reason to exist: midday PV surplus is worth the
//   low feed-in price, the evening peak costs 380.
// - Network charges: electrical distance (on this radial feeder, the number of lines between the
//   two buses) with a time-of-use unit fee (0.3 €/MWh per line at night, 0.6 by day, 1.2 in the
//   evening peak).
//
// The CSV holds the same profiles as the JSON: one row per period (labelled by its start time in
// the first column), a column per `id.field`
// (`home-03.power_min`, `pv-07.power_max`, `grid.import_price`, `grid.export_price`,
// `charges.unit_fee`), with the proto field names in snake_case without `_profile`.

import { writeFileSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { mulberry32 } from "@peermarket/admm";

const { values } = parseArgs({
  options: { seed: { type: "string", default: "7" }, "out-dir": { type: "string" } },
});
const SEED = Number(values.seed);
const OUT = values["out-dir"] ?? dirname(fileURLToPath(import.meta.url));

const T = 96;
const DT = 0.25; // hours
const HOMES = 40;
const PV_HOMES = 16;
const BATTERY_HOMES = 10; // 8 with PV, 2 without
const BATTERY_WITH_PV = 8;

const rand = mulberry32(SEED);
const uniform = (lo, hi) => lo + (hi - lo) * rand();
const gauss = (mu, sigma) => mu + sigma * Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
/** Rounds to 0.1 W (1e-7 MW) and the like: enough digits, short files. */
const r7 = (x) => Number(x.toFixed(7));
const r2 = (x) => Number(x.toFixed(2));
const hourOf = (t) => (t + 0.5) * DT; // mid-period hour

/** Daily load shape of a home (mean 1): night base, a morning peak, a midday plateau, an evening peak. */
function loadShape(h, morning, evening) {
  const bump = (c, w) =>
    Math.exp(-0.5 * ((h - c) / w) ** 2) +
    Math.exp(-0.5 * ((h - 24 - c) / w) ** 2) +
    Math.exp(-0.5 * ((h + 24 - c) / w) ** 2);
  return 0.35 + 0.9 * bump(morning, 1.0) + 0.35 * bump(13, 2.5) + 1.7 * bump(evening, 1.6);
}
const shapeMean = (() => {
  let s = 0;
  for (let t = 0; t < T; t++) s += loadShape(hourOf(t), 7.5, 19.5);
  return s / T;
})();

/** Clear-sky PV output per kWp on a summer day (sunrise 5:30, sunset 21:30, ~0.8 at solar noon 13:30). */
function pvShape(h, tilt) {
  const rise = 5.5;
  const set = 21.5;
  if (h <= rise || h >= set) return 0;
  const x = Math.sin((Math.PI * (h - rise)) / (set - rise));
  return 0.8 * tilt * x ** 1.6;
}

const importPrice = [];
const exportPrice = [];
const unitFee = [];
for (let t = 0; t < T; t++) {
  const h = t * DT;
  const peak = h >= 17 && h < 21;
  const night = h < 6 || h >= 22;
  importPrice.push(peak ? 380 : night ? 180 : 260);
  exportPrice.push(h >= 10 && h < 16 ? 40 : 70);
  unitFee.push(peak ? 1.2 : night ? 0.3 : 0.6);
}

// Buses 2..33 (bus 1 is the substation, where the grid connects).
const buses = Array.from({ length: 32 }, (_, i) => String(i + 2));
const homeId = (i) => `home-${String(i + 1).padStart(2, "0")}`;
const pvId = (i) => `pv-${String(i + 1).padStart(2, "0")}`;

// Which homes have PV and batteries: a seeded shuffle.
const order = Array.from({ length: HOMES }, (_, i) => i);
for (let i = order.length - 1; i > 0; i--) {
  const j = Math.floor(rand() * (i + 1));
  [order[i], order[j]] = [order[j], order[i]];
}
const hasPv = new Set(order.slice(0, PV_HOMES));
const hasBattery = new Set([
  ...order.slice(0, BATTERY_WITH_PV),
  ...order.slice(PV_HOMES, PV_HOMES + BATTERY_HOMES - BATTERY_WITH_PV),
]);

const agents = [];
const columns = []; // [name, values]
const summary = { loadMWh: 0, pvMWh: 0, batteryMWh: 0 };
for (let i = 0; i < HOMES; i++) {
  const bus = buses[Math.floor(rand() * buses.length)];
  const meanKw = uniform(0.3, 1.0);
  const morning = gauss(7.5, 0.4);
  const evening = gauss(19.5, 0.5);
  // A slowly varying ±10 % multiplicative noise (AR(1) over the quarter-hours).
  let noise = 0;
  const load = [];
  for (let t = 0; t < T; t++) {
    noise = 0.85 * noise + 0.15 * gauss(0, 0.25);
    const kw = Math.max(0.05, (meanKw * loadShape(hourOf(t), morning, evening) * (1 + noise)) / shapeMean);
    load.push(r7(kw / 1000));
  }
  const peak = Math.max(...load);
  summary.loadMWh += load.reduce((a, b) => a + b, 0) * DT;
  // Linear demand curve: 500 €/MWh for the first unit, still ≥ 420 €/MWh at the day's peak load.
  const home = {
    id: homeId(i),
    bus,
    costQuadratic: r2(80 / peak),
    costLinear: 500,
    powerMin: -peak,
    powerMax: 0,
    powerMinProfile: load.map((x) => -x),
    attributes: { type: "home" },
  };
  columns.push([`${home.id}.power_min`, home.powerMinProfile]);
  if (hasBattery.has(i)) {
    const capacity = r7(uniform(5, 13.5) / 1000);
    const power = r7(uniform(3, 5) / 1000);
    home.storage = {
      energyCapacity: capacity,
      chargeMax: power,
      dischargeMax: power,
      chargeEfficiency: 0.95,
      dischargeEfficiency: 0.95,
      socInitial: r7(0.2 * capacity),
      socFinalMin: r7(0.2 * capacity),
      socMin: r7(0.05 * capacity),
      socMax: capacity,
      throughputCost: 20,
    };
    home.attributes.battery = "yes";
    summary.batteryMWh += capacity;
  }
  agents.push(home);
  if (hasPv.has(i)) {
    const kwp = r2(uniform(3, 6));
    const tilt = uniform(0.85, 1.0);
    const pv = [];
    for (let t = 0; t < T; t++) pv.push(r7((kwp * pvShape(hourOf(t), tilt)) / 1000));
    summary.pvMWh += pv.reduce((a, b) => a + b, 0) * DT;
    const gen = {
      id: pvId(i),
      bus,
      // Near-zero marginal cost (a small quadratic term makes the dispatch unique).
      costQuadratic: r2(2 / (kwp / 1000)),
      costLinear: 1,
      powerMin: 0,
      powerMax: r7(kwp / 1000),
      powerMaxProfile: pv,
      attributes: { technology: "solar", owner: homeId(i) },
    };
    columns.push([`${gen.id}.power_max`, pv]);
    agents.push(gen);
  }
}
columns.push(["grid.import_price", importPrice], ["grid.export_price", exportPrice], ["charges.unit_fee", unitFee]);

const market = {
  name: "community-day",
  horizon: { periods: T, periodHours: DT, startTime: "2026-06-21T00:00:00+02:00" },
  agents,
  network: { bundledCase: "case33bw" },
  charges: { design: "CHARGE_DESIGN_ELECTRICAL_DISTANCE", unitFee: 0.6, unitFeeProfile: unitFee },
  grid: {
    bus: "1",
    importPrice: 260,
    exportPrice: 70,
    importPriceProfile: importPrice,
    exportPriceProfile: exportPrice,
  },
};

// One agent per line in the JSON, profiles inline: readable diffs when regenerated.
const json =
  "{\n" +
  `  "name": ${JSON.stringify(market.name)},\n` +
  `  "horizon": ${JSON.stringify(market.horizon)},\n` +
  `  "agents": [\n${agents.map((a) => `    ${JSON.stringify(a)}`).join(",\n")}\n  ],\n` +
  `  "network": ${JSON.stringify(market.network)},\n` +
  `  "charges": ${JSON.stringify(market.charges)},\n` +
  `  "grid": ${JSON.stringify(market.grid)}\n` +
  "}\n";
// A first column labels the periods (RFC 3339 start times, not read by the loader).
const start = Date.parse(market.horizon.startTime);
const label = (t) => new Date(start + (2 * 60 + t * DT * 60) * 60_000).toISOString().slice(0, 19) + "+02:00";
const csv =
  [
    ["time", ...columns.map(([n]) => n)].join(","),
    ...Array.from({ length: T }, (_, t) => [label(t), ...columns.map(([, v]) => String(v[t]))].join(",")),
  ].join("\n") + "\n";
writeFileSync(join(OUT, "community-day.json"), json);
writeFileSync(join(OUT, "community-day.csv"), csv);
process.stderr.write(
  `community-day (seed ${SEED}): ${HOMES} homes, ${PV_HOMES} PV, ${BATTERY_HOMES} batteries, ${agents.length} agents; ` +
    `load ${(summary.loadMWh * 1000).toFixed(1)} kWh/day, PV ${(summary.pvMWh * 1000).toFixed(1)} kWh/day, storage ${(summary.batteryMWh * 1000).toFixed(1)} kWh; ` +
    `wrote ${join(OUT, "community-day.json")} and community-day.csv\n`,
);
