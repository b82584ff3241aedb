import { after, test } from "node:test";
import assert from "node:assert/strict";
import { AdmmSolver } from "./solver.js";
import { sameCostMarket } from "./test/same-cost-market.js";
import type { MarketArrays } from "./problem.js";
import { storageColumns, type HorizonArrays } from "./horizon.js";
import { StoragePolisher, verifyStoragePolished, type StorageVerified } from "./polish-storage.js";
import { objective } from "./objective.js";
import { ShardTeam, closeShardTeam } from "./team.js";
import { mulberry32 } from "./random.js";

after(() => closeShardTeam());

// Unit tests of polishing with storage (docs/polishing.md, "Markets with storage"). The comparison
// with HiGHS and the equilibrium certificate on random markets is in packages/reference
// (multiperiod-polish.test.ts).

const T = 6;
/** Time-of-use grid tariff (€/MWh): cheap, dear, cheap, dear, … */
const TARIFF = [20, 90, 30, 100, 25, 95];

/** A grid (linear, ToU), a home (quadratic demand), a PV and a stand-alone battery over T periods. */
function community(): { m: MarketArrays; h: HorizonArrays } {
  const agents = 4;
  const nA = agents * T;
  const a = new Float64Array(nA);
  const b = new Float64Array(nA);
  const pMin = new Float64Array(nA);
  const pMax = new Float64Array(nA);
  const netMin = new Float64Array(nA);
  const netMax = new Float64Array(nA);
  const cmax = 2;
  for (let t = 0; t < T; t++) {
    // grid: sells at the tariff, buys at 10 €/MWh less (a two-way linear agent)
    b[t] = TARIFF[t];
    pMin[t] = -20;
    pMax[t] = 20;
    // home: demand with a quadratic utility
    a[T + t] = 4;
    b[T + t] = 120;
    pMin[T + t] = -6;
    pMax[T + t] = 0;
    // PV at midday
    a[2 * T + t] = 0;
    b[2 * T + t] = 1;
    pMin[2 * T + t] = 0;
    pMax[2 * T + t] = t === 2 || t === 3 ? 3 : 0;
    // battery: own power 0, net within ±cmax
    b[3 * T + t] = 0;
  }
  for (let i = 0; i < nA; i++) {
    const isBattery = i >= 3 * T;
    netMin[i] = pMin[i] - (isBattery ? cmax : 0);
    netMax[i] = pMax[i] + (isBattery ? cmax : 0);
  }
  const first: number[] = [];
  const second: number[] = [];
  const cost: number[] = [];
  for (let n = 0; n < agents; n++)
    for (let q = n + 1; q < agents; q++)
      for (let t = 0; t < T; t++) {
        first.push(n * T + t);
        second.push(q * T + t);
        cost.push(n === 0 ? 2 : 0.5); // grid fees above local trades
      }
  const m = sameCostMarket({ a, b, pMin, pMax }, netMin, netMax, first, second, cost);
  const storage = storageColumns(1);
  storage.first[0] = 3 * T;
  storage.socMin[0] = 0.5;
  storage.socMax[0] = 4;
  storage.chargeMax[0] = cmax;
  storage.dischargeMax[0] = cmax;
  storage.etaCharge[0] = 0.95;
  storage.etaDischarge[0] = 0.9;
  storage.socInitial[0] = 1;
  storage.socFinalMin[0] = 1;
  storage.throughputCost[0] = 1.5;
  const storageOf = new Int32Array(nA).fill(-1);
  for (let t = 0; t < T; t++) storageOf[3 * T + t] = 0;
  const h: HorizonArrays = {
    periods: T,
    periodHours: 0.5,
    storage,
    storageOf,
    charge: new Float64Array(nA),
    discharge: new Float64Array(nA),
  };
  return { m, h };
}

