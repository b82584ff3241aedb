import { availableParallelism } from "node:os";
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { AdmmSolver } from "./solver.js";
import { buildMarketArrays, canTrade } from "./build.js";
import type { MarketArrays } from "./problem.js";
import { ShardTeam } from "./team.js";
import {
  parallelMinTrades,
  parallelThreads,
  predictedIterationSeconds,
  solveParallel,
  startPays,
  THREAD_COSTS,
} from "./parallel.js";
import { closeShardTeam, runningShardTeam, shardTeam } from "./team.js";
import { shardBounds } from "./shards.js";
import { xorshift32 as rng } from "./random.js";

after(() => closeShardTeam());

/** A sparse random market with a grid agent trading with everyone (the heaviest agent). */
function sparseMarket(seed: number, n: number): MarketArrays {
  const r = rng(seed);
  const N = n + 2;
  const a = new Float64Array(N);
  const b = new Float64Array(N);
  const pMin = new Float64Array(N);
  const pMax = new Float64Array(N);
  for (let i = 0; i < n; i++) {
    const t = r();
    a[i] = r() < 0.1 ? 0 : 0.01 + 0.1 * r();
    if (t < 0.4) [b[i], pMin[i], pMax[i]] = [10 + 40 * r(), 0, 10 + 90 * r()];
    else if (t < 0.8) [b[i], pMin[i], pMax[i]] = [30 + 50 * r(), -10 - 90 * r(), 0];
    else [b[i], pMin[i], pMax[i]] = [20 + 40 * r(), -5 - 20 * r(), 5 + 20 * r()];
  }
  [a[n], b[n], pMin[n], pMax[n]] = [0, 95, 0, Infinity];
  [a[n + 1], b[n + 1], pMin[n + 1], pMax[n + 1]] = [0, 5, -Infinity, 0];
  const seen = new Set<number>();
  const first: number[] = [];
  const second: number[] = [];
  const add = (i: number, j: number) => {
    if (i === j) return;
    const [x, y] = i < j ? [i, j] : [j, i];
    if (seen.has(x * N + y) || !canTrade(pMin[x], pMax[x], pMin[y], pMax[y])) return;
    seen.add(x * N + y);
    first.push(x);
    second.push(y);
  };
  for (let i = 0; i < n; i++) for (let d = 0; d < 5; d++) add(i, Math.floor(r() * n));
  for (let i = 0; i < n; i++) add(i, n), add(i, n + 1);
  const order = first.map((_, i) => i).sort((x, y) => first[x] - first[y] || second[x] - second[y]);
  const cost = Float64Array.from(order, () => (r() < 0.3 ? 2 * r() : 0));
  return buildMarketArrays(
    { a, b, pMin, pMax },
    {
      first: Int32Array.from(order, (i) => first[i]),
      second: Int32Array.from(order, (i) => second[i]),
      sellFirst: cost,
      buyFirst: cost,
      sellSecond: cost,
      buySecond: cost,
    },
  ).arrays;
}

test("costs set by updateCosts on a market that had none are read by the phases (1 and 2 threads)", async () => {
  // Set up without trade costs, the solver's phases skip reading them; costs given later must
  // count: the answer equals a fresh solver's on the costed market, bit for bit, on the calling
  // thread alone and with a worker.
  const base = sparseMarket(4, 400);
  base.costSell.fill(0);
  base.costBuy.fill(0);
  const costSell = Float64Array.from(base.costSell, (_, k) => (k % 3 === 0 ? 1 + (k % 7) : 0));
  const costBuy = Float64Array.from(base.costBuy, (_, k) => (k % 3 === 0 ? 2 + (k % 5) : 0));
  const settings = { epsAbs: 1e-6, epsRel: 1e-6, polish: false };
  const fresh = new AdmmSolver({ ...base, costSell: costSell.slice(), costBuy: costBuy.slice() }, settings).solve();
  assert.equal(fresh.info.status, "SOLVED");
  const team = await ShardTeam.start(1);
  try {
    for (const threads of [1, 2]) {
      const s = new AdmmSolver({ ...base, costSell: base.costSell.slice(), costBuy: base.costBuy.slice() }, settings, {
        shared: true,
      });
      const executor = threads > 1 ? team.attach(s.problem, s.iterate) : undefined;
      const plain = s.solve({ executor });
      s.updateCosts(costSell, costBuy);
      s.reset();
      const again = s.solve({ executor });
      if (executor) team.detach();
      assert.equal(again.info.iterations, fresh.info.iterations, `${threads} thread(s)`);
      assert.equal(again.info.objective, fresh.info.objective, `${threads} thread(s)`);
      assert.deepEqual(Array.from(again.solution.trade), Array.from(fresh.solution.trade));
      assert.notEqual(again.info.objective, plain.info.objective, "the costs change the answer");
    }
  } finally {
    await team.close();
  }
});

