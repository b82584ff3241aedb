import { test } from "node:test";
import assert from "node:assert/strict";
import { breakpointSearchCount, solveLocal, sanitizeCosts, type LocalProblem } from "./local.js";
import { bruteLocal, localObjective, type LocalCase } from "./test/brute-local.js";
import { xorshift32 as rng } from "./random.js";

function toProblem(c: LocalCase): { P: LocalProblem; v: Float64Array } {
  const K = c.v.length;
  const P: LocalProblem = {
    a: Float64Array.of(c.a),
    b: Float64Array.of(c.b),
    pMin: Float64Array.of(c.pMin),
    pMax: Float64Array.of(c.pMax),
    tradeStart: Int32Array.of(0, K),
    lo: Float64Array.from(c.lo),
    hi: Float64Array.from(c.hi),
    costSell: Float64Array.from(c.cs),
    costBuy: Float64Array.from(c.cb),
  };
  sanitizeCosts(P.lo, P.hi, P.costSell, P.costBuy);
  return { P, v: Float64Array.from(c.v) };
}

function randomCase(r: () => number): LocalCase {
  const K = 1 + Math.floor(r() * 4);
  const kind = r();
  const linear = r() < 0.3;
  const a = linear ? 0 : 0.01 + r() * 2;
  const b = -20 + 80 * r();
  let pMin: number;
  let pMax: number;
  if (kind < 0.3) {
    pMin = r() < 0.2 ? 5 * r() : 0; // producer, sometimes must-run
    pMax = r() < 0.15 ? Infinity : pMin + 1 + 30 * r();
  } else if (kind < 0.6) {
    pMax = r() < 0.2 ? -5 * r() : 0;
    pMin = r() < 0.15 ? -Infinity : pMax - 1 - 30 * r();
  } else {
    pMin = r() < 0.15 ? -Infinity : -1 - 20 * r();
    pMax = r() < 0.15 ? Infinity : 1 + 20 * r();
  }
  const lo: number[] = [];
  const hi: number[] = [];
  const cs: number[] = [];
  const cb: number[] = [];
  const v: number[] = [];
  for (let k = 0; k < K; k++) {
    // Own trade bounds, sometimes tightened by the partner.
    let l = pMin >= 0 ? 0 : pMin;
    let h = pMax <= 0 ? 0 : pMax;
    if (r() < 0.4) l = Math.max(l, -10 * r());
    if (r() < 0.4) h = Math.min(h, 10 * r());
    lo.push(l === 0 ? 0 : l);
    hi.push(h === 0 ? 0 : h);
    // Asymmetric costs with c⁺ + c⁻ ≥ 0 on two-way trades; premiums allowed on one-way trades.
    let c1 = -3 + 10 * r();
    let c2 = -3 + 10 * r();
    if (l < 0 && h > 0 && c1 + c2 < 0) c2 = -c1 + 2 * r();
    if (r() < 0.3) {
      c1 = 0;
      c2 = 0;
    }
    cs.push(c1);
    cb.push(c2);
    v.push(-30 + 60 * r());
  }
  return { a, b, pMin, pMax, v, lo, hi, cs, cb, rho: 0.05 + 5 * r() };
}

test("the exact local solve matches active-set enumeration on 3000 random agents", () => {
  const r = rng(42);
  let checked = 0;
  for (let i = 0; i < 3000; i++) {
    const c = randomCase(r);
    const { P, v } = toProblem(c);
    // The brute force needs a feasible problem: some x within the boxes with p in bounds.
    const sumLo = c.lo.reduce((s, x) => s + x, 0);
    const sumHi = c.hi.reduce((s, x) => s + x, 0);
    if (sumHi < c.pMin || sumLo > c.pMax) continue;
    const warm = -50 + 100 * r();
    solveLocal(P, 0, v, c.rho, warm);
    const x = Array.from(v);
    const brute = bruteLocal(c);
    const fx = localObjective(c, x);
    const scale = 1 + Math.abs(brute.objective);
    assert.ok(fx <= brute.objective + 1e-9 * scale, `case ${i}: objective ${fx} above brute force ${brute.objective}`);
    for (let k = 0; k < x.length; k++) {
      assert.ok(
        Math.abs(x[k] - brute.x[k]) <= 1e-6 * (1 + Math.abs(brute.x[k])),
        `case ${i} trade ${k}: ${x[k]} vs ${brute.x[k]}`,
      );
      assert.ok(x[k] >= c.lo[k] && x[k] <= c.hi[k], `case ${i}: trade ${k} outside its bounds`);
    }
    const p = x.reduce((s, t) => s + t, 0);
    assert.ok(
      p >= c.pMin - 1e-9 * (1 + Math.abs(p)) && p <= c.pMax + 1e-9 * (1 + Math.abs(p)),
      `case ${i}: p = ${p} outside [${c.pMin}, ${c.pMax}]`,
    );
    checked++;
  }
  assert.ok(checked > 2000, `only ${checked} feasible cases`);
});