test("a market with a battery is polished by default; the battery charges when the tariff is low and discharges when it is high", () => {
  const { m, h } = community();
  const solver = new AdmmSolver(m, {}, { horizon: h });
  const res = solver.solve();
  assert.equal(res.info.status, "SOLVED");
  assert.equal(res.info.polished, true, `status_polish ${res.info.statusPolish}`);
  assert.equal(res.info.statusPolish, 1);
  assert.ok(res.info.polishTries >= 1 && res.info.polishTime > 0);
  const s = res.solution;
  const c = s.charge!;
  const d = s.discharge!;
  let charged = 0;
  let discharged = 0;
  for (let t = 0; t < T; t++) {
    const i = 3 * T + t;
    if (TARIFF[t] <= 30) charged += c[i];
    else assert.ok(c[i] <= 1e-12, `charges ${c[i]} in dear period ${t}`);
    if (TARIFF[t] >= 90) discharged += d[i];
    else assert.ok(d[i] <= 1e-12, `discharges ${d[i]} in cheap period ${t}`);
  }
  assert.ok(charged > 0.1 && discharged > 0.1, `charged ${charged}, discharged ${discharged}`);
  // The final state of charge constraint holds.
  let e = h.storage.socInitial[0];
  for (let t = 0; t < T; t++) e += h.periodHours * (0.95 * c[3 * T + t] - d[3 * T + t] / 0.9);
  assert.ok(e >= h.storage.socFinalMin[0] - 1e-12 && e <= h.storage.socMax[0] + 1e-12);
  // ADMM alone to 1e-9 lands on the same objective.
  const plain = new AdmmSolver(
    m,
    { polish: false, epsAbs: 1e-10, epsRel: 1e-10, maxIter: 200000 },
    { horizon: community().h },
  );
  const r2 = plain.solve();
  assert.ok(
    Math.abs(r2.info.objective - res.info.objective) <= 1e-6 * (1 + Math.abs(res.info.objective)),
    `ADMM ${r2.info.objective} vs polished ${res.info.objective}`,
  );
  assert.ok(res.info.iterations < r2.info.iterations);
});

test("the storage self-check refuses perturbed answers, and a wrong iterate is never accepted unverified", () => {
  const { m, h } = community();
  const solver = new AdmmSolver(m, { polish: false, maxIter: 60 }, { horizon: h });
  solver.solve();
  const sol = solver.solution();
  const p = new StoragePolisher(m, h);
  const res = p.polish(sol.trade, solver.iterate.mu, solver.iterate.lambda, h.charge, h.discharge);
  assert.equal(res.success, true, res.reason);
  const tolP = 1e-9 * 20;
  const out: StorageVerified = { primal: 0, dual: 0 };
  const check = (trade = p.trade, price = p.price, mu = p.mu, c = p.charge, d = p.discharge, sg = p.sigma) => {
    verifyStoragePolished(m, h, trade, price, mu, c, d, sg, tolP, out);
    return out;
  };
  const ok = check();
  assert.ok(ok.primal <= 1e-9 && ok.dual <= 1e-7, `the polished answer: ${ok.primal}, ${ok.dual}`);
  // Energy moved from one charging period to another: feasible, but the prices no longer support it.
  const c2 = p.charge.slice();
  let from = 3 * T;
  for (let t = 0; t < T; t++) if (c2[3 * T + t] > c2[from]) from = 3 * T + t;
  const to = 3 * T + 1; // a dear period
  assert.ok(c2[from] >= 0.1 && from !== to, `charges ${Array.from(c2.subarray(3 * T))}`);
  c2[from] -= 0.1;
  c2[to] += 0.1;
  const tr2 = p.trade.slice();
  // keep the battery's balance: its trade with the grid in both periods absorbs the change
  const k = (n: number, partner: number): number => {
    for (let q = m.tradeStart[n]; q < m.tradeStart[n + 1]; q++) if (m.partner[q] === partner) return q;
    return -1;
  };
  for (const [n, delta] of [
    [from, 0.1],
    [to, -0.1],
  ] as const) {
    const q = k(n, n - 3 * T);
    tr2[q] += delta;
    tr2[m.mirror[q]] -= delta;
  }
  const bad1 = check(tr2, p.price, p.mu, c2);
  assert.ok(bad1.primal > 1e-6 || bad1.dual > 1e-6, `moved charge accepted: ${bad1.primal}, ${bad1.dual}`);
  // A price off by 1 €/MWh on one trade, an energy price off by 1 %.
  const pr = p.price.slice();
  let flowing = -1;
  for (let q = 0; q < m.partner.length && flowing < 0; q++)
    if (p.trade[q] > 1e-6 && p.trade[q] < m.hi[q] - 1e-6) flowing = q;
  assert.ok(flowing >= 0);
  pr[flowing] += 1;
  pr[m.mirror[flowing]] += 1;
  assert.ok(check(p.trade, pr).dual >= 0.5);
  const sg = p.sigma.slice();
  for (let t = 0; t < T; t++) sg[t] *= 1.01;
  assert.ok(check(p.trade, p.price, p.mu, p.charge, p.discharge, sg).dual > 1e-3);
  // A charge beyond its limit.
  const c3 = p.charge.slice();
  c3[3 * T] = 2.5;
  assert.ok(check(p.trade, p.price, p.mu, c3).primal >= 0.4);

  // Garbage iterates (every battery full on, no trades, prices 0): either refused or, when
  // accepted, the same optimum.
  const nt = m.partner.length;
  const powers = new Float64Array(m.nAgents);
  for (let n = 0; n < m.nAgents; n++)
    for (let q = m.tradeStart[n]; q < m.tradeStart[n + 1]; q++) powers[n] += p.trade[q];
  const optimum = objective(
    m,
    { agentPower: powers, trade: p.trade, price: p.price, charge: p.charge, discharge: p.discharge },
    h,
  );
  for (const fill of [0, 1]) {
    const q = new StoragePolisher(m, h);
    const c = new Float64Array(m.nAgents);
    const d = new Float64Array(m.nAgents);
    for (let t = 0; t < T; t++) (fill ? d : c)[3 * T + t] = 2;
    const r = q.polish(new Float64Array(nt), new Float64Array(m.nAgents), new Float64Array(nt), c, d);
    if (!r.success) continue;
    const pw = new Float64Array(m.nAgents);
    for (let n = 0; n < m.nAgents; n++) for (let j = m.tradeStart[n]; j < m.tradeStart[n + 1]; j++) pw[n] += q.trade[j];
    const f = objective(
      m,
      { agentPower: pw, trade: q.trade, price: q.price, charge: q.charge, discharge: q.discharge },
      h,
    );
    assert.ok(Math.abs(f - optimum) <= 1e-9 * (1 + Math.abs(optimum)), `accepted ${f} vs optimum ${optimum}`);
  }
});

