import { test, after } from "node:test";
import assert from "node:assert/strict";
import { AdmmSolver } from "./solver.js";
import { buildMarketArrays, canTrade } from "./build.js";
import type { MarketArrays } from "./problem.js";
import type { AdmmSettings } from "./settings.js";
import { mulberry32 as rng } from "./random.js";
import { BWD, FINISH_DEFAULT, FWD, Polisher } from "./polish.js";
import { FlowScaling } from "./polish-scale.js";
import { peerMarket } from "./peer-market.js";
import { objective } from "./objective.js";
import { ShardTeam, closeShardTeam } from "./team.js";
import { disagreeingPairs, PolishDriver } from "./polish-run.js";
import { coldIterate } from "./kernel.js";
import { interval, pairInterval, verifyPolished } from "./polish-check.js";
import { noStorage, type HorizonArrays } from "./horizon.js";

// Unit tests of polishing (docs/polishing.md). The comparison with HiGHS and the KKT certificate
// on markets of every kind is in packages/market (polish.test.ts), which may use the reference.

after(() => closeShardTeam());

/**
 * n agents drawn from `r`: 40 % sellers, 40 % buyers, 20 % prosumers, a share `linear` of them
 * with linear costs.
 */
function drawAgents(r: () => number, n: number, linear: number) {
  const a = new Float64Array(n);
  const b = new Float64Array(n);
  const pMin = new Float64Array(n);
  const pMax = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    a[i] = r() < linear ? 0 : 0.01 + 0.1 * r();
    const t = r();
    if (t < 0.4) [b[i], pMin[i], pMax[i]] = [10 + 40 * r(), 0, 10 + 60 * r()];
    else if (t < 0.8) [b[i], pMin[i], pMax[i]] = [30 + 50 * r(), -10 - 60 * r(), 0];
    else [b[i], pMin[i], pMax[i]] = [20 + 40 * r(), -5 - 20 * r(), 5 + 20 * r()];
  }
  return { a, b, pMin, pMax };
}

/**
 * The market of agents {a, b, pMin, pMax}: every pair that can trade and that `keep` keeps (drawn
 * in pair order), with per-side costs drawn by `cost` (sell and buy of the first, then of the
 * second agent, each over every pair).
 */
function graphMarket(
  agents: { a: Float64Array; b: Float64Array; pMin: Float64Array; pMax: Float64Array },
  keep: () => boolean,
  cost: () => number,
): MarketArrays {
  const { pMin, pMax } = agents;
  const n = pMin.length;
  const first: number[] = [];
  const second: number[] = [];
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j < n; j++)
      if (canTrade(pMin[i], pMax[i], pMin[j], pMax[j]) && keep()) first.push(i), second.push(j);
  const c = () => Float64Array.from(first, cost);
  return buildMarketArrays(agents, {
    first: Int32Array.from(first),
    second: Int32Array.from(second),
    sellFirst: c(),
    buyFirst: c(),
    sellSecond: c(),
    buySecond: c(),
  }).arrays;
}

/** A random market on the complete graph of pairs that can trade, with optional per-side costs. */
function market(seed: number, n: number, o: { linear?: number; costs?: boolean } = {}): MarketArrays {
  const r = rng(seed);
  return graphMarket(
    drawAgents(r, n, o.linear ?? 0.2),
    () => true,
    () => (o.costs ? 3 * r() : 0),
  );
}

test("two agents: polishing gives the closed-form trade and price exactly", () => {
  // Seller ½·1·p² + 10p, buyer ½·2·p² + 40p (marginal value 40 − 2d): q = 10, λ = 20.
  const m = buildMarketArrays(
    {
      a: Float64Array.of(1, 2),
      b: Float64Array.of(10, 40),
      pMin: Float64Array.of(0, -100),
      pMax: Float64Array.of(100, 0),
    },
    { first: Int32Array.of(0), second: Int32Array.of(1) },
  ).arrays;
  const r = new AdmmSolver(m).solve();
  assert.equal(r.info.status, "SOLVED");
  assert.ok(r.info.polished);
  assert.equal(r.info.statusPolish, 1);
  assert.equal(r.info.polishIteration, r.info.iterations);
  assert.ok(Math.abs(r.solution.trade[0] - 10) <= 1e-12, `trade ${r.solution.trade[0]}`);
  assert.ok(Math.abs(r.solution.price[0] - 20) <= 1e-12, `price ${r.solution.price[0]}`);
  assert.equal(r.solution.trade[1], -r.solution.trade[0]);
  assert.equal(r.solution.price[1], r.solution.price[0]);
  assert.equal(r.info.primalResidual <= 1e-12, true);
});

