import { test, after } from "node:test";
import assert from "node:assert/strict";
import { AdmmSolver } from "./solver.js";
import { buildMarketArrays, canTrade } from "./build.js";
import { sameCostMarket } from "./test/same-cost-market.js";
import type { MarketArrays } from "./problem.js";
import { type HorizonArrays, noStorage, storageColumns } from "./horizon.js";
import { ShardTeam, closeShardTeam } from "./team.js";
import { shardBounds } from "./shards.js";
import { xorshift32 as rng } from "./random.js";
import { setStorageFastPath, storageSolveStats } from "./storage-local.js";

after(() => closeShardTeam());

interface Built {
  m: MarketArrays;
  H: HorizonArrays;
}

/**
 * A random multi-period market in the engine's layout (engine agent n·T + t = agent n in period t):
 * producers, consumers and prosumers whose costs and bounds change with the period, `nStorage`
 * batteries on some of them, and a grid (import / export) trading with everyone.
 */
function horizonMarket(seed: number, n: number, T: number, nStorage: number, dt = 0.5): Built {
  const r = rng(seed);
  const N = n + 2;
  const NT = N * T;
  const a = new Float64Array(NT);
  const b = new Float64Array(NT);
  const pMin = new Float64Array(NT);
  const pMax = new Float64Array(NT);
  const extMin = new Float64Array(NT);
  const extMax = new Float64Array(NT);
  const chargeMax = new Float64Array(N);
  const dischargeMax = new Float64Array(N);
  const isStorage = new Int32Array(N).fill(-1);
  for (let i = 0; i < nStorage; i++) isStorage[Math.floor((i * n) / nStorage)] = i;
  for (let i = 0; i < n; i++) {
    const kind = r();
    const a0 = r() < 0.2 ? 0 : 0.02 + 0.1 * r();
    const b0 = 20 + 40 * r();
    const size = 5 + 20 * r();
    if (isStorage[i] >= 0) {
      chargeMax[i] = 2 + 5 * r();
      dischargeMax[i] = 2 + 5 * r();
    }
    for (let t = 0; t < T; t++) {
      const k = i * T + t;
      const shape = 0.5 + 0.5 * Math.sin((2 * Math.PI * (t + i)) / T);
      a[k] = a0;
      b[k] = b0 * (0.8 + 0.4 * shape);
      if (kind < 0.35) [pMin[k], pMax[k]] = [0, size * shape];
      else if (kind < 0.75) [pMin[k], pMax[k]] = [-size * (1.2 - shape), 0];
      else [pMin[k], pMax[k]] = [-size * 0.5, size * shape];
      extMin[k] = pMin[k] - chargeMax[i];
      extMax[k] = pMax[k] + dischargeMax[i];
    }
  }
  for (let t = 0; t < T; t++) {
    const gi = n * T + t;
    const ge = (n + 1) * T + t;
    [b[gi], pMin[gi], pMax[gi]] = [70 + 30 * Math.cos((2 * Math.PI * t) / T), 0, Infinity];
    [b[ge], pMin[ge], pMax[ge]] = [5 + 10 * Math.cos((2 * Math.PI * t) / T), -Infinity, 0];
    [extMin[gi], extMax[gi], extMin[ge], extMax[ge]] = [pMin[gi], pMax[gi], pMin[ge], pMax[ge]];
  }
  // Pairs of the base graph: those that can trade in some period.
  const envMin = new Float64Array(N).fill(Infinity);
  const envMax = new Float64Array(N).fill(-Infinity);
  for (let i = 0; i < N; i++) {
    for (let t = 0; t < T; t++) {
      envMin[i] = Math.min(envMin[i], Math.min(0, extMin[i * T + t]));
      envMax[i] = Math.max(envMax[i], Math.max(0, extMax[i * T + t]));
    }
  }
  const seen = new Set<number>();
  const pf: number[] = [];
  const ps: number[] = [];
  const add = (i: number, j: number) => {
    if (i === j) return;
    const [x, y] = i < j ? [i, j] : [j, i];
    if (seen.has(x * N + y) || !canTrade(envMin[x], envMax[x], envMin[y], envMax[y])) return;
    seen.add(x * N + y);
    pf.push(x);
    ps.push(y);
  };
  for (let i = 0; i < n; i++) for (let d = 0; d < 4; d++) add(i, Math.floor(r() * n));
  for (let i = 0; i < n; i++) add(i, n), add(i, n + 1);
  const first: number[] = [];
  const second: number[] = [];
  const cost: number[] = [];
  pf.forEach((f, q) => {
    const c = r() < 0.3 ? r() : 0;
    for (let t = 0; t < T; t++) {
      first.push(f * T + t);
      second.push(ps[q] * T + t);
      cost.push(c);
    }
  });
  const m = sameCostMarket({ a, b, pMin, pMax }, extMin, extMax, first, second, cost);
  const S = nStorage;
  const storageOf = new Int32Array(NT).fill(-1);
  const st = storageColumns(S);
  for (let i = 0; i < n; i++) {
    const s = isStorage[i];
    if (s < 0) continue;
    st.first[s] = i * T;
    st.socMin[s] = 1;
    st.socMax[s] = 10 + 10 * r();
    st.chargeMax[s] = chargeMax[i];
    st.dischargeMax[s] = dischargeMax[i];
    st.etaCharge[s] = 0.9 + 0.1 * r();
    st.etaDischarge[s] = 0.9 + 0.1 * r();
    st.socInitial[s] = 5;
    st.socFinalMin[s] = 5;
    st.throughputCost[s] = r();
    for (let t = 0; t < T; t++) storageOf[i * T + t] = s;
  }
  const H: HorizonArrays = {
    periods: T,
    periodHours: dt,
    storage: st,
    storageOf,
    charge: new Float64Array(NT),
    discharge: new Float64Array(NT),
  };
  return { m, H };
}

