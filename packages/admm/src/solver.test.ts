import { test } from "node:test";
import assert from "node:assert/strict";
import { AdmmSolver } from "./solver.js";
import { buildMarketArrays, canTrade } from "./build.js";
import type { MarketArrays } from "./problem.js";
import { xorshift32 as rng } from "./random.js";
import { peerMarket } from "./peer-market.js";
import { type AdmmSettings, autoRhoTolerance, defaultSettings, resolveSettings } from "./settings.js";

interface A {
  a: number;
  b: number;
  pMin: number;
  pMax: number;
}

/** A market from agents; complete graph over pairs that can trade, optional per-pair costs. */
function market(
  agents: A[],
  pairs?: [number, number][],
  cost?: (n: number, m: number) => [number, number],
): MarketArrays {
  const list: [number, number][] = [];
  if (pairs) list.push(...pairs);
  else for (let i = 0; i < agents.length; i++) for (let j = i + 1; j < agents.length; j++) list.push([i, j]);
  const keep = list.filter(([i, j]) => canTrade(agents[i].pMin, agents[i].pMax, agents[j].pMin, agents[j].pMax));
  const col = (f: (x: A) => number) => Float64Array.from(agents.map(f));
  const sellFirst = new Float64Array(keep.length);
  const buyFirst = new Float64Array(keep.length);
  const sellSecond = new Float64Array(keep.length);
  const buySecond = new Float64Array(keep.length);
  keep.forEach(([i, j], p) => {
    if (!cost) return;
    [sellFirst[p], buyFirst[p]] = cost(i, j);
    [sellSecond[p], buySecond[p]] = cost(j, i);
  });
  return buildMarketArrays(
    { a: col((x) => x.a), b: col((x) => x.b), pMin: col((x) => x.pMin), pMax: col((x) => x.pMax) },
    {
      first: Int32Array.from(keep.map((p) => p[0])),
      second: Int32Array.from(keep.map((p) => p[1])),
      sellFirst,
      buyFirst,
      sellSecond,
      buySecond,
    },
  ).arrays;
}

const tight = { epsAbs: 1e-9, epsRel: 1e-9, maxIter: 100_000 };

test("two agents: trade and price in closed form", () => {
  // Seller ½·1·p² + 10p, buyer ½·2·p² + 40p (marginal value 40 − 2d): q = (40 − 10)/(1 + 2) = 10, λ = 20.
  const m = market([
    { a: 1, b: 10, pMin: 0, pMax: 100 },
    { a: 2, b: 40, pMin: -100, pMax: 0 },
  ]);
  const r = new AdmmSolver(m, tight).solve();
  assert.equal(r.info.status, "SOLVED");
  assert.ok(Math.abs(r.solution.agentPower[0] - 10) < 1e-6);
  assert.ok(Math.abs(r.solution.agentPower[1] + 10) < 1e-6);
  assert.ok(Math.abs(r.solution.trade[0] - 10) < 1e-6);
  assert.ok(Math.abs(r.solution.price[0] - 20) < 1e-6 && r.solution.price[1] === r.solution.price[0]);
  // objective = ½·100 + 100 + (½·2·100 − 400) = 150 − 300 = −150
  assert.ok(Math.abs(r.info.objective + 150) < 1e-5);
});

test("trade costs shift the price by the seller's and buyer's shares", () => {
  // Same market, seller pays c⁺ = 3, buyer pays c⁻ = 3: q = (40 − 10 − 6)/3 = 8,
  // λ = seller marginal + c⁺ = 8 + 10 + 3 = 21 = buyer marginal − c⁻ = 40 − 16 − 3.
  const m = market(
    [
      { a: 1, b: 10, pMin: 0, pMax: 100 },
      { a: 2, b: 40, pMin: -100, pMax: 0 },
    ],
    undefined,
    () => [3, 3],
  );
  const r = new AdmmSolver(m, tight).solve();
  assert.equal(r.info.status, "SOLVED");
  assert.ok(Math.abs(r.solution.trade[0] - 8) < 1e-6);
  assert.ok(Math.abs(r.solution.price[0] - 21) < 1e-6);
});

