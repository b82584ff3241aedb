import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { MarketArrays, SolutionArrays } from "@peermarket/admm";
import { certify, defaultTolerances } from "./certificate.js";
import { solveReference } from "./highs.js";
import { assertClose } from "./testing/close.js";
import { handMarket, randomMarketArrays } from "./testing/markets.js";

/** The HiGHS optimum of a market as SolutionArrays. */
async function optimum(m: MarketArrays): Promise<SolutionArrays> {
  const r = await solveReference(m);
  assert.ok(r.optimal && r.price !== null, `reference solve: ${r.status}`);
  return { agentPower: r.agentPower, trade: r.trade, price: r.price };
}

function copy(s: SolutionArrays): SolutionArrays {
  return { agentPower: s.agentPower.slice(), trade: s.trade.slice(), price: s.price.slice() };
}

/**
 * A trade more than `margin` inside its bounds and away from 0 whose owner is more than `margin`
 * inside its power bounds with a > 0: the trade and the owner's marginal cost both pin its μ.
 */
function pinnedTrade(m: MarketArrays, s: SolutionArrays, margin: number): number {
  for (let n = 0; n < m.nAgents; n++) {
    const p = s.agentPower[n];
    if (!(m.a[n] > 0 && p > m.pMin[n] + margin && p < m.pMax[n] - margin)) continue;
    for (let k = m.tradeStart[n]; k < m.tradeStart[n + 1]; k++) {
      const x = s.trade[k];
      if (Math.abs(x) > margin && x > m.lo[k] + margin && x < m.hi[k] - margin) return k;
    }
  }
  return -1;
}

function ownerOf(m: MarketArrays, k: number): number {
  let n = 0;
  while (m.tradeStart[n + 1] <= k) n++;
  return n;
}

// Seller a=1, b=10, c⁺=2; buyer a=1, b=50, c⁻=4: q = 17, λ = 29 (see highs.test.ts).
const twoAgents = handMarket(
  [
    { a: 1, b: 10, pMin: 0, pMax: 100 },
    { a: 1, b: 50, pMin: -100, pMax: 0 },
  ],
  [{ first: 0, second: 1, sellFirst: 2, buySecond: 4 }],
);
const twoAgentOptimum: SolutionArrays = {
  agentPower: Float64Array.of(17, -17),
  trade: Float64Array.of(17, -17),
  price: Float64Array.of(29, 29),
};

