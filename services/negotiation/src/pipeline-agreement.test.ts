import assert from "node:assert/strict";
import { test } from "node:test";
import { prepareMarket, solveMarket, sweepFees } from "@peermarket/market";
import { certifyStoredSolution } from "@peermarket/market-service";
import {
  makeCharges,
  makeGrid,
  loadScenarioText,
  makeAgent,
  makeMarket,
  makePreference,
  type Market,
  MarketValidationError,
  readBundledCase,
  type Solution,
} from "@peermarket/model";
import { prepareDistributedMarket, solveDistributed } from "./distributed-solve.js";
import { ShardCoordinator } from "./shard-coordinator.js";

// Every path that clears or checks a market sets it up with @peermarket/market's prepareMarket:
// solveMarket, sweepFees, the distributed solve and the certificate of stored solutions. They
// must agree on the problem, the answer and what they refuse.

function case39b(unitFee: number): Market {
  const m = loadScenarioText(readBundledCase("case39b_31a"), "case39b_31a.m");
  m.charges = makeCharges({ design: "CHARGE_DESIGN_ELECTRICAL_DISTANCE", unitFee, zoneDistances: [] });
  return m;
}

/** Two periods with time-of-use fees, two prosumers trading both ways. */
function touCommunity(): Market {
  return makeMarket({
    name: "tou",
    horizon: { periods: 2, periodHours: 1, startTime: "" },
    agents: [
      makeAgent("pv", { costQuadratic: 0.5, costLinear: 5, powerMax: 6 }),
      makeAgent("home", { costQuadratic: 2, costLinear: 80, powerMin: -5, powerMax: 0 }),
      makeAgent("flex", { costQuadratic: 1, costLinear: 30, powerMin: -2, powerMax: 2 }),
      makeAgent("flex2", { costQuadratic: 1.5, costLinear: 40, powerMin: -3, powerMax: 1 }),
    ],
    grid: makeGrid({ bus: "", importPrice: 90, exportPrice: 10 }),
    charges: { design: "CHARGE_DESIGN_UNIFORM", unitFee: 2, zoneDistances: [], unitFeeProfile: [1, 6] },
  });
}

const settings = { epsAbs: 1e-7, epsRel: 1e-7, polish: false, warmStartSolutionId: "" };

test("solve, distributed solve and the stored-solution certificate clear and check the same problem", async () => {
  const coordinator = await ShardCoordinator.start();
  try {
    for (const market of [case39b(10), touCommunity()]) {
      const solved = await solveMarket(market, { settings });
      assert.equal(solved.result.info.status, "SOLVED", market.name);
      const distributed = prepareDistributedMarket(market, settings);
      // The same engine problem (time-of-use fees included) ...
      assert.deepEqual(distributed.problem.costSell, solved.expanded.arrays.costSell, market.name);
      assert.deepEqual(distributed.problem.costBuy, solved.expanded.arrays.costBuy, market.name);
      assert.deepEqual(distributed.expanded.chargeSell, solved.expanded.chargeSell, market.name);
      assert.equal(distributed.unitFee, solved.solution.unitFee);
      // ... and the same answer, bit for bit, on the coordinator's own thread.
      const out = await solveDistributed(coordinator, market, { settings, localThreads: 1, remoteWorkers: 0 });
      assert.equal(out.result.info.iterations, solved.result.info.iterations, market.name);
      assert.equal(out.result.info.objective, solved.result.info.objective, market.name);
      assert.deepEqual(out.result.solution.trade, solved.result.solution.trade, market.name);
      // The certificate of the stored solution prices the market the same way: it passes ...
      const request = { market, settings };
      const cert = await certifyStoredSolution(request, solved.solution);
      assert.ok(cert.passed, `${market.name}: ${JSON.stringify(cert)}`);
      // ... and fails when the stored fee is not the one the prices were cleared at.
      if (!market.charges?.unitFeeProfile) {
        const other: Solution = { ...solved.solution, unitFee: 3 * solved.solution.unitFee };
        assert.equal((await certifyStoredSolution(request, other)).passed, false, market.name);
      }
    }
  } finally {
    await coordinator.close();
  }
});

test("a sweep point is the solve at that fee, bit for bit", async () => {
  for (const fee of [0, 25]) {
    const solved = await solveMarket(case39b(fee), { settings });
    const [point] = sweepFees(case39b(0), ["CHARGE_DESIGN_ELECTRICAL_DISTANCE"], [fee], { settings });
    assert.equal(point.iterations, solved.result.info.iterations);
    assert.equal(point.objective, solved.result.info.objective);
  }
});

test("solve, sweep, distributed solve and certificate refuse a non-convex market with the same issue", async () => {
  const market = makeMarket({
    name: "premium-both-ways",
    agents: [
      makeAgent("pv", { costQuadratic: 0.5, costLinear: 5, powerMin: -1, powerMax: 6 }),
      makeAgent("flex", { costQuadratic: 1, costLinear: 30, powerMin: -2, powerMax: 2 }),
    ],
    preferences: [makePreference("flex", { partnerId: "pv", cost: -3 })],
    charges: makeCharges({ design: "CHARGE_DESIGN_UNIFORM", unitFee: 1, zoneDistances: [] }),
  });
  const messages: string[] = [];
  const refused = (e: unknown): boolean => {
    if (!(e instanceof MarketValidationError) || !/non-convex/.test(e.message)) return false;
    messages.push(e.message);
    return true;
  };
  assert.throws(() => prepareMarket(market, null), refused);
  await assert.rejects(solveMarket(market), refused);
  assert.throws(() => sweepFees(market, ["CHARGE_DESIGN_UNIFORM"], [1, 2]), refused);
  assert.throws(() => prepareDistributedMarket(market), refused);
  const coordinator = await ShardCoordinator.start();
  try {
    await assert.rejects(solveDistributed(coordinator, market, { localThreads: 1, remoteWorkers: 0 }), refused);
  } finally {
    await coordinator.close();
  }
  const stored = { id: "s", unitFee: 1, agents: [], trades: [] } as unknown as Solution;
  await assert.rejects(certifyStoredSolution({ market }, stored), refused);
  assert.equal(messages.length, 6);
  assert.equal(new Set(messages).size, 1, messages.join("\n"));
});
