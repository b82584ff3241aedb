import { test } from "node:test";
import assert from "node:assert/strict";
import { AdmmSolver, buildMarketArrays, type MarketArrays, peerMarket, type SolutionArrays } from "@peermarket/admm";
import { makeCharges, type ChargeDesign, loadScenarioText, type Market, readBundledCase } from "@peermarket/model";
import { certify, solveReference } from "@peermarket/reference";
import { solveMarket } from "./solve.js";
import { randomMarket, type RandomMarketOptions } from "./testing/random-market.js";

// Polished solutions are the exact optimum: checked against HiGHS (objective within 1e-9
// relative) and the KKT certificate at rounding-level tolerances (docs/polishing.md).

const REL = 1e-9;

/** Power and price scales of a solution, for rounding-level certificate tolerances. */
function scales(m: MarketArrays, s: SolutionArrays): { power: number; price: number } {
  let power = 1;
  let price = 1;
  for (let n = 0; n < m.nAgents; n++) {
    for (const v of [m.pMin[n], m.pMax[n], s.agentPower[n]])
      if (Number.isFinite(v)) power = Math.max(power, Math.abs(v));
    price = Math.max(price, Math.abs(m.b[n]));
  }
  for (let k = 0; k < m.partner.length; k++)
    price = Math.max(price, Math.abs(s.price[k]), Math.abs(m.costSell[k]), Math.abs(m.costBuy[k]));
  return { power, price };
}

/** Asserts that a polished solution is the optimum: HiGHS's objective and a tight certificate. */
async function assertExact(label: string, m: MarketArrays, s: SolutionArrays, objective: number): Promise<void> {
  const { power, price } = scales(m, s);
  const cert = certify(m, s, { primal: REL * power, dual: REL * price, active: REL * power });
  assert.ok(cert.passed, `${label}: certificate ${JSON.stringify({ ...cert, agentPriceViolation: undefined })}`);
  const ref = await solveReference(m, { timeLimit: 30 });
  assert.ok(ref.optimal, `${label}: reference ${ref.status}`);
  const gap = Math.abs(objective - ref.objective) / Math.max(1, Math.abs(ref.objective));
  assert.ok(gap <= REL, `${label}: objective ${objective} vs HiGHS ${ref.objective} (gap ${gap})`);
}

async function polishedAgainstHighs(seed: number, o: RandomMarketOptions): Promise<boolean> {
  const out = await solveMarket(randomMarket(seed, o), { settings: { maxIter: 50_000, warmStartSolutionId: "" } });
  const label = `seed ${seed} ${JSON.stringify(o)}`;
  const info = out.result.info;
  assert.equal(info.status, "SOLVED", `${label}: ${info.status} ${info.statusMessage}`);
  assert.ok(
    info.statusPolish === 1 || info.statusPolish === -1,
    `${label}: polish was not tried (status_polish ${info.statusPolish})`,
  );
  if (!info.polished) return false;
  assert.equal(info.statusPolish, 1);
  assert.ok(
    info.polishIteration >= 1 && info.polishIteration === info.iterations,
    `${label}: polish iteration ${info.polishIteration}`,
  );
  await assertExact(label, out.expanded.arrays, out.result.solution, info.objective);
  return true;
}

test("polished random markets of every kind are the exact optimum (HiGHS, certificate)", async () => {
  let seed = 700;
  let polished = 0;
  let total = 0;
  const kinds: RandomMarketOptions[] = [
    { agents: 8 },
    { agents: 15, preferences: true },
    { agents: 12, grid: true, linearShare: 0.3 },
    { agents: 10, linearShare: 1, grid: true },
    { agents: 30, partners: 4, grid: true, preferences: true },
    { agents: 20, mustRun: true, preferences: true },
    { agents: 25, partners: 5, linearShare: 0.4 },
  ];
  for (const o of kinds) {
    for (let rep = 0; rep < 3; rep++) {
      total++;
      if (await polishedAgainstHighs(seed++, o)) polished++;
    }
  }
  // Polishing may fail on a hard guess (then ADMM's answer is reported); it must succeed on most.
  assert.ok(polished >= 0.8 * total, `polished ${polished} of ${total}`);
});