test("a polished market with storage gives bit-identical results on 1 and 2 threads", async () => {
  const { m, h } = community();
  const one = new AdmmSolver(m, {}, { horizon: h }).solve();
  assert.equal(one.info.polished, true);
  const team = await ShardTeam.start(2);
  try {
    const fresh = community();
    const solver = new AdmmSolver(fresh.m, {}, { shared: true, horizon: fresh.h });
    const executor = team.attach(solver.problem, solver.iterate, 3, solver.horizon);
    const par = solver.solve({ executor });
    team.detach();
    assert.equal(par.info.polished, true);
    assert.equal(par.info.polishIteration, one.info.polishIteration);
    assert.equal(par.info.iterations, one.info.iterations);
    assert.equal(par.info.objective, one.info.objective);
    assert.deepEqual(par.solution.trade, one.solution.trade);
    assert.deepEqual(par.solution.price, one.solution.price);
    assert.deepEqual(par.solution.charge, one.solution.charge);
    assert.deepEqual(par.solution.discharge, one.solution.discharge);
  } finally {
    await team.close();
  }
});

/**
 * A random community over T periods: a grid (agent 0: linear, a time-of-use price, trades with
 * everyone), homes with a quadratic demand, PV producers and stand-alone batteries, each other pair
 * trading with probability `density`, with small random fees.
 */