test("a bound stops the trade and the price follows the unconstrained side", () => {
  // Seller capped at 4: q = 4; price is set by ... any λ in [seller marginal, buyer marginal] is optimal
  // for the reciprocity dual; the agent powers are unique.
  const m = market([
    { a: 1, b: 10, pMin: 0, pMax: 4 },
    { a: 2, b: 40, pMin: -100, pMax: 0 },
  ]);
  const r = new AdmmSolver(m, tight).solve();
  assert.equal(r.info.status, "SOLVED");
  assert.ok(Math.abs(r.solution.agentPower[0] - 4) < 1e-6);
  const lam = r.solution.price[0];
  assert.ok(lam >= 14 - 1e-5 && lam <= 32 + 1e-5, `price ${lam} outside [14, 32]`);
});

test("an empty market, one agent, and a market where nobody can trade are SOLVED with no trades", () => {
  for (const agents of [
    [],
    [{ a: 1, b: 5, pMin: -3, pMax: 3 }],
    [
      { a: 1, b: 5, pMin: 0, pMax: 3 },
      { a: 1, b: 6, pMin: 0, pMax: 3 },
    ],
  ] as A[][]) {
    const m = market(agents);
    const r = new AdmmSolver(m).solve();
    assert.equal(r.info.status, "SOLVED", `${agents.length} agents`);
    assert.equal(r.solution.trade.length, 0);
    assert.ok(r.solution.agentPower.every((p) => p === 0));
    assert.equal(r.info.objective, 0);
  }
});

test("infeasible markets are reported before iterating, with the agents and the shortfall", () => {
  // A must-run producer (pMin = 50) whose only buyer can take 30.
  const m = market([
    { a: 1, b: 10, pMin: 50, pMax: 100 },
    { a: 1, b: 40, pMin: -30, pMax: 0 },
  ]);
  const r = new AdmmSolver(m).solve({ agentName: (n) => ["plant", "home"][n] });
  assert.equal(r.info.status, "PRIMAL_INFEASIBLE");
  assert.equal(r.info.iterations, 0);
  assert.match(r.info.statusMessage, /plant/);
  assert.match(r.info.statusMessage, /sell at least 50/);
  assert.match(r.info.statusMessage, /absorb only 30/);
  // A must-consume load that no seller reaches (explicit graph without its pair).
  const m2 = market(
    [
      { a: 1, b: 10, pMin: 0, pMax: 100 },
      { a: 1, b: 40, pMin: -30, pMax: -5 },
      { a: 1, b: 40, pMin: -30, pMax: 0 },
    ],
    [[0, 2]],
  );
  const r2 = new AdmmSolver(m2).solve({ agentName: (n) => `a${n}` });
  assert.equal(r2.info.status, "PRIMAL_INFEASIBLE");
  assert.match(r2.info.statusMessage, /a1 must buy at least 5/);
  // Feasible when the must-run producer has enough buyers in reach.
  const m3 = market([
    { a: 1, b: 10, pMin: 20, pMax: 100 },
    { a: 1, b: 40, pMin: -30, pMax: 0 },
  ]);
  assert.equal(new AdmmSolver(m3, tight).solve().info.status, "SOLVED");
});

function randomMarket(seed: number, n: number): MarketArrays {
  const r = rng(seed);
  const agents: A[] = [];
  for (let i = 0; i < n; i++) {
    const t = r();
    const a = r() < 0.2 ? 0 : 0.01 + 0.1 * r();
    if (t < 0.4) agents.push({ a, b: 10 + 40 * r(), pMin: 0, pMax: 10 + 100 * r() });
    else if (t < 0.8) agents.push({ a, b: 30 + 50 * r(), pMin: -10 - 100 * r(), pMax: 0 });
    else agents.push({ a: a || 0.05, b: 20 + 40 * r(), pMin: -5 - 20 * r(), pMax: 5 + 20 * r() });
  }
  agents.push({ a: 0, b: 90, pMin: 0, pMax: Infinity }, { a: 0, b: 5, pMin: -Infinity, pMax: 0 });
  return market(agents, undefined, () => (r() < 0.3 ? [2 * r(), 2 * r()] : [0, 0]));
}

