import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { batteryCycles } from "./horizon-tables.js";

const bin = fileURLToPath(new URL("../bin/peermarket.js", import.meta.url));

function run(args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", timeout: 120_000 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** A fixed 4 MW load, a 10 MWh battery and a grid; the profiles come from the CSV. */
const scenario = {
  name: "arbitrage",
  horizon: { periods: 2, periodHours: 1, startTime: "2026-06-21T00:00:00Z" },
  agents: [
    { id: "load", costLinear: 200, powerMin: -4, powerMax: -4 },
    { id: "bat", storage: { energyCapacity: 10, chargeMax: 5, dischargeMax: 5 } },
  ],
  grid: { importPrice: 50, exportPrice: 10 },
};

test("solve --profiles day.csv: per-period table, battery cycles, and --csv files with units", () => {
  const dir = mkdtempSync(join(tmpdir(), "pm-mp-"));
  writeFileSync(join(dir, "market.json"), JSON.stringify(scenario));
  writeFileSync(join(dir, "day.csv"), "period,grid.import_price,grid.export_price\n0,20,10\n1,100,90\n");
  const r = run([
    "solve",
    join(dir, "market.json"),
    "--profiles",
    join(dir, "day.csv"),
    "--csv",
    join(dir, "out"),
    "--eps-abs",
    "1e-8",
    "--eps-rel",
    "1e-8",
    "--out",
    join(dir, "s.json"),
  ]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /2 periods of 1 h/);
  assert.match(
    r.stdout,
    /period\s+start\s+grid import MW\s+grid export MW\s+traded MWh\s+price min €\/MWh\s+price max €\/MWh/,
  );
  assert.match(r.stdout, /\n\s+1\s+2026-06-21T01:00:00Z\s/);
  // The battery moves 10 MWh: half a cycle of its 10 MWh.
  assert.match(r.stdout, /throughput MWh\s+cycles\n/);
  assert.match(r.stdout, /\nbat\s.*\s10(\.000)?\s+0\.500\n/);
  const s = JSON.parse(readFileSync(join(dir, "s.json"), "utf8"));
  assert.ok(Math.abs(s.objective - -1510) <= 1e-4, s.objective);
  const periods = readFileSync(join(dir, "out", "periods.csv"), "utf8")
    .trim()
    .split("\n");
  assert.equal(
    periods[0],
    "period,start_time,grid_import_MW,grid_export_MW,traded_energy_MWh,network_revenue_EUR,price_min_EUR_per_MWh,price_max_EUR_per_MWh",
  );
  assert.equal(periods.length, 3);
  assert.ok(Math.abs(Number(periods[1].split(",")[2]) - 9) <= 1e-5, periods[1]);
  const storage = readFileSync(join(dir, "out", "storage.csv"), "utf8")
    .trim()
    .split("\n");
  assert.match(storage[0], /^agent_id,energy_capacity_MWh,charged_MWh,discharged_MWh,throughput_MWh,cycles,/);
  assert.match(storage[1], /^bat,10,/);
  const ap = readFileSync(join(dir, "out", "agents_periods.csv"), "utf8")
    .trim()
    .split("\n");
  assert.equal(
    ap[0],
    "agent_id,period,start_time,power_MW,own_power_MW,charge_MW,discharge_MW,soc_MWh,marginal_price_EUR_per_MWh",
  );
  assert.equal(ap.length, 1 + 4 * 2);
  const trades = readFileSync(join(dir, "out", "trades.csv"), "utf8")
    .trim()
    .split("\n");
  assert.match(
    trades[0],
    /^period,start_time,seller_id,buyer_id,power_MW,energy_MWh,price_EUR_per_MWh,network_charge_EUR$/,
  );
  assert.ok(
    trades.slice(1).some((l) => /^1,2026-06-21T01:00:00Z,bat,load,4(\.\d+)?,/.test(l)),
    trades.join("\n"),
  );
});

test("a bad profiles CSV is exit 2 with one line naming the row and the column", () => {
  const dir = mkdtempSync(join(tmpdir(), "pm-mp-"));
  writeFileSync(join(dir, "market.json"), JSON.stringify(scenario));
  writeFileSync(join(dir, "day.csv"), "grid.import_price,bat.power_max\n20,0\n100,x\n");
  const r = run(["solve", join(dir, "market.json"), "--profiles", join(dir, "day.csv")]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^peermarket solve: .*day\.csv:3:5: row 2, column "bat\.power_max": not a number: "x"\n$/);
});

test("battery cycles are throughput over twice the capacity", () => {
  assert.equal(batteryCycles(10, 10), 0.5);
  assert.equal(batteryCycles(5, 0), 0);
});
