import assert from "node:assert/strict";
import { test } from "node:test";
import { xorshift32 } from "@peermarket/admm";
import { solveMarket } from "@peermarket/market";
import { makeGrid, type Agent, makeAgent, makeMarket, type Market } from "@peermarket/model";
import { solveReferenceMultiPeriod } from "@peermarket/reference";
import { randomStorageMarket } from "./storage-cases.js";
import {
  allCoalitionValues,
  allCoalitionValuesParallel,
  COALITION_SETTINGS,
  CoalitionValuer,
  type Community,
  communityOf,
  compareMechanisms,
  exactCore,
  gridOnly,
  prepareStorageGridOnly,
  storageLagrangian,
} from "./index.js";

const close = (a: number, b: number, tol: number, what = "") =>
  assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} vs ${b} (tol ${tol})`);

const SETTINGS = { warmStartSolutionId: "", epsAbs: 1e-10, epsRel: 1e-9, maxIter: 400_000 };

/** A battery alone: no own power, a storage with losses and a throughput cost. */
function battery(id: string, fields: Partial<NonNullable<Agent["storage"]>> = {}): Agent {
  return makeAgent(id, {
    storage: {
      energyCapacity: 10,
      chargeMax: 1,
      dischargeMax: 1,
      chargeEfficiency: 0.9,
      dischargeEfficiency: 0.9,
      socInitial: 0,
      socMin: 0,
      throughputCost: 2,
      ...fields,
    },
  });
}

async function clearedCommunity(market: Market): Promise<Community> {
  const o = await solveMarket(market, { settings: SETTINGS });
  assert.equal(o.solution.status, "SOLVE_STATUS_SOLVED", `${market.name}: ${o.solution.statusMessage}`);
  const s = o.result.solution;
  const c = communityOf(o.expanded, s.trade, s.price, s.charge, s.discharge);
  await prepareStorageGridOnly(c);
  return c;
}

test("grid only of a battery with losses, hand-computed: charge cheap, discharge dear", async () => {
  // T = 2, Δ = 1 h, import 20 then 100 €/MWh, export 10 then 90; η = 0.9 both ways, θ = 2 €/MWh.
  // Charging 1 MW in period 0 stores 0.9 MWh; it returns 0.81 MW in period 1 and must end at 0.
  // Cost: 1·20 + 2·1 (buy, throughput) + 2·0.81 − 90·0.81 = 22 + 1.62 − 72.9 = −49.28 € (each
  // unit charged is worth 0.81·(90 − 2) − 22 > 0, so full power is optimal).
  const market = makeMarket({
    name: "battery-alone",
    agents: [
      battery("bat"),
      makeAgent("load", { costQuadratic: 1, costLinear: 150, powerMin: -0.5, powerMinProfile: [-0.5, -0.5] }),
    ],
    grid: makeGrid({
      bus: "",
      importPrice: 20,
      exportPrice: 10,
      importPriceProfile: [20, 100],
      exportPriceProfile: [10, 90],
    }),
    horizon: { periods: 2, periodHours: 1, startTime: "" },
  });
  const c = await clearedCommunity(market);
  const g = gridOnly(c);
  close(g[0].cost, -49.28, 1e-6, "battery's grid-only cost");
  close(g[0].periodPower[0], -1, 1e-7, "charges 1 MW");
  close(g[0].periodPower[1], 0.81, 1e-7, "discharges 0.81 MW");
  close(g[0].energyCost, 2 * 1.81, 1e-6, "its energy cost is the throughput cost");
  close(g[0].payment, 20 - 72.9, 1e-6, "it pays the grid 20 € and receives 72.9 €");
  close(
    g[0].energyCost + g[0].networkCharges + g[0].preferenceCost + g[0].payment,
    g[0].cost,
    1e-6,
    "the parts add up",
  );
  // The load alone: f(p) = ½p² + 150p at p = −0.5 (its value 150 > 100 €/MWh): −74.875 + 20·0.5 + … per period.
  const load = 2 * (0.5 * 0.25 - 75) + 0.5 * 20 + 0.5 * 100;
  close(g[1].cost, load, 1e-9, "the load's grid-only cost (exact per-period solve)");
  // The pair: the battery's discharge in period 1 serves the load at home instead of exporting at 90.
  const v = new CoalitionValuer(c);
  const both = v.value([0, 1]);
  const sub = v.subMarket([0, 1]);
  const ref = await solveReferenceMultiPeriod(sub.arrays, sub.horizon!);
  assert.ok(ref.optimal);
  close(both.value, ref.objective, 1e-6, "v({bat, load}) against HiGHS");
  assert.ok(
    both.lowerBound <= ref.objective + 1e-6,
    `the certified bound ${both.lowerBound} is below v = ${ref.objective}`,
  );
  assert.ok(both.value - both.lowerBound <= 1e-5, `duality gap ${both.value - both.lowerBound}`);
  assert.ok(both.value < g[0].cost + g[1].cost - 1, "together they gain");
});

test("storage markets: grid only and v(C) against HiGHS, certified bounds, every rule budget-balanced, bilateral in the core", async () => {
  let worstGap = 0;
  let coalitionsChecked = 0;
  for (let seed = Number(process.env.SEED0 ?? 1); seed <= 10; seed++) {
    const market = randomStorageMarket(seed);
    const c = await clearedCommunity(market);
    const N = c.members.length;
    // Grid only: the prepared storage members and the exact per-period solve agree with HiGHS on the member alone.
    const alone = gridOnly(c);
    const valuer = new CoalitionValuer(c);
    for (let i = 0; i < N; i++) {
      const sub = valuer.subMarket([i]);
      if (!sub.horizon) continue;
      const ref = await solveReferenceMultiPeriod(sub.arrays, sub.horizon);
      if (!ref.optimal) continue;
      close(alone[i].cost, ref.objective, 1e-6 * (1 + Math.abs(ref.objective)), `seed ${seed}: grid only of m${i}`);
      const lb = alone[i].lowerBound!;
      assert.ok(
        lb <= alone[i].cost + 1e-9 * (1 + Math.abs(lb)) && alone[i].cost - lb <= 1e-6 * (1 + Math.abs(lb)),
        `seed ${seed}: m${i}'s grid-only bound ${lb} against ${alone[i].cost}`,
      );
      close(
        alone[i].energyCost + alone[i].networkCharges + alone[i].preferenceCost + alone[i].payment,
        alone[i].cost,
        1e-6 * (1 + Math.abs(alone[i].cost)),
        `seed ${seed}: m${i}'s grid-only parts`,
      );
    }
    // v(C) of every coalition with at least two members against HiGHS on the restricted market.
    const table = allCoalitionValues(valuer);
    for (let mask = 1; mask < 1 << N; mask++) {
      const members: number[] = [];
      for (let i = 0; i < N; i++) if (mask & (1 << i)) members.push(i);
      if (members.length < 2) continue;
      const sub = valuer.subMarket(members);
      const ref = sub.horizon ? await solveReferenceMultiPeriod(sub.arrays, sub.horizon) : null;
      if (!ref || !ref.optimal) continue;
      const v = table.value[mask];
      const lb = table.lowerBound[mask];
      const scale = 1 + Math.abs(ref.objective);
      assert.ok(
        lb <= ref.objective + 1e-6 * scale,
        `seed ${seed} C=${mask}: the lower bound ${lb} exceeds v = ${ref.objective}`,
      );
      close(
        v,
        ref.objective,
        Math.max(1e-5 * scale, v - lb + 1e-6 * scale),
        `seed ${seed} C=${mask}: v(C) against HiGHS`,
      );
      worstGap = Math.max(worstGap, (v - lb) / scale);
      coalitionsChecked++;
    }
    const cmp = await compareMechanisms(market, { settings: SETTINGS, threads: 1 });
    assert.equal(cmp.status, "SOLVED");
    for (const m of cmp.mechanisms)
      assert.ok(
        m.budgetImbalance <= 1e-9 * (1 + N),
        `seed ${seed} ${m.mechanism}: budget imbalance ${m.budgetImbalance}`,
      );
    // Totals: every rule distributes the same schedule's costs; the grand coalition's total is v(N) for every rule but grid only.
    const grand = table.value[(1 << N) - 1];
    for (const m of cmp.mechanisms) {
      if (m.mechanism === "grid_only") continue;
      const total = m.totalCost.reduce((u, v) => u + v, 0);
      close(
        total,
        grand,
        1e-5 * (1 + Math.abs(grand)) + table.tolerance[(1 << N) - 1],
        `seed ${seed} ${m.mechanism}: members' total = v(N)`,
      );
    }
    const bil = cmp.mechanisms.find((m) => m.mechanism === "bilateral")!;
    assert.equal(bil.core!.method, "exact");
    assert.equal(
      bil.core!.blockingCount,
      0,
      `seed ${seed}: ${bil.core!.summary} ${JSON.stringify(bil.core!.blocking)} gap ${cmp.stability.maxGap}`,
    );
    assert.deepEqual(bil.leavers, [], `seed ${seed}: bilateral leavers`);
    // The tolerance added for the unpolished schedule is small: the theorem is tested, not excused.
    assert.ok(
      cmp.stability.scheduleSlack <= 1e-6 * (1 + Math.abs(grand)),
      `seed ${seed}: schedule slack ${cmp.stability.scheduleSlack}`,
    );
    // Without it, no coalition would be called blocking by more than that slack.
    const strict = exactCore(
      table,
      cmp.members.map((m) => m.id),
      bil.totalCost,
      "bilateral",
    );
    assert.ok(
      strict.blocking.every((f) => f.excess <= f.tolerance + cmp.stability.scheduleSlack),
      `seed ${seed}: ${strict.summary}`,
    );
  }
  assert.ok(coalitionsChecked >= 20, `${coalitionsChecked} coalitions checked against HiGHS`);
  assert.ok(worstGap <= 1e-4, `largest relative duality gap ${worstGap}`);
});