function randomCommunity(
  seed: number,
  homes: number,
  pv: number,
  batteries: number,
  periods: number,
  density: number,
): { m: MarketArrays; h: HorizonArrays } {
  const r = mulberry32(seed);
  const agents = 1 + homes + pv + batteries;
  const nA = agents * periods;
  const a = new Float64Array(nA);
  const b = new Float64Array(nA);
  const pMin = new Float64Array(nA);
  const pMax = new Float64Array(nA);
  const netMin = new Float64Array(nA);
  const netMax = new Float64Array(nA);
  const firstBattery = 1 + homes + pv;
  const cmax = Float64Array.from({ length: batteries }, () => 1 + 2 * r());
  for (let t = 0; t < periods; t++) {
    const tariff = 20 + 80 * r();
    b[t] = tariff;
    pMin[t] = -100;
    pMax[t] = 100;
    for (let n = 1; n < agents; n++) {
      const i = n * periods + t;
      if (n <= homes) {
        a[i] = 2 + 6 * r();
        b[i] = 60 + 80 * r();
        pMin[i] = -(1 + 4 * r());
      } else if (n < firstBattery) {
        b[i] = 1 + 5 * r();
        pMax[i] = r() < 0.3 ? 0 : 1 + 4 * r();
      }
    }
  }
  for (let n = 0; n < agents; n++)
    for (let t = 0; t < periods; t++) {
      const i = n * periods + t;
      const c = n >= firstBattery ? cmax[n - firstBattery] : 0;
      netMin[i] = pMin[i] - c;
      netMax[i] = pMax[i] + c;
    }
  const first: number[] = [];
  const second: number[] = [];
  const cost: number[] = [];
  for (let n = 0; n < agents; n++)
    for (let q = n + 1; q < agents; q++) {
      if (n !== 0 && r() >= density) continue;
      const fee = n === 0 ? 2 + 2 * r() : 0.2 + r();
      for (let t = 0; t < periods; t++) {
        first.push(n * periods + t);
        second.push(q * periods + t);
        cost.push(fee);
      }
    }
  const m = sameCostMarket({ a, b, pMin, pMax }, netMin, netMax, first, second, cost);
  const storage = storageColumns(batteries);
  const storageOf = new Int32Array(nA).fill(-1);
  for (let s = 0; s < batteries; s++) {
    storage.first[s] = (firstBattery + s) * periods;
    storage.socMin[s] = 0.2;
    storage.socMax[s] = 2 + 4 * r();
    storage.chargeMax[s] = cmax[s];
    storage.dischargeMax[s] = cmax[s];
    storage.etaCharge[s] = 0.9 + 0.1 * r();
    storage.etaDischarge[s] = 0.9 + 0.1 * r();
    storage.socInitial[s] = 1;
    storage.socFinalMin[s] = 1;
    storage.throughputCost[s] = 0.5 + r();
    for (let t = 0; t < periods; t++) storageOf[storage.first[s] + t] = s;
  }
  const h: HorizonArrays = {
    periods,
    periodHours: 24 / periods,
    storage,
    storageOf,
    charge: new Float64Array(nA),
    discharge: new Float64Array(nA),
  };
  return { m, h };
}

/** The objective of a polisher's outputs (trades, prices, charges), own powers summed from the trades. */
function polishedObjective(m: MarketArrays, h: HorizonArrays, x: StoragePolisher): number {
  const pw = new Float64Array(m.nAgents);
  for (let n = 0; n < m.nAgents; n++) for (let j = m.tradeStart[n]; j < m.tradeStart[n + 1]; j++) pw[n] += x.trade[j];
  return objective(m, { agentPower: pw, trade: x.trade, price: x.price, charge: x.charge, discharge: x.discharge }, h);
}

/** Polishes the iterate of `iterations` ADMM iterations once per set-up of a fresh polisher. */
function polishEach(m: MarketArrays, h: HorizonArrays, iterations: number, setups: ((p: StoragePolisher) => void)[]) {
  const solver = new AdmmSolver(m, { polish: false, maxIter: iterations }, { horizon: h });
  solver.solve();
  const sol = solver.solution();
  return setups.map((setup) => {
    const p = new StoragePolisher(m, h);
    setup(p);
    const res = p.polish(sol.trade, solver.iterate.mu, solver.iterate.lambda, h.charge.slice(), h.discharge.slice());
    return { p, res, work: p.lastFactorWork, nnz: p.lastFactorNnz };
  });
}

/** Polishes from the iterate of `iterations` ADMM iterations with both pivot orders. */
function bothOrders(m: MarketArrays, h: HorizonArrays, iterations: number) {
  const [periods, amd] = polishEach(m, h, iterations, [
    (p) => {
      p.ordering = "periods";
    },
    (p) => {
      p.ordering = "amd";
    },
  ]);
  return { periods, amd };
}

