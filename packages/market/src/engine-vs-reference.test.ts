import { test } from "node:test";
import assert from "node:assert/strict";
import { certify, solveReference } from "@peermarket/reference";
import { solveMarket } from "./solve.js";
import { verifyOutcome } from "./verify.js";
import { randomMarket, type RandomMarketOptions } from "./testing/random-market.js";

const tight = { epsAbs: 1e-8, epsRel: 1e-8, maxIter: 200_000, warmStartSolutionId: "" };

async function agreeWithHighs(seed: number, o: RandomMarketOptions): Promise<void> {
  const market = randomMarket(seed, o);
  const out = await solveMarket(market, { settings: tight });
  const label = `seed ${seed} ${JSON.stringify(o)}`;
  assert.equal(
    out.solution.status,
    "SOLVE_STATUS_SOLVED",
    `${label}: ${out.solution.status} ${out.solution.statusMessage}`,
  );
  const ref = await solveReference(out.expanded.arrays, { timeLimit: 30 });
  assert.ok(ref.optimal, `${label}: reference ${ref.status}`);
  const obj = out.solution.objective;
  assert.ok(
    Math.abs(obj - ref.objective) <= 1e-6 * Math.max(1, Math.abs(ref.objective)),
    `${label}: objective ${obj} vs HiGHS ${ref.objective}`,
  );
  const m = out.expanded.arrays;
  let scale = 1;
  for (let n = 0; n < m.nAgents; n++) scale = Math.max(scale, Math.abs(ref.agentPower[n]));
  for (let n = 0; n < m.nAgents; n++) {
    if (!(m.a[n] > 0)) continue; // linear-cost agents' powers need not be unique
    assert.ok(
      Math.abs(out.result.solution.agentPower[n] - ref.agentPower[n]) <= 1e-4 * scale,
      `${label}: agent ${n} power ${out.result.solution.agentPower[n]} vs ${ref.agentPower[n]}`,
    );
  }
  const cert = certify(m, out.result.solution, { primal: 1e-5 * scale, dual: 1e-4, active: 1e-5 * scale });
  assert.ok(cert.passed, `${label}: certificate ${JSON.stringify({ ...cert, agentPriceViolation: undefined })}`);
}

test("random complete-graph markets agree with HiGHS on objective and agent powers", async () => {
  let seed = 100;
  for (const agents of [2, 3, 5, 8, 13, 20, 30]) {
    await agreeWithHighs(seed++, { agents });
    await agreeWithHighs(seed++, { agents, grid: true, linearShare: 0.3 });
    await agreeWithHighs(seed++, { agents, preferences: true });
  }
});

test("random sparse explicit markets with a grid and every kind of preference agree with HiGHS", async () => {
  let seed = 200;
  for (const agents of [10, 25, 40, 60]) {
    await agreeWithHighs(seed++, { agents, partners: 3, grid: true, preferences: true });
    await agreeWithHighs(seed++, { agents, partners: 5, preferences: true, linearShare: 0.4 });
  }
});

test("markets with must-run producers agree with HiGHS", async () => {
  let seed = 300;
  for (const agents of [6, 15, 30]) await agreeWithHighs(seed++, { agents, mustRun: true, preferences: true });
});

test("linear-only markets agree with HiGHS's LP", async () => {
  let seed = 400;
  for (const agents of [4, 12, 25]) await agreeWithHighs(seed++, { agents, linearShare: 1, grid: true });
});

test("larger markets pass the KKT certificate at the default tolerances", async () => {
  for (const [seed, o] of [
    [500, { agents: 300, partners: 8, grid: true, preferences: true }],
    [501, { agents: 2000, partners: 6, grid: true, linearShare: 0.1 }],
    [502, { agents: 150, preferences: true }],
  ] as [number, RandomMarketOptions][]) {
    const out = await solveMarket(randomMarket(seed, o), { settings: { maxIter: 50_000, warmStartSolutionId: "" } });
    assert.equal(out.solution.status, "SOLVE_STATUS_SOLVED", `seed ${seed}`);
    const v = await verifyOutcome(out, { timeLimit: 0 });
    assert.ok(v.certificatePassed, `seed ${seed}: ${JSON.stringify(v)}`);
  }
});