test("polished answers match a tight unpolished solve and take fewer iterations", () => {
  let fewer = 0;
  let total = 0;
  let compared = 0;
  for (const [seed, o] of [
    [1, {}],
    [2, { costs: true }],
    [3, { linear: 0.6 }],
    [4, { costs: true, linear: 0.3 }],
    [5, {}],
  ] as [number, { linear?: number; costs?: boolean }][]) {
    const m = market(seed, 16, o);
    const p = new AdmmSolver(m).solve();
    const tight = new AdmmSolver(market(seed, 16, o), {
      polish: false,
      epsAbs: 1e-11,
      epsRel: 1e-11,
      maxIter: 50_000,
    }).solve();
    assert.equal(p.info.status, "SOLVED");
    if (!p.info.polished) continue;
    total++;
    // (A tight ADMM solve may not converge within its cap; then its objective proves nothing.)
    if (tight.info.status === "SOLVED") {
      const gap = Math.abs(p.info.objective - tight.info.objective) / Math.max(1, Math.abs(tight.info.objective));
      assert.ok(gap <= 1e-8, `seed ${seed}: polished ${p.info.objective} vs tight ADMM ${tight.info.objective}`);
    }
    // Exact reciprocity and bounds of the polished point.
    for (let k = 0; k < m.partner.length; k++) {
      assert.equal(p.solution.trade[k] + p.solution.trade[m.mirror[k]], 0);
      assert.ok(p.solution.trade[k] >= m.lo[k] && p.solution.trade[k] <= m.hi[k]);
    }
    for (let n = 0; n < m.nAgents; n++)
      assert.ok(p.solution.agentPower[n] >= m.pMin[n] - 1e-9 && p.solution.agentPower[n] <= m.pMax[n] + 1e-9);
    if (p.info.iterations < tight.info.iterations) fewer++;
    compared += tight.info.status === "SOLVED" ? 1 : 0;
  }
  assert.ok(total >= 4, `polished ${total} of 5`);
  assert.ok(compared >= 3, `compared ${compared}`);
  assert.equal(fewer, total);
});

/**
 * ADMM alone on m (polishing off, other settings as given): the solve's info, its iterate and the
 * agents' latest local trades (the buffer the next solve starts from), a polishing try's input.
 */
function admmIterate(m: MarketArrays, settings: Partial<AdmmSettings>) {
  const s = new AdmmSolver(m, { ...settings, polish: false });
  const info = s.solve().info;
  const it = s.iterate;
  const local = (s as unknown as { cur: 0 | 1 }).cur === 0 ? it.p0 : it.p1;
  return { info, it, local };
}

test("the polisher itself: from an iterate at 1e-4, an exact, feasible point with the optimal objective", () => {
  const m = peerMarket(40, 5);
  const { info, it, local } = admmIterate(m, { epsAbs: 1e-6, epsRel: 1e-4 });
  assert.equal(info.status, "SOLVED");
  const P = new Polisher(m);
  const res = P.polish(local, it.mu, it.lambda);
  assert.ok(res.success, res.reason);
  assert.ok(res.primalViolation <= 1e-6 && res.dualViolation <= 1e-6, JSON.stringify(res));
  const power = new Float64Array(m.nAgents);
  for (let n = 0; n < m.nAgents; n++) {
    for (let k = m.tradeStart[n]; k < m.tradeStart[n + 1]; k++) {
      assert.equal(P.trade[k] + P.trade[m.mirror[k]], 0);
      assert.equal(P.price[k], P.price[m.mirror[k]]);
      assert.ok(P.trade[k] >= m.lo[k] && P.trade[k] <= m.hi[k]);
      power[n] += P.trade[k];
    }
    assert.ok(power[n] >= m.pMin[n] - 1e-9 && power[n] <= m.pMax[n] + 1e-9);
  }
  // The same objective as a fully converged, polished solve (the optimum is unique in the powers).
  const full = new AdmmSolver(peerMarket(40, 5)).solve();
  assert.ok(full.info.polished);
  const obj = objective(m, { agentPower: power, trade: P.trade, price: P.price });
  assert.ok(
    Math.abs(obj - full.info.objective) <= 1e-9 * Math.abs(full.info.objective),
    `${obj} vs ${full.info.objective}`,
  );
  for (let n = 0; n < m.nAgents; n++)
    assert.ok(Math.abs(power[n] - full.solution.agentPower[n]) <= 1e-7 * 1000, `agent ${n}`);
});

/**
 * ADMM settings at which `market(1, 60, { costs: true })`'s rounds stall after improving (found by
 * a scan; with the balancing tolerance of a polished solve, which the iterate's path depends on).
 */
const STALLING = { maxIter: 80, epsAbs: 1e-12, epsRel: 1e-12, adaptiveRhoTolerance: 5 };