test("random markets with batteries: the minimum degree order polishes to the same optimum as the period order, certified", () => {
  let compared = 0;
  for (let seed = 1; seed <= 12; seed++) {
    const { m, h } = randomCommunity(seed, 4 + (seed % 5), 1 + (seed % 3), 1 + (seed % 3), 3 + (seed % 6), 0.5);
    for (const iterations of [150, 400, 1500]) {
      const { periods: a, amd: b } = bothOrders(m, h, iterations);
      assert.equal(b.res.success, a.res.success, `seed ${seed}: ${a.res.reason} / ${b.res.reason}`);
      if (!a.res.success) continue;
      // Every condition, checked again on the outputs.
      let P = 1;
      for (let k = 0; k < m.partner.length; k++) P = Math.max(P, Math.abs(a.p.trade[k]));
      const out: StorageVerified = { primal: 0, dual: 0 };
      for (const x of [a.p, b.p]) {
        verifyStoragePolished(m, h, x.trade, x.price, x.mu, x.charge, x.discharge, x.sigma, 1e-9 * P, out);
        assert.ok(out.primal <= 1e-8 * P && out.dual <= 1e-6, `seed ${seed}: ${out.primal}, ${out.dual}`);
      }
      // The same answer up to rounding.
      const close = (u: Float64Array, v: Float64Array, what: string, scale: number) => {
        for (let i = 0; i < u.length; i++)
          assert.ok(Math.abs(u[i] - v[i]) <= 1e-7 * scale, `seed ${seed}: ${what}[${i}] ${u[i]} vs ${v[i]}`);
      };
      close(a.p.trade, b.p.trade, "trade", P);
      close(a.p.charge, b.p.charge, "charge", P);
      close(a.p.discharge, b.p.discharge, "discharge", P);
      close(a.p.mu, b.p.mu, "mu", 100);
      const f = (x: StoragePolisher) => polishedObjective(m, h, x);
      const fa = f(a.p);
      assert.ok(Math.abs(f(b.p) - fa) <= 1e-9 * (1 + Math.abs(fa)), `seed ${seed}: objective ${f(b.p)} vs ${fa}`);
      // An independent answer: ADMM alone, to a tight tolerance, lands on the same objective.
      if (seed % 4 === 0) {
        const plain = new AdmmSolver(
          m,
          { polish: false, epsAbs: 1e-10, epsRel: 1e-10, maxIter: 300000 },
          { horizon: { ...h, charge: h.charge.slice(), discharge: h.discharge.slice() } },
        ).solve();
        assert.ok(
          Math.abs(plain.info.objective - fa) <= 1e-6 * (1 + Math.abs(fa)),
          `seed ${seed}: ADMM ${plain.info.objective} (${plain.info.status}) vs polished ${fa}`,
        );
      }
      compared++;
      break;
    }
  }
  assert.ok(compared >= 8, `only ${compared} of 12 markets polished`);
});

test("a market with a hub: the minimum degree order's factor has far fewer entries than the period order's", () => {
  // 60 homes, 10 PV, 4 batteries, 8 periods; every home trades with the grid (the hub, agent 0,
  // eliminated first in its period by the period order) and with a few others.
  const { m, h } = randomCommunity(5, 60, 10, 4, 8, 0.05);
  const { periods: a, amd: b } = bothOrders(m, h, 300);
  assert.ok(a.work > 0 && b.work > 0, `${a.res.reason} / ${b.res.reason}`);
  assert.ok(b.nnz > 0 && a.nnz > 0);
  assert.ok(b.work < 0.2 * a.work, `work: minimum degree ${b.work}, period order ${a.work}`);
  assert.ok(b.nnz < 0.5 * a.nnz, `entries of L: minimum degree ${b.nnz}, period order ${a.nnz}`);
  assert.equal(b.res.success, a.res.success, `${a.res.reason} / ${b.res.reason}`);
  // "auto" (the default) keeps the period order below its threshold, and picks the cheaper order,
  // here minimum degree, above it.
  const solver = new AdmmSolver(m, { polish: false, maxIter: 300 }, { horizon: h });
  solver.solve();
  const sol = solver.solution();
  for (const amdFrom of [Infinity, 0]) {
    const p = new StoragePolisher(m, h);
    p.amdFrom = amdFrom;
    const r = p.polish(sol.trade, solver.iterate.mu, solver.iterate.lambda, h.charge.slice(), h.discharge.slice());
    assert.equal(r.success, a.res.success, r.reason);
    assert.equal(p.lastOrdering, amdFrom === 0 ? "amd" : "periods");
    assert.equal(p.lastFactorWork, amdFrom === 0 ? b.work : a.work);
  }
});

