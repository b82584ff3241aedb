import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  buildMarketArrays,
  noStorage,
  solveStorageLocal,
  type HorizonArrays,
  type MarketArrays,
} from "@peermarket/admm";
import { solveReference } from "./highs.js";
import { multiPeriodObjective, solveReferenceMultiPeriod } from "./multiperiod.js";
import { randomMultiPeriodCase, withoutStorage } from "./multiperiod-cases.js";
import { randomMarketArrays } from "./testing/markets.js";

/** The horizon of a single-period market without storage. */
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

function maxAbsDiff(x: ArrayLike<number>, y: ArrayLike<number>): number {
  let d = 0;
  for (let i = 0; i < x.length; i++) d = Math.max(d, Math.abs(x[i] - y[i]));
  return d;
}

/** Primal feasibility of a multi-period reference solution: balance, bounds, reciprocity, SoC chain. */
function primalViolation(
  m: MarketArrays,
  h: HorizonArrays,
  r: Awaited<ReturnType<typeof solveReferenceMultiPeriod>>,
): number {
  let v = 0;
  for (let i = 0; i < m.nAgents; i++) {
    let sum = 0;
    for (let k = m.tradeStart[i]; k < m.tradeStart[i + 1]; k++) {
      sum += r.trade[k];
      v = Math.max(v, Math.abs(r.trade[k] + r.trade[m.mirror[k]]), m.lo[k] - r.trade[k], r.trade[k] - m.hi[k]);
    }
    v = Math.max(v, Math.abs(sum - r.agentPower[i]), m.pMin[i] - r.ownPower[i], r.ownPower[i] - m.pMax[i]);
  }
  const st = h.storage;
  for (let s = 0; s < st.count; s++) {
    let E = st.socInitial[s];
    for (let t = 0; t < h.periods; t++) {
      const i = st.first[s] + t;
      v = Math.max(
        v,
        -r.charge[i],
        r.charge[i] - st.chargeMax[s],
        -r.discharge[i],
        r.discharge[i] - st.dischargeMax[s],
      );
      E += h.periodHours * (st.etaCharge[s] * r.charge[i] - r.discharge[i] / st.etaDischarge[s]);
      v = Math.max(v, Math.abs(E - r.soc[i]), st.socMin[s] - E, E - st.socMax[s]);
    }
    v = Math.max(v, st.socFinalMin[s] - E);
  }
  return v;
}