test("prices: a failed try leaves the iterate's λ as it was, a successful one writes the checked prices over it", () => {
  // Failed (a stalled try at iteration 1, no finisher): λ untouched, bit for bit.
  const m = market(1, 60, { costs: true });
  const { it, local } = admmIterate(m, STALLING);
  const before = it.lambda.slice();
  const lambda = it.lambda.slice();
  const failed = new Polisher(m).polish(local, it.mu, lambda, 1);
  assert.equal(failed.success, false);
  assert.deepEqual(lambda, before);
  // Successful: the prices are those of the iterate clipped into each pair's interval, computed
  // here from the polished μ without the polisher's code (independent of the order of writing).
  const q = peerMarket(40, 5);
  const { info, it: jt, local: qLocal } = admmIterate(q, { epsAbs: 1e-6, epsRel: 1e-4 });
  assert.equal(info.status, "SOLVED");
  const given = jt.lambda.slice();
  const into = jt.lambda.slice();
  const P = new Polisher(q);
  const ok = P.polish(qLocal, jt.mu, into);
  assert.ok(ok.success, ok.reason);
  assert.equal(P.price, into);
  let moved = 0;
  for (let n = 0; n < q.nAgents; n++)
    for (let k = q.tradeStart[n]; k < q.tradeStart[n + 1]; k++) {
      const j = q.mirror[k];
      const p = q.partner[k];
      assert.equal(into[k], into[j]);
      // Both sides' conditions on the price of a trading pair, or the no-trade interval.
      const x = P.trade[k];
      const tol = 1e-9 * Math.max(1, Math.abs(into[k]));
      const sell = P.mu[n] + q.costSell[k];
      const buy = P.mu[n] - q.costBuy[k];
      if (x > 0 && x < q.hi[k]) assert.ok(Math.abs(into[k] - sell) <= tol, `pair ${k}: ${into[k]} vs ${sell}`);
      if (x < 0 && x > q.lo[k]) assert.ok(Math.abs(into[k] - buy) <= tol, `pair ${k}: ${into[k]} vs ${buy}`);
      if (x === 0) assert.ok(into[k] >= buy - tol && into[k] <= sell + tol, `pair ${k} (${n}, ${p}) not trading`);
      // The representative's iterate price, kept where both intervals allow it.
      const rep = k < j ? k : j;
      if (Number.isFinite(given[rep]) && into[k] !== given[rep]) moved++;
    }
  assert.ok(moved > 0, "some prices were clipped");
});

test("a far first guess on a market without trade costs skips its try without a round; the peer generator's first guess is tried", () => {
  const m = peerMarket(31, 1);
  const pairs = m.partner.length / 2;
  // Sides of each pair, by the pair's order: both trade nothing (agree), one side trades (disagree),
  // both in one direction (agree), in opposite directions (disagree).
  const local = new Float64Array(m.partner.length);
  let q = 0;
  let expected = 0;
  for (let k = 0; k < m.partner.length; k++) {
    const j = m.mirror[k];
    if (j < k) continue;
    const kind = q++ % 4;
    if (kind === 1) local[k] = 1;
    else if (kind === 2) [local[k], local[j]] = [2, -1];
    else if (kind === 3) [local[k], local[j]] = [2, 3];
    if (kind === 1 || kind === 3) expected++;
  }
  assert.equal(disagreeingPairs(m, local), expected);
  assert.ok(expected > 0.4 * pairs);
  const driver = new PolishDriver(m);
  const skipped = driver.attempt(1, local, coldIterate(m));
  assert.equal(skipped.success, false);
  assert.equal(skipped.rounds, 0);
  // Its count for the schedule: a third of the disagreeing pairs on a market whose trades cost nothing.
  assert.equal(skipped.firstViolations, Math.ceil(expected / 3));
  assert.match(skipped.reason, /far/);
  assert.ok(driver.scheduledTry > 1, `next try at ${driver.scheduledTry}`);
  // The try at the end of a solve is always made.
  const final = new PolishDriver(m).attempt(1, local, coldIterate(m), 0, Infinity, true);
  assert.ok(final.rounds >= 1, final.reason);
  // So is a first try where trades cost (its round's count also schedules the finisher).
  const costly = pairCostMarket(31, 60, { sparse: 0.3, grid: true });
  const sides = new Float64Array(costly.partner.length);
  for (let k = 0; k < sides.length; k++) if (costly.mirror[k] > k) sides[k] = 1;
  assert.ok(disagreeingPairs(costly, sides) > 0.4 * (costly.partner.length / 2));
  const tried = new PolishDriver(costly).attempt(1, sides, coldIterate(costly));
  assert.ok(tried.rounds >= 1, tried.reason);
  // The peer generator's first iterate: a fifth of its pairs disagree, and its try is exact.
  const { it, local: first } = admmIterate(m, { maxIter: 1 });
  assert.ok(disagreeingPairs(m, first) <= 0.4 * pairs, `${disagreeingPairs(m, first)} of ${pairs}`);
  const exact = new PolishDriver(m).attempt(1, first, it);
  assert.ok(exact.success && exact.rounds >= 1, exact.reason);
});

