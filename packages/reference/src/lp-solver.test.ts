import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { solveLinearReference } from "./lp-solver.js";
import { solveReference } from "./highs.js";
import { assertClose, maxDiff } from "./testing/close.js";
import { handMarket, producerConsumerMarket, randomMarketArrays, withQuadratic } from "./testing/markets.js";

describe("solveLinearReference (javascript-lp-solver)", () => {
  it("solves the grid market by hand: house takes all PV and 3 from the grid", () => {
    const { m } = handMarket(
      [
        { a: 0, b: 25, pMin: 0, pMax: Infinity },
        { a: 0, b: 8, pMin: -Infinity, pMax: 0 },
        { a: 0, b: 0, pMin: 0, pMax: 5 },
        { a: 0, b: 40, pMin: -8, pMax: 0 },
      ],
      [
        { first: 0, second: 3 },
        { first: 2, second: 1 },
        { first: 2, second: 3 },
      ],
    );
    const r = solveLinearReference(m);
    assert.equal(r.solver, "javascript-lp-solver");
    assert.ok(r.optimal);
    assert.equal(r.price, null);
    assert.ok(maxDiff(r.agentPower, [3, 0, 5, -8]) <= 1e-7, `agent powers ${Array.from(r.agentPower)}`);
    assertClose(r.objective, 25 * 3 - 40 * 8, 1e-6, "objective");
  });

  it("handles an agent with both power bounds infinite (split into two non-negative parts)", () => {
    // A free storage-like agent (b = 30) between a seller at 20 (cap 10) and a buyer at 45 (cap 4).
    const { m } = handMarket(
      [
        { a: 0, b: 20, pMin: 0, pMax: 10 },
        { a: 0, b: 30, pMin: -Infinity, pMax: Infinity },
        { a: 0, b: 45, pMin: -4, pMax: 0 },
      ],
      [
        { first: 0, second: 1 },
        { first: 1, second: 2 },
      ],
    );
    // The free agent's trade bounds come from its partners: buys ≤ 10, sells ≤ 4. Buying 10 at a
    // marginal 20 saves 30 − 20 each; selling 4 to the buyer gains 45 − 30 each: p = 4 − 10 = −6.
    const r = solveLinearReference(m);
    assert.ok(r.optimal);
    assert.ok(maxDiff(r.agentPower, [10, -6, -4]) <= 1e-7, `agent powers ${Array.from(r.agentPower)}`);
    assertClose(r.objective, 200 - 180 - 180, 1e-6, "objective");
  });

  it("reports an infeasible market (must-run producer without buyer)", () => {
    const { m } = handMarket(
      [
        { a: 0, b: 10, pMin: 5, pMax: 20 },
        { a: 0, b: 20, pMin: 0, pMax: 30 },
      ],
      [{ first: 0, second: 1 }],
    );
    const r = solveLinearReference(m);
    assert.equal(r.optimal, false);
    assert.equal(r.status, "Infeasible");
  });

  it("throws a clear error when some a > 0", () => {
    const m = randomMarketArrays(4, 1);
    assert.throws(
      () => solveLinearReference(m),
      /agent 0 has a quadratic cost a = 0\.0\d+; javascript-lp-solver only solves linear-cost markets/,
    );
  });
});

describe("HiGHS LP vs javascript-lp-solver vs HiGHS QP with tiny a", () => {
  it("agree on the objective of random linear markets", async () => {
    const tinyA = 1e-7;
    for (const n of [2, 5, 9, 16, 24]) {
      for (let seed = 1; seed <= 3; seed++) {
        for (const m of [randomMarketArrays(n, seed, { linear: true }), producerConsumerMarket(n, seed, true)]) {
          const lp = await solveReference(m);
          const js = solveLinearReference(m);
          const qp = await solveReference(withQuadratic(m, tinyA));
          const label = `n=${n} seed=${seed}`;
          assert.ok(lp.optimal && js.optimal && qp.optimal, `${label}: ${lp.status} / ${js.status} / ${qp.status}`);
          assert.equal(lp.solver, "highs-lp");
          assert.equal(qp.solver, "highs-qp");
          const scale = Math.max(1, Math.abs(lp.objective));
          assertClose(js.objective, lp.objective, 1e-8 * scale, `${label}: javascript-lp-solver objective`);
          // With f = ½ a p² added, LP* ≤ QP* ≤ LP* + ½ a Σ p_LP².
          let bump = 0;
          for (const p of lp.agentPower) bump += 0.5 * tinyA * p * p;
          assert.ok(
            qp.objective >= lp.objective - 1e-8 * scale,
            `${label}: QP objective ${qp.objective} below LP ${lp.objective}`,
          );
          assert.ok(
            qp.objective <= lp.objective + bump + 1e-8 * scale,
            `${label}: QP objective ${qp.objective} above LP ${lp.objective} + ${bump}`,
          );
        }
      }
    }
  });
});
