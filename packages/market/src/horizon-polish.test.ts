import { test } from "node:test";
import assert from "node:assert/strict";
import { makeGrid, makeAgent, makeMarket, type Market } from "@peermarket/model";
import { solveMarket } from "./solve.js";
import { verifyOutcome } from "./verify.js";

function community(withBattery: boolean): Market {
  return makeMarket({
    name: "c",
    horizon: { periods: 3, periodHours: 1, startTime: "" },
    agents: [
      makeAgent("pv", { costQuadratic: 0.5, costLinear: 5, powerMax: 6, powerMaxProfile: [6, 2, 0] }),
      makeAgent("home", { costQuadratic: 2, costLinear: 80, powerMin: -5, powerMax: 0 }),
      makeAgent("flex", { costQuadratic: 1, costLinear: 30, powerMin: -2, powerMax: 2 }),
      ...(withBattery
        ? [
            makeAgent("bat", {
              storage: {
                energyCapacity: 4,
                chargeMax: 2,
                dischargeMax: 2,
                socInitial: 0,
                socMin: 0,
                throughputCost: 0.1,
              },
            }),
          ]
        : []),
    ],
    grid: makeGrid({ bus: "", importPrice: 90, exportPrice: 10 }),
  });
}

test("a multi-period solution without storage carries the engine's polish fields, and the polished answer is the optimum", async () => {
  const out = await solveMarket(community(false));
  const s = out.solution;
  const info = out.result.info;
  assert.equal(s.status, "SOLVE_STATUS_SOLVED");
  assert.notEqual(info.statusPolish, 0, "the engine tried to polish");
  assert.equal(s.polished, info.polished);
  assert.equal(s.polishIteration, info.polishIteration);
  assert.equal(s.statusPolish, info.statusPolish);
  assert.equal(s.polished, true, `status_polish ${s.statusPolish}`);
  assert.ok(s.polishIteration! > 0 && s.polishIteration! <= s.iterations);
  const v = await verifyOutcome(out, { timeLimit: 60 });
  assert.ok(v.referenceSolver !== "", v.referenceMessage);
  assert.ok(v.objectiveGap <= 1e-7, `gap ${v.objectiveGap}`);
});

test("a multi-period solution with storage is polished, and the polished answer is the optimum", async () => {
  const out = await solveMarket(community(true));
  const s = out.solution;
  assert.equal(s.status, "SOLVE_STATUS_SOLVED");
  assert.equal(s.polished, true, `status_polish ${s.statusPolish}`);
  assert.equal(s.statusPolish, 1);
  assert.equal(s.statusPolish, out.result.info.statusPolish);
  assert.ok(s.polishIteration! > 0 && s.polishIteration! <= s.iterations);
  const v = await verifyOutcome(out, { timeLimit: 60 });
  assert.ok(v.referenceSolver !== "", v.referenceMessage);
  assert.ok(v.objectiveGap <= 1e-7, `gap ${v.objectiveGap}`);
  assert.ok(v.certificatePassed, "equilibrium certificate");
});