test("shard boundaries never split a storage agent's periods", () => {
  const { m, H } = horizonMarket(3, 60, 12, 9);
  for (let count = 1; count <= 40; count++) {
    const b = shardBounds(m.tradeStart, count, 4, H);
    assert.equal(b[0], 0);
    assert.equal(b[count], m.nAgents);
    for (let s = 1; s <= count; s++) {
      assert.ok(b[s] >= b[s - 1]);
      const q = H.storageOf[b[s]];
      if (b[s] < m.nAgents && q >= 0)
        assert.equal(b[s], H.storage.first[q], `count ${count}: boundary ${b[s]} inside storage ${q}`);
    }
  }
});

test("a multi-period market with storage solves bit-identically on 1, 2 and 3 threads", async () => {
  const settings = { epsAbs: 1e-4, epsRel: 1e-4, maxIter: 4000 };
  const { m, H } = horizonMarket(11, 24, 6, 4);
  const single = new AdmmSolver(m, settings, { horizon: H });
  const one = single.solve();
  assert.equal(one.info.status, "SOLVED");
  assert.ok(one.solution.charge && one.solution.discharge);
  let stored = 0;
  for (let i = 0; i < m.nAgents; i++) stored += one.solution.charge![i] + one.solution.discharge![i];
  assert.ok(stored > 0, "the batteries are used");
  for (const threads of [1, 2]) {
    const team = await ShardTeam.start(threads);
    try {
      const fresh = horizonMarket(11, 24, 6, 4);
      const solver = new AdmmSolver(fresh.m, settings, { shared: true, horizon: fresh.H });
      const executor = team.attach(solver.problem, solver.iterate, threads + 1, solver.horizon);
      const par = solver.solve({ executor });
      team.detach();
      assert.equal(par.info.iterations, one.info.iterations);
      assert.equal(par.info.objective, one.info.objective);
      assert.deepEqual(par.solution.trade, one.solution.trade);
      assert.deepEqual(par.solution.price, one.solution.price);
      assert.deepEqual(par.solution.charge, one.solution.charge);
      assert.deepEqual(par.solution.discharge, one.solution.discharge);
    } finally {
      await team.close();
    }
  }
});

