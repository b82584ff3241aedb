import { test } from "node:test";
import assert from "node:assert/strict";
import { makeCharges, makeGrid, makeAgent, makeMarket, type Market, type Storage } from "@peermarket/model";
import { solveMarket } from "./solve.js";
import { periodStartTime } from "./horizon-solution.js";
import { verifyOutcome } from "./verify.js";

const tight = { epsAbs: 1e-8, epsRel: 1e-8, maxIter: 20000, warmStartSolutionId: "" };

function community(fields: Partial<Market> = {}): Market {
  return makeMarket({
    name: "c",
    agents: [
      makeAgent("pv", { costQuadratic: 0.5, costLinear: 5, powerMax: 6 }),
      makeAgent("home", { costQuadratic: 2, costLinear: 80, powerMin: -5, powerMax: 0 }),
      makeAgent("flex", { costQuadratic: 1, costLinear: 30, powerMin: -2, powerMax: 2 }),
    ],
    grid: makeGrid({ bus: "", importPrice: 90, exportPrice: 10 }),
    charges: makeCharges({ design: "CHARGE_DESIGN_UNIFORM", unitFee: 2, zoneDistances: [] }),
    ...fields,
  });
}

function battery(fields: Partial<Storage> = {}): Storage {
  return { energyCapacity: 10, chargeMax: 5, dischargeMax: 5, socInitial: 0, socMin: 0, throughputCost: 0, ...fields };
}

test("a horizon without profiles is T copies: T·Δ × the single-period objective", async () => {
  const single = await solveMarket(community(), { settings: tight });
  assert.equal(single.solution.status, "SOLVE_STATUS_SOLVED");
  for (const [T, dt] of [
    [3, 1],
    [4, 0.25],
  ]) {
    const multi = await solveMarket(community({ horizon: { periods: T, periodHours: dt, startTime: "" } }), {
      settings: tight,
    });
    const s = multi.solution;
    assert.equal(s.status, "SOLVE_STATUS_SOLVED");
    assert.equal(s.periods, T);
    assert.equal(s.pairPeriodCount, single.solution.pairCount * T);
    assert.ok(
      Math.abs(s.objective - T * dt * single.solution.objective) <= 1e-9 * Math.abs(single.solution.objective) * T,
      `T=${T}: ${s.objective} vs ${T * dt * single.solution.objective}`,
    );
    assert.ok(
      Math.abs(s.networkRevenue - T * dt * single.solution.networkRevenue) <= 1e-9 * Math.max(1, s.networkRevenue),
    );
    for (const a of s.agents) {
      const b = single.solution.agents.find((x) => x.id === a.id)!;
      assert.equal(a.powerProfile!.length, T);
      assert.ok(Math.abs(a.power - b.power) <= 1e-9 * Math.max(1, Math.abs(b.power)), a.id);
      assert.ok(Math.abs(a.energyCost - T * dt * b.energyCost) <= 1e-9 * Math.max(1, Math.abs(b.energyCost)) * T, a.id);
    }
    assert.equal(s.periodResults!.length, T);
  }
});