test("a market whose trades cost nothing: the price intervals and the check are the same without reading the costs", () => {
  const m = peerMarket(40, 2);
  assert.ok(m.costSell.every((c) => c === 0) && m.costBuy.every((c) => c === 0));
  const r = rng(5);
  const mu = Float64Array.from({ length: m.nAgents }, () => 40 + 20 * r());
  for (let k = 0; k < m.partner.length; k++) {
    for (let s = 0; s <= 4; s++) {
      const muN = mu[m.partner[m.mirror[k]]]; // the agent of trade k
      pairInterval(m, k, s, muN, mu[m.partner[k]], true);
      const read = [interval[0], interval[1]];
      pairInterval(m, k, s, muN, mu[m.partner[k]], false);
      assert.deepEqual([interval[0], interval[1]], read, `trade ${k}, state ${s}`);
    }
  }
  // The check of a solved point, with and without the costs read.
  const solved = new AdmmSolver(m).solve();
  assert.ok(solved.info.polished);
  const P = new Polisher(m);
  const { it, local } = admmIterate(m, { maxIter: 1 });
  assert.ok(P.polish(local, it.mu, it.lambda).success);
  const state = (P as unknown as { state: Int8Array }).state;
  const withCosts = { primal: 0, dual: 0 };
  const without = { primal: 0, dual: 0 };
  verifyPolished(m, state, P.trade, P.price, P.mu, 1e-9, withCosts, true);
  verifyPolished(m, state, P.trade, P.price, P.mu, 1e-9, without, false);
  assert.deepEqual(without, withCosts);
  assert.equal(P.costs, false);
});

test("a stalled try keeps a copy of its best round only when the finisher starts from it", () => {
  // An iterate whose rounds stall after improving (STALLING): the best round is the finisher's
  // start, and otherwise nobody's.
  const m = market(1, 60, { costs: true });
  const { it, local } = admmIterate(m, STALLING);
  // In a solve at iteration 1 the finisher has no credit yet: the try stops, nothing is kept.
  const early = new Polisher(m);
  const a = early.polish(local, it.mu, it.lambda, 1);
  assert.equal(a.success, false);
  assert.ok(a.rounds >= 2 && /stopped converging/.test(a.reason), a.reason);
  assert.equal(a.finishSteps, undefined);
  assert.equal(early.keepsBestRound, false);
  // Outside a solve the finisher runs (default budget) from the best round, which is kept.
  const direct = new Polisher(m);
  const b = direct.polish(local, it.mu, it.lambda);
  assert.equal(b.firstViolations, a.firstViolations);
  assert.ok(b.finishSteps !== undefined, b.reason);
  assert.equal(direct.keepsBestRound, true);
  assert.ok(b.success, b.reason);
});

test("bit-identical results on 1 and 2 threads with polishing", async () => {
  const make = () => peerMarket(120, 9);
  const single = new AdmmSolver(make()).solve();
  assert.ok(single.info.polished, "expected the single-threaded solve to polish");
  const team = await ShardTeam.start(1);
  try {
    const solver = new AdmmSolver(make(), {}, { shared: true });
    const executor = team.attach(solver.problem, solver.iterate);
    const r = solver.solve({ executor });
    team.detach();
    assert.equal(r.info.polished, true);
    assert.equal(r.info.polishIteration, single.info.polishIteration);
    assert.equal(r.info.iterations, single.info.iterations);
    assert.equal(r.info.objective, single.info.objective);
    assert.deepEqual(r.solution.trade, single.solution.trade);
    assert.deepEqual(r.solution.price, single.solution.price);
    assert.deepEqual(r.solution.agentPower, single.solution.agentPower);
  } finally {
    await team.close();
  }
});

test("a warm start from a polished solution polishes again at once", () => {
  const solver = new AdmmSolver(market(21, 20, { costs: true }));
  const first = solver.solve();
  assert.ok(first.info.polished);
  const again = solver.solve();
  assert.equal(again.info.status, "SOLVED");
  assert.ok(again.info.polished);
  assert.ok(again.info.iterations <= 2, `${again.info.iterations} iterations`);
  assert.ok(Math.abs(again.info.objective - first.info.objective) <= 1e-9 * Math.abs(first.info.objective));
});

