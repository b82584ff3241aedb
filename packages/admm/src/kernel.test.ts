import { test } from "node:test";
import assert from "node:assert/strict";
import { buildMarketArrays, canTrade } from "./build.js";
import { coldIterate, consensusUpdate, type IterateArrays, localSolves, PARTIALS, phase, R_PRIMAL } from "./kernel.js";
import { sanitizeCosts } from "./local.js";
import type { MarketArrays } from "./problem.js";
import { xorshift32 as rng } from "./random.js";

/**
 * A random market that exercises every branch of the local solve: linear and quadratic costs,
 * infinite and must-run bounds, one-way and two-way trades, asymmetric trade costs (c⁺ + c⁻ ≥ 0 on
 * two-way trades), agents without trades and one agent trading with everyone.
 */
function randomMarket(seed: number, n: number): MarketArrays {
  const r = rng(seed);
  const a = new Float64Array(n);
  const b = new Float64Array(n);
  const pMin = new Float64Array(n);
  const pMax = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    a[i] = r() < 0.25 ? 0 : 0.01 + r();
    b[i] = -10 + 70 * r();
    const kind = r();
    if (kind < 0.35) [pMin[i], pMax[i]] = [r() < 0.1 ? 2 * r() : 0, r() < 0.1 ? Infinity : 5 + 40 * r()];
    else if (kind < 0.7) [pMin[i], pMax[i]] = [r() < 0.1 ? -Infinity : -5 - 40 * r(), r() < 0.1 ? -2 * r() : 0];
    else [pMin[i], pMax[i]] = [-5 - 20 * r(), 5 + 20 * r()];
  }
  // The last agent is a grid with linear cost trading with everyone.
  [a[n - 1], b[n - 1], pMin[n - 1], pMax[n - 1]] = [0, 40, -Infinity, Infinity];
  const first: number[] = [];
  const second: number[] = [];
  for (let i = 0; i < n - 1; i++) {
    for (let j = i + 1; j < n; j++) {
      const p = j === n - 1 ? 0.9 : i < 3 ? 0 : 0.15; // agents 0–2 trade only with the grid
      if (r() < p && canTrade(pMin[i], pMax[i], pMin[j], pMax[j])) {
        first.push(i);
        second.push(j);
      }
    }
  }
  const m = first.length;
  const costs = () => Float64Array.from({ length: m }, () => (r() < 0.3 ? 0 : -2 + 6 * r()));
  const built = buildMarketArrays(
    { a, b, pMin, pMax },
    {
      first: Int32Array.from(first),
      second: Int32Array.from(second),
      sellFirst: costs(),
      buyFirst: costs(),
      sellSecond: costs(),
      buySecond: costs(),
    },
  ).arrays;
  // Two-way trades must have c⁺ + c⁻ ≥ 0.
  for (let k = 0; k < built.lo.length; k++) {
    if (built.lo[k] < 0 && built.hi[k] > 0 && built.costSell[k] + built.costBuy[k] < 0)
      built.costBuy[k] = -built.costSell[k] + r();
  }
  sanitizeCosts(built.lo, built.hi, built.costSell, built.costBuy);
  return built;
}

const iterate = (m: MarketArrays): IterateArrays => coldIterate(m);

function sameBits(x: Float64Array, y: Float64Array, what: string): void {
  for (let k = 0; k < x.length; k++) {
    if (!Object.is(x[k], y[k])) assert.fail(`${what}[${k}]: ${x[k]} vs ${y[k]}`);
  }
}

test("the fused phase is bit-identical to the consensus update followed by the local solves", () => {
  // 60 agents: every agent has fewer than 64 trades (their partners' trades are gathered in
  // blocks); 120: the grid agent has more (it reads them directly).
  // 200 agents over 150 iterations: close to convergence, most local solves end on the first Newton
  // step or at the warm price (the common cases `phase` inlines for agents with few trades).
  for (const [seed, n, iterations] of [
    [1, 60, 40],
    [2, 60, 40],
    [3, 60, 40],
    [4, 120, 40],
    [5, 120, 40],
    [6, 200, 150],
  ]) {
    const m = randomMarket(seed, n);
    if (n >= 120) assert.ok(m.tradeStart[n] - m.tradeStart[n - 1] >= 64, "the grid agent should have ≥ 64 trades");
    const fused = iterate(m);
    const split = iterate(m);
    const pf = new Float64Array(PARTIALS);
    const ps = new Float64Array(PARTIALS);
    // ρ changes along the way, as residual balancing does; α over-relaxes.
    const rhos = [1, 1, 0.3, 0.3, 3, 3, 3, 0.05, 0.05, 10];
    let rhoPrev = rhos[0];
    for (let iter = 0; iter < iterations; iter++) {
      const rho = iter < 40 ? rhos[iter % rhos.length] : 1;
      const [fc, fn] = iter % 2 === 0 ? [fused.p0, fused.p1] : [fused.p1, fused.p0];
      const [sc, sn] = iter % 2 === 0 ? [split.p0, split.p1] : [split.p1, split.p0];
      phase(m, m.mirror, fused, fc, fn, 0, m.nAgents, rho, rhoPrev, 1.6, pf, 0);
      consensusUpdate(m, m.mirror, split, sc, sn, 0, m.nAgents, rho, rhoPrev, 1.6, ps, 0);
      localSolves(m, split.mu, sn, 0, m.nAgents, rho);
      sameBits(fn, sn, `seed ${seed} iteration ${iter}: trades`);
      sameBits(fused.z, split.z, `seed ${seed} iteration ${iter}: z`);
      sameBits(fused.lambda, split.lambda, `seed ${seed} iteration ${iter}: λ`);
      sameBits(fused.mu, split.mu, `seed ${seed} iteration ${iter}: μ`);
      sameBits(pf, ps, `seed ${seed} iteration ${iter}: residual partials`);
      rhoPrev = rho;
    }
    // The iteration went somewhere: trades flow and the residual is finite.
    assert.ok(
      fused.p0.some((p) => p !== 0),
      `seed ${seed}: no trade moved`,
    );
    assert.ok(Number.isFinite(pf[R_PRIMAL]));
  }
});