test("stopping rules: max_iter, time_limit, cancellation, SOLVED_INACCURATE", () => {
  const m = randomMarket(3, 40);
  const r1 = new AdmmSolver(m, { maxIter: 3, epsAbs: 1e-12, epsRel: 1e-12 }).solve();
  assert.equal(r1.info.status, "MAX_ITER_REACHED");
  assert.equal(r1.info.iterations, 3);
  const r2 = new AdmmSolver(m, { timeLimit: 1e-9, epsAbs: 1e-12, epsRel: 1e-12 }).solve();
  assert.equal(r2.info.status, "TIME_LIMIT_REACHED");
  let polls = 0;
  const r3 = new AdmmSolver(m, { epsAbs: 1e-12, epsRel: 1e-12 }).solve({ shouldStop: () => ++polls >= 5 });
  assert.equal(r3.info.status, "CANCELLED");
  assert.equal(r3.info.iterations, 4);
  // Tolerances met at 10× but not at 1×: SOLVED_INACCURATE when the iteration cap hits.
  const full = new AdmmSolver(randomMarket(3, 40), { epsAbs: 1e-5, epsRel: 1e-5 }).solve();
  assert.equal(full.info.status, "SOLVED");
  const capped = new AdmmSolver(randomMarket(3, 40), {
    epsAbs: 1e-5,
    epsRel: 1e-5,
    maxIter: full.info.iterations - 1,
    inaccurateFactor: 1e6,
  }).solve();
  assert.equal(capped.info.status, "SOLVED_INACCURATE");
});

test("progress is reported with iteration, residuals, ρ and elapsed time", () => {
  const m = randomMarket(4, 30);
  const seen: number[] = [];
  const r = new AdmmSolver(m).solve({
    progressInterval: 5,
    onProgress: (p) => {
      assert.ok(p.primalResidual >= 0 && p.dualResidual >= 0 && p.rho > 0 && p.elapsed >= 0);
      seen.push(p.iteration);
    },
  });
  assert.ok(seen.length >= 2);
  assert.deepEqual(seen.slice(0, 2), [5, 10]);
  assert.equal(seen[seen.length - 1], r.info.iterations);
});

test("the same input gives bit-identical output", () => {
  const a = new AdmmSolver(randomMarket(5, 50)).solve();
  const b = new AdmmSolver(randomMarket(5, 50)).solve();
  assert.equal(a.info.iterations, b.info.iterations);
  assert.deepEqual(a.solution.trade, b.solution.trade);
  assert.deepEqual(a.solution.price, b.solution.price);
  assert.equal(a.info.objective, b.info.objective);
});

test("warm start: the same market restarts solved, a perturbed one needs fewer iterations", () => {
  const m = randomMarket(6, 60);
  const cold = new AdmmSolver(m, { epsAbs: 1e-6, epsRel: 1e-6 }).solve();
  assert.equal(cold.info.status, "SOLVED");
  const same = new AdmmSolver(randomMarket(6, 60), { epsAbs: 1e-6, epsRel: 1e-6, rho: cold.info.rho });
  same.warmStart({ trade: cold.solution.trade, price: cold.solution.price });
  const again = same.solve();
  assert.equal(again.info.status, "SOLVED");
  assert.ok(again.info.iterations <= 3, `restart from the solution took ${again.info.iterations} iterations`);
  const m2 = randomMarket(6, 60);
  m2.pMax[0] *= 1.05;
  m2.pMin[1] *= 1.05;
  const coldAgain = new AdmmSolver(m2, { epsAbs: 1e-6, epsRel: 1e-6 }).solve();
  const warm = new AdmmSolver(m2, { epsAbs: 1e-6, epsRel: 1e-6, rho: cold.info.rho });
  warm.warmStart({ trade: cold.solution.trade, price: cold.solution.price });
  const w = warm.solve();
  assert.equal(w.info.status, "SOLVED");
  assert.ok(
    w.info.iterations < coldAgain.info.iterations,
    `warm ${w.info.iterations} vs cold ${coldAgain.info.iterations}`,
  );
  assert.ok(Math.abs(w.info.objective - coldAgain.info.objective) <= 1e-5 * Math.abs(coldAgain.info.objective));
});

test("settings are checked", () => {
  const m = randomMarket(1, 5);
  assert.throws(() => new AdmmSolver(m, { alpha: 2 }), /alpha/);
  assert.throws(() => new AdmmSolver(m, { rho: -1 }), /rho/);
  assert.throws(() => new AdmmSolver(m, { maxIter: 0 }), /max_iter/);
  assert.throws(() => new AdmmSolver(m, { epsAbs: Number.NaN }), /eps_abs/);
});

