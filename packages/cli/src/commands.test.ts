import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parallelMinTrades } from "@peermarket/admm";
import { BUS_I, GEN_STATUS, parseMatpower, PD, PMAX, readBundledCase, type Solution } from "@peermarket/model";
import { fmt } from "./format.js";
import { statusBlock } from "./solution-tables.js";

const bin = fileURLToPath(new URL("../bin/peermarket.js", import.meta.url));

/** Runs the real command as a child process; a command that does not exit within `timeoutMs` fails the test. */
function run(
  args: string[],
  options: { timeoutMs?: number; cwd?: string } = {},
): { code: number; stdout: string; stderr: string } {
  const timeout = options.timeoutMs ?? 120_000;
  const r = spawnSync(process.execPath, [bin, ...args], {
    encoding: "utf8",
    timeout,
    cwd: options.cwd,
    maxBuffer: 256 << 20,
  });
  assert.equal(
    r.signal,
    null,
    `peermarket ${args.join(" ")} did not exit within ${timeout / 1000} s (killed by ${r.signal}); stderr: ${r.stderr}`,
  );
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

function tmp(): string {
  return mkdtempSync(join(tmpdir(), "pm-cli-cmd-"));
}

/** A market of n sellers and n buyers, every pair may trade: 2·n² directed trades. */
function bigMarket(n: number): object {
  const agents = [];
  for (let i = 0; i < n; i++) {
    agents.push({ id: `s${i}`, costQuadratic: 0.1 + 0.01 * i, costLinear: 10 + 0.1 * i, powerMax: 10 });
    agents.push({ id: `b${i}`, costQuadratic: 0.2 + 0.01 * i, costLinear: 60 - 0.1 * i, powerMin: -10 });
  }
  return { name: "big", agents };
}

test("solve exits when done on a market large enough for the shard threads (default workers and --workers 2)", () => {
  // A one-off solve starts the shard threads only where they repay their start-up (docs/admm.md).
  const n = Math.ceil(Math.sqrt(parallelMinTrades(false) / 2)) + 10;
  assert.ok(2 * n * n > parallelMinTrades(false), "the market must be large enough to run on several threads");
  const file = join(tmp(), "big.json");
  writeFileSync(file, JSON.stringify(bigMarket(n)));
  for (const extra of [[], ["--workers", "2"]]) {
    const r = run(["solve", file, "--json", ...extra], { timeoutMs: 60_000 });
    assert.equal(r.code, 0, r.stderr);
    const s = JSON.parse(r.stdout) as Solution;
    assert.equal(s.status, "SOLVE_STATUS_SOLVED");
    assert.equal(s.trades.length, n * n);
  }
  // charges runs the same solver
  // (polishing off: this market has no trade costs, so polishing would end it exact at iteration 1)
  const c = run(["charges", file, "--json", "--max-iter", "10", "--polish", "off"], { timeoutMs: 60_000 });
  assert.equal(c.code, 3, c.stderr); // not converged in 10 iterations: exit 3, and the process ends
});

test("every command answers --help with its usage and exit 0, and runs nothing", () => {
  for (const command of [
    "solve",
    "charges",
    "serve",
    "demo",
    "bench",
    "coordinator",
    "agent",
    "worker",
    "cases",
    "export",
    "python-client",
  ]) {
    const r = run([command, "--help"], { timeoutMs: 30_000 });
    assert.equal(r.code, 0, `${command} --help: ${r.stderr}`);
    assert.match(r.stdout, new RegExp(`^Usage: peermarket ${command}`), `${command} --help`);
  }
  const top = run(["--help"]);
  assert.equal(top.code, 0);
  for (const command of ["cases", "export", "python-client"]) assert.match(top.stdout, new RegExp(`\\n  ${command} `));
});

test("every command exits when done: demo, cases, export, coordinator, bench --list, and usage errors", () => {
  // The demo's community part on a tiny day (the bundled one takes tens of seconds).
  const community = join(tmp(), "community.json");
  writeFileSync(
    community,
    JSON.stringify({
      name: "tiny-community",
      horizon: { periods: 4, periodHours: 1, startTime: "2026-06-21T11:00:00+02:00" },
      agents: [
        {
          id: "home-1",
          costLinear: 500,
          powerMin: -1,
          powerMinProfile: [-1, -1, -1, -1],
          powerMaxProfile: [-1, -1, -1, -1],
          attributes: { type: "home" },
          storage: { energyCapacity: 1, chargeMax: 1, dischargeMax: 1, socInitial: 0, socMin: 0, throughputCost: 1 },
        },
        { id: "pv-1", costLinear: 1, powerMax: 2, powerMaxProfile: [2, 0, 0, 0], attributes: { owner: "home-1" } },
        {
          id: "home-2",
          costLinear: 500,
          powerMin: -1,
          powerMinProfile: [-1, -1, -1, -1],
          powerMaxProfile: [-1, -1, -1, -1],
          attributes: { type: "home" },
        },
        { id: "pv-2", costLinear: 1, powerMax: 1, powerMaxProfile: [1, 1, 0, 0], attributes: { owner: "home-2" } },
      ],
      grid: { importPrice: 300, exportPrice: 50 },
    }),
  );
  const demo = run(["demo", "--workers", "1", "--community", community], { timeoutMs: 120_000 });
  assert.equal(demo.code, 0, demo.stderr);
  assert.match(demo.stdout, /Stored solutions: sol_.*\(tiny-community\)/);
  assert.match(demo.stdout, /Member home-1 \+ pv-1 \(battery and PV\)/);
  assert.equal(run(["cases"]).code, 0);
  assert.equal(run(["bench", "--list"]).code, 0);
  const dir = tmp();
  assert.equal(run(["coordinator", "case39b_31a", "--split", join(dir, "split")]).code, 0);
  assert.equal(run(["export", "case14", "--out", join(dir, "case14.json")]).code, 0);
  for (const [args, message] of [
    [["solve", "case39b_31a", "--nope"], /Unknown option '--nope'/],
    [["cases", "--nope"], /Unknown option '--nope'/],
    [["demo", "--workers", "x"], /--workers: expected an integer/],
    [["export"], /missing the scenario/],
    [["python-client"], /expected one directory/],
  ] as const) {
    const r = run([...args]);
    assert.equal(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
    assert.match(r.stderr, message);
    assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
  }
});

test("settings flags are parsed once for every command: --adaptive-rho on works for solve and coordinator, bad values fail alike", () => {
  const solved = run(["solve", "case39b_31a", "--json", "--adaptive-rho", "on", "--eps-abs", "1e-6"]);
  assert.equal(solved.code, 0, solved.stderr);
  const local = run(
    [
      "coordinator",
      "case39b_31a",
      "--workers-remote",
      "0",
      "--local-threads",
      "1",
      "--port",
      "0",
      "--json",
      "--adaptive-rho",
      "on",
      "--eps-abs",
      "1e-6",
    ],
    { timeoutMs: 60_000 },
  );
  assert.equal(local.code, 0, local.stderr);
  const a = JSON.parse(solved.stdout) as Solution;
  const b = JSON.parse(local.stdout) as Solution;
  assert.equal(b.iterations, a.iterations, "the same settings reached both commands");
  assert.equal(b.objective, a.objective);
  const off = JSON.parse(
    run(["solve", "case39b_31a", "--json", "--adaptive-rho", "off", "--eps-abs", "1e-6"]).stdout,
  ) as Solution;
  assert.equal(off.rhoUpdates, 0);
  const badSolve = run(["solve", "case39b_31a", "--adaptive-rho", "maybe"]);
  const badCoordinator = run(["coordinator", "case39b_31a", "--negotiate", "--adaptive-rho", "maybe"]);
  assert.equal(badSolve.code, 2);
  assert.equal(badCoordinator.code, 2);
  assert.equal(badSolve.stderr.replace("solve", ""), badCoordinator.stderr.replace("coordinator", ""));
  const badIter = run(["coordinator", "case39b_31a", "--negotiate", "--max-iter", "1.5"]);
  assert.equal(badIter.code, 2);
  assert.match(badIter.stderr, /--max-iter: expected an integer, got "1\.5"/);
});

test("a bundled grid case alone cannot trade: solve warns and says how to make the loads buyers", () => {
  const r = run(["solve", "case14"]);
  assert.equal(r.code, 0);
  assert.match(r.stderr, /warning: nothing can trade: 5 agents can sell and 0 can buy/);
  assert.match(r.stderr, /--loads-as-buyers/);
  const ok = run(["solve", "case39b_31a", "--json"]);
  assert.doesNotMatch(ok.stderr, /warning/);
});

test("--loads-as-buyers VOLL: every load is served when the value of lost load exceeds every generator's cost and capacity suffices", () => {
  const c = parseMatpower(readBundledCase("case14"), "case14.m");
  const loads = c.bus.filter((b) => b[PD] > 0);
  const totalLoad = loads.reduce((s, b) => s + b[PD], 0);
  const capacity = c.gen.filter((g) => g[GEN_STATUS] > 0).reduce((s, g) => s + g[PMAX], 0);
  assert.ok(capacity > totalLoad);
  const r = run(["solve", "case14", "--loads-as-buyers", "1000", "--json", "--verify"]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, "");
  const s = JSON.parse(r.stdout) as Solution;
  assert.equal(s.status, "SOLVE_STATUS_SOLVED");
  assert.equal(s.agents.length, 5 + loads.length);
  for (const b of loads) {
    const a = s.agents.find((x) => x.id === `load${b[BUS_I]}`);
    assert.ok(a, `load${b[BUS_I]}`);
    assert.ok(Math.abs(a.power + b[PD]) < 1e-4 * b[PD], `load${b[BUS_I]} served ${-a.power} of ${b[PD]}`);
  }
  const sold = s.agents.filter((a) => a.id.startsWith("gen")).reduce((x, a) => x + a.power, 0);
  assert.ok(Math.abs(sold - totalLoad) < 1e-3, `generation ${sold} = load ${totalLoad}`);
  assert.ok(s.verification?.certificatePassed, "KKT certificate");
  assert.ok((s.verification?.objectiveGap ?? 1) < 1e-6, `HiGHS gap ${s.verification?.objectiveGap}`);
});

test("--loads-as-buyers linear:B:A: a demand curve, checked against HiGHS; bad specs are usage errors", () => {
  const r = run(["solve", "case39", "--loads-as-buyers", "linear:80:60", "--json", "--verify"]);
  assert.equal(r.code, 0, r.stderr);
  const s = JSON.parse(r.stdout) as Solution;
  assert.ok(s.verification?.certificatePassed);
  assert.ok((s.verification?.objectiveGap ?? 1) < 1e-6, `HiGHS gap ${s.verification?.objectiveGap}`);
  // Each load consumes where its value B − A·d/Pd meets the price, or all of Pd, or nothing.
  const c = parseMatpower(readBundledCase("case39"), "case39.m");
  for (const b of c.bus.filter((x) => x[PD] > 0)) {
    const a = s.agents.find((x) => x.id === `load${b[BUS_I]}`)!;
    const d = -a.power;
    assert.ok(Math.abs(a.marginalPrice - (80 - (60 * d) / b[PD])) < 1e-6 * 80, "marginal value of the curve");
    assert.ok(d >= -1e-6 && d <= b[PD] + 1e-6);
  }
  for (const spec of ["abc", "linear:1", "linear:x:1", "linear:10:-1"]) {
    const bad = run(["solve", "case14", "--loads-as-buyers", spec]);
    assert.equal(bad.code, 2, spec);
    assert.match(bad.stderr, /--loads-as-buyers: expected/);
  }
});

test("cases says what each case holds (counted from its data) and what it is for", () => {
  const r = run(["cases", "--json"]);
  assert.equal(r.code, 0);
  const infos = JSON.parse(r.stdout) as {
    name: string;
    buses: number;
    branches: number;
    gens: number;
    loads: number;
    buyers: number;
    purpose: string;
  }[];
  assert.equal(infos.length, 7);
  for (const info of infos) {
    const c = parseMatpower(readBundledCase(info.name), `${info.name}.m`);
    assert.equal(info.buses, c.bus.length, info.name);
    assert.equal(info.branches, c.branch.length, info.name);
    assert.equal(info.loads, c.bus.filter((b) => b[PD] > 0).length, info.name);
    assert.ok(info.purpose.length > 20, info.name);
  }
  assert.equal(infos.find((i) => i.name === "case39b_31a")?.buyers, 21);
  const text = run(["cases"]).stdout;
  assert.match(text, /case14\s+14\s+20\s+5\s+5\s+0\s+11\s+259\b/);
  assert.match(text, /--loads-as-buyers/);
});

test("export writes any scenario or case as scenario JSON that solves to the same answer", () => {
  const dir = tmp();
  const file = join(dir, "case39b.json");
  assert.equal(run(["export", "case39b_31a", "--out", file]).code, 0);
  const direct = JSON.parse(run(["solve", "case39b_31a", "--json"]).stdout) as Solution;
  const viaJson = JSON.parse(run(["solve", file, "--json"]).stdout) as Solution;
  assert.equal(viaJson.objective, direct.objective);
  assert.equal(viaJson.iterations, direct.iterations);
  const withLoads = run(["export", "case14", "--loads-as-buyers", "500"]);
  assert.equal(withLoads.code, 0, withLoads.stderr);
  const market = JSON.parse(withLoads.stdout) as {
    agents: { id: string; costLinear?: number }[];
    network: { matpower: string };
  };
  assert.equal(market.agents.filter((a) => a.id.startsWith("load")).length, 11);
  assert.ok(market.network.matpower.includes("mpc.bus"));
});

test("--json writes every field, zeros included; --csv writes agents.csv and trades.csv with units", () => {
  const dir = tmp();
  const r = run(["solve", "case39b_31a", "--json", "--csv", join(dir, "csv")]);
  assert.equal(r.code, 0, r.stderr);
  const s = JSON.parse(r.stdout) as Record<string, unknown> & Solution;
  for (const t of s.trades as unknown as Record<string, unknown>[]) {
    for (const k of ["sellerId", "buyerId", "power", "price", "networkCharge"]) assert.ok(k in t, `trade.${k}`);
  }
  assert.ok(
    s.trades.some((t) => t.power === 0),
    "zero trades are written with their power",
  );
  for (const a of s.agents as unknown as Record<string, unknown>[])
    for (const k of ["power", "networkCharge", "preferenceCost"]) assert.ok(k in a, `agent.${k}`);
  for (const k of ["networkRevenue", "unitFee", "rhoUpdates", "statusMessage"]) assert.ok(k in s, k);
  const agents = readFileSync(join(dir, "csv", "agents.csv"), "utf8")
    .trim()
    .split("\n");
  assert.equal(
    agents[0],
    "agent_id,power_MW,marginal_price_EUR_per_MWh,energy_cost_EUR_per_h,trade_revenue_EUR_per_h,network_charge_EUR_per_h,preference_cost_EUR_per_h",
  );
  assert.equal(agents.length, 1 + 31);
  const trades = readFileSync(join(dir, "csv", "trades.csv"), "utf8")
    .trim()
    .split("\n");
  assert.equal(trades[0], "seller_id,buyer_id,power_MW,price_EUR_per_MWh,network_charge_EUR_per_h");
  assert.equal(trades.length, 1 + s.trades.length);
});

test("human tables: integers as integers, the objective of an unconverged solve is not 'optimal'", () => {
  assert.equal(fmt(26), "26");
  assert.equal(fmt(26.5), "26.500");
  const base = {
    status: "SOLVE_STATUS_MAX_ITER_REACHED",
    statusMessage: "",
    iterations: 5,
    objective: -1,
    primalResidual: 1,
    dualResidual: 1,
    rho: 1,
    rhoUpdates: 0,
    setupTimeS: 0,
    solveTimeS: 0,
    unitFee: 0,
    networkRevenue: 0,
  } as unknown as Solution;
  assert.match(statusBlock(base), /objective \(not converged\): +-1\.0000/);
  assert.doesNotMatch(statusBlock(base), /optimal/);
  assert.match(statusBlock({ ...base, status: "SOLVE_STATUS_SOLVED" }), /optimal objective: +-1\.0000/);
  const r = run(["solve", "case39b_31a", "--max-iter", "3", "--polish", "off"]); // polished, it is exact at iteration 1
  assert.equal(r.code, 3);
  assert.match(r.stdout, /objective \(not converged\)/);
  assert.match(r.stdout, /power MW/);
});

test("charges: loadings in %, branches numbered from 1, rateA = 0 shown as unlimited", () => {
  const dir = tmp();
  // case14's branches have rateA = 0 (unlimited in MATPOWER)
  const r = run([
    "charges",
    "case14",
    "--loads-as-buyers",
    "1000",
    "--charges",
    "distance",
    "--unit-fee",
    "1",
    "--csv",
    join(dir, "csv"),
  ]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /loading %/);
  assert.match(r.stdout, /unlimited/);
  const lines = readFileSync(join(dir, "csv", "lines.csv"), "utf8")
    .trim()
    .split("\n");
  assert.equal(lines[0], "branch,fromBus,toBus,flow_MW,rateA_MW,loading_percent,overloaded,inService");
  assert.match(lines[1], /^1,1,2,[-\d.e]+,,,false,true$/);
  const rated = run(["charges", "case39b_31a", "--charges", "distance", "--unit-fee", "10"]);
  assert.match(rated.stdout, /max line loading \d+\.\d %/);
  const branches = [...rated.stdout.matchAll(/^ +(\d+) +\d+ +\d+ +-?[\d.]+ +\d+ +(\d+\.\d)/gm)].map((m) =>
    Number(m[1]),
  );
  assert.ok(branches.length > 0 && branches.every((b) => b >= 1 && b <= 46), branches.join(","));
});

test("bench --smoke names the files where it wrote them, and exits", () => {
  const dir = join(tmp(), "bench");
  const r = run(["bench", "floor", "--smoke", "--out-dir", dir], { timeoutMs: 300_000 });
  assert.equal(r.code, 0, r.stderr);
  assert.ok(r.stdout.includes(`\`${dir}/floor.csv\``), r.stdout);
  assert.doesNotMatch(r.stdout, /`results\//);
  assert.match(r.stderr, new RegExp(`wrote \\d+ files? to ${dir}: .*floor\\.csv`));
});
