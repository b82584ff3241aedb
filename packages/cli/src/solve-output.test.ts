import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { type Solution, toProtoJson } from "@peermarket/model";
import { keepActiveTrades, writeSolutionJson } from "./solve-command.js";

const bin = fileURLToPath(new URL("../bin/peermarket.js", import.meta.url));
const case39b = fileURLToPath(new URL("../../model/cases/case39b_31a.m", import.meta.url));

function run(args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", timeout: 120_000 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

test("solve streams the same JSON to stdout and --out, every field present; --active-trades lists the trades with power", () => {
  const dir = mkdtempSync(join(tmpdir(), "pm-solve-out-"));
  const all = run(["solve", case39b, "--json", "--out", join(dir, "all.json")]);
  assert.equal(all.code, 0, all.stderr);
  assert.equal(readFileSync(join(dir, "all.json"), "utf8"), all.stdout);
  assert.ok(all.stdout.endsWith("}\n"));
  const s = JSON.parse(all.stdout);
  // Every pair of the trading graph, idle ones included, with every field (zeros too).
  assert.equal(s.trades.length, s.pairCount);
  assert.equal(s.tradesTruncated, false);
  for (const t of s.trades)
    for (const k of ["sellerId", "buyerId", "power", "price", "networkCharge", "period"]) assert.ok(k in t, k);
  // Polished: idle pairs carry exactly 0.
  const idle = s.trades.filter((t: { power: number }) => t.power === 0).length;
  assert.ok(idle > 0, "case39b_31a has idle pairs");

  const active = run(["solve", case39b, "--json", "--active-trades"]);
  assert.equal(active.code, 0, active.stderr);
  const a = JSON.parse(active.stdout);
  assert.equal(a.tradesTruncated, true);
  assert.equal(a.pairCount, s.pairCount);
  assert.ok(a.trades.length > 0 && a.trades.length < s.trades.length);
  assert.ok(a.trades.every((t: { power: number }) => t.power > 0));
  // The active trades carry the whole volume: what the sellers sell.
  const sold = a.agents
    .filter((x: { power: number }) => x.power > 0)
    .reduce((v: number, x: { power: number }) => v + x.power, 0);
  const traded = a.trades.reduce((v: number, t: { power: number }) => v + t.power, 0);
  assert.ok(Math.abs(traded - sold) <= 1e-6 * sold, `traded ${traded}, sold ${sold}`);
});

test("writeSolutionJson writes JSON.stringify(toProtoJson(…, emitDefaults), null, 2) and a newline; keepActiveTrades", () => {
  const solution = {
    id: "x",
    status: "SOLVE_STATUS_SOLVED" as const,
    iterations: 3,
    primalResidual: 0,
    dualResidual: 1e-9,
    objective: -5,
    solveTimeS: 0.1,
    agents: [
      { id: "a", power: 2, marginalPrice: 3, energyCost: 1, tradeRevenue: 6, networkCharge: 0, preferenceCost: 0 },
      { id: "b", power: -2, marginalPrice: 3, energyCost: -1, tradeRevenue: -6, networkCharge: 0, preferenceCost: 0 },
    ],
    trades: [
      { sellerId: "a", buyerId: "b", power: 2, price: 3, networkCharge: 0 },
      { sellerId: "a", buyerId: "c", power: 0, price: 3, networkCharge: 0 },
    ],
    networkRevenue: 0,
    unitFee: 0,
    rho: 1,
    rhoUpdates: 0,
    statusMessage: "",
    setupTimeS: 0,
    marketName: "m",
    createTime: "2026-01-01T00:00:00Z",
    pairCount: 2,
    // the fields left out are at their proto3 defaults, as a writer must expect
  } as Solution;
  let text = "";
  writeSolutionJson(solution, (c) => {
    text += c;
  });
  assert.equal(text, `${JSON.stringify(toProtoJson("Solution", solution, { emitDefaults: true }), null, 2)}\n`);
  keepActiveTrades(solution);
  assert.deepEqual(
    solution.trades.map((t) => t.buyerId),
    ["b"],
  );
  assert.equal((solution as { tradesTruncated?: boolean }).tradesTruncated, true);
  text = "";
  writeSolutionJson(solution, (c) => {
    text += c;
  });
  assert.equal(JSON.parse(text).tradesTruncated, true);
});
