import { test } from "node:test";
import assert from "node:assert/strict";
import { AdmmSolver, type MarketArrays, peerMarket, type SolutionArrays } from "@peermarket/admm";
import { certify, solveReference } from "@peermarket/reference";
import { randomMarket } from "./testing/random-market.js";
import { solveMarket } from "./solve.js";

// Polishing from early iterates (docs/polishing.md, "Flows" and "When to try"): the flows of the
// flowing pairs are rebalanced to the agents' exact powers (a biproportional scaling) before the
// tree takes up the rest, and the first try is at iteration 1. Every polished answer is checked
// against HiGHS (objective within 1e-9 relative) and the KKT certificate at rounding level.

const REL = 1e-9;

async function assertExact(label: string, m: MarketArrays, s: SolutionArrays, objective: number): Promise<void> {
  let power = 1;
  let price = 1;
  for (let n = 0; n < m.nAgents; n++) {
    for (const v of [m.pMin[n], m.pMax[n], s.agentPower[n]])
      if (Number.isFinite(v)) power = Math.max(power, Math.abs(v));
    price = Math.max(price, Math.abs(m.b[n]));
  }
  for (let k = 0; k < m.partner.length; k++)
    price = Math.max(price, Math.abs(s.price[k]), Math.abs(m.costSell[k]), Math.abs(m.costBuy[k]));
  const cert = certify(m, s, { primal: REL * power, dual: REL * price, active: REL * power });
  assert.ok(cert.passed, `${label}: certificate ${JSON.stringify({ ...cert, agentPriceViolation: undefined })}`);
  const ref = await solveReference(m, { timeLimit: 30 });
  assert.ok(ref.optimal, `${label}: reference ${ref.status}`);
  const gap = Math.abs(objective - ref.objective) / Math.max(1, Math.abs(ref.objective));
  assert.ok(gap <= REL, `${label}: objective ${objective} vs HiGHS ${ref.objective} (gap ${gap})`);
}

/** Caps every pair's trade at `cap` in both directions (the mirror's bounds stay the negation). */
function capPairs(m: MarketArrays, cap: number): MarketArrays {
  for (let k = 0; k < m.partner.length; k++) {
    m.hi[k] = Math.min(m.hi[k], cap);
    m.lo[k] = Math.max(m.lo[k], -cap);
  }
  return m;
}

test("peer markets (ties, prosumers) are exact after the first iterate", async () => {
  for (const seed of [1, 2, 3, 4]) {
    const m = peerMarket(30, seed);
    const r = new AdmmSolver(m).solve();
    assert.equal(r.info.status, "SOLVED");
    assert.ok(r.info.polished, `seed ${seed}: not polished`);
    assert.equal(r.info.polishIteration, 1, `seed ${seed}: polished at iteration ${r.info.polishIteration}`);
    await assertExact(`peer ${seed}`, m, r.solution, r.info.objective);
  }
});

test("pair trades capped below what the agents want: pairs at their bounds, scaled flows clipped", async () => {
  let polished = 0;
  let atBound = 0;
  for (const [seed, cap] of [
    [5, 100],
    [6, 150],
    [7, 120],
  ] as [number, number][]) {
    const m = capPairs(peerMarket(24, seed), cap);
    const r = new AdmmSolver(m, { maxIter: 50_000 }).solve();
    assert.equal(r.info.status, "SOLVED", `seed ${seed}: ${r.info.status}`);
    if (!r.info.polished) continue;
    polished++;
    for (let k = 0; k < m.partner.length; k++) if (r.solution.trade[k] === m.hi[k] && m.hi[k] > 0) atBound++;
    await assertExact(`peer ${seed}, cap ${cap}`, m, r.solution, r.info.objective);
  }
  assert.ok(polished >= 2, `polished ${polished} of 3`);
  assert.ok(atBound > 0, "no trade at its cap: the case does not test what it claims");
});

test("linear agents and a grid on sparse graphs, with and without preferences: exact when polished", async () => {
  let seed = 900;
  let polished = 0;
  let total = 0;
  for (const o of [
    { agents: 20, linearShare: 0.5, grid: true },
    { agents: 20, linearShare: 1, grid: true },
    { agents: 30, partners: 4, grid: true, preferences: true },
  ]) {
    for (let rep = 0; rep < 2; rep++) {
      total++;
      const out = await solveMarket(randomMarket(seed++, o), {
        settings: { maxIter: 50_000, warmStartSolutionId: "" },
      });
      const info = out.result.info;
      assert.equal(info.status, "SOLVED");
      if (!info.polished) continue;
      polished++;
      await assertExact(
        `seed ${seed - 1} ${JSON.stringify(o)}`,
        out.expanded.arrays,
        out.result.solution,
        info.objective,
      );
    }
  }
  assert.ok(polished >= 0.8 * total, `polished ${polished} of ${total}`);
});
