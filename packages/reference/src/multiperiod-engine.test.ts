/**
 * End to end: the consensus-ADMM engine (with the exact storage local solve) on random multi-period
 * markets with storage, checked against the multi-period HiGHS reference and by the equilibrium
 * certificate.
 */
import assert from "node:assert/strict";
import { it } from "node:test";
import { AdmmSolver } from "@peermarket/admm";
import { solveReferenceMultiPeriod } from "./multiperiod.js";
import { randomMultiPeriodCase } from "./multiperiod-cases.js";
import { certifyEquilibrium } from "./regret.js";

it("ADMM with storage reaches the HiGHS optimum, and its solution passes the equilibrium certificate", async () => {
  let checked = 0;
  for (let seed = 700; seed < 712; seed++) {
    const c = randomMultiPeriodCase(seed, { agents: 4, periods: 4 });
    const ref = await solveReferenceMultiPeriod(c.m, c.h, { timeLimit: 20 });
    assert.ok(ref.optimal, `seed ${seed}: ${ref.status}`);
    const solver = new AdmmSolver(
      c.m,
      { epsAbs: 1e-7, epsRel: 1e-7, maxIter: 200000, timeLimit: 60 },
      { horizon: c.h },
    );
    const res = solver.solve();
    if (res.info.status !== "SOLVED") continue; // slow convergence is the engine's matter, not this check's
    const sol = res.solution;
    const eq = await certifyEquilibrium(
      c.m,
      c.h,
      { trade: sol.trade, price: sol.price, charge: sol.charge, discharge: sol.discharge },
      { regret: 1e-3, primal: 1e-4, dual: 1e-3 },
    );
    assert.ok(eq.maxRegret <= 1e-3, `seed ${seed}: regret ${eq.maxRegret} of agent ${eq.worstAgent}`);
    assert.ok(
      eq.maxSocViolation <= 1e-6 && eq.maxBoundViolation <= 1e-4,
      `seed ${seed}: soc ${eq.maxSocViolation}, bounds ${eq.maxBoundViolation}`,
    );
    // Objective: the engine's € over the horizon against the reference's.
    const scale = 1 + Math.abs(ref.objective);
    assert.ok(
      Math.abs(res.info.objective - ref.objective) <= 1e-4 * scale,
      `seed ${seed}: ADMM ${res.info.objective} vs HiGHS ${ref.objective}`,
    );
    checked++;
  }
  assert.ok(checked >= 8, `only ${checked} markets converged`);
});