describe("certify on hand-checked points", () => {
  it("passes the closed-form optimum of the 2-agent market with zero violations", () => {
    const c = certify(twoAgents.m, twoAgentOptimum);
    assert.ok(c.passed);
    assert.equal(c.maxPriceViolation, 0);
    assert.equal(c.maxBalanceViolation, 0);
    assert.equal(c.maxReciprocityViolation, 0);
    assert.equal(c.maxBoundViolation, 0);
  });

  it("a price δ too high gives each agent a violation δ/2 (μ pinned by its marginal cost and the trade)", () => {
    const s = copy(twoAgentOptimum);
    s.price.fill(29.5);
    const c = certify(twoAgents.m, s);
    assert.equal(c.passed, false);
    assertClose(c.agentPriceViolation[0], 0.25, 1e-12, "seller's violation");
    assertClose(c.agentPriceViolation[1], 0.25, 1e-12, "buyer's violation");
    assertClose(c.maxPriceViolation, 0.25, 1e-12, "max violation");
    assert.equal(c.worstAgent, 0);
  });

  it("a negated price (wrong dual sign) fails", () => {
    const s = copy(twoAgentOptimum);
    s.price.fill(-29);
    assert.equal(certify(twoAgents.m, s).passed, false);
  });

  it("a zero trade accepts any price in [λ − c⁺, λ + c⁻] of the marginal cost and rejects one outside", () => {
    // Agent 0 (a = 1, b = 10) is fixed at p = 2 and sells it all to agent 1 (fixed at −2) at λ = 12;
    // its second pair, with consumer 2, does not trade (c⁺ = 3 for agent 0, c⁻ = 1 for agent 2).
    const { m, first, second } = handMarket(
      [
        { a: 1, b: 10, pMin: 2, pMax: 2 },
        { a: 0, b: 0, pMin: -2, pMax: -2 },
        { a: 0, b: 5, pMin: -10, pMax: 0 },
      ],
      [
        { first: 0, second: 1 },
        { first: 0, second: 2, sellFirst: 3, buySecond: 1 },
      ],
    );
    const base: SolutionArrays = {
      agentPower: Float64Array.of(2, -2, 0),
      trade: new Float64Array(4),
      price: new Float64Array(4),
    };
    base.trade[first[0]] = 2;
    base.trade[second[0]] = -2;
    base.price.fill(12);
    // Agent 0 is at both power bounds, so f' does not constrain μ₀; its trade to 1 is at its upper
    // bound 2, so μ₀ ≤ 12 − 0. On the idle pair (zero is a producer's lower trade bound) μ₀ ≥ λ − 3.
    // Agent 2 (consumer at its upper bound 0, marginal 5): μ₂ ≥ 5, and μ₂ ≤ λ + 1 on the idle trade.
    const ok = copy(base);
    ok.price[first[1]] = ok.price[second[1]] = 14;
    assert.ok(certify(m, ok).passed);
    const tooHigh = copy(base);
    tooHigh.price[first[1]] = tooHigh.price[second[1]] = 16;
    const c = certify(m, tooHigh);
    assert.equal(c.passed, false);
    assertClose(c.agentPriceViolation[0], 0.5, 1e-12, "agent 0: μ₀ ≤ 12 but needs ≥ 16 − 3 = 13");
    const tooLow = copy(base);
    tooLow.price[first[1]] = tooLow.price[second[1]] = 3;
    const d = certify(m, tooLow);
    assert.equal(d.passed, false);
    assertClose(d.agentPriceViolation[2], 0.5, 1e-12, "agent 2: μ₂ ≥ 5 but ≤ 3 + 1");
    assert.equal(d.worstAgent, 2);
  });

  it("NaN anywhere fails the certificate", () => {
    const s = copy(twoAgentOptimum);
    s.price[1] = NaN;
    const c = certify(twoAgents.m, s);
    assert.equal(c.passed, false);
    assert.equal(c.agentPriceViolation[1], Infinity);
  });

  it("default tolerances scale with the data", () => {
    const t1 = defaultTolerances(twoAgents.m, twoAgentOptimum);
    const scaled = handMarket(
      [
        { a: 1e-3, b: 10, pMin: 0, pMax: 1e5 },
        { a: 1e-3, b: 50, pMin: -1e5, pMax: 0 },
      ],
      [{ first: 0, second: 1, sellFirst: 2, buySecond: 4 }],
    );
    const t2 = defaultTolerances(scaled.m, {
      agentPower: Float64Array.of(17e3, -17e3),
      trade: Float64Array.of(17e3, -17e3),
      price: Float64Array.of(29, 29),
    });
    assertClose(t2.primal / t1.primal, 1000, 1e-9, "primal tolerance ratio for powers ×1000");
    assertClose(t2.active / t1.active, 1000, 1e-9, "active tolerance ratio for powers ×1000");
    assertClose(t2.dual, t1.dual, 1e-15, "dual tolerance, prices unchanged");
  });

  it("rejects arrays of the wrong length", () => {
    assert.throws(
      () => certify(twoAgents.m, { ...twoAgentOptimum, price: new Float64Array(3) }),
      /certify: price has 3 entries, the market has 2 directed trades/,
    );
  });
});