test("shards balance trades plus a per-agent cost and cover every agent once", () => {
  const ts = Int32Array.of(0, 100, 101, 102, 103, 104, 204, 205);
  const b = shardBounds(ts, 3);
  assert.deepEqual(Array.from(b), [0, 1, 5, 7]);
  const one = shardBounds(ts, 1);
  assert.deepEqual(Array.from(one), [0, 7]);
  const many = shardBounds(Int32Array.of(0, 1, 2), 5);
  assert.equal(many[0], 0);
  assert.equal(many[5], 2);
  for (let i = 1; i < many.length; i++) assert.ok(many[i] >= many[i - 1]);
});

test("every chunk is done exactly once per phase, whoever takes it, with bit-identical results", async () => {
  const single = new AdmmSolver(sparseMarket(9, 1000), { epsAbs: 1e-6, epsRel: 1e-6 }).solve();
  assert.equal(single.info.status, "SOLVED");
  assert.ok(single.info.iterations > 40, `${single.info.iterations} iterations`);
  for (const workers of [1, 2]) {
    const team = await ShardTeam.start(workers);
    try {
      const solver = new AdmmSolver(sparseMarket(9, 1000), { epsAbs: 1e-6, epsRel: 1e-6 }, { shared: true });
      const executor = team.attach(solver.problem, solver.iterate);
      assert.ok(executor.slots >= 2 * (workers + 1), `${executor.slots} chunks`);
      const r = solver.solve({ executor });
      team.detach();
      // The phases of the solve: iterations + 1 (the first is iteration 0).
      const ran = Array.from(executor.ran!);
      assert.equal(ran.length, workers + 1);
      assert.equal(
        ran.reduce((a, b) => a + b, 0),
        executor.slots * (r.info.iterations + 1),
        `chunks done per thread: ${ran}`,
      );
      assert.equal(r.info.iterations, single.info.iterations);
      assert.equal(r.info.objective, single.info.objective);
      assert.deepEqual(r.solution.trade, single.solution.trade);
      assert.deepEqual(r.solution.price, single.solution.price);
    } finally {
      await team.close();
    }
  }
});

test("results are bit-identical for 1, 2, 3 and 4 threads", async () => {
  const single = new AdmmSolver(sparseMarket(7, 600), { epsAbs: 1e-6, epsRel: 1e-6 }).solve();
  assert.equal(single.info.status, "SOLVED");
  for (const threads of [1, 2, 3]) {
    const team = await ShardTeam.start(threads);
    try {
      const solver = new AdmmSolver(sparseMarket(7, 600), { epsAbs: 1e-6, epsRel: 1e-6 }, { shared: true });
      const executor = team.attach(solver.problem, solver.iterate);
      const r = solver.solve({ executor });
      team.detach();
      assert.equal(r.info.iterations, single.info.iterations, `${threads + 1} threads`);
      assert.equal(r.info.objective, single.info.objective);
      assert.equal(r.info.rho, single.info.rho);
      assert.deepEqual(r.solution.trade, single.solution.trade);
      assert.deepEqual(r.solution.price, single.solution.price);
      assert.deepEqual(r.solution.agentPower, single.solution.agentPower);
    } finally {
      await team.close();
    }
  }
});