describe("solveReferenceMultiPeriod", () => {
  it("with T = 1 and no storage equals the single-period reference", async () => {
    for (let seed = 1; seed <= 12; seed++) {
      const m = randomMarketArrays(4 + (seed % 5), seed, { linear: seed % 3 === 0 });
      const single = await solveReference(m, { timeLimit: 20 });
      const multi = await solveReferenceMultiPeriod(m, singlePeriod(m), { timeLimit: 20 });
      assert.ok(single.optimal && multi.optimal, `seed ${seed}: ${single.status} / ${multi.status}`);
      const scale = 1 + Math.abs(single.objective);
      assert.ok(
        Math.abs(multi.objective - single.objective) <= 1e-7 * scale,
        `seed ${seed}: objective ${multi.objective} vs ${single.objective}`,
      );
      assert.ok(
        maxAbsDiff(multi.agentPower, single.agentPower) <=
          1e-5 * (1 + Math.max(...Array.from(single.agentPower, Math.abs))),
        `seed ${seed}: agent powers differ`,
      );
    }
  });

  it("with storage disabled equals the single-period reference of the same period-agent arrays, × Δ", async () => {
    for (let seed = 100; seed < 112; seed++) {
      const c = withoutStorage(randomMultiPeriodCase(seed));
      const single = await solveReference(c.m, { timeLimit: 20 });
      const multi = await solveReferenceMultiPeriod(c.m, c.h, { timeLimit: 20 });
      assert.ok(single.optimal && multi.optimal, `seed ${seed}: ${single.status} / ${multi.status}`);
      const scale = 1 + Math.abs(single.objective);
      assert.ok(
        Math.abs(multi.objectivePerHour - single.objective) <= 1e-7 * scale,
        `seed ${seed}: ${multi.objectivePerHour} vs ${single.objective}`,
      );
      assert.ok(Math.abs(multi.objective - c.h.periodHours * multi.objectivePerHour) <= 1e-12 * scale);
      assert.ok(maxAbsDiff(multi.charge, new Float64Array(c.m.nAgents)) <= 1e-9);
    }
  });

  it("random multi-period markets with storage: optimal, primal feasible, and storage lowers the cost", async () => {
    let storageHelped = 0;
    for (let seed = 200; seed < 230; seed++) {
      const c = randomMultiPeriodCase(seed);
      const r = await solveReferenceMultiPeriod(c.m, c.h, { timeLimit: 20 });
      assert.ok(r.optimal, `seed ${seed}: ${r.status}`);
      const viol = primalViolation(c.m, c.h, r);
      assert.ok(viol <= 1e-6, `seed ${seed}: primal violation ${viol}`);
      const none = await solveReferenceMultiPeriod(c.m, withoutStorage(c).h, { timeLimit: 20 });
      assert.ok(none.optimal);
      const scale = 1 + Math.abs(none.objective);
      assert.ok(
        r.objective <= none.objective + 1e-7 * scale,
        `seed ${seed}: storage raised the cost ${r.objective} > ${none.objective}`,
      );
      if (r.objective < none.objective - 1e-3 * scale) storageHelped++;
      // The reported objective is the objective of the reported point.
      const again = c.h.periodHours * multiPeriodObjective(c.m, c.h, r.ownPower, r.charge, r.discharge, r.trade);
      assert.ok(Math.abs(again - r.objective) <= 1e-9 * scale);
    }
    assert.ok(storageHelped >= 5, `storage lowered the cost in only ${storageHelped} of 30 markets`);
  });

  it("a battery facing a grid at fixed prices follows the storage local solve's best response", async () => {
    // Agent 0: a prosumer with a battery; agent 1: a grid with linear cost b_t and no limits, so
    // that the price of period t is b_t. The market optimum is the battery owner's best response to
    // these prices, which the exact storage local solve gives in the limit ρ → 0 (targets λ/ρ).
    for (let seed = 300; seed < 330; seed++) {
      const base = randomMultiPeriodCase(seed, { agents: 2, storage: 1, costs: false });
      const T = base.h.periods;
      const prices = Array.from({ length: T }, (_, t) => 20 + ((seed * 7 + t * 13) % 40));
      const nA = 2 * T;
      const a = new Float64Array(nA);
      const b = new Float64Array(nA);
      const pMin = new Float64Array(nA);
      const pMax = new Float64Array(nA);
      // Agent 0 is the storage agent of the generated case (agent N−1 = 1 there); rebuild it as agent 0.
      const st = base.h.storage;
      for (let t = 0; t < T; t++) {
        const src = st.first[0] + t;
        a[t] = base.m.a[src];
        b[t] = base.m.b[src];
        pMin[t] = base.m.pMin[src];
        pMax[t] = base.m.pMax[src];
        a[T + t] = 0;
        b[T + t] = prices[t];
        pMin[T + t] = -Infinity;
        pMax[T + t] = Infinity;
      }
      const netMin = Float64Array.from(pMin, (x, i) => (i < T ? x - st.chargeMax[0] : x));
      const netMax = Float64Array.from(pMax, (x, i) => (i < T ? x + st.dischargeMax[0] : x));
      const built = buildMarketArrays(
        { a, b, pMin: netMin, pMax: netMax },
        { first: Int32Array.from({ length: T }, (_, t) => t), second: Int32Array.from({ length: T }, (_, t) => T + t) },
      );
      const m: MarketArrays = { ...built.arrays, pMin, pMax };
      const storageOf = new Int32Array(nA).fill(-1);
      for (let t = 0; t < T; t++) storageOf[t] = 0;
      const h: HorizonArrays = {
        ...base.h,
        storage: { ...st, first: Int32Array.of(0) },
        storageOf,
        charge: new Float64Array(nA),
        discharge: new Float64Array(nA),
      };
      const ref = await solveReferenceMultiPeriod(m, h, { timeLimit: 20 });
      assert.ok(ref.optimal, `seed ${seed}: ${ref.status}`);
      for (let t = 0; t < T; t++) {
        // Where the trade is strictly inside its bounds the grid sets the price.
        const k = built.tradeOfFirst[t];
        const q = ref.trade[k];
        if (Math.abs(q) > 1e-6 && q > m.lo[k] + 1e-6 && q < m.hi[k] - 1e-6)
          assert.ok(
            Math.abs(ref.price[k] - prices[t]) <= 1e-6,
            `seed ${seed} t=${t}: price ${ref.price[k]} vs ${prices[t]}`,
          );
      }
      // Best response by the storage local solve with ρ → 0.
      const rho = 1e-8;
      const x = new Float64Array(m.partner.length);
      for (let t = 0; t < T; t++) x[built.tradeOfFirst[t]] = prices[t] / rho;
      const mu = Float64Array.from(m.b);
      assert.ok(solveStorageLocal(m, h, 0, x, rho, mu));
      // The owner's cost at both schedules: f(g) + θ(c + d) − λ x, per hour.
      const cost = (
        trade: (t: number) => number,
        charge: (t: number) => number,
        discharge: (t: number) => number,
      ): number => {
        let total = 0;
        for (let t = 0; t < T; t++) {
          const g = trade(t) - discharge(t) + charge(t);
          total +=
            0.5 * a[t] * g * g + b[t] * g + st.throughputCost[0] * (charge(t) + discharge(t)) - prices[t] * trade(t);
        }
        return total;
      };
      const mine = cost(
        (t) => x[built.tradeOfFirst[t]],
        (t) => h.charge[t],
        (t) => h.discharge[t],
      );
      const theirs = cost(
        (t) => ref.trade[built.tradeOfFirst[t]],
        (t) => ref.charge[t],
        (t) => ref.discharge[t],
      );
      assert.ok(
        Math.abs(mine - theirs) <= 1e-5 * (1 + Math.abs(theirs)),
        `seed ${seed}: best response ${mine} vs reference ${theirs}`,
      );
      // And the reference's own objective is the owner's cost plus the grid's (−Σ λ x).
      assert.ok(Math.abs(ref.objectivePerHour - theirs) <= 1e-6 * (1 + Math.abs(theirs)));
    }
  });

  it("refuses models above the size limit with a clear message", async () => {
    const c = randomMultiPeriodCase(7, { agents: 6, periods: 6 });
    await assert.rejects(solveReferenceMultiPeriod(c.m, c.h, { maxColumns: 10 }), /columns .* above the limit of 10/);
  });
});