test("storage arbitrage: the battery charges in the cheap period and discharges in the dear one (hand-computed optimum)", async () => {
  // A fixed load of 4 MW in both periods; the grid sells at 20 then 100 €/MWh and buys at 10 then
  // 90. The optimum: charge 5 MW in period 0 (import 9), discharge 5 in period 1 (serve the load,
  // export 1). Cost: 9·20 − 1·90 − 2·4·200 (the load's value) = −1510 €; without the battery −1120.
  const market = makeMarket({
    name: "arbitrage",
    horizon: { periods: 2, periodHours: 1, startTime: "2026-06-21T00:00:00+02:00" },
    agents: [
      makeAgent("load", { costLinear: 200, powerMin: -4, powerMax: -4 }),
      makeAgent("bat", { storage: battery() }),
    ],
    grid: makeGrid({
      bus: "",
      importPrice: 0,
      exportPrice: 0,
      importPriceProfile: [20, 100],
      exportPriceProfile: [10, 90],
    }),
  });
  const out = await solveMarket(market, { settings: tight });
  const s = out.solution;
  assert.equal(s.status, "SOLVE_STATUS_SOLVED");
  assert.ok(Math.abs(s.objective - -1510) <= 1e-5, `objective ${s.objective}`);
  const bat = s.agents.find((a) => a.id === "bat")!;
  const close = (x: number[] | undefined, y: number[], what: string) =>
    x!.forEach((v, i) => assert.ok(Math.abs(v - y[i]) <= 1e-5, `${what}: ${x} vs ${y}`));
  close(bat.chargeProfile, [5, 0], "charge");
  close(bat.dischargeProfile, [0, 5], "discharge");
  close(bat.socProfile, [5, 0], "soc");
  close(bat.powerProfile, [-5, 5], "net power");
  close(bat.ownPowerProfile, [0, 0], "own power");
  assert.ok(Math.abs(bat.power) <= 1e-5, "average power");
  assert.equal(bat.simultaneousChargeDischarge, false);
  const pr = s.periodResults!;
  assert.ok(
    Math.abs(pr[0].gridImport - 9) <= 1e-5 && Math.abs(pr[1].gridExport - 1) <= 1e-5 && pr[1].gridImport <= 1e-5,
  );
  assert.equal(pr[1].startTime, "2026-06-21T01:00:00+02:00");
  assert.ok(Math.abs(pr[1].tradedEnergy - 4) <= 1e-5, "the load buys 4 MWh from the battery");
  // The battery's energy is worth between the prices of the two periods.
  assert.ok(pr[1].priceMin >= 90 - 1e-4 && pr[1].priceMax <= 100 + 1e-4);
  // Trades carry their period; only those with power are listed.
  assert.ok(s.trades.every((t) => t.power > 0 && (t.period === 0 || t.period === 1)));
  assert.ok(
    s.trades.some(
      (t) => t.period === 1 && t.sellerId === "bat" && t.buyerId === "load" && Math.abs(t.power - 4) <= 1e-5,
    ),
  );
  assert.equal(s.pairPeriodCount, s.pairCount * 2);
});

test("a lossy battery forced to absorb power charges and discharges at once, and the solution says so", async () => {
  // 3 MW must be taken in one hour by a battery of 1 MWh with 50 % efficiency each way: only
  // charging while discharging fits (E = 0.5·c − 2·d ∈ [0, 1] with c − d = 3: d ∈ [⅓, 1]); the
  // throughput cost picks the least, c = 3⅓, d = ⅓.
  const market = makeMarket({
    name: "burn",
    agents: [
      makeAgent("must-run", { costLinear: 1, powerMin: 3, powerMax: 3 }),
      makeAgent("bat", {
        storage: battery({ energyCapacity: 1, chargeEfficiency: 0.5, dischargeEfficiency: 0.5, throughputCost: 1 }),
      }),
    ],
  });
  const out = await solveMarket(market, { settings: tight });
  const s = out.solution;
  assert.equal(s.status, "SOLVE_STATUS_SOLVED");
  const bat = s.agents.find((a) => a.id === "bat")!;
  assert.ok(
    Math.abs(bat.chargeProfile![0] - 10 / 3) <= 1e-5 && Math.abs(bat.dischargeProfile![0] - 1 / 3) <= 1e-5,
    `${bat.chargeProfile} ${bat.dischargeProfile}`,
  );
  assert.equal(bat.simultaneousChargeDischarge, true);
  assert.match(s.statusMessage, /storage of "bat" charged and discharged in the same period/);
});

test("must-run power that nobody can take in one period is PRIMAL_INFEASIBLE, naming the agent and the period", async () => {
  const market = makeMarket({
    name: "stuck",
    horizon: { periods: 3, periodHours: 1, startTime: "" },
    agents: [
      makeAgent("gen", { costLinear: 5, powerMin: 0, powerMax: 8, powerMinProfile: [0, 0, 6] }),
      makeAgent("use", { costLinear: 50, powerMin: -4, powerMax: 0 }),
    ],
  });
  const out = await solveMarket(market);
  assert.equal(out.solution.status, "SOLVE_STATUS_PRIMAL_INFEASIBLE");
  assert.match(out.solution.statusMessage, /"gen" in period 2/);
});