test("polish off reports the plain ADMM solve; a market with storage, polished or not, is the optimum", () => {
  const off = new AdmmSolver(market(22, 12), { polish: false }).solve();
  assert.equal(off.info.polished, false);
  assert.equal(off.info.statusPolish, 0);
  assert.equal(off.info.polishIteration, 0);
  assert.throws(() => new AdmmSolver(market(22, 12), { polish: 1 as unknown as boolean }), /polish must be a boolean/);
  // Two periods, a producer and a consumer with a battery: period agents n·T + t.
  const T = 2;
  const storage = noStorage();
  const one = (v: number) => Float64Array.of(v);
  const H: HorizonArrays = {
    periods: T,
    periodHours: 1,
    storage: {
      ...storage,
      count: 1,
      first: Int32Array.of(2),
      socMin: one(0),
      socMax: one(20),
      chargeMax: one(10),
      dischargeMax: one(10),
      etaCharge: one(1),
      etaDischarge: one(1),
      socInitial: one(0),
      socFinalMin: one(0),
      throughputCost: one(0),
    },
    storageOf: Int32Array.of(-1, -1, 0, 0),
    charge: new Float64Array(4),
    discharge: new Float64Array(4),
  };
  const fresh = (): HorizonArrays => ({ ...H, charge: new Float64Array(4), discharge: new Float64Array(4) });
  const storageMarket = () =>
    buildMarketArrays(
      {
        a: Float64Array.of(0.1, 0.1, 0.05, 0.05),
        b: Float64Array.of(20, 30, 60, 60),
        pMin: Float64Array.of(0, 0, -40, -40),
        pMax: Float64Array.of(50, 50, 0, 0),
      },
      { first: Int32Array.of(0, 1), second: Int32Array.of(2, 3) },
    ).arrays;
  const withStorage = new AdmmSolver(storageMarket(), {}, { horizon: fresh() }).solve();
  assert.equal(withStorage.info.status, "SOLVED");
  // Markets with storage are polished by their own polisher (polish-storage.ts) when it succeeds;
  // either way the answer must be the optimum of a tight solve without polishing.
  assert.ok(withStorage.info.statusPolish === 1 ? withStorage.info.polished : !withStorage.info.polished);
  const tight = new AdmmSolver(
    storageMarket(),
    { polish: false, epsAbs: 1e-10, epsRel: 1e-10, maxIter: 100_000 },
    { horizon: fresh() },
  ).solve();
  assert.equal(tight.info.status, "SOLVED");
  const tol = withStorage.info.polished ? 1e-8 : 1e-3;
  assert.ok(
    Math.abs(withStorage.info.objective - tight.info.objective) <= tol * Math.max(1, Math.abs(tight.info.objective)),
    `${withStorage.info.objective} vs tight ${tight.info.objective}`,
  );
});

test("flow scaling: each agent's flowing trades reach its target; signs, zeros, bounds and reciprocity kept", () => {
  const r = rng(31);
  // Producers 0..11 and consumers 12..29 on the complete bipartite graph, some pairs capped;
  // then the same with prosumers (peer generator), where only the invariants are asserted.
  const nP = 12;
  const N = 30;
  const a = new Float64Array(N).fill(0.1);
  const b = new Float64Array(N).fill(30);
  const pMin = Float64Array.from({ length: N }, (_, i) => (i < nP ? 0 : -100));
  const pMax = Float64Array.from({ length: N }, (_, i) => (i < nP ? 100 : 0));
  const first: number[] = [];
  const second: number[] = [];
  for (let i = 0; i < nP; i++) for (let j = nP; j < N; j++) first.push(i), second.push(j);
  const bipartite = buildMarketArrays(
    { a, b, pMin, pMax },
    { first: Int32Array.from(first), second: Int32Array.from(second) },
  ).arrays;
  for (const [label, m, exact] of [
    ["bipartite", bipartite, true],
    ["peer generator", peerMarket(40, 3), false],
  ] as [string, MarketArrays, boolean][]) {
    const nt = m.partner.length;
    const state = new Int8Array(nt);
    const trade = new Float64Array(nt);
    const other = new Float64Array(nt); // another flow on the same pattern: its sums are the targets
    for (let k = 0; k < nt; k++) {
      const j = m.mirror[k];
      if (j < k) continue;
      const u = r();
      if (u < 0.15) continue; // no trade
      // The direction the pair allows (lo < 0: k's side may buy).
      const sign = m.hi[k] > 0 ? 1 : -1;
      const x = sign * (1 + 20 * r());
      const y = sign * (1 + 20 * r());
      state[k] = sign > 0 ? FWD : BWD;
      trade[k] = x;
      trade[j] = -x;
      other[k] = y;
      other[j] = -y;
    }
    const power = new Float64Array(m.nAgents);
    const fixed = new Float64Array(m.nAgents);
    for (let n = 0; n < m.nAgents; n++)
      for (let k = m.tradeStart[n]; k < m.tradeStart[n + 1]; k++) power[n] += other[k];
    const before = trade.slice();
    const sc = new FlowScaling(m);
    const tol = 1e-9 * 400;
    sc.scale(state, trade, power, fixed, tol);
    for (let k = 0; k < nt; k++) {
      assert.ok(trade[k] + trade[m.mirror[k]] === 0, `${label}: reciprocity at ${k}`);
      assert.equal(Math.sign(trade[k]), Math.sign(before[k]), `${label}: sign or zero changed at ${k}`);
      assert.ok(trade[k] >= m.lo[k] && trade[k] <= m.hi[k], `${label}: bounds at ${k}`);
    }
    if (!exact) continue;
    assert.ok(sc.sweeps >= 2, `${label}: ${sc.sweeps} sweeps`);
    for (let n = 0; n < m.nAgents; n++) {
      let sum = 0;
      for (let k = m.tradeStart[n]; k < m.tradeStart[n + 1]; k++) sum += trade[k];
      assert.ok(Math.abs(sum - power[n]) <= 1e4 * tol, `${label}: agent ${n} sums ${sum}, target ${power[n]}`);
    }
  }
});

