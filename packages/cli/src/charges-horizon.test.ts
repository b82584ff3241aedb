import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ratedBundledCase } from "@peermarket/model";

const bin = fileURLToPath(new URL("../bin/peermarket.js", import.meta.url));

function run(args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", timeout: 120_000 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** case14 with every branch rated `rate` MVA (the bundled case has no ratings). */
const ratedCase14 = (rate: number): string => ratedBundledCase("case14", rate);

/** Three half-hour periods on case14 rated 15 MVA, a battery, time-of-use fees. */
function scenarioFile(dir: string): string {
  const scenario = {
    name: "feeder-day",
    horizon: { periods: 3, periodHours: 0.5, startTime: "2026-06-21T10:00:00Z" },
    network: { matpower: ratedCase14(15) },
    agents: [
      { id: "pv", bus: "2", costQuadratic: 0.1, costLinear: 5, powerMax: 80, powerMaxProfile: [80, 40, 5] },
      { id: "chp", bus: "6", costQuadratic: 0.2, costLinear: 40, powerMax: 50 },
      { id: "mall", bus: "9", costQuadratic: 0.5, costLinear: 110, powerMin: -60, powerMinProfile: [-30, -60, -45] },
      { id: "flats", bus: "14", costQuadratic: 0.5, costLinear: 95, powerMin: -40 },
      {
        id: "bat",
        bus: "4",
        storage: {
          energyCapacity: 20,
          chargeMax: 15,
          dischargeMax: 15,
          socInitial: 5,
          socFinalMin: 5,
          throughputCost: 0.5,
        },
      },
    ],
    grid: { bus: "1", importPrice: 120, exportPrice: 10 },
    charges: { design: "CHARGE_DESIGN_ELECTRICAL_DISTANCE", unitFee: 2, unitFeeProfile: [1, 2, 4] },
  };
  const path = join(dir, "feeder-day.json");
  writeFileSync(path, JSON.stringify(scenario));
  return path;
}

test("charges on a multi-period scenario: the per-period table, the lines' peak loadings, and per-period CSV files", () => {
  const dir = mkdtempSync(join(tmpdir(), "peermarket-charges-horizon-"));
  const file = scenarioFile(dir);
  const json = run(["charges", file, "--json"]);
  assert.equal(json.code, 0, json.stderr);
  const r = JSON.parse(json.stdout);
  assert.equal(r.periods, 3);
  assert.equal(r.periodCharges.length, 3);
  const sum = r.periodCharges.reduce((a: number, p: { totalCollected: number }) => a + p.totalCollected, 0);
  assert.ok(Math.abs(sum - r.totalCollected) <= 1e-9 * Math.max(1, r.totalCollected));

  const text = run(["charges", file, "--csv", join(dir, "csv")]);
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /3 periods of 0\.5 h/);
  assert.match(text.stdout, /^Periods$/m);
  assert.match(text.stdout, /collected €/);
  assert.match(text.stdout, /max loading %/);
  assert.match(text.stdout, /Lines at their peak over the horizon/);
  assert.match(text.stdout, /peak loading %/);
  assert.match(text.stdout, /2026-06-21T10:30:00Z/);

  const periods = readFileSync(join(dir, "csv", "periods.csv"), "utf8")
    .trim()
    .split("\n");
  assert.equal(periods.length, 4);
  assert.match(
    periods[0],
    /^period,start,unitFee,collected,traded_MWh,interZone_MWh,maxLoading_percent,overloadedBranches/,
  );
  const linesPeriods = readFileSync(join(dir, "csv", "lines_periods.csv"), "utf8")
    .trim()
    .split("\n");
  assert.equal(linesPeriods.length, 1 + 20 * 3);
  const header = linesPeriods[0].split(",");
  assert.deepEqual(header, [
    "branch",
    "period",
    "fromBus",
    "toBus",
    "flow_MW",
    "rateA_MW",
    "loading_pct",
    "overloaded",
  ]);
  // Rows agree with the JSON report: branch numbered from 1, loading in % of rateA.
  for (const row of linesPeriods.slice(1)) {
    const [branch, period, , , flow, rate, loading] = row.split(",").map(Number);
    const line = r.lines[branch - 1];
    assert.ok(Math.abs(flow - line.flowProfile[period]) <= 1e-9 * Math.max(1, Math.abs(flow)));
    assert.equal(rate, 15);
    assert.ok(Math.abs(loading - (100 * Math.abs(flow)) / 15) <= 1e-9 * Math.max(1, loading));
  }
  const lines = readFileSync(join(dir, "csv", "lines.csv"), "utf8")
    .trim()
    .split("\n");
  assert.match(lines[0], /peakLoading_percent,peakPeriod/);
  assert.match(readFileSync(join(dir, "csv", "trades.csv"), "utf8"), /^period,sellerId,buyerId/);
});
