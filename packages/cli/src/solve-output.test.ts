import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { closeSync, mkdtempSync, openSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { type SolveOutcome, solveMarket } from "@peermarket/market";
import { makeCharges, readScenarioFlags, type Solution, toProtoJson } from "@peermarket/model";
import { keepActiveTrades, type OutputSolution, withTradeRows, writeSolutionJson } from "./solve-command.js";

const bin = fileURLToPath(new URL("../bin/peermarket.js", import.meta.url));
const case39b = fileURLToPath(new URL("../../model/cases/case39b_31a.m", import.meta.url));
const community = fileURLToPath(new URL("../../../examples/community.json", import.meta.url));
const communityDay = fileURLToPath(new URL("../../../examples/community-day.json", import.meta.url));

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

function jsonText(solution: OutputSolution): string {
  let text = "";
  writeSolutionJson(solution, (c) => {
    text += c;
  });
  return text;
}

/**
 * The trades of a solve as the Solution defines them, computed here from the engine's arrays on
 * their own: per pair, the selling side (or for an idle pair the side that could sell), power |p|,
 * the price and the charges of both sides. Multi-period (T > 1 periods of Δ hours): the (pair,
 * period) entries q·T + t with power, period by period, their charge over Δ.
 */
function expectedTrades(o: SolveOutcome): Solution["trades"] {
  const x = o.expanded;
  const { trade, price } = o.result.solution;
  const T = x.horizon?.periods ?? 1;
  const hours = x.horizon?.periodHours ?? 1;
  const pairs = x.pairFirst.length / T;
  const out: Solution["trades"] = [];
  for (let period = 0; period < T; period++)
    for (let p = 0; p < pairs; p++) {
      const q = p * T + period;
      const kf = x.tradeOfFirst[q];
      const ks = x.tradeOfSecond[q];
      const t = trade[kf];
      if (T > 1 && t === 0) continue;
      const firstSells = t > 0 || (t === 0 && x.arrays.hi[kf] > 0);
      const [s, b] = firstSells ? [kf, ks] : [ks, kf];
      const charge = x.chargeSell[s] + x.chargeBuy[b];
      out.push({
        sellerId: x.agentIds[firstSells ? x.pairFirst[q] : x.pairSecond[q]],
        buyerId: x.agentIds[firstSells ? x.pairSecond[q] : x.pairFirst[q]],
        power: Math.abs(t),
        price: price[kf],
        networkCharge: x.horizon ? hours * Math.abs(t) * charge : Math.abs(t) * charge,
        period,
      });
    }
  return out;
}

const scenarios: [string, () => ReturnType<typeof readScenarioFlags>][] = [
  ["case39b_31a (idle pairs)", () => readScenarioFlags(case39b)],
  [
    "case39b_31a with electrical-distance charges",
    () => ({
      ...readScenarioFlags(case39b),
      charges: makeCharges({ design: "CHARGE_DESIGN_ELECTRICAL_DISTANCE", unitFee: 10 }),
    }),
  ],
  ["the community (preferences, charges, a grid)", () => readScenarioFlags(community)],
];

for (const [name, load] of scenarios) {
  test(`${name}: the JSON streamed from the trade rows is the Solution's JSON with its Trade objects, byte for byte`, async () => {
    const o = await solveMarket(load());
    const s = o.solution;
    assert.ok(o.tradeRows, "a single-period solve has trade rows");
    assert.equal(s.trades.length, s.pairCount);
    // The Trade objects are the trades as defined, and balance every agent's power.
    assert.deepEqual(s.trades, expectedTrades(o));
    const net = new Map<string, number>();
    for (const t of s.trades) {
      net.set(t.sellerId, (net.get(t.sellerId) ?? 0) + t.power);
      net.set(t.buyerId, (net.get(t.buyerId) ?? 0) - t.power);
    }
    for (const a of s.agents)
      assert.ok(Math.abs((net.get(a.id) ?? 0) - a.power) <= 1e-9 * (1 + Math.abs(a.power)), a.id);
    assert.ok(
      s.trades.some((t) => t.power === 0),
      "idle pairs are listed",
    );
    if (name.includes("charges") || name.includes("community"))
      assert.ok(
        s.trades.some((t) => t.networkCharge > 0),
        "charged trades",
      );

    const objects = jsonText(s);
    assert.equal(objects, `${JSON.stringify(toProtoJson("Solution", s, { emitDefaults: true }), null, 2)}\n`);
    const streamed = jsonText(withTradeRows({ ...s, trades: [] }, o.tradeRows, false));
    assert.equal(streamed, objects);

    // --active-trades: the pairs with power, tradesTruncated set.
    const kept = { ...s, trades: [...s.trades] };
    keepActiveTrades(kept);
    assert.equal(kept.tradesTruncated, true);
    const activeText = jsonText(withTradeRows({ ...s, trades: [] }, o.tradeRows, true));
    assert.equal(activeText, jsonText(kept));
    assert.equal(JSON.parse(activeText).trades.length, kept.trades.length);

    // Without Trade objects (tradeObjects: false) the Solution lists none; streamed, its JSON is
    // that of the same solve with them (the timings and creation time aside: another solve).
    const lean = await solveMarket(load(), { tradeObjects: false });
    assert.deepEqual(lean.solution.trades, []);
    assert.equal(lean.solution.pairCount, s.pairCount);
    assert.deepEqual(lean.tradeRows!.toArray(), s.trades);
    assert.equal(untimed(jsonText(withTradeRows(lean.solution, lean.tradeRows!, false))), untimed(objects));
  });
}

test("a day of quarter-hours with batteries and network charges: the JSON streamed from its trade rows is the Solution's JSON with its Trade objects, byte for byte", async () => {
  // Converged or not, rows and objects are read from the same arrays: a short solve will do.
  const settings = { maxIter: 40, polish: false, warmStartSolutionId: "" };
  const o = await solveMarket(readScenarioFlags(communityDay), { settings });
  const s = o.solution;
  assert.ok((s.periods ?? 0) > 1 && (s.periodHours ?? 1) !== 1, `${s.periods} periods of ${s.periodHours} h`);
  assert.ok(o.tradeRows, "a multi-period solve has trade rows");
  // The (pair, period) entries that carry power, some in later periods, some charged.
  assert.ok(s.trades.length > 0 && s.trades.length < (s.pairPeriodCount ?? 0), `${s.trades.length} trades`);
  assert.ok(s.trades.every((t) => t.power > 0));
  assert.ok(s.trades.some((t) => t.period > 0));
  assert.ok(s.trades.some((t) => t.networkCharge > 0));
  // The Trade objects are the entries as defined.
  assert.deepEqual(s.trades, expectedTrades(o));
  assert.equal(o.tradeRows.length, s.trades.length);
  assert.deepEqual(o.tradeRows.toArray(), s.trades);
  const objects = jsonText(s);
  assert.equal(jsonText(withTradeRows({ ...s, trades: [] }, o.tradeRows, false)), objects);
  // Without Trade objects: none listed, the same text streamed.
  const lean = await solveMarket(readScenarioFlags(communityDay), { settings, tradeObjects: false });
  assert.deepEqual(lean.solution.trades, []);
  assert.equal(untimed(jsonText(withTradeRows(lean.solution, lean.tradeRows!, false))), untimed(objects));
});

/** A Solution's JSON text without the fields that differ between two solves of the same market. */
function untimed(text: string): string {
  return text.replace(/"(createTime|solveTimeS|setupTimeS|polishTimeS)": [^\n,]*/g, '"$1": _');
}

test("solve --json streams its trades; its output is that of the Trade objects (the --csv path), with --active-trades and for a multi-period market", () => {
  const dir = mkdtempSync(join(tmpdir(), "pm-solve-rows-"));
  writeFileSync(
    join(dir, "day.json"),
    JSON.stringify({
      name: "two periods",
      horizon: { periods: 2, periodHours: 1 },
      agents: [
        { id: "load", costLinear: 200, powerMin: -4, powerMax: -4 },
        { id: "pv", costLinear: 1, powerMin: 0, powerMaxProfile: [3, 0] },
        { id: "idle", costLinear: 5, powerMin: 0, powerMax: 0 },
      ],
      grid: { importPrice: 50, exportPrice: 10 },
    }),
  );
  const cases: [string, string[]][] = [
    ["case39b_31a", [case39b]],
    ["case39b_31a --active-trades", [case39b, "--active-trades"]],
    ["the community", [community]],
    ["a multi-period market", [join(dir, "day.json")]],
  ];
  for (const [name, args] of cases) {
    const streamed = run(["solve", ...args, "--json"]);
    assert.equal(streamed.code, 0, `${name}: ${streamed.stderr}`);
    const objects = run(["solve", ...args, "--json", "--csv", join(dir, "csv")]);
    assert.equal(objects.code, 0, `${name}: ${objects.stderr}`);
    assert.ok(streamed.stdout.length > 1000, name);
    assert.equal(untimed(streamed.stdout), untimed(objects.stdout), name);
  }
  // Standard output redirected to a file: written from the byte buffer, the same text.
  const file = join(dir, "stdout.json");
  const fd = openSync(file, "w");
  const direct = spawnSync(process.execPath, [bin, "solve", case39b, "--json", "--active-trades"], {
    stdio: ["ignore", fd, "pipe"],
    encoding: "utf8",
    timeout: 120_000,
  });
  closeSync(fd);
  assert.equal(direct.status, 0, direct.stderr);
  const piped = run(["solve", case39b, "--json", "--active-trades"]);
  assert.equal(untimed(readFileSync(file, "utf8")), untimed(piped.stdout));
});