test("markets without trade costs (ties, prosumers, linear agents) polish from the first iterate", () => {
  // With no trade costs every agent of a connected market pays one price: the guess of the first
  // iterate already has the right active set up to the flows, which the scaling rebalances.
  const checked: string[] = [];
  for (const [label, make] of [
    ["peer generator 60", () => peerMarket(60, 4)],
    ["peer generator 200", () => peerMarket(200, 6)],
    ["random, 60 % linear", () => market(8, 24, { linear: 0.6 })],
  ] as [string, () => MarketArrays][]) {
    const r = new AdmmSolver(make()).solve();
    assert.equal(r.info.status, "SOLVED", label);
    assert.ok(r.info.polished, `${label}: not polished`);
    // The independent answer: a tight ADMM solve without polishing, same objective.
    const tight = new AdmmSolver(make(), { polish: false, epsAbs: 1e-10, epsRel: 1e-10, maxIter: 50_000 }).solve();
    if (tight.info.status === "SOLVED") {
      const gap = Math.abs(r.info.objective - tight.info.objective) / Math.max(1, Math.abs(tight.info.objective));
      assert.ok(gap <= 1e-9, `${label}: polished ${r.info.objective} vs tight ADMM ${tight.info.objective}`);
      checked.push(label);
    }
    if (label.startsWith("peer")) assert.ok(r.info.polishIteration <= 6, `${label}: at ${r.info.polishIteration}`);
  }
  assert.ok(checked.length >= 2, `compared ${checked.join(", ")}`);
});

/**
 * A market for the finisher's tests: the complete graph of the random market above, with per-side
 * trade costs of which `ties` are zero (interchangeable sellers) or whole numbers (equal loop
 * costs), `linear` agents, an optional grid (linear, unbounded: import at 60, export at 15), and
 * optionally a sparse graph (each pair kept with probability `sparse`).
 */
function pairCostMarket(
  seed: number,
  n: number,
  o: { linear?: number; ties?: boolean; whole?: boolean; grid?: boolean; sparse?: number },
): MarketArrays {
  const r = rng(seed);
  const agents = drawAgents(r, n, o.linear ?? 0.2);
  const { a, b, pMin, pMax } = agents;
  if (o.grid) {
    [a[n - 1], b[n - 1], pMin[n - 1], pMax[n - 1]] = [0, 60, -Infinity, Infinity];
    [a[n - 2], b[n - 2], pMin[n - 2], pMax[n - 2]] = [0, 15, -Infinity, 0];
  }
  return graphMarket(
    agents,
    () => o.sparse === undefined || r() < o.sparse,
    () => (o.ties && r() < 0.5 ? 0 : o.whole ? Math.floor(3 * r()) : 3 * r()),
  );
}

/**
 * The Lagrangian dual of the market at prices μ (a lower bound on the optimum for any μ, by weak
 * duality): Σ_n min_g (f_n(g) − μ_n g) over its bounds + Σ_pairs min_x (cost(x) − (μ_m − μ_n) x)
 * over the pair's bounds. Written from the model alone, sharing no code with the polisher.
 */
function dualBound(m: MarketArrays, mu: Float64Array): number {
  let d = 0;
  for (let n = 0; n < m.nAgents; n++) {
    const a = m.a[n];
    const v = mu[n] - m.b[n]; // f(g) − μ g = ½ a g² − v g
    let g: number;
    if (a > 0) g = Math.min(Math.max(v / a, m.pMin[n]), m.pMax[n]);
    else g = v > 0 ? m.pMax[n] : v < 0 ? m.pMin[n] : 0;
    if (!Number.isFinite(g)) return -Infinity;
    d += 0.5 * a * g * g - v * g;
  }
  for (let n = 0; n < m.nAgents; n++)
    for (let k = m.tradeStart[n]; k < m.tradeStart[n + 1]; k++) {
      const j = m.mirror[k];
      if (j < k) continue;
      const delta = mu[m.partner[k]] - mu[n];
      const wF = m.costSell[k] + m.costBuy[j];
      const wB = m.costSell[j] + m.costBuy[k];
      // x ≥ 0 costs (wF − Δ) x, x ≤ 0 costs (wB + Δ)(−x).
      if (wF - delta < 0) d += (wF - delta) * m.hi[k];
      else if (wB + delta < 0) d += (wB + delta) * -m.lo[k];
    }
  return d;
}