describe("certify on HiGHS optima of random markets with preferences", () => {
  it("passes on 2–30 agents, quadratic and linear, asymmetric c⁺/c⁻", async () => {
    for (const n of [2, 3, 4, 6, 9, 13, 20, 30]) {
      for (let seed = 1; seed <= 2; seed++) {
        for (const linear of [false, true]) {
          const m = randomMarketArrays(n, 100 * n + seed, { linear });
          const s = await optimum(m);
          const c = certify(m, s);
          assert.ok(
            c.passed,
            `n=${n} seed=${seed} linear=${linear}: price ${c.maxPriceViolation} (agent ${c.worstAgent}), balance ${c.maxBalanceViolation}, reciprocity ${c.maxReciprocityViolation}, bound ${c.maxBoundViolation}`,
          );
        }
      }
    }
  });
});

describe("certify detects each kind of perturbation", () => {
  it("one price, one trade, one agent power: each caught by its own check", async () => {
    for (let seed = 1; seed <= 3; seed++) {
      const m = randomMarketArrays(12, seed);
      const s = await optimum(m);
      const tol = defaultTolerances(m, s);
      const delta = 1e3 * Math.max(tol.primal, tol.dual);
      const k = pinnedTrade(m, s, 2 * delta);
      assert.ok(k >= 0, `seed ${seed}: no trade pins its owner's marginal price`);
      const j = m.mirror[k];
      const owner = ownerOf(m, k);

      // One price (both directions, so only the price condition can see it).
      const price = copy(s);
      price.price[k] += delta;
      price.price[j] += delta;
      const cp = certify(m, price);
      assert.equal(cp.passed, false, `seed ${seed}: price perturbation accepted`);
      assert.ok(
        cp.agentPriceViolation[owner] > tol.dual,
        `seed ${seed}: owner's price violation ${cp.agentPriceViolation[owner]}`,
      );
      assert.ok(
        cp.maxBalanceViolation <= tol.primal &&
          cp.maxReciprocityViolation <= tol.primal &&
          cp.maxPriceAsymmetry <= tol.dual,
      );

      // One price on one direction only: the asymmetry check.
      const oneSided = copy(s);
      oneSided.price[k] += delta;
      assertClose(certify(m, oneSided).maxPriceAsymmetry, delta, 1e-9 * delta + 1e-12, `seed ${seed}: price asymmetry`);

      // One trade, shrunk on both directions (reciprocity kept): the balance of both agents breaks.
      const trade = copy(s);
      trade.trade[k] -= delta * Math.sign(s.trade[k]);
      trade.trade[j] += delta * Math.sign(s.trade[k]);
      const ct = certify(m, trade);
      assert.equal(ct.passed, false, `seed ${seed}: trade perturbation accepted`);
      assertClose(ct.maxBalanceViolation, delta, 1e-9 * delta + 1e-9, `seed ${seed}: balance violation`);
      assert.ok(ct.maxReciprocityViolation <= tol.primal);

      // One direction of a trade: reciprocity.
      const half = copy(s);
      half.trade[k] -= delta * Math.sign(s.trade[k]);
      assert.ok(certify(m, half).maxReciprocityViolation >= delta * (1 - 1e-9), `seed ${seed}: reciprocity violation`);

      // One agent power (kept inside its bounds): the balance.
      const power = copy(s);
      const p = s.agentPower[owner];
      power.agentPower[owner] = p - delta > m.pMin[owner] ? p - delta : p + delta;
      const ca = certify(m, power);
      assert.equal(ca.passed, false, `seed ${seed}: power perturbation accepted`);
      assertClose(ca.maxBalanceViolation, delta, 1e-9 * delta + 1e-9, `seed ${seed}: balance violation of the agent`);
      assert.ok(ca.maxBoundViolation <= tol.primal);

      // An agent power pushed past its bound: the bound check.
      const out = copy(s);
      out.agentPower[owner] = m.pMax[owner] + delta;
      assert.ok(certify(m, out).maxBoundViolation >= delta * (1 - 1e-9), `seed ${seed}: bound violation`);
    }
  });
});