test("an unbounded market is reported before iterating", () => {
  // A seller without limit at 10 and a buyer without limit at 40, both linear: the trade would grow without end.
  const m = market([
    { a: 0, b: 10, pMin: 0, pMax: Infinity },
    { a: 0, b: 40, pMin: -Infinity, pMax: 0 },
    { a: 1, b: 20, pMin: -5, pMax: 5 },
  ]);
  const r = new AdmmSolver(m).solve({ agentName: (n) => ["plant", "sink", "home"][n] });
  assert.equal(r.info.status, "DUAL_INFEASIBLE");
  assert.equal(r.info.iterations, 0);
  assert.match(r.info.statusMessage, /plant can sell without limit at 10 and sink can buy without limit at 40/);
  // With a trade cost above the price gap it is bounded (nobody trades with them).
  const priced = market(
    [
      { a: 0, b: 10, pMin: 0, pMax: Infinity },
      { a: 0, b: 40, pMin: -Infinity, pMax: 0 },
    ],
    undefined,
    () => [20, 20],
  );
  assert.equal(new AdmmSolver(priced, tight).solve().info.status, "SOLVED");
});

test("a market without curvature and tiny linear costs still gets a ρ on the price scale", () => {
  // Zero-cost producers, a grid paying 20: ρ from median |b| would be ~0 and trades unresolvable.
  const m = market([
    { a: 0, b: 0, pMin: 0.025, pMax: 0.1 },
    { a: 0, b: 5e-324, pMin: 0, pMax: 0.1 },
    { a: 0, b: 20, pMin: -0.1, pMax: 0 },
  ]);
  const s = new AdmmSolver(m, tight);
  assert.ok(s.currentRho >= ((1e-6 * 20) / 0.1) * 0.999, `ρ = ${s.currentRho}`);
  const r = s.solve();
  assert.equal(r.info.status, "SOLVED");
  assert.ok(Math.abs(r.solution.agentPower[2] + 0.1) < 1e-6, `buyer ${r.solution.agentPower[2]}`);
});

test("a NUMERICAL_ERROR result holds no NaN", () => {
  const m = market([
    { a: 0, b: 0, pMin: 0, pMax: 0.1 },
    { a: 0.001, b: 0, pMin: 0.025, pMax: 0.1 },
    { a: 0, b: 20, pMin: -0.1, pMax: 0 },
  ]);
  assert.throws(() => new AdmmSolver(m, { rho: 1e308 }), /rho must be at most 1e100/);
  const r = new AdmmSolver(m, { rho: 1e100, epsAbs: 1e-12, epsRel: 1e-12, maxIter: 200 }).solve();
  for (const v of [r.info.primalResidual, r.info.dualResidual, r.info.rho, r.info.objective])
    assert.ok(Number.isFinite(v), `${v}`);
  for (const arr of [r.solution.trade, r.solution.price, r.solution.agentPower]) assert.ok(arr.every(Number.isFinite));
});

test("ρ balancing: ADMM alone on a market without storage balances within 2, a polished solve within 5 where trades cost nothing", () => {
  assert.equal(autoRhoTolerance(false, false, false), 2);
  assert.equal(autoRhoTolerance(false, false, true), 2);
  assert.equal(autoRhoTolerance(true, false, false), 5);
  assert.equal(autoRhoTolerance(true, false, true), 2);
  assert.equal(autoRhoTolerance(false, true, true), 5);
  assert.equal(autoRhoTolerance(true, true, true), 5);
  assert.equal(defaultSettings.adaptiveRhoTolerance, 0);
  const m = peerMarket(100, 1);
  const solve = (s: Partial<AdmmSettings>) => new AdmmSolver(m, { epsAbs: 1e-4, epsRel: 1e-4, ...s }).solve().info;
  // Polish off: the automatic tolerance reaches 1e-4 sooner than OSQP's 5 (51 against 68).
  const alone = solve({ polish: false });
  const five = solve({ polish: false, adaptiveRhoTolerance: 5 });
  assert.equal(alone.status, "SOLVED");
  assert.ok(alone.iterations < five.iterations, `${alone.iterations} iterations automatic, ${five.iterations} at 5`);
  assert.ok(Math.abs(alone.objective - five.objective) <= 1e-4 * Math.abs(five.objective));
  // Polish on, and the peer generator's trades cost nothing: the default is the explicit 5.
  const polished = solve({});
  const polishedFive = solve({ adaptiveRhoTolerance: 5 });
  assert.equal(polished.iterations, polishedFive.iterations);
  assert.equal(polished.objective, polishedFive.objective);
  assert.throws(() => resolveSettings({ adaptiveRhoTolerance: -1 }), /adaptive_rho_tolerance/);
});
