import { test } from "node:test";
import assert from "node:assert/strict";
import { makeAgent, makeMarket, type Market } from "@peermarket/model";
import { solveReferenceMultiPeriod } from "@peermarket/reference";
import { solveMarket } from "./solve.js";

// A battery that must end with `finalMin` MWh (starting empty), charging at up to 5 MW for two
// one-hour periods; its only partner can sell at most `pvMax` MW per period.
function charging(finalMin: number, pvMax: number): Market {
  return makeMarket({
    name: "supply",
    horizon: { periods: 2, periodHours: 1, startTime: "" },
    agents: [
      makeAgent("pv", { costQuadratic: 0.5, costLinear: 5, powerMax: pvMax }),
      makeAgent("bat", {
        storage: {
          energyCapacity: 10,
          chargeMax: 5,
          dischargeMax: 5,
          socInitial: 0,
          socMin: 0,
          socFinalMin: finalMin,
          throughputCost: 0,
        },
      }),
    ],
  });
}

test("a battery that must end fuller than its partners can fill it is PRIMAL_INFEASIBLE, naming it; HiGHS agrees", async () => {
  // Charging at full power would reach 10 MWh ≥ 8, but the PV sells at most 3 MW per period: 6 MWh.
  const out = await solveMarket(charging(8, 3));
  assert.equal(out.solution.status, "SOLVE_STATUS_PRIMAL_INFEASIBLE");
  assert.match(out.solution.statusMessage, /storage of "bat"/);
  assert.match(out.solution.statusMessage, /at least 8 MWh/);
  assert.match(out.solution.statusMessage, /at most 6 MWh/);
  // Independent answer: the centralized multi-period QP has no feasible point.
  const ref = await solveReferenceMultiPeriod(out.expanded.arrays, out.expanded.horizon!.arrays, { timeLimit: 60 });
  assert.equal(ref.optimal, false, `HiGHS: ${ref.status}`);
});

test("the same battery with a final state of charge its partners can supply is solved (HiGHS agrees it is feasible)", async () => {
  const out = await solveMarket(charging(5, 3), {
    settings: { epsAbs: 1e-8, epsRel: 1e-8, maxIter: 20000, warmStartSolutionId: "" },
  });
  assert.equal(out.solution.status, "SOLVE_STATUS_SOLVED", out.solution.statusMessage);
  const bat = out.solution.agents.find((a) => a.id === "bat")!;
  assert.ok(bat.socProfile![1] >= 5 - 1e-5, `final state of charge ${bat.socProfile}`);
  const ref = await solveReferenceMultiPeriod(out.expanded.arrays, out.expanded.horizon!.arrays, { timeLimit: 60 });
  assert.equal(ref.optimal, true, `HiGHS: ${ref.status}`);
  assert.ok(
    Math.abs(ref.objective - out.solution.objective) <= 1e-5 * Math.max(1, Math.abs(ref.objective)),
    `${out.solution.objective} vs ${ref.objective}`,
  );
});
