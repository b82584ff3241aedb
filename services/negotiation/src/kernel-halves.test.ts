import assert from "node:assert/strict";
import { test } from "node:test";
import { type IterateArrays, PARTIALS, phase, reserveLocalScratch, sanitizeCosts } from "@peermarket/admm";
import { consensusUpdate, localSolves } from "@peermarket/admm";
import { randomArrays } from "./testing/random-arrays.js";
import { rng } from "./testing/synthetic-market.js";

function iterate(nt: number, na: number, seed: number): IterateArrays {
  const r = rng(seed);
  const f = (n: number, scale: number): Float64Array => Float64Array.from({ length: n }, () => (r() - 0.5) * scale);
  return { p0: f(nt, 40), p1: new Float64Array(nt), z: f(nt, 40), lambda: f(nt, 100), mu: f(na, 100) };
}

function copy(it: IterateArrays): IterateArrays {
  return { p0: it.p0.slice(), p1: it.p1.slice(), z: it.z.slice(), lambda: it.lambda.slice(), mu: it.mu.slice() };
}

test("consensusUpdate then localSolves is bit-identical to the engine's phase, over any split of the agents", () => {
  for (const seed of [1, 2, 3]) {
    const m = randomArrays(seed, 300);
    sanitizeCosts(m.lo, m.hi, m.costSell, m.costBuy);
    reserveLocalScratch(m.nAgents);
    const nt = m.partner.length;
    const base = iterate(nt, m.nAgents, seed + 10);
    for (const [rho, rhoDual, alpha] of [
      [3, 3, 1.6],
      [0.7, 2.5, 1],
      [40, 40, 1.2],
    ]) {
      const whole = copy(base);
      const pw = new Float64Array(PARTIALS);
      phase(m, m.mirror, whole, whole.p0, whole.p1, 0, m.nAgents, rho, rhoDual, alpha, pw, 0);
      const split = copy(base);
      const cuts = [0, 17, 150, 151, m.nAgents];
      const ps = new Float64Array(PARTIALS * (cuts.length - 1));
      for (let i = 0; i + 1 < cuts.length; i++)
        consensusUpdate(m, m.mirror, split, split.p0, split.p1, cuts[i], cuts[i + 1], rho, rhoDual, alpha, ps, i);
      for (let i = 0; i + 1 < cuts.length; i++) localSolves(m, split.mu, split.p1, cuts[i], cuts[i + 1], rho);
      assert.deepEqual(split.p1, whole.p1, `trades, seed ${seed}, ρ ${rho}`);
      assert.deepEqual(split.z, whole.z);
      assert.deepEqual(split.lambda, whole.lambda);
      assert.deepEqual(split.mu, whole.mu);
      for (let q = 0; q < PARTIALS; q++) {
        let max = 0;
        for (let i = 0; i + 1 < cuts.length; i++) max = Math.max(max, ps[i * PARTIALS + q]);
        assert.equal(max, pw[q], `partial ${q}`);
      }
    }
  }
});

test("a non-finite trade makes the primal partial NaN, as in the engine", () => {
  const m = randomArrays(4, 40);
  const it = iterate(m.partner.length, m.nAgents, 5);
  it.p0[m.tradeStart[3]] = Infinity;
  const partials = new Float64Array(PARTIALS);
  consensusUpdate(m, m.mirror, it, it.p0, it.p1, 0, m.nAgents, 1, 1, 1.6, partials, 0);
  assert.ok(Number.isNaN(partials[0]));
  const clean = iterate(m.partner.length, m.nAgents, 5);
  consensusUpdate(m, m.mirror, clean, clean.p0, clean.p1, 0, m.nAgents, 1, 1, 1.6, partials, 0);
  assert.ok(Number.isFinite(partials[0]) && partials[0] > 0);
});
