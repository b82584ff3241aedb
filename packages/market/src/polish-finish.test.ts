import { test } from "node:test";
import assert from "node:assert/strict";
import { AdmmSolver, type MarketArrays, peerMarket, Polisher, type SolutionArrays } from "@peermarket/admm";
import { certify, solveReference } from "@peermarket/reference";
import { randomMarket, type RandomMarketOptions } from "./testing/random-market.js";
import { solveMarket } from "./solve.js";

// The primal–dual finisher of polishing (docs/polishing.md, "The primal–dual finisher"), run
// alone (no active-set rounds) from early ADMM iterates: every answer it gives is checked against
// HiGHS (objective within 1e-9 relative) and the KKT certificate at rounding-level tolerances.

const REL = 1e-9;

async function assertExact(label: string, m: MarketArrays, s: SolutionArrays): Promise<void> {
  let power = 1;
  let price = 1;
  let objective = 0;
  for (let n = 0; n < m.nAgents; n++) {
    for (const v of [m.pMin[n], m.pMax[n], s.agentPower[n]])
      if (Number.isFinite(v)) power = Math.max(power, Math.abs(v));
    price = Math.max(price, Math.abs(m.b[n]));
    const p = s.agentPower[n];
    objective += 0.5 * m.a[n] * p * p + m.b[n] * p;
  }
  for (let k = 0; k < m.partner.length; k++) {
    price = Math.max(price, Math.abs(s.price[k]), Math.abs(m.costSell[k]), Math.abs(m.costBuy[k]));
    const t = s.trade[k];
    objective += t > 0 ? m.costSell[k] * t : -m.costBuy[k] * t;
  }
  const cert = certify(m, s, { primal: REL * power, dual: REL * price, active: REL * power });
  assert.ok(cert.passed, `${label}: certificate ${JSON.stringify({ ...cert, agentPriceViolation: undefined })}`);
  const ref = await solveReference(m, { timeLimit: 30 });
  assert.ok(ref.optimal, `${label}: reference ${ref.status}`);
  const gap = Math.abs(objective - ref.objective) / Math.max(1, Math.abs(ref.objective));
  assert.ok(gap <= REL, `${label}: objective ${objective} vs HiGHS ${ref.objective} (gap ${gap})`);
}

/** The finisher alone from the iterate after `iterations` ADMM iterations; the solution, or null. */
function finishFrom(m: MarketArrays, iterations: number): { s: SolutionArrays; reason: string } {
  const solver = new AdmmSolver(m, { polish: false, maxIter: iterations, epsAbs: 1e-14, epsRel: 1e-14 });
  solver.solve();
  const it = solver.iterate;
  // The agents' latest local trades are in the buffer the next solve starts from.
  const local = (solver as unknown as { cur: 0 | 1 }).cur === 0 ? it.p0 : it.p1;
  const P = new Polisher(m);
  P.maxRounds = 0;
  const res = P.polish(local, it.mu, it.lambda);
  assert.ok(!res.success || res.finished, "success without the finisher");
  const agentPower = new Float64Array(m.nAgents);
  for (let n = 0; n < m.nAgents; n++)
    for (let k = m.tradeStart[n]; k < m.tradeStart[n + 1]; k++) agentPower[n] += P.trade[k];
  return {
    s: { agentPower, trade: Float64Array.from(P.trade), price: Float64Array.from(P.price) },
    reason: res.success ? "" : res.reason || "failed",
  };
}

test("the finisher alone: random markets with preferences, grids, linear agents and sparse graphs (HiGHS, certificate)", async () => {
  const kinds: RandomMarketOptions[] = [
    { agents: 12, preferences: true },
    { agents: 14, grid: true, linearShare: 0.3, preferences: true },
    { agents: 10, linearShare: 1, grid: true },
    { agents: 24, partners: 4, grid: true, preferences: true },
    { agents: 16, mustRun: true, preferences: true },
    { agents: 18, partners: 5, linearShare: 0.4, preferences: true },
  ];
  let seed = 900;
  let runs = 0;
  for (const o of kinds)
    for (const iterations of [1, 30, 300]) {
      const out = await solveMarket(randomMarket(seed++, o), {
        settings: { maxIter: 1, polish: false, warmStartSolutionId: "" },
      });
      const m = out.expanded.arrays;
      const label = `seed ${seed - 1} ${JSON.stringify(o)}, iteration ${iterations}`;
      const { s, reason } = finishFrom(m, iterations);
      assert.equal(reason, "", `${label}: ${reason}`);
      await assertExact(label, m, s);
      runs++;
    }
  assert.equal(runs, 18);
});

test("the finisher alone: ties and trades at their bounds (capped peer markets)", async () => {
  let atBound = 0;
  for (const [seed, cap] of [
    [11, Infinity],
    [12, 100],
    [13, 120],
  ] as [number, number][]) {
    const m = peerMarket(24, seed);
    for (let k = 0; k < m.partner.length; k++) {
      m.hi[k] = Math.min(m.hi[k], cap);
      m.lo[k] = Math.max(m.lo[k], -cap);
    }
    for (const iterations of [1, 50]) {
      const label = `peer ${seed}, cap ${cap}, iteration ${iterations}`;
      const { s, reason } = finishFrom(m, iterations);
      assert.equal(reason, "", `${label}: ${reason}`);
      for (let k = 0; k < m.partner.length; k++) if (m.hi[k] > 0 && s.trade[k] === m.hi[k]) atBound++;
      await assertExact(label, m, s);
    }
  }
  assert.ok(atBound > 0, "no trade at its bound: the case does not test what it claims");
});
