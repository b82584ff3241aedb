import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const bin = fileURLToPath(new URL("../bin/peermarket.js", import.meta.url));
const community = fileURLToPath(new URL("../../../examples/community.json", import.meta.url));

function run(args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", timeout: 120_000 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

test("compare prints the members × rules table, who would leave and the exact core result", () => {
  const r = run(["compare", community]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /7 members/);
  assert.match(r.stdout, /bilateral bill €/);
  assert.match(r.stdout, /bilateral: in the core \(exact test, all 127 coalitions\)/);
  // Bill sharing in a balanced community pays the producers nothing: they would leave.
  assert.match(r.stdout, /bill sharing .* pv-school, pv-farm, chp-hospital, battery/);
});

test("compare --json and --csv: every rule budget-balanced, bilateral individually rational, CSV with units", () => {
  const dir = mkdtempSync(join(tmpdir(), "pm-compare-"));
  const r = run(["compare", community, "--json", "--csv", dir]);
  assert.equal(r.code, 0, r.stderr);
  const c = JSON.parse(r.stdout);
  assert.equal(c.mechanisms.length, 5);
  assert.deepEqual(
    c.mechanisms.map((m: { mechanism: string }) => m.mechanism),
    ["grid_only", "bill_sharing", "mid_market", "supply_demand_ratio", "bilateral"],
  );
  for (const m of c.mechanisms) assert.ok(m.budgetImbalance < 1e-9, `${m.mechanism}: ${m.budgetImbalance}`);
  const bilateral = c.mechanisms.find((m: { mechanism: string }) => m.mechanism === "bilateral");
  assert.deepEqual(bilateral.leavers, []);
  assert.equal(bilateral.core.blockingCount, 0);
  assert.equal(c.stability.method, "exact");
  const bills = readFileSync(join(dir, "bills.csv"), "utf8").split("\n");
  assert.equal(
    bills[0],
    "member,mechanism,power_mw,bill_eur,total_cost_eur,grid_only_cost_eur,saving_eur,individually_rational",
  );
  assert.equal(bills.filter((l) => l.length > 0).length, 1 + 5 * 7);
  assert.match(
    readFileSync(join(dir, "prices.csv"), "utf8"),
    /^period,mechanism,buy_price_eur_per_mwh,sell_price_eur_per_mwh,grid_payment_eur\n/,
  );
  assert.match(readFileSync(join(dir, "bills.svg"), "utf8"), /^<svg/);
  assert.match(readFileSync(join(dir, "prices.svg"), "utf8"), /^<svg/);
});

test("compare: a market without a grid is a one-line input error", () => {
  const dir = mkdtempSync(join(tmpdir(), "pm-compare-"));
  const file = join(dir, "nogrid.json");
  writeFileSync(
    file,
    JSON.stringify({
      name: "x",
      agents: [
        { id: "a", powerMax: 1, costLinear: 1 },
        { id: "b", powerMin: -1, costLinear: 50 },
      ],
    }),
  );
  const r = run(["compare", file]);
  assert.equal(r.code, 2, r.stdout);
  assert.match(r.stderr, /grid: comparing pricing rules needs a grid/);
});

test("compare: a small multi-period market with storage is compared (battery alone hand-checked)", () => {
  const dir = mkdtempSync(join(tmpdir(), "pm-compare-"));
  const file = join(dir, "battery.json");
  // η = 0.9 both ways, θ = 2 €/MWh: alone the battery buys 1 MW at 20 and sells 0.81 MW at 90: −49.28 €.
  writeFileSync(
    file,
    JSON.stringify({
      name: "battery-day",
      horizon: { periods: 2, periodHours: 1 },
      agents: [
        {
          id: "bat",
          storage: {
            energyCapacity: 10,
            chargeMax: 1,
            dischargeMax: 1,
            chargeEfficiency: 0.9,
            dischargeEfficiency: 0.9,
            socInitial: 0,
            throughputCost: 2,
          },
        },
        { id: "load", costQuadratic: 1, costLinear: 150, powerMin: -0.5 },
      ],
      grid: { importPrice: 20, exportPrice: 10, importPriceProfile: [20, 100], exportPriceProfile: [10, 90] },
    }),
  );
  const r = run(["compare", file, "--json", "--eps-abs", "1e-10", "--eps-rel", "1e-9", "--max-iter", "400000"]);
  assert.equal(r.code, 0, r.stderr);
  const c = JSON.parse(r.stdout);
  assert.equal(c.periods, 2);
  const bat = c.members.find((m: { id: string }) => m.id === "bat");
  assert.ok(Math.abs(bat.gridOnlyCost + 49.28) < 1e-6, `battery alone: ${bat.gridOnlyCost}`);
  const bilateral = c.mechanisms.find((m: { mechanism: string }) => m.mechanism === "bilateral");
  assert.equal(bilateral.core.blockingCount, 0);
  assert.deepEqual(bilateral.leavers, []);
  for (const m of c.mechanisms) assert.ok(m.budgetImbalance < 1e-9, `${m.mechanism}: ${m.budgetImbalance}`);
});