test("a cold start's local solve (every target 0: all trades at one kink) ends exactly by a secant step", () => {
  // A consumer (p ∈ [−1000, 0], a = 0.1, b = 50) buying over 15 trades of [−100, 0] with targets 0,
  // as at the first iteration of a cold start, ρ = 2. Every trade changes piece at μ = 0, where
  // Newton's slope is that of one side only; its step leaves the bracket. The root: the trades
  // each buy −μ/ρ and the agent takes p = (μ − b)/a, so −15μ/2 = 10μ − 500: μ = 500/17.5.
  const K = 15;
  const c: LocalCase = {
    a: 0.1,
    b: 50,
    pMin: -1000,
    pMax: 0,
    v: new Array(K).fill(0),
    lo: new Array(K).fill(-100),
    hi: new Array(K).fill(0),
    cs: new Array(K).fill(0),
    cb: new Array(K).fill(0),
    rho: 2,
  };
  const before = breakpointSearchCount();
  for (const warm of [50, 0, 10, 100, -30]) {
    const { P, v } = toProblem(c);
    const mu = solveLocal(P, 0, v, c.rho, warm);
    const root = 500 / 17.5;
    assert.ok(Math.abs(mu - root) <= 1e-12 * root, `warm ${warm}: μ = ${mu}, expected ${root}`);
    for (let k = 0; k < K; k++)
      assert.ok(Math.abs(v[k] + root / c.rho) <= 1e-12 * root, `warm ${warm}: trade ${k} = ${v[k]}`);
  }
  // The secant between the bracket's ends lands on the root; the breakpoint search (sort and
  // bisection, O(K log K)) was not needed.
  assert.equal(breakpointSearchCount() - before, 0);
});

test("the local solve returns the agent's marginal price", () => {
  // One seller with a = 1, b = 10, one trade with target v = 20, ρ = 1, no costs:
  // minimise ½p² + 10p + ½(p − 20)² → p = 5, μ = a p + b = 15.
  const c: LocalCase = { a: 1, b: 10, pMin: 0, pMax: 100, v: [20], lo: [0], hi: [100], cs: [0], cb: [0], rho: 1 };
  const { P, v } = toProblem(c);
  const mu = solveLocal(P, 0, v, 1, 0);
  assert.ok(Math.abs(v[0] - 5) < 1e-12);
  assert.ok(Math.abs(mu - 15) < 1e-12);
});

test("linear costs: the agent sits at a bound or at μ = b", () => {
  // a = 0, b = 10, p ∈ [0, 3]; two trades with targets 10 each, ρ = 1.
  // At μ = b the trades would be 0 + 0 (v − μ/ρ = 0): within bounds → μ = 10.
  const c: LocalCase = {
    a: 0,
    b: 10,
    pMin: 0,
    pMax: 3,
    v: [10, 10],
    lo: [0, 0],
    hi: [5, 5],
    cs: [0, 0],
    cb: [0, 0],
    rho: 1,
  };
  let { P, v } = toProblem(c);
  assert.equal(solveLocal(P, 0, v, 1, 0), 10);
  // Targets 20 each: at μ = b they sum to 20 > pMax = 3, so p = 3 and μ > b.
  ({ P, v } = toProblem({ ...c, v: [20, 20] }));
  const mu = solveLocal(P, 0, v, 1, 0);
  assert.ok(Math.abs(v[0] + v[1] - 3) < 1e-12);
  assert.ok(Math.abs(v[0] - 1.5) < 1e-12);
  assert.ok(mu > 10);
});

test("an agent without trades keeps p = 0", () => {
  const P: LocalProblem = {
    a: Float64Array.of(1),
    b: Float64Array.of(3),
    pMin: Float64Array.of(-1),
    pMax: Float64Array.of(1),
    tradeStart: Int32Array.of(0, 0),
    lo: new Float64Array(0),
    hi: new Float64Array(0),
    costSell: new Float64Array(0),
    costBuy: new Float64Array(0),
  };
  assert.equal(solveLocal(P, 0, new Float64Array(0), 1, 0), 3);
});

test("sanitizeCosts only touches the unused side of one-way trades", () => {
  const lo = Float64Array.of(0, -5, -5, -5);
  const hi = Float64Array.of(5, 0, 5, 5);
  const cs = Float64Array.of(-3, 1, 1, 2);
  const cb = Float64Array.of(1, -4, 2, 3);
  assert.equal(sanitizeCosts(lo, hi, cs, cb), 2);
  assert.deepEqual(Array.from(cs), [-3, 4, 1, 2]);
  assert.deepEqual(Array.from(cb), [3, -4, 2, 3]);
});
