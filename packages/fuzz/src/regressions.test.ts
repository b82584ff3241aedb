import { test } from "node:test";
import assert from "node:assert/strict";
import { solveMarket, verifyOutcome } from "@peermarket/market";
import { parseMarketJson } from "@peermarket/model";
import { solverCertificateTolerances } from "@peermarket/market";
import { nonFiniteNumbers } from "./finite.js";
import { judgeOutcome } from "./judge.js";
import { setStrict } from "./known-issues.js";

// Minimal reproductions of the defects the fuzzer found outside packages/fuzz (RELIABILITY.md,
// "Fuzzing"), kept as regression tests now that they are fixed.

/** Solves a scenario and judges it strictly (known issues count as failures). */
async function judgeStrictly(json: string): Promise<string> {
  setStrict(true);
  try {
    return await judgeOutcome(await solveMarket(parseMarketJson(json)));
  } finally {
    setStrict(false);
  }
}

test("rho-below-price-scale: a must-run producer is dispatched", async () => {
  // ρ = median |b| / median range = 7e-14: a0 (must run ≥ 0.025) is reported SOLVED at 0.
  const json =
    '{"agents":[{"id":"a0","powerMin":0.025,"powerMax":0.1},{"id":"a1","powerMin":-0.1}],' +
    '"charges":{"design":"CHARGE_DESIGN_UNIFORM","unitFee":14.6},"grid":{"importPrice":20,"exportPrice":7e-15,"importMax":0.1,"exportMax":0.1}}';
  assert.equal(await judgeStrictly(json), "SOLVED");
});

test("rho-below-price-scale: free producers sell to a grid that pays 20", async () => {
  // A subnormal cost (5e-324) makes ρ = 5e-323, whose reciprocal overflows: SOLVED after 1 iteration with no trade.
  const json =
    '{"agents":[{"id":"a0","powerMax":0.1},{"id":"a1","costLinear":5e-324,"powerMax":0.1}],"grid":{"importPrice":20,"exportPrice":20,"importMax":0.1,"exportMax":0.1}}';
  assert.equal(await judgeStrictly(json), "SOLVED");
});

test("verifyOutcome's default certificate accepts a SOLVED market with a steep cost and small prices", async () => {
  const json =
    '{"agents":[{"id":"a0","costQuadratic":2.0673463960631344,"powerMax":0.1},{"id":"a1","costQuadratic":0.001,"powerMin":-0.1,"powerMax":"Infinity"}],' +
    '"grid":{"importPrice":20,"exportPrice":20,"exportMax":0.13991665147257}}';
  const out = await solveMarket(parseMarketJson(json));
  assert.equal(out.solution.status, "SOLVE_STATUS_SOLVED");
  // At the tolerances the stopping rule promises (a·deg·ε_p/2 included) the certificate passes ...
  const tol = solverCertificateTolerances(out);
  assert.ok(
    (await verifyOutcome(out, { timeLimit: 0, primalTolerance: tol.primal, dualTolerance: tol.dual }))
      .certificatePassed,
  );
  // ... and HiGHS agrees on the objective, and verifyOutcome's defaults (the same tolerances) pass it.
  const v = await verifyOutcome(out, { timeLimit: 30 });
  assert.ok(v.objectiveGap < 1e-6, `objective gap ${v.objectiveGap}`);
  assert.ok(v.certificatePassed, JSON.stringify(v));
});

test("numerical-error-nan: an absurd ρ is refused, and a solve pushed to numerical failure reports no NaN", async () => {
  // settings.rho = 1e308 used to be accepted; residual balancing then raised it to Infinity.
  const json =
    '{"agents":[{"id":"a0","powerMax":0.1},{"id":"a1","costQuadratic":0.001,"powerMin":0.025,"powerMax":0.1}],"grid":{"importPrice":20,"exportPrice":20,"importMax":0.1}}';
  await assert.rejects(
    solveMarket(parseMarketJson(json), { settings: { rho: 1e308, warmStartSolutionId: "" } }),
    /rho must be at most 1e100/,
  );
  const out = await solveMarket(parseMarketJson(json), {
    settings: { rho: 1e100, epsAbs: 1e-8, epsRel: 1e-8, maxIter: 500, warmStartSolutionId: "" },
  });
  assert.deepEqual(nonFiniteNumbers(out.solution), []);
});