test("solveParallel uses the shared team, warm-starts and stops like a single-threaded solve", async () => {
  const m = sparseMarket(8, 300);
  const solver = new AdmmSolver(m, { epsAbs: 1e-6, epsRel: 1e-6 }, { shared: true });
  const r = await solveParallel(solver, 2);
  assert.equal(r.info.status, "SOLVED");
  // A second solve continues from where the first stopped, on any number of threads alike.
  const again = await solveParallel(solver, 2);
  const single = new AdmmSolver(sparseMarket(8, 300), { epsAbs: 1e-6, epsRel: 1e-6 });
  const r1 = single.solve();
  const again1 = single.solve();
  assert.equal(r1.info.iterations, r.info.iterations);
  assert.equal(again.info.status, "SOLVED");
  assert.equal(again.info.iterations, again1.info.iterations);
  assert.deepEqual(again.solution.trade, again1.solution.trade);
  let polls = 0;
  const fresh = new AdmmSolver(sparseMarket(8, 300), { epsAbs: 1e-12, epsRel: 1e-12 }, { shared: true });
  const stopped = await solveParallel(fresh, 2, { shouldStop: () => ++polls > 3 });
  assert.equal(stopped.info.status, "CANCELLED");
  assert.throws(
    () =>
      new AdmmSolver(sparseMarket(8, 50)).solve({ executor: { slots: 1, partials: new Float64Array(4), run() {} } }),
    /shared/,
  );
});

test("a team not yet running is started once the time it saves over the iterations still expected pays for its start", () => {
  const start = THREAD_COSTS.teamStartS;
  // The 10 000-member community: ~1.8 ms saved an iteration; its next try, where it ends, 30 iterations away.
  const saving = predictedIterationSeconds(174_136, 10_002, 1) - predictedIterationSeconds(174_136, 10_002, 2);
  assert.ok(saving > 1e-3 && saving < 3e-3, `saving ${saving}`);
  assert.equal(startPays(1, 31, saving), false);
  // Without polishing the solve may run on: started at once.
  assert.equal(startPays(1, Infinity, saving), true);
  // A try far enough away pays, and so does a solve that has run as long as the start costs.
  assert.equal(startPays(1, 1 + Math.ceil(start / saving), saving), true);
  const long = Math.ceil(start / saving);
  assert.equal(startPays(long, long + 5, saving), true);
  assert.equal(startPays(long - 1, long + 4, saving), false);
  // Nothing saved (one core, or a market too small): never.
  assert.equal(startPays(1000, Infinity, 0), false);
});

test("the thread rule: one thread for small markets and when no more are asked, more only where the model pays", async () => {
  for (const trades of [0, 1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7]) {
    assert.equal(parallelThreads(trades, 1, undefined, 1e-6), 1);
    assert.equal(parallelThreads(trades, 0, undefined, null), 1);
    assert.ok(parallelThreads(trades, 64, undefined, 1e-6) <= Math.max(1, availableParallelism()));
  }
  // A market whose whole iteration costs less than a barrier never goes parallel.
  assert.equal(parallelThreads(20, 2, 5, 1e-6), 1);
  const warm = parallelMinTrades(true);
  const cold = parallelMinTrades(false);
  assert.ok(warm > 1 && warm < cold, `warm ${warm}, cold ${cold}`);
  // Starting the team must be repaid over the amortised iterations.
  const c = THREAD_COSTS;
  const t1 = predictedIterationSeconds(cold, Math.ceil(cold / 8), 1);
  const t2 = predictedIterationSeconds(cold, Math.ceil(cold / 8), 2, c.barrierS);
  assert.ok(c.amortiseIterations * (t1 - t2) >= c.teamStartS);
  assert.ok(t1 >= c.minSpeedup * t2);
  if (availableParallelism() >= 2) {
    assert.equal(parallelThreads(cold, 2, undefined, null), 2);
    assert.equal(parallelThreads(cold - 1, 2, undefined, null), 1);
    assert.equal(parallelThreads(warm, 2, undefined, c.barrierS), 2);
    assert.equal(parallelThreads(warm - 1, 2, undefined, c.barrierS), 1);
    // Monotone in the market's size.
    let last = 1;
    for (let t = 10; t < 1e7; t *= 1.5) {
      const k = parallelThreads(t, 2, undefined, null);
      assert.ok(k >= last);
      last = k;
    }
  }
  // A running team measured its barrier, which the rule then uses.
  const team = await shardTeam(1);
  assert.equal(runningShardTeam(), team);
  assert.ok(team.barrierSeconds > 0 && team.barrierSeconds < 1, `barrier ${team.barrierSeconds} s`);
  await closeShardTeam();
  assert.equal(runningShardTeam(), null);
});