test("the storage Lagrangian is a lower bound for any multipliers and tight at good ones", async () => {
  // The battery-alone market above, seen as its sub-market with the grid: HiGHS gives the optimum.
  const market = makeMarket({
    name: "battery-bound",
    agents: [
      battery("bat", { socInitial: 0.5 }),
      makeAgent("load", { costQuadratic: 1, costLinear: 150, powerMin: -0.5, powerMinProfile: [-0.5, -0.2, -0.4] }),
    ],
    grid: makeGrid({
      bus: "",
      importPrice: 20,
      exportPrice: 10,
      importPriceProfile: [20, 100, 60],
      exportPriceProfile: [10, 90, 30],
    }),
    horizon: { periods: 3, periodHours: 0.5, startTime: "" },
  });
  const c = await clearedCommunity(market);
  const v = new CoalitionValuer(c);
  const sub = v.subMarket([0, 1]);
  const ref = await solveReferenceMultiPeriod(sub.arrays, sub.horizon!);
  assert.ok(ref.optimal);
  const H = sub.horizon!;
  // The battery's cost at HiGHS's solution and prices bounds its best response from above.
  const r = xorshift32(5);
  for (let k = 0; k < 200; k++) {
    const y = Float64Array.from({ length: 3 }, () => -50 + 250 * r());
    const L = storageLagrangian(sub.arrays, H, 0, ref.price, y) * H.periodHours;
    let cost = 0;
    const i0 = H.storage.first[0];
    for (let t = 0; t < 3; t++) {
      const i = i0 + t;
      cost += H.storage.throughputCost[0] * (ref.charge[i] + ref.discharge[i]);
      for (let j = sub.arrays.tradeStart[i]; j < sub.arrays.tradeStart[i + 1]; j++) cost -= ref.price[j] * ref.trade[j];
    }
    assert.ok(
      L <= cost * H.periodHours + 1e-6,
      `multipliers ${Array.from(y)}: ${L} > the battery's cost ${cost * H.periodHours}`,
    );
  }
  const val = v.value([0, 1]);
  close(val.value, ref.objective, 1e-6, "v(C)");
  assert.ok(val.value - val.lowerBound <= 1e-5, `gap ${val.value - val.lowerBound}`);
});

test("with storage, the exact core table on two threads is the one-thread table, bit for bit", async () => {
  const c = await clearedCommunity(randomStorageMarket(4));
  assert.equal(c.members.length, 4);
  assert.ok(c.horizon && c.horizon.storage.count >= 1);
  const one = allCoalitionValues(new CoalitionValuer(c));
  const two = await allCoalitionValuesParallel(c, COALITION_SETTINGS, 2);
  assert.deepEqual(Array.from(two.table.value), Array.from(one.value));
  assert.deepEqual(Array.from(two.table.lowerBound), Array.from(one.lowerBound));
});