test("the storage local solve's fast path gives the general path's solve and answers most of its calls", async () => {
  // Strictly convex own costs on the batteries' period agents (the fast path's condition).
  const build = () => {
    const x = horizonMarket(11, 24, 6, 4);
    const st = x.H.storage;
    for (let s = 0; s < st.count; s++)
      for (let t = 0; t < x.H.periods; t++) if (!(x.m.a[st.first[s] + t] > 0)) x.m.a[st.first[s] + t] = 0.05;
    return x;
  };
  const settings = { epsAbs: 1e-6, epsRel: 1e-6, maxIter: 8000 };
  const before = Array.from(storageSolveStats);
  const x = build();
  const fast = new AdmmSolver(x.m, settings, { horizon: x.H }).solve();
  const answered = storageSolveStats[4] - before[4];
  const calls = [0, 1, 2, 4].reduce((sum, i) => sum + storageSolveStats[i] - before[i], 0);
  setStorageFastPath(false);
  let general: ReturnType<AdmmSolver["solve"]>;
  try {
    const y = build();
    general = new AdmmSolver(y.m, settings, { horizon: y.H }).solve();
  } finally {
    setStorageFastPath(true);
  }
  assert.equal(fast.info.status, "SOLVED");
  assert.equal(general.info.status, "SOLVED");
  // Both paths are exact: the iterates differ by rounding only.
  assert.ok(
    Math.abs(fast.info.iterations - general.info.iterations) <= 2,
    `${fast.info.iterations} vs ${general.info.iterations}`,
  );
  const gap = Math.abs(fast.info.objective - general.info.objective) / (1 + Math.abs(general.info.objective));
  assert.ok(gap <= 1e-9, `objective ${fast.info.objective} vs ${general.info.objective}`);
  assert.ok(answered > 0.8 * calls, `the fast path answered ${answered} of ${calls} storage local solves`);
  // Its warm start is read from the shared iterate: bit-identical on 2 threads.
  const team = await ShardTeam.start(2);
  try {
    const z = build();
    const solver = new AdmmSolver(z.m, settings, { shared: true, horizon: z.H });
    const executor = team.attach(solver.problem, solver.iterate, 3, solver.horizon);
    const par = solver.solve({ executor });
    team.detach();
    assert.equal(par.info.iterations, fast.info.iterations);
    assert.equal(par.info.objective, fast.info.objective);
    assert.deepEqual(par.solution.trade, fast.solution.trade);
    assert.deepEqual(par.solution.price, fast.solution.price);
    assert.deepEqual(par.solution.charge, fast.solution.charge);
    assert.deepEqual(par.solution.discharge, fast.solution.discharge);
  } finally {
    await team.close();
  }
});

test("a horizon without storage is the same problem as the single-period market of its period agents", () => {
  const { m, H } = horizonMarket(5, 30, 4, 0, 1);
  const withH = new AdmmSolver(m, { epsAbs: 1e-7, epsRel: 1e-7 }, { horizon: H }).solve();
  const fresh = horizonMarket(5, 30, 4, 0, 1);
  const without = new AdmmSolver(fresh.m, { epsAbs: 1e-7, epsRel: 1e-7 }).solve();
  assert.equal(withH.info.iterations, without.info.iterations);
  assert.equal(withH.info.objective, without.info.objective);
  assert.deepEqual(withH.solution.trade, without.solution.trade);
});