test("on a market without trade costs, phases that skip the costs are bit-identical to phases that read them", () => {
  // The same random markets with every c⁺ and c⁻ set to zero: agents with few trades (60) and a
  // grid agent with many (120), over iterations where ρ changes.
  for (const [seed, n] of [
    [11, 60],
    [12, 120],
  ]) {
    const m = randomMarket(seed, n);
    m.costSell.fill(0);
    m.costBuy.fill(0);
    const read = iterate(m);
    const skip = iterate(m);
    const pr = new Float64Array(PARTIALS);
    const ps = new Float64Array(PARTIALS);
    const rhos = [1, 0.3, 3, 3, 0.05, 10, 1];
    let rhoPrev = rhos[0];
    for (let iter = 0; iter < 60; iter++) {
      const rho = rhos[iter % rhos.length];
      const [rc, rn] = iter % 2 === 0 ? [read.p0, read.p1] : [read.p1, read.p0];
      const [sc, sn] = iter % 2 === 0 ? [skip.p0, skip.p1] : [skip.p1, skip.p0];
      phase(m, m.mirror, read, rc, rn, 0, m.nAgents, rho, rhoPrev, 1.6, pr, 0, null, true);
      phase(m, m.mirror, skip, sc, sn, 0, m.nAgents, rho, rhoPrev, 1.6, ps, 0, null, false);
      sameBits(rn, sn, `seed ${seed} iteration ${iter}: trades`);
      sameBits(read.mu, skip.mu, `seed ${seed} iteration ${iter}: μ`);
      sameBits(read.lambda, skip.lambda, `seed ${seed} iteration ${iter}: λ`);
      sameBits(pr, ps, `seed ${seed} iteration ${iter}: residual partials`);
      rhoPrev = rho;
    }
    assert.ok(
      read.p0.some((p) => p !== 0),
      `seed ${seed}: no trade moved`,
    );
  }
});

test("a phase over agent ranges equals one phase over all agents (the shards' split)", () => {
  const m = randomMarket(7, 80);
  const whole = iterate(m);
  const parts = iterate(m);
  const pw = new Float64Array(PARTIALS);
  const pp = new Float64Array(3 * PARTIALS);
  const cuts = [0, 17, 50, m.nAgents];
  for (let iter = 0; iter < 25; iter++) {
    const rho = iter < 10 ? 2 : 0.5;
    const rhoDual = iter === 10 ? 2 : rho;
    const cur = iter % 2 === 0;
    phase(
      m,
      m.mirror,
      whole,
      cur ? whole.p0 : whole.p1,
      cur ? whole.p1 : whole.p0,
      0,
      m.nAgents,
      rho,
      rhoDual,
      1.6,
      pw,
      0,
    );
    for (let s = 0; s < 3; s++)
      phase(
        m,
        m.mirror,
        parts,
        cur ? parts.p0 : parts.p1,
        cur ? parts.p1 : parts.p0,
        cuts[s],
        cuts[s + 1],
        rho,
        rhoDual,
        1.6,
        pp,
        s,
      );
    sameBits(whole.p0, parts.p0, "p0");
    sameBits(whole.p1, parts.p1, "p1");
    sameBits(whole.lambda, parts.lambda, "λ");
    for (let q = 0; q < PARTIALS; q++)
      assert.equal(pw[q], Math.max(pp[q], pp[PARTIALS + q], pp[2 * PARTIALS + q]), `partial ${q}`);
  }
});

test("a non-finite price makes the primal residual partial NaN", () => {
  const m = randomMarket(3, 30);
  const it = iterate(m);
  const partials = new Float64Array(PARTIALS);
  phase(m, m.mirror, it, it.p0, it.p1, 0, m.nAgents, 1, 1, 1.6, partials, 0);
  assert.ok(Number.isFinite(partials[R_PRIMAL]));
  it.lambda[m.tradeStart[5]] = Infinity;
  phase(m, m.mirror, it, it.p1, it.p0, 0, m.nAgents, 1, 1, 1.6, partials, 0);
  assert.ok(Number.isNaN(partials[R_PRIMAL]));
});