test("time-of-use fees charge each period its own fee", async () => {
  const flat = await solveMarket(community({ horizon: { periods: 2, periodHours: 1, startTime: "" } }), {
    settings: tight,
  });
  const tou = await solveMarket(
    community({
      horizon: { periods: 2, periodHours: 1, startTime: "" },
      charges: { design: "CHARGE_DESIGN_UNIFORM", unitFee: 2, zoneDistances: [], unitFeeProfile: [2, 0] },
    }),
    { settings: tight },
  );
  const f = flat.solution.periodResults!;
  const t = tou.solution.periodResults!;
  assert.ok(Math.abs(t[0].networkRevenue - f[0].networkRevenue) <= 1e-6 * Math.max(1, f[0].networkRevenue));
  assert.ok(f[1].networkRevenue > 0);
  assert.equal(t[1].networkRevenue, 0);
});

test("period start times keep the offset they are written in", () => {
  assert.equal(periodStartTime("2026-06-21T00:00:00+02:00", 0.25), "2026-06-21T00:15:00+02:00");
  assert.equal(periodStartTime("2026-06-21T23:45:00Z", 0.5), "2026-06-22T00:15:00Z");
  assert.equal(periodStartTime("", 1), "");
});

test("--verify of a multi-period market without storage: HiGHS on the period agents, money over the horizon", async () => {
  const out = await solveMarket(community({ horizon: { periods: 3, periodHours: 0.5, startTime: "" } }), {
    settings: tight,
  });
  const v = await verifyOutcome(out, { timeLimit: 60 });
  assert.ok(v.referenceSolver !== "", v.referenceMessage);
  assert.ok(v.objectiveGap <= 1e-6, `gap ${v.objectiveGap}: ${out.solution.objective} vs ${v.referenceObjective}`);
  assert.ok(v.certificatePassed);
});

