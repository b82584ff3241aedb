import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseMarketJson } from "@peermarket/model";

const bin = fileURLToPath(new URL("../bin/peermarket.js", import.meta.url));
const case39b = fileURLToPath(new URL("../../model/cases/case39b_31a.m", import.meta.url));

function run(args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", timeout: 120_000 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

test("solve --json prints only the Solution as proto3 JSON: case39b_31a clears at 57.23 €/MWh", () => {
  const r = run(["solve", case39b, "--json"]);
  assert.equal(r.code, 0, r.stderr);
  const s = JSON.parse(r.stdout);
  assert.equal(s.status, "SOLVE_STATUS_SOLVED");
  assert.equal(s.agents.length, 31);
  const active = s.trades.filter((t: { power?: number }) => (t.power ?? 0) > 1e-6);
  // Which equal-price sellers serve whom is not unique (README, "Results"); the volume is: what the sellers sell.
  assert.ok(active.length >= 21, `${active.length} trades carry power`);
  const sold = s.agents
    .filter((a: { power: number }) => a.power > 0)
    .reduce((x: number, a: { power: number }) => x + a.power, 0);
  const traded = active.reduce((x: number, t: { power: number }) => x + t.power, 0);
  assert.ok(Math.abs(traded - sold) < 1e-6 * sold, `traded ${traded}, sold ${sold}`);
  for (const t of active) assert.ok(Math.abs(t.price - 57.23) <= 0.01, `${t.sellerId}→${t.buyerId}: ${t.price}`);
  assert.ok(s.objective < -92000 && s.objective > -93000);
});

test("solve --verify agrees with HiGHS and passes the certificate; tables without --json", () => {
  const dir = mkdtempSync(join(tmpdir(), "pm-cli-"));
  const out = join(dir, "solution.json");
  const r = run(["solve", "case39b_31a", "--verify", "--out", out]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /status:\s+solved/);
  assert.match(r.stdout, /reference \(highs-qp\)/);
  assert.match(r.stdout, /certificate:\s+passed/);
  const s = JSON.parse(readFileSync(out, "utf8"));
  assert.ok(s.verification.certificatePassed);
  assert.ok(s.verification.objectiveGap < 1e-6, `gap ${s.verification.objectiveGap}`);
});

test("bad input: one line naming the field, exit code 2", () => {
  const dir = mkdtempSync(join(tmpdir(), "pm-cli-"));
  const bad = join(dir, "bad.json");
  writeFileSync(bad, JSON.stringify({ agents: [{ id: "a", powerMin: 5, powerMax: -5 }, { id: "a" }] }));
  const r = run(["solve", bad, "--json"]);
  assert.equal(r.code, 2);
  assert.equal(r.stdout, "");
  const lines = r.stderr.trim().split("\n");
  assert.equal(lines.length, 1, r.stderr);
  assert.match(lines[0], /agents\[0\]\.powerMin/);
  const unknown = join(dir, "unknown.json");
  writeFileSync(unknown, JSON.stringify({ agents: [{ id: "a", powerMaxx: 1 }] }));
  const u = run(["solve", unknown]);
  assert.equal(u.code, 2);
  assert.match(u.stderr, /agents\[0\]\.powerMaxx: unknown field/);
  const flag = run(["solve", case39b, "--eps-abs", "abc"]);
  assert.equal(flag.code, 2);
  assert.match(flag.stderr, /--eps-abs: expected a number/);
  const setting = run(["solve", case39b, "--alpha", "3"]);
  assert.equal(setting.code, 2);
  assert.match(setting.stderr, /alpha/);
  assert.equal(run(["frobnicate"]).code, 2);
});

test("an infeasible market is reported with its reason and exit code 3", () => {
  const dir = mkdtempSync(join(tmpdir(), "pm-cli-"));
  const file = join(dir, "infeasible.json");
  writeFileSync(
    file,
    JSON.stringify({
      agents: [
        { id: "plant", costLinear: 10, powerMin: 50, powerMax: 100 },
        { id: "home", costLinear: 40, costQuadratic: 1, powerMin: -30 },
      ],
    }),
  );
  const r = run(["solve", file, "--json"]);
  assert.equal(r.code, 3);
  const s = JSON.parse(r.stdout);
  assert.equal(s.status, "SOLVE_STATUS_PRIMAL_INFEASIBLE");
  assert.match(s.statusMessage, /plant/);
});

test("network flags: charges on a JSON scenario with a bundled network, and the DSO report", () => {
  const dir = mkdtempSync(join(tmpdir(), "pm-cli-"));
  const r = run(["charges", case39b, "--charges", "distance", "--unit-fee", "10", "--json"]);
  assert.equal(r.code, 0, r.stderr);
  const report = JSON.parse(r.stdout);
  assert.equal(report.design, "CHARGE_DESIGN_ELECTRICAL_DISTANCE");
  assert.ok(Math.abs(report.tradedVolume - 1792.8) < 0.5, `traded ${report.tradedVolume}`);
  assert.equal(report.lines.length, 46);
  const csv = run(["charges", case39b, "--charges", "zonal", "--unit-fee", "10", "--csv", join(dir, "csv")]);
  assert.equal(csv.code, 0, csv.stderr);
  for (const f of ["trades.csv", "agents.csv", "zones.csv", "zone_flows.csv", "lines.csv"])
    assert.ok(existsSync(join(dir, "csv", f)), f);
  // A JSON scenario without a network gets one with --network.
  const scenario = join(dir, "community.json");
  writeFileSync(
    scenario,
    JSON.stringify({
      agents: [
        { id: "pv", bus: "2", costQuadratic: 0.1, costLinear: 10, powerMax: 50 },
        { id: "home", bus: "14", costQuadratic: 0.2, costLinear: 60, powerMin: -40 },
      ],
    }),
  );
  const withNet = run(["solve", scenario, "--network", "case14", "--charges", "distance", "--unit-fee", "2", "--json"]);
  assert.equal(withNet.code, 0, withNet.stderr);
  const s = JSON.parse(withNet.stdout);
  assert.ok(s.networkRevenue > 0);
  assert.equal(parseMarketJson(readFileSync(scenario, "utf8")).agents.length, 2);
});

test("charges --sweep writes the CSV and the four SVG plots for every design", () => {
  const dir = mkdtempSync(join(tmpdir(), "pm-cli-"));
  const r = run(["charges", case39b, "--sweep", "0:10:40", "--out-dir", dir]);
  assert.equal(r.code, 0, r.stderr);
  const csv = readFileSync(join(dir, "sweep.csv"), "utf8").trim().split("\n");
  assert.equal(csv.length, 1 + 3 * 5);
  for (const f of [
    "sweep_revenue.svg",
    "sweep_tradedVolume.svg",
    "sweep_interZoneVolume.svg",
    "sweep_maxLoading.svg",
  ]) {
    assert.equal((readFileSync(join(dir, f), "utf8").match(/<polyline/g) ?? []).length, 3, f);
  }
});
