import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { noStorage, type HorizonArrays, type MarketArrays } from "@peermarket/admm";
import { certify } from "./certificate.js";
import { solveReference } from "./highs.js";
import { solveReferenceMultiPeriod } from "./multiperiod.js";
import { randomMultiPeriodCase } from "./multiperiod-cases.js";
import { certifyEquilibrium, periodBestResponse } from "./regret.js";
import { randomMarketArrays } from "./testing/markets.js";

function singlePeriod(m: MarketArrays): HorizonArrays {
  return {
    periods: 1,
    periodHours: 1,
    storage: noStorage(),
    storageOf: new Int32Array(m.nAgents).fill(-1),
    charge: new Float64Array(m.nAgents),
    discharge: new Float64Array(m.nAgents),
  };
}

/** Prices with a pair that carries power shifted by δ on both directions (−1 when no pair trades). */
function perturbFlowingPair(
  m: MarketArrays,
  trade: Float64Array,
  price: Float64Array,
  delta: number,
  from = 0,
): { price: Float64Array; pair: number } {
  const out = Float64Array.from(price);
  for (let k = from; k < m.partner.length; k++) {
    if (Math.abs(trade[k]) > 0.5) {
      out[k] += delta;
      out[m.mirror[k]] += delta;
      return { price: out, pair: k };
    }
  }
  return { price: out, pair: -1 };
}