test("the primal–dual finisher alone reaches the exact optimum from early iterates (duality gap, tight ADMM)", () => {
  // Markets with per-pair costs, ties (zero and whole-number costs), linear agents, a grid with
  // unbounded linear agents, sparse graphs, prosumers and producers selling their whole output to
  // one buyer (trades at bounds). The finisher runs alone (no active-set rounds) from the
  // iterates of iterations 1, 20 and 200: exact reciprocity and bounds, and the primal objective
  // equals the dual bound at the finisher's prices (a certificate of optimality), and a tight
  // unpolished solve where it converges.
  const kinds: [string, { linear?: number; ties?: boolean; whole?: boolean; grid?: boolean; sparse?: number }][] = [
    ["pair costs", {}],
    ["ties", { ties: true }],
    ["whole-number costs, 40 % linear", { whole: true, ties: true, linear: 0.4 }],
    ["grid", { grid: true }],
    ["sparse with a grid", { grid: true, sparse: 0.3 }],
    ["60 % linear", { linear: 0.6 }],
  ];
  let runs = 0;
  let certified = 0;
  let atBound = 0;
  for (let seed = 1; seed <= 4; seed++)
    for (const [label, o] of kinds) {
      const n = 6 + 5 * seed;
      const tight = new AdmmSolver(pairCostMarket(seed, n, o), {
        polish: false,
        epsAbs: 1e-11,
        epsRel: 1e-11,
        maxIter: 50_000,
      }).solve();
      for (const K of [1, 20, 200]) {
        const m = pairCostMarket(seed, n, o);
        const { it, local } = admmIterate(m, { maxIter: K, epsAbs: 1e-14, epsRel: 1e-14 });
        const P = new Polisher(m);
        P.maxRounds = 0;
        const res = P.polish(local, it.mu, it.lambda);
        const tag = `${label}, seed ${seed}, iteration ${K}`;
        assert.ok(res.success && res.finished, `${tag}: ${res.reason}`);
        runs++;
        const power = new Float64Array(m.nAgents);
        for (let q = 0; q < m.nAgents; q++)
          for (let k = m.tradeStart[q]; k < m.tradeStart[q + 1]; k++) {
            assert.equal(P.trade[k] + P.trade[m.mirror[k]], 0, tag);
            assert.ok(P.trade[k] >= m.lo[k] && P.trade[k] <= m.hi[k], tag);
            if (P.trade[k] !== 0 && (P.trade[k] === m.hi[k] || P.trade[k] === m.lo[k])) atBound++;
            power[q] += P.trade[k];
          }
        for (let q = 0; q < m.nAgents; q++)
          assert.ok(power[q] >= m.pMin[q] - 1e-9 && power[q] <= m.pMax[q] + 1e-9, `${tag}: agent ${q}`);
        const obj = objective(m, { agentPower: power, trade: P.trade, price: P.price });
        const dual = dualBound(m, P.mu);
        const scale = Math.max(1, Math.abs(obj));
        assert.ok(obj - dual <= 1e-9 * scale && dual - obj <= 1e-9 * scale, `${tag}: objective ${obj}, dual ${dual}`);
        certified++;
        if (tight.info.status === "SOLVED") {
          const gap = Math.abs(obj - tight.info.objective) / Math.max(1, Math.abs(tight.info.objective));
          assert.ok(gap <= 1e-8, `${tag}: ${obj} vs tight ADMM ${tight.info.objective}`);
        }
      }
    }
  assert.equal(certified, runs);
  assert.ok(atBound > 0, "no trade at a bound in the sample");
});

test("the finisher refuses what it cannot prove: a work limit, and an infeasible market", () => {
  // Too little work: it stops, reports why, and the polisher does not claim success.
  const m = pairCostMarket(3, 21, { ties: true });
  const { it, local } = admmIterate(m, { maxIter: 1 });
  const P = new Polisher(m);
  P.maxRounds = 0;
  P.finishDefault = 1;
  const starved = P.polish(local, it.mu, it.lambda);
  assert.equal(starved.success, false);
  assert.match(starved.reason, /finisher: work limit/);
  P.finishDefault = FINISH_DEFAULT;
  assert.ok(P.polish(local, it.mu, it.lambda).success, "with its default work");
  // Two producers and no buyer that can take their must-run output: no equilibrium.
  const bad = buildMarketArrays(
    {
      a: Float64Array.of(0.1, 0.1, 0.1),
      b: Float64Array.of(20, 30, 50),
      pMin: Float64Array.of(5, 5, -4),
      pMax: Float64Array.of(10, 10, 0),
    },
    { first: Int32Array.of(0, 1), second: Int32Array.of(2, 2) },
  ).arrays;
  const Q = new Polisher(bad);
  Q.maxRounds = 0;
  const r = Q.polish(
    new Float64Array(bad.partner.length),
    new Float64Array(3).fill(40),
    new Float64Array(bad.partner.length),
  );
  assert.equal(r.success, false);
});

