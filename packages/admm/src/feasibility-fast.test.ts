import { test } from "node:test";
import assert from "node:assert/strict";
import { buildMarketArrays } from "./build.js";
import { checkFeasibility, greedyFeasible, maxFlowFeasibility } from "./feasibility.js";
import { peerMarket } from "./peer-market.js";
import type { MarketArrays } from "./problem.js";
import { xorshift32 } from "./random.js";

/**
 * A random market: agents split into a few components (pairs only inside one), some isolated;
 * agents must-run, must-consume, producers, consumers or prosumers, some with infinite bounds;
 * trade bounds either those of the agents' bounds or drawn per pair (finite, one-way, infinite).
 */
function randomMarket(seed: number): MarketArrays {
  const r = xorshift32(seed);
  const N = 2 + Math.floor(r() * 24);
  const groups = 1 + Math.floor(r() * 3);
  const group = Int32Array.from({ length: N }, () => (r() < 0.1 ? -1 : Math.floor(r() * groups)));
  const a = new Float64Array(N).fill(1);
  const b = Float64Array.from({ length: N }, () => 10 + 40 * r());
  const pMin = new Float64Array(N);
  const pMax = new Float64Array(N);
  for (let n = 0; n < N; n++) {
    const x = 1 + Math.floor(r() * 20);
    const y = x + Math.floor(r() * 20);
    const kind = Math.floor(r() * 6);
    if (kind === 0)
      [pMin[n], pMax[n]] = [x, r() < 0.2 ? Infinity : y]; // must run
    else if (kind === 1)
      [pMin[n], pMax[n]] = [r() < 0.2 ? -Infinity : -y, r() < 0.2 ? -y : -x]; // must consume
    else if (kind === 2)
      [pMin[n], pMax[n]] = [0, r() < 0.2 ? Infinity : y]; // producer
    else if (kind === 3)
      [pMin[n], pMax[n]] = [r() < 0.2 ? -Infinity : -y, 0]; // consumer
    else if (kind === 4)
      [pMin[n], pMax[n]] = [-y, x]; // prosumer
    else [pMin[n], pMax[n]] = [x, x]; // fixed output
  }
  const density = 0.15 + 0.85 * r();
  const first: number[] = [];
  const second: number[] = [];
  for (let i = 0; i < N; i++) {
    for (let j = i + 1; j < N; j++) {
      if (group[i] < 0 || group[i] !== group[j] || r() > density) continue;
      first.push(i);
      second.push(j);
    }
  }
  const m = buildMarketArrays(
    { a, b, pMin, pMax },
    { first: Int32Array.from(first), second: Int32Array.from(second) },
  ).arrays;
  if (r() < 0.5) {
    // Trade bounds of their own: finite, one-way or unlimited, the same pair seen from both sides.
    const draw = (): number => {
      const u = r();
      return u < 0.2 ? 0 : u < 0.4 ? Infinity : Math.floor(1 + 25 * r());
    };
    for (let k = 0; k < m.partner.length; k++) {
      const j = m.mirror[k];
      if (j < k) continue;
      m.hi[k] = draw();
      m.lo[k] = -draw();
      m.lo[j] = m.hi[k] === 0 ? 0 : -m.hi[k];
      m.hi[j] = m.lo[k] === 0 ? 0 : -m.lo[k];
    }
  }
  return m;
}

/** Checks a witness: antisymmetric trades within their bounds giving every agent a net power within its bounds. */
function checkWitness(m: MarketArrays, w: Float64Array, label: string): void {
  for (let k = 0; k < w.length; k++) {
    assert.ok(w[k] + w[m.mirror[k]] === 0, `${label}: trade ${k} not antisymmetric`);
    assert.ok(w[k] >= m.lo[k] && w[k] <= m.hi[k], `${label}: trade ${k} = ${w[k]} outside [${m.lo[k]}, ${m.hi[k]}]`);
  }
  for (let n = 0; n < m.nAgents; n++) {
    let p = 0;
    for (let k = m.tradeStart[n]; k < m.tradeStart[n + 1]; k++) p += w[k];
    const tol = 1e-9 * Math.max(1, Math.abs(p));
    assert.ok(
      p >= m.pMin[n] - tol && p <= m.pMax[n] + tol,
      `${label}: agent ${n} at ${p} outside [${m.pMin[n]}, ${m.pMax[n]}]`,
    );
  }
}