test("the objective of a multi-period solve is Δ × (costs + storage throughput), in the engine's order", () => {
  const dt = 0.25;
  const { m, H } = horizonMarket(7, 20, 6, 3, dt);
  const res = new AdmmSolver(m, { epsAbs: 1e-6, epsRel: 1e-6 }, { horizon: H }).solve();
  const s = res.solution;
  let f = 0;
  for (let n = 0; n < m.nAgents; n++) {
    const g = s.agentPower[n] - s.discharge![n] + s.charge![n];
    f += 0.5 * m.a[n] * g * g + m.b[n] * g;
    const q = H.storageOf[n];
    if (q >= 0) f += H.storage.throughputCost[q] * (s.charge![n] + s.discharge![n]);
  }
  for (let k = 0; k < s.trade.length; k++)
    f += s.trade[k] > 0 ? m.costSell[k] * s.trade[k] : -m.costBuy[k] * s.trade[k];
  assert.ok(
    Math.abs(res.info.objective - dt * f) <= 1e-9 * Math.max(1, Math.abs(dt * f)),
    `${res.info.objective} vs ${dt * f}`,
  );
  // Each battery's schedule keeps the state of charge within its bounds and ends at or above its final minimum.
  for (let q = 0; q < H.storage.count; q++) {
    let e = H.storage.socInitial[q];
    for (let t = 0; t < H.periods; t++) {
      const i = H.storage.first[q] + t;
      e += dt * (H.storage.etaCharge[q] * s.charge![i] - s.discharge![i] / H.storage.etaDischarge[q]);
      assert.ok(
        e >= H.storage.socMin[q] - 1e-9 && e <= H.storage.socMax[q] + 1e-9,
        `storage ${q} period ${t}: E = ${e}`,
      );
    }
    assert.ok(e >= H.storage.socFinalMin[q] - 1e-9);
  }
});

test("a battery that cannot reach its final state of charge is PRIMAL_INFEASIBLE before iterating, naming it", () => {
  const { m, H } = horizonMarket(9, 10, 4, 2, 1);
  H.storage.socFinalMin[1] = H.storage.socInitial[1] + 4 * H.storage.chargeMax[1] + 1;
  H.storage.socMax[1] = 1e3;
  const res = new AdmmSolver(m, {}, { horizon: H }).solve({
    agentName: (n) => `agent ${Math.floor(n / 4)} in period ${n % 4}`,
  });
  assert.equal(res.info.status, "PRIMAL_INFEASIBLE");
  assert.equal(res.info.iterations, 0);
  assert.match(res.info.statusMessage, /storage of agent \d+ in period 3 can store at most/);
});

test("must-run power that nobody can take in one period is PRIMAL_INFEASIBLE, naming the agent and the period", () => {
  // Agent 0 must sell 5 in period 1; agent 1 can buy only 2 then (it can buy 10 in period 0).
  const T = 2;
  const pMin = Float64Array.of(0, 5, -10, -2);
  const pMax = Float64Array.of(5, 5, 0, 0);
  const built = buildMarketArrays(
    { a: new Float64Array(4), b: Float64Array.of(10, 10, 50, 50), pMin, pMax },
    { first: Int32Array.of(0, 1), second: Int32Array.of(2, 3) },
  );
  const H: HorizonArrays = {
    periods: T,
    periodHours: 1,
    storage: { ...noStorage() },
    storageOf: new Int32Array(4).fill(-1),
    charge: new Float64Array(4),
    discharge: new Float64Array(4),
  };
  const res = new AdmmSolver(built.arrays, {}, { horizon: H }).solve({
    agentName: (n) => `"${["prod", "cons"][Math.floor(n / T)]}" in period ${n % T}`,
  });
  assert.equal(res.info.status, "PRIMAL_INFEASIBLE");
  assert.match(res.info.statusMessage, /"prod" in period 1/);
  assert.doesNotMatch(res.info.statusMessage, /period 0/);
});

test("a storage market refuses an executor attached without its horizon (its periods would be solved apart)", async () => {
  const team = await ShardTeam.start(1);
  try {
    const { m, H } = horizonMarket(13, 12, 4, 2);
    const solver = new AdmmSolver(m, {}, { shared: true, horizon: H });
    const executor = team.attach(solver.problem, solver.iterate, 2);
    assert.throws(() => solver.solve({ executor }), /needs an executor attached with the solver's horizon/);
    team.detach();
  } finally {
    await team.close();
  }
});