test("--verify of storage markets: the multi-period HiGHS reference agrees with the engine", async () => {
  const arbitrage = makeMarket({
    name: "arbitrage",
    horizon: { periods: 2, periodHours: 1, startTime: "" },
    agents: [
      makeAgent("load", { costLinear: 200, powerMin: -4, powerMax: -4 }),
      makeAgent("bat", { storage: battery() }),
    ],
    grid: makeGrid({
      bus: "",
      importPrice: 0,
      exportPrice: 0,
      importPriceProfile: [20, 100],
      exportPriceProfile: [10, 90],
    }),
  });
  const out = await solveMarket(arbitrage, { settings: tight });
  const v = await verifyOutcome(out, { timeLimit: 60 });
  assert.ok(v.referenceSolver !== "", v.referenceMessage);
  assert.ok(Math.abs(v.referenceObjective - -1510) <= 1e-6, `reference ${v.referenceObjective}`);
  assert.ok(v.objectiveGap <= 1e-7, `gap ${v.objectiveGap}`);
  assert.ok(v.certificatePassed, JSON.stringify(v));
  assert.ok(v.maxRegret !== undefined && v.maxRegret <= 1e-3, `regret ${v.maxRegret}`);
  // The certificate can fail: at a price of the battery's sale raised by 20 €/MWh, the load would
  // rather have bought from the grid, and the battery would rather have sold more.
  const sol = out.result.solution;
  const x = out.expanded;
  const bat = x.horizon!.agentIds.indexOf("bat");
  const k = x.arrays.tradeStart[bat * 2 + 1];
  sol.price[k] += 20;
  sol.price[x.arrays.mirror[k]] += 20;
  const bad = await verifyOutcome(out, { timeLimit: 0 });
  assert.equal(bad.certificatePassed, false);
  assert.ok(bad.maxRegret! > 1, `regret ${bad.maxRegret}`);
  // Random communities over a few periods with lossy batteries, quadratic costs, profiles and fees.
  for (const seed of [1, 2, 3]) {
    let r = seed * 7919;
    const rnd = () => (r = (r * 16807) % 2147483647) / 2147483647;
    const T = 4;
    const prof = (f: (t: number) => number) => Array.from({ length: T }, (_, t) => f(t));
    const market = makeMarket({
      name: `random-${seed}`,
      horizon: { periods: T, periodHours: 0.5, startTime: "" },
      agents: [
        makeAgent("pv", {
          costQuadratic: 0.2 + rnd(),
          costLinear: 2,
          powerMax: 8,
          powerMaxProfile: prof((t) => 8 * Math.max(0, Math.sin((Math.PI * (t + 0.5)) / T))),
        }),
        makeAgent("home", {
          costQuadratic: 1 + rnd(),
          costLinear: 90,
          powerMin: -6,
          powerMax: 0,
          powerMinProfile: prof(() => -3 - 3 * rnd()),
        }),
        makeAgent("shop", { costQuadratic: 2 + rnd(), costLinear: 70 + 20 * rnd(), powerMin: -4, powerMax: 0 }),
        makeAgent("flex", {
          costQuadratic: 1,
          costLinear: 40,
          powerMin: -1,
          powerMax: 1,
          storage: battery({
            energyCapacity: 4,
            chargeMax: 2,
            dischargeMax: 3,
            chargeEfficiency: 0.9,
            dischargeEfficiency: 0.95,
            socInitial: 1,
            socMin: 0.5,
            throughputCost: 3 * rnd(),
          }),
        }),
        makeAgent("bess", {
          storage: battery({
            energyCapacity: 3,
            chargeMax: 2,
            dischargeMax: 2,
            chargeEfficiency: 0.92,
            dischargeEfficiency: 0.92,
            socInitial: 1.5,
            socFinalMin: 1,
          }),
        }),
      ],
      grid: makeGrid({
        bus: "",
        importPrice: 80,
        exportPrice: 10,
        importPriceProfile: prof((t) => 50 + 20 * t),
        exportPriceProfile: prof((t) => 5 + 5 * t),
      }),
      charges: { design: "CHARGE_DESIGN_UNIFORM", unitFee: 1, zoneDistances: [], unitFeeProfile: prof((t) => 1 + t) },
    });
    const o = await solveMarket(market, { settings: tight });
    assert.equal(o.solution.status, "SOLVE_STATUS_SOLVED", `seed ${seed}: ${o.solution.statusMessage}`);
    const w = await verifyOutcome(o, { timeLimit: 60 });
    assert.ok(w.referenceSolver !== "", `seed ${seed}: ${w.referenceMessage}`);
    assert.ok(
      w.objectiveGap <= 1e-6,
      `seed ${seed}: gap ${w.objectiveGap} (${o.solution.objective} vs ${w.referenceObjective})`,
    );
    assert.ok(w.maxPowerDifference <= 1e-4, `seed ${seed}: power difference ${w.maxPowerDifference}`);
    assert.ok(w.certificatePassed, `seed ${seed}: ${JSON.stringify(w)}`);
    assert.ok(
      w.maxRegret !== undefined && w.maxSocViolation !== undefined && w.maxSocViolation <= 1e-9,
      `seed ${seed}: ${JSON.stringify(w)}`,
    );
  }
});

test("cost recovery over a horizon: the target is money over the horizon", async () => {
  const target = 20;
  const charges = makeCharges({
    design: "CHARGE_DESIGN_UNIFORM",
    unitFee: 0,
    zoneDistances: [],
    targetRevenue: target,
  });
  const single = await solveMarket(community({ charges }), { settings: tight });
  // Two periods of half an hour, copies of the single period: the same fee collects the same € in total.
  const multi = await solveMarket(community({ charges, horizon: { periods: 2, periodHours: 0.5, startTime: "" } }), {
    settings: tight,
  });
  assert.ok(single.solution.costRecovery?.reachable && multi.solution.costRecovery?.reachable);
  assert.equal(multi.solution.costRecovery!.targetRevenue, target);
  assert.ok(
    Math.abs(multi.solution.unitFee - single.solution.unitFee) <= 1e-6 * Math.max(1, single.solution.unitFee),
    `${multi.solution.unitFee} vs ${single.solution.unitFee}`,
  );
  assert.ok(Math.abs(multi.solution.networkRevenue - target) <= 1e-3 * target, `${multi.solution.networkRevenue}`);
});