/** Polishes the iterate of `iterations` ADMM iterations by the factorisation alone and by networks from the first system (a budget of 0). */
function ldlAndNetwork(m: MarketArrays, h: HorizonArrays, iterations: number) {
  const [ldl, network] = polishEach(m, h, iterations, [
    (p) => {
      p.kkt = "ldl";
    },
    (p) => {
      p.maxFactorWork = 0;
    },
  ]);
  return { ldl, network };
}

test("past the factorisation's budget a try solves its systems as networks: the same optimum as the factorised one, certified", () => {
  let both = 0;
  let networkOnly = 0;
  let networkPolished = 0;
  for (let seed = 1; seed <= 12; seed++) {
    const { m, h } = randomCommunity(seed, 4 + (seed % 5), 1 + (seed % 3), 1 + (seed % 3), 3 + (seed % 6), 0.5);
    for (const iterations of [150, 400, 1500]) {
      const { ldl: a, network: b } = ldlAndNetwork(m, h, iterations);
      // "auto" with a budget of 0: every system of the try is solved as a network.
      assert.equal(b.p.lastKkt, "network", `seed ${seed}: ${b.res.reason}`);
      if (!b.res.success) continue;
      networkPolished++;
      let P = 1;
      for (let k = 0; k < m.partner.length; k++) P = Math.max(P, Math.abs(b.p.trade[k]));
      const out: StorageVerified = { primal: 0, dual: 0 };
      verifyStoragePolished(m, h, b.p.trade, b.p.price, b.p.mu, b.p.charge, b.p.discharge, b.p.sigma, 1e-9 * P, out);
      assert.ok(out.primal <= 1e-8 * P && out.dual <= 1e-6, `seed ${seed}: ${out.primal}, ${out.dual}`);
      const f = (x: StoragePolisher) => polishedObjective(m, h, x);
      const fb = f(b.p);
      if (a.res.success) {
        both++;
        const fa = f(a.p);
        assert.ok(Math.abs(fb - fa) <= 1e-9 * (1 + Math.abs(fa)), `seed ${seed}: objective ${fb} vs ${fa}`);
      } else {
        networkOnly++;
        // An independent answer where the factorised try failed: ADMM alone to a tight tolerance.
        const plain = new AdmmSolver(
          m,
          { polish: false, epsAbs: 1e-10, epsRel: 1e-10, maxIter: 300000 },
          { horizon: { ...h, charge: h.charge.slice(), discharge: h.discharge.slice() } },
        ).solve();
        // (HiGHS is the reference in packages/reference; ADMM alone may not get there.)
        if (plain.info.status === "SOLVED")
          assert.ok(
            Math.abs(plain.info.objective - fb) <= 1e-6 * (1 + Math.abs(fb)),
            `seed ${seed}: ADMM ${plain.info.objective} vs polished ${fb}`,
          );
      }
      break;
    }
  }
  assert.ok(
    networkPolished >= 8,
    `only ${networkPolished} of 12 markets polished as networks (${both} also factorised, ${networkOnly} not)`,
  );
});

test("the try at ADMM's converged iterate goes on past the first round's move limit; earlier tries stop there", () => {
  // 120 homes, 20 PV, 8 batteries, 24 periods, after 10 iterations: the guess is far off, and the
  // network solve's loop pivots change thousands of states in the first round.
  const { m, h } = randomCommunity(5, 120, 20, 8, 24, 0.05);
  const solver = new AdmmSolver(m, { polish: false, maxIter: 10 }, { horizon: h });
  solver.solve();
  const sol = solver.solution();
  const run = (final: boolean) => {
    const p = new StoragePolisher(m, h);
    p.kkt = "network";
    return p.polish(
      sol.trade,
      solver.iterate.mu,
      solver.iterate.lambda,
      h.charge.slice(),
      h.discharge.slice(),
      0,
      Infinity,
      final,
    );
  };
  const early = run(false);
  assert.equal(early.rounds, 1, early.reason);
  assert.ok(early.moves > 1000, `${early.moves} moves`);
  const last = run(true);
  assert.ok(last.rounds > 1, last.reason);
});