test("degenerate ties: interchangeable sellers at the same cost polish to the optimum", async () => {
  // Identical producers and identical consumers on the complete graph: every split is optimal.
  const agents = [];
  for (let i = 0; i < 6; i++) agents.push({ a: 0.1, b: 20, pMin: 0, pMax: 40 });
  for (let i = 0; i < 5; i++) agents.push({ a: 0.05, b: 60, pMin: -50, pMax: 0 });
  agents.push({ a: 0, b: 30, pMin: 0, pMax: 25 }); // a linear seller at the same price level
  const m = buildComplete(agents);
  const solver = new AdmmSolver(m);
  const r = solver.solve();
  assert.equal(r.info.status, "SOLVED");
  assert.ok(r.info.polished, `not polished: ${r.info.statusPolish}`);
  await assertExact("ties", m, r.solution, r.info.objective);
});

test("trades at their bounds and prosumers: the peer generator polishes to the optimum", async () => {
  for (const seed of [1, 2, 3]) {
    const m = peerMarket(24, seed);
    const r = new AdmmSolver(m).solve();
    assert.equal(r.info.status, "SOLVED");
    assert.ok(r.info.polished, `seed ${seed}: not polished`);
    await assertExact(`peer ${seed}`, m, r.solution, r.info.objective);
  }
});

function case39b(design?: ChargeDesign, unitFee = 10): Market {
  const m = loadScenarioText(readBundledCase("case39b_31a"), "case39b_31a.m");
  if (design) m.charges = makeCharges({ design, unitFee, zoneDistances: [] });
  return m;
}

test("case39b_31a polishes to 57.2 €/MWh for every trade, and with network charges to HiGHS's optimum", async () => {
  const free = await solveMarket(case39b(), { settings: { warmStartSolutionId: "" } });
  assert.ok(free.result.info.polished, "free market not polished");
  for (const t of free.solution.trades) if (t.power > 0) assert.ok(Math.abs(t.price - 57.2) < 0.05, `price ${t.price}`);
  await assertExact("case39b free", free.expanded.arrays, free.result.solution, free.result.info.objective);
  for (const design of [
    "CHARGE_DESIGN_UNIFORM",
    "CHARGE_DESIGN_ELECTRICAL_DISTANCE",
    "CHARGE_DESIGN_ZONAL",
  ] as ChargeDesign[]) {
    const out = await solveMarket(case39b(design), { settings: { warmStartSolutionId: "" } });
    assert.equal(out.result.info.status, "SOLVED");
    if (out.result.info.polished)
      await assertExact(`case39b ${design}`, out.expanded.arrays, out.result.solution, out.result.info.objective);
    else assert.equal(out.result.info.statusPolish, -1);
  }
});

test("polish off: the solve is reported as ADMM's (status_polish 0)", async () => {
  const out = await solveMarket(randomMarket(9, { agents: 12 }), {
    settings: { warmStartSolutionId: "", polish: false },
  });
  assert.equal(out.result.info.polished, false);
  assert.equal(out.result.info.statusPolish, 0);
  assert.equal(out.result.info.polishIteration, 0);
});

interface AgentSpec {
  a: number;
  b: number;
  pMin: number;
  pMax: number;
}

/** Complete graph over the pairs that can trade (one seller side, one buyer side). */
function buildComplete(agents: AgentSpec[]): MarketArrays {
  const first: number[] = [];
  const second: number[] = [];
  for (let i = 0; i < agents.length; i++) {
    for (let j = i + 1; j < agents.length; j++) {
      const sellI = agents[i].pMax > 0;
      const buyJ = agents[j].pMin < 0;
      const sellJ = agents[j].pMax > 0;
      const buyI = agents[i].pMin < 0;
      if ((sellI && buyJ) || (sellJ && buyI)) {
        first.push(i);
        second.push(j);
      }
    }
  }
  return buildMarketArrays(
    {
      a: Float64Array.from(agents, (x) => x.a),
      b: Float64Array.from(agents, (x) => x.b),
      pMin: Float64Array.from(agents, (x) => x.pMin),
      pMax: Float64Array.from(agents, (x) => x.pMax),
    },
    { first: Int32Array.from(first), second: Int32Array.from(second) },
  ).arrays;
}