test("new trade costs on a solver that has polished: the next solve polishes with them, as a fresh solver does", () => {
  // A market first without trade costs (the rounds then do not read them), then with the per-pair
  // costs it was drawn with (the finisher runs), then with other per-pair costs.
  const drawn = pairCostMarket(31, 60, { sparse: 0.3, grid: true });
  const zero = new Float64Array(drawn.partner.length);
  const m = pairCostMarket(31, 60, { sparse: 0.3, grid: true });
  m.costSell.set(zero);
  m.costBuy.set(zero);
  const solver = new AdmmSolver(m);
  assert.ok(solver.solve().info.polished);
  const r = rng(77);
  const otherSell = Float64Array.from(zero, () => 3 * r());
  const otherBuy = Float64Array.from(zero, () => 3 * r());
  type Last = { polishDriver: { last: { finished?: boolean } } };
  for (const [label, cs, cb] of [
    ["drawn costs", drawn.costSell, drawn.costBuy],
    ["other costs", otherSell, otherBuy],
  ] as [string, Float64Array, Float64Array][]) {
    solver.updateCosts(cs, cb);
    const again = solver.solve();
    const fresh = pairCostMarket(31, 60, { sparse: 0.3, grid: true });
    fresh.costSell.set(cs);
    fresh.costBuy.set(cb);
    const refSolver = new AdmmSolver(fresh);
    const ref = refSolver.solve();
    assert.ok(again.info.polished, `${label}: not polished (${again.info.statusMessage})`);
    assert.ok(ref.info.polished, `${label}: the fresh solver did not polish`);
    const lastFinished = (refSolver as unknown as Last).polishDriver.last.finished === true;
    assert.equal((solver as unknown as Last).polishDriver.last.finished === true, lastFinished, `${label}: finisher`);
    // Exact for these costs: the dual bound at the polished prices equals the objective.
    const dual = dualBound(fresh, solver.iterate.mu);
    const scale = Math.max(1, Math.abs(ref.info.objective));
    assert.ok(
      Math.abs(again.info.objective - dual) <= 1e-9 * scale,
      `${label}: ${again.info.objective} vs dual ${dual}`,
    );
    assert.ok(
      Math.abs(again.info.objective - ref.info.objective) <= 1e-9 * scale,
      `${label}: ${again.info.objective} vs a fresh solver's ${ref.info.objective}`,
    );
  }
});

test("sparse markets with per-pair costs: the finisher polishes in a solve, early, bit-identically on 1 and 2 threads", async () => {
  for (const [seed, n, o] of [
    [31, 60, { sparse: 0.3, grid: true }],
    [33, 80, { sparse: 0.15, grid: true, ties: true }],
  ] as [number, number, { sparse: number; grid: boolean; ties?: boolean }][]) {
    const make = () => pairCostMarket(seed, n, o);
    const solver = new AdmmSolver(make());
    const single = solver.solve();
    const tag = `seed ${seed}`;
    assert.ok(single.info.polished, `${tag}: not polished`);
    const last = (solver as unknown as { polishDriver: { last: { finished?: boolean } } }).polishDriver.last;
    assert.equal(last.finished, true, `${tag}: polished without the finisher`);
    // Exact: the dual bound at the polished prices equals the objective.
    const m = make();
    const dual = dualBound(m, solver.iterate.mu);
    const scale = Math.max(1, Math.abs(single.info.objective));
    assert.ok(
      Math.abs(single.info.objective - dual) <= 1e-9 * scale,
      `${tag}: ${single.info.objective} vs dual ${dual}`,
    );
    // Well before ADMM alone reaches 1e-4.
    const alone = new AdmmSolver(make(), { polish: false, epsAbs: 1e-4, epsRel: 1e-4 }).solve();
    assert.ok(
      single.info.polishIteration <= 0.5 * alone.info.iterations,
      `${tag}: polished at ${single.info.polishIteration}, ADMM alone at 1e-4 after ${alone.info.iterations}`,
    );
    const team = await ShardTeam.start(1);
    try {
      const shared = new AdmmSolver(make(), {}, { shared: true });
      const executor = team.attach(shared.problem, shared.iterate);
      const r = shared.solve({ executor });
      team.detach();
      assert.equal(r.info.polishIteration, single.info.polishIteration, tag);
      assert.equal(r.info.objective, single.info.objective, tag);
      assert.deepEqual(r.solution.trade, single.solution.trade);
      assert.deepEqual(r.solution.price, single.solution.price);
      assert.deepEqual(r.solution.agentPower, single.solution.agentPower);
    } finally {
      await team.close();
    }
  }
});