test("the greedy feasibility test agrees with the maximum flow on random markets, and its trades are feasible", () => {
  let feasible = 0;
  let infeasible = 0;
  let greedy = 0;
  for (let seed = 1; seed <= 3000; seed++) {
    const m = randomMarket(seed);
    const ref = maxFlowFeasibility(m, (n) => `#${n}`);
    const got = checkFeasibility(m);
    const w = new Float64Array(m.partner.length);
    const ok = greedyFeasible(m, w);
    if (ok) {
      greedy++;
      checkWitness(m, w, `seed ${seed}`);
      assert.equal(
        ref.feasible,
        true,
        `seed ${seed}: the greedy test found trades but the maximum flow says ${ref.reason}`,
      );
    }
    assert.equal(got.feasible, ref.feasible, `seed ${seed}`);
    if (ref.feasible) feasible++;
    else {
      infeasible++;
      assert.deepEqual(got, ref, `seed ${seed}: the reason and agents of the maximum flow`);
    }
  }
  // Both verdicts occur, and the greedy test decides most feasible markets by itself.
  assert.ok(feasible > 300 && infeasible > 300, `${feasible} feasible, ${infeasible} infeasible`);
  assert.ok(greedy > 0.6 * feasible, `greedy decided ${greedy} of ${feasible} feasible markets`);
});

test("the peer generator's markets are decided by the greedy test, as the maximum flow decides them", () => {
  for (const [n, seed] of [
    [40, 1],
    [200, 2],
    [333, 3],
  ]) {
    const m = peerMarket(n, seed);
    const w = new Float64Array(m.partner.length);
    assert.equal(greedyFeasible(m, w), true, `${n} agents`);
    checkWitness(m, w, `${n} agents`);
    assert.equal(maxFlowFeasibility(m, String).feasible, true);
    assert.equal(checkFeasibility(m).feasible, true);
  }
  // Consumers needing more than the producers can give: infeasible, with the maximum flow's reason.
  const m = peerMarket(50, 4);
  for (let n = 0; n < m.nAgents; n++) if (m.pMin[n] >= 0) m.pMax[n] *= 0.3;
  const ref = maxFlowFeasibility(m, (n) => `#${n}`);
  assert.equal(ref.feasible, false);
  assert.equal(greedyFeasible(m), false);
  assert.deepEqual(checkFeasibility(m), ref);
});

test("a feasible market the greedy order cannot route is still found feasible (by the maximum flow)", () => {
  // Consumer 0 (must buy 10) reaches producers 2 and 3; consumer 1 (must buy 10) only producer 2.
  // Consumer 0 buys all of producer 2 first, leaving consumer 1 without a seller.
  const a = new Float64Array(4).fill(1);
  const b = new Float64Array(4).fill(20);
  const pMin = Float64Array.from([-10, -10, 0, 0]);
  const pMax = Float64Array.from([-10, -10, 10, 10]);
  const m = buildMarketArrays(
    { a, b, pMin, pMax },
    { first: Int32Array.from([0, 0, 1]), second: Int32Array.from([2, 3, 2]) },
  ).arrays;
  assert.equal(greedyFeasible(m), false);
  assert.equal(maxFlowFeasibility(m, String).feasible, true);
  assert.equal(checkFeasibility(m).feasible, true);
  // Must-run output and must-consume demand meeting on the same pairs (both greedy steps).
  const m2 = buildMarketArrays(
    {
      a: new Float64Array(3).fill(1),
      b: new Float64Array(3).fill(20),
      pMin: Float64Array.from([-8, 5, 1]),
      pMax: Float64Array.from([-2, 5, 10]),
    },
    { first: Int32Array.from([0, 0, 1]), second: Int32Array.from([1, 2, 2]) },
  ).arrays;
  const w = new Float64Array(m2.partner.length);
  // The consumer first buys 2 from agent 1; the must-run agents then sell it 3 and 1 more.
  assert.equal(greedyFeasible(m2, w), true);
  checkWitness(m2, w, "must-run and must-consume");
  assert.deepEqual(
    Array.from(w, (x) => x + 0),
    [-5, -1, 5, 0, 1, 0],
  );
});