describe("certifyEquilibrium", () => {
  it("T = 1: same verdict as the single-period KKT certificate, at the optimum and at perturbed prices", async () => {
    let perturbed = 0;
    for (let seed = 1; seed <= 16; seed++) {
      const m = randomMarketArrays(4 + (seed % 6), 40 + seed, { linear: seed % 4 === 0 });
      const ref = await solveReference(m, { timeLimit: 20 });
      assert.ok(ref.optimal && ref.price !== null);
      const sol = { agentPower: ref.agentPower, trade: ref.trade, price: ref.price };
      const kkt = certify(m, sol);
      const eq = await certifyEquilibrium(m, singlePeriod(m), sol);
      assert.ok(kkt.passed, `seed ${seed}: KKT certificate failed at the optimum`);
      assert.equal(eq.passed, kkt.passed, `seed ${seed}: regret ${eq.maxRegret} (tol ${eq.tolerances.regret})`);
      assert.ok(eq.bestResponseMethod.every((x) => x === "exact"));
      // Shift the price of a flowing pair by 5 €/MWh: both certificates must reject it.
      const { price, pair } = perturbFlowingPair(m, ref.trade, ref.price, 5);
      if (pair < 0) continue;
      const bad = { agentPower: ref.agentPower, trade: ref.trade, price };
      const kkt2 = certify(m, bad);
      const eq2 = await certifyEquilibrium(m, singlePeriod(m), bad);
      assert.equal(
        eq2.passed,
        kkt2.passed,
        `seed ${seed}: verdicts differ at the perturbed price (regret ${eq2.maxRegret})`,
      );
      // A pair whose sides are both at bounds tolerates a price shift; otherwise someone regrets it.
      if (kkt2.passed) continue;
      assert.ok(eq2.maxRegret > 100 * eq2.tolerances.regret, `seed ${seed}: regret ${eq2.maxRegret} too small`);
      // The worst agent is one of the pair's two sides.
      const owner = m.tradeStart.findIndex((s, n) => pair >= s && pair < m.tradeStart[n + 1]);
      assert.ok(
        eq2.worstAgent === owner || eq2.worstAgent === m.partner[pair],
        `seed ${seed}: worst agent ${eq2.worstAgent}, pair of ${owner} and ${m.partner[pair]}`,
      );
      perturbed++;
    }
    assert.ok(perturbed >= 10, `only ${perturbed} markets perturbed`);
  });

  it("regret ≈ 0 at the HiGHS optimum of random multi-period markets with storage, > 0 at perturbed prices", async () => {
    let perturbed = 0;
    let dualBounded = 0;
    for (let seed = 500; seed < 524; seed++) {
      const c = randomMultiPeriodCase(seed, { linear: seed % 3 === 0 });
      const ref = await solveReferenceMultiPeriod(c.m, c.h, { timeLimit: 20 });
      assert.ok(ref.optimal, `seed ${seed}: ${ref.status}`);
      const eq = await certifyEquilibrium(c.m, c.h, ref, { storageBestResponse: "highs" });
      assert.ok(
        eq.passed,
        `seed ${seed}: certificate failed at the optimum: regret ${eq.maxRegret} (agent ${eq.worstAgent}, tol ${eq.tolerances.regret}), reciprocity ${eq.maxReciprocityViolation}, bounds ${eq.maxBoundViolation}, soc ${eq.maxSocViolation}`,
      );
      assert.ok(eq.bestResponseMethod.includes("highs"), "storage agents use the HiGHS best response");
      // The default certificate takes the Lagrangian bound where it suffices: it must pass too, and
      // its regret can only overstate HiGHS's (it is an upper bound).
      const auto = await certifyEquilibrium(c.m, c.h, ref);
      assert.ok(auto.passed, `seed ${seed}: the default certificate failed: regret ${auto.maxRegret}`);
      for (let n = 0; n < auto.agentRegret.length; n++)
        if (auto.bestResponseMethod[n] === "dual-bound") {
          dualBounded++;
          assert.ok(
            auto.agentRegret[n] >= eq.agentRegret[n] - 1e-9 * Math.max(1, Math.abs(eq.agentCost[n])),
            `seed ${seed}, agent ${n}: bound regret ${auto.agentRegret[n]} below HiGHS's ${eq.agentRegret[n]}`,
          );
        }
      for (const r of eq.agentRegret)
        assert.ok(
          r >= -eq.tolerances.regret,
          `seed ${seed}: negative regret ${r} beyond tolerance (best response worse than the solution)`,
        );
      const { price, pair } = perturbFlowingPair(c.m, ref.trade, ref.price, 5);
      if (pair < 0) continue;
      const eq2 = await certifyEquilibrium(c.m, c.h, { ...ref, price });
      assert.equal(eq2.passed, false, `seed ${seed}: a perturbed price passed`);
      assert.ok(eq2.maxRegret > 100 * eq2.tolerances.regret, `seed ${seed}: regret ${eq2.maxRegret}`);
      perturbed++;
    }
    assert.ok(perturbed >= 12, `only ${perturbed} markets perturbed`);
    assert.ok(dualBounded >= 12, `only ${dualBounded} storage agents certified by the bound`);
  });

  it("detects a storage schedule that wastes energy: the battery's own regret", async () => {
    // At the optimum, make a battery charge and discharge 0.1 MW more in one period (its net power
    // unchanged): it pays throughput cost (θ = 1) on 0.2 MW for nothing, so its regret is at least
    // Δ·0.2 €, while the trades and prices stay those of the optimum.
    let checked = 0;
    for (let seed = 600; seed < 640 && checked < 8; seed++) {
      const c = randomMultiPeriodCase(seed, { eta: 0.9, throughput: 1 });
      const ref = await solveReferenceMultiPeriod(c.m, c.h, { timeLimit: 20 });
      assert.ok(ref.optimal);
      const st = c.h.storage;
      const i = st.first[0];
      const room = Math.min(st.chargeMax[0] - ref.charge[i], st.dischargeMax[0] - ref.discharge[i]);
      if (!(room > 0.5)) continue;
      const charge = Float64Array.from(ref.charge);
      const discharge = Float64Array.from(ref.discharge);
      charge[i] += 0.1;
      discharge[i] += 0.1;
      const eq = await certifyEquilibrium(c.m, c.h, { ...ref, charge, discharge });
      // (The lossy round trip may also push the SoC path out of its box: reported separately.)
      assert.equal(eq.passed, false);
      const n = i / c.h.periods;
      assert.equal(eq.worstAgent, n);
      // Δ·θ·0.2 of throughput plus the energy lost, at least.
      assert.ok(eq.agentRegret[n] >= c.h.periodHours * 0.2 - 1e-6, `seed ${seed}: regret ${eq.agentRegret[n]}`);
      checked++;
    }
    assert.ok(checked >= 3, `only ${checked} markets checked`);
  });

  it("periodBestResponse is exact: it matches enumeration of the best response on small agents", () => {
    // One period agent with up to 3 trades at given prices; the best response is attained where
    // every trade is at lo, 0 or hi except possibly the own power (a > 0) or one trade: enumerate.
    let checked = 0;
    for (let seed = 1; seed <= 300; seed++) {
      const m = randomMarketArrays(3 + (seed % 3), 900 + seed, { linear: seed % 2 === 0 });
      const price = Float64Array.from({ length: m.partner.length }, (_, k) => 30 + ((seed * 31 + k * 17) % 50));
      for (let k = 0; k < price.length; k++) price[m.mirror[k]] = price[k];
      const i = 0;
      const s = m.tradeStart[i];
      const e = m.tradeStart[i + 1];
      if (e - s > 4) continue;
      const exact = periodBestResponse(m, i, price);
      // Enumerate: each trade at lo, 0, hi; g = Σ x, clipped feasibility; plus, per choice of one
      // free element (g or one trade), the stationary point of the quadratic along it.
      let best = Infinity;
      const K = e - s;
      const cost = (x: number[]): number => {
        const g = x.reduce((p, q) => p + q, 0);
        if (g < m.pMin[i] - 1e-12 || g > m.pMax[i] + 1e-12) return Infinity;
        let v = 0.5 * m.a[i] * g * g + m.b[i] * g;
        for (let j = 0; j < K; j++) {
          const k = s + j;
          v += (x[j] > 0 ? m.costSell[k] * x[j] : -m.costBuy[k] * x[j]) - price[k] * x[j];
        }
        return v;
      };
      const levels = (k: number): number[] => [m.lo[k], 0, m.hi[k]].filter(Number.isFinite);
      const rec = (j: number, x: number[]): void => {
        if (j === K) {
          best = Math.min(best, cost(x));
          // One trade free: g = Σx moves with it; 1-D convex piecewise: try the kinks of g's bounds and stationary points.
          for (let f = 0; f < K; f++) {
            const k = s + f;
            const rest = x.reduce((p, q, jj) => (jj === f ? p : p + q), 0);
            const cands = [m.pMin[i] - rest, m.pMax[i] - rest];
            if (m.a[i] > 0) {
              for (const slope of [m.costSell[k] - price[k], -m.costBuy[k] - price[k]])
                cands.push(-(slope + m.b[i]) / m.a[i] - rest);
            }
            for (const v of cands) {
              if (!Number.isFinite(v) || v < m.lo[k] || v > m.hi[k]) continue;
              const y = x.slice();
              y[f] = v;
              best = Math.min(best, cost(y));
            }
          }
          return;
        }
        for (const v of levels(s + j)) rec(j + 1, [...x, v]);
      };
      rec(0, []);
      if (!Number.isFinite(best)) continue;
      assert.ok(
        Math.abs(exact - best) <= 1e-9 * (1 + Math.abs(best)),
        `seed ${seed}: exact ${exact} vs enumeration ${best}`,
      );
      checked++;
    }
    assert.ok(checked > 100, `only ${checked} agents checked`);
  });
});
