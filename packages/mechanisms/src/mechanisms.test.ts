import assert from "node:assert/strict";
import { test } from "node:test";
import { xorshift32 } from "@peermarket/admm";
import { solveMarket } from "@peermarket/market";
import {
  makeGrid,
  type Agent,
  makeAgent,
  makeMarket,
  makePreference,
  type Market,
  type Preference,
} from "@peermarket/model";
import { solveReference } from "@peermarket/reference";
import {
  allCoalitionValues,
  allCoalitionValuesParallel,
  billSharing,
  COALITION_SETTINGS,
  budgetImbalance,
  CoalitionValuer,
  communityOf,
  compareCommunity,
  compareMechanisms,
  gridOnly,
  memberCosts,
  midMarket,
  midMarketPrices,
  minOwnCost,
  type Schedule,
  scheduleOf,
  sdrPrices,
  supplyDemandRatio,
} from "./index.js";

const close = (a: number, b: number, tol: number, what = "") =>
  assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} vs ${b} (tol ${tol})`);

function schedule(power: number[], importPrice = 100, exportPrice = 20, periods = 1, periodHours = 1): Schedule {
  const members = Array.from({ length: power.length / periods }, (_, i) => `m${i}`);
  return {
    members,
    periods,
    periodHours,
    power: Float64Array.from(power),
    importPrice: new Float64Array(periods).fill(importPrice),
    exportPrice: new Float64Array(periods).fill(exportPrice),
  };
}

test("mid-market and SDR prices against hand-computed cases (λ⁺ = 100, λ⁻ = 20)", () => {
  // Balanced: both at P_mid = 60; SDR = 1: both at λ⁻.
  assert.deepEqual(midMarketPrices(1, 1, 100, 20), { buy: 60, sell: 60 });
  assert.deepEqual(sdrPrices(1, 1, 100, 20), { buy: 20, sell: 20, sdr: 1 });
  // Surplus S = 3, D = 1: buyers 60, sellers (60·1 + 20·2)/3 = 100/3; SDR = 3 ≥ 1: λ⁻.
  const mm = midMarketPrices(3, 1, 100, 20);
  close(mm.buy, 60, 1e-12, "surplus buy");
  close(mm.sell, 100 / 3, 1e-12, "surplus sell");
  assert.deepEqual(sdrPrices(3, 1, 100, 20), { buy: 20, sell: 20, sdr: 3 });
  // Deficit S = 1, D = 4: sellers 60, buyers (60·1 + 100·3)/4 = 90; SDR = 0.25: P_sell = 2000/(80·0.25 + 20) = 50, P_buy = 50·0.25 + 100·0.75 = 87.5.
  assert.deepEqual(midMarketPrices(1, 4, 100, 20), { buy: 90, sell: 60 });
  const sd = sdrPrices(1, 4, 100, 20);
  close(sd.sell, 50, 1e-12, "sdr sell");
  close(sd.buy, 87.5, 1e-12, "sdr buy");
  // SDR = 0: no supply, buyers pay λ⁺.
  const z = sdrPrices(0, 2, 100, 20);
  close(z.buy, 100, 1e-12, "SDR 0 buy");
  close(z.sell, 100, 1e-12, "SDR 0 sell (its limit λ⁺)");
  // No demand at all: SDR = ∞ ≥ 1.
  assert.deepEqual(sdrPrices(2, 0, 100, 20), { buy: 20, sell: 20, sdr: Infinity });
});

test("settlements of hand-computed schedules (payments in €)", () => {
  // Deficit: m0 supplies 1, m1 consumes 3, m2 consumes 1 (S = 1, D = 4), Δ = 0.5 h.
  const s = schedule([1, -3, -1], 100, 20, 1, 0.5);
  const bs = billSharing(s);
  // Net bill 100·3 = 300 €/h → 150 € over Δ, shared 3:1 by the consumers; the producer gets nothing.
  assert.deepEqual(Array.from(bs.payment), [0, 112.5, 37.5]);
  assert.equal(bs.gridPayment[0], -150);
  const mm = midMarket(s);
  assert.deepEqual(Array.from(mm.payment), [-30, 135, 45]);
  const sd = supplyDemandRatio(s);
  assert.deepEqual(Array.from(sd.payment), [-25, 131.25, 43.75]);
  close(sd.buyPrice[0], 87.5, 1e-12, "SDR average buy price");
  close(sd.sellPrice[0], 50, 1e-12, "SDR average sell price");
  // Surplus: m0 supplies 3, m1 supplies 1, m2 consumes 2 (S = 4, D = 2), Δ = 1: the credit 20·2 is shared 3:1 by the producers.
  const s2 = schedule([3, 1, -2]);
  assert.deepEqual(Array.from(billSharing(s2).payment), [-30, -10, 0]);
  const mm2 = midMarket(s2);
  // buyers 60; sellers (60·2 + 20·2)/4 = 40.
  assert.deepEqual(Array.from(mm2.payment), [-120, -40, 120]);
  assert.deepEqual(Array.from(supplyDemandRatio(s2).payment), [-60, -20, 40]);
  // Balanced: nobody pays anything under bill sharing; mid-market at 60 both ways.
  const s3 = schedule([2, -2]);
  assert.deepEqual(Array.from(billSharing(s3).payment), [0, 0]);
  assert.deepEqual(Array.from(midMarket(s3).payment), [-120, 120]);
  assert.deepEqual(Array.from(supplyDemandRatio(s3).payment), [-40, 40]);
});

test("every pooled rule is budget-balanced on random multi-period schedules", () => {
  const r = xorshift32(7);
  for (let trial = 0; trial < 200; trial++) {
    const N = 1 + Math.floor(r() * 12);
    const T = 1 + Math.floor(r() * 6);
    const power = Array.from({ length: N * T }, () => (r() < 0.15 ? 0 : (r() - 0.5) * 10));
    const lm = r() < 0.2 ? 0 : 40 * r();
    const lp = lm + (r() < 0.1 ? 0 : 100 * r());
    const s = schedule(power, lp, lm, T, 0.25 + r());
    for (const st of [billSharing(s), midMarket(s), supplyDemandRatio(s)]) {
      const scale = 1 + power.reduce((acc, p) => acc + Math.abs(p), 0) * lp;
      assert.ok(
        budgetImbalance(s, st) <= 1e-12 * scale,
        `${st.mechanism}: imbalance ${budgetImbalance(s, st)} (trial ${trial})`,
      );
    }
  }
});

/** An independent minimiser of minOwnCost's problem: the merit-order curve h(p), then golden section on f + h. */
function bruteOwnCost(
  a: number,
  b: number,
  pMin: number,
  pMax: number,
  lo: number[],
  hi: number[],
  sNeg: number[],
  sPos: number[],
): number {
  const segs: [number, number][] = [];
  let p0 = 0;
  let h0 = 0;
  lo.forEach((l, k) => {
    p0 += l;
    h0 += sNeg[k] * l;
    if (l < 0) segs.push([-l, sNeg[k]]);
    if (hi[k] > 0) segs.push([hi[k], sPos[k]]);
  });
  segs.sort((u, v) => u[1] - v[1]);
  const p1 = p0 + segs.reduce((acc, s) => acc + s[0], 0);
  const h = (p: number) => {
    let pos = p0;
    let val = h0;
    for (const [len, slope] of segs) {
      const d = Math.min(len, p - pos);
      if (d <= 0) break;
      val += slope * d;
      pos += d;
    }
    return val;
  };
  const L = Math.max(pMin, p0);
  const U = Math.min(pMax, p1);
  if (L > U) return Infinity;
  const F = (p: number) => 0.5 * a * p * p + b * p + h(p);
  // F is convex: golden section, then the best of the endpoints and the segment ends inside.
  let x0 = L;
  let x1 = U;
  const g = (Math.sqrt(5) - 1) / 2;
  for (let i = 0; i < 200; i++) {
    const c = x1 - g * (x1 - x0);
    const d = x0 + g * (x1 - x0);
    if (F(c) <= F(d)) x1 = d;
    else x0 = c;
  }
  let best = Math.min(F(L), F(U), F(0.5 * (x0 + x1)));
  let pos = p0;
  for (const [len] of segs) {
    pos += len;
    if (pos >= L && pos <= U) best = Math.min(best, F(pos));
  }
  return best;
}

test("minOwnCost is the exact minimum (against an independent merit-order minimiser)", () => {
  const r = xorshift32(11);
  for (let trial = 0; trial < 2000; trial++) {
    const K = Math.floor(r() * 6);
    const lo: number[] = [];
    const hi: number[] = [];
    const sNeg: number[] = [];
    const sPos: number[] = [];
    const tie = 10 * Math.round(5 * r());
    for (let k = 0; k < K; k++) {
      const kind = r();
      lo.push(kind < 0.33 ? 0 : -5 * r());
      hi.push(kind > 0.66 ? 0 : 5 * r());
      const lam = r() < 0.3 ? tie : 60 * r();
      const cs = r() < 0.3 ? 0 : 5 * r();
      const cb = r() < 0.3 ? 0 : 5 * r();
      sNeg.push(-(lam + cb));
      sPos.push(cs - lam);
    }
    const a = r() < 0.3 ? 0 : r();
    const b = r() < 0.3 ? tie : 60 * r();
    const kind = r();
    const pMin = kind < 0.3 ? 0 : -8 * r();
    const pMax = kind > 0.7 ? 0 : 8 * r();
    const xs = new Float64Array(K);
    const got = minOwnCost(a, b, pMin, pMax, lo, hi, sNeg, sPos, xs);
    const want = bruteOwnCost(a, b, pMin, pMax, lo, hi, sNeg, sPos);
    if (want === Infinity) {
      assert.equal(got.value, Infinity, `trial ${trial}: infeasible`);
      continue;
    }
    close(got.value, want, 1e-9 * (1 + Math.abs(want)), `trial ${trial}`);
    // The returned trades are a feasible point with that value.
    let sum = 0;
    let val = 0.5 * a * got.power * got.power + b * got.power;
    for (let k = 0; k < K; k++) {
      assert.ok(xs[k] >= lo[k] - 1e-12 && xs[k] <= hi[k] + 1e-12, `trial ${trial}: trade ${k} out of bounds`);
      sum += xs[k];
      val += xs[k] > 0 ? sPos[k] * xs[k] : sNeg[k] * xs[k];
    }
    close(sum, got.power, 1e-9, `trial ${trial}: trades add up to the power`);
    assert.ok(got.power >= pMin - 1e-12 && got.power <= pMax + 1e-12, `trial ${trial}: power within bounds`);
    close(val, got.value, 1e-9 * (1 + Math.abs(want)), `trial ${trial}: value of the returned point`);
  }
});

/** A random convex community: producers, consumers and prosumers, a grid without limits, optional per-pair preferences. */
function randomCommunity(seed: number, members: number, prefs: boolean, gridLimits = false): Market {
  const r = xorshift32(seed);
  const agents: Agent[] = [];
  for (let i = 0; i < members; i++) {
    const t = r();
    const a = r() < 0.2 ? 0 : 0.05 + 2 * r();
    if (t < 0.4)
      agents.push(
        makeAgent(`p${i}`, { costQuadratic: a, costLinear: 5 + 40 * r(), powerMin: 0, powerMax: 0.5 + 3 * r() }),
      );
    else if (t < 0.8)
      agents.push(
        makeAgent(`c${i}`, { costQuadratic: a, costLinear: 40 + 80 * r(), powerMin: -(0.5 + 3 * r()), powerMax: 0 }),
      );
    else
      agents.push(
        makeAgent(`s${i}`, {
          costQuadratic: 0.1 + a,
          costLinear: 20 + 50 * r(),
          powerMin: -(0.5 + 2 * r()),
          powerMax: 0.5 + 2 * r(),
        }),
      );
  }
  const preferences: Preference[] = [];
  if (prefs) {
    for (const ag of agents) {
      for (const other of agents)
        if (other !== ag && r() < 0.3) preferences.push(makePreference(ag.id, { partnerId: other.id, cost: 6 * r() }));
      if (r() < 0.3) preferences.push(makePreference(ag.id, { partnerId: "grid_import", cost: 3 * r() }));
    }
  }
  const grid = makeGrid({
    bus: "",
    importPrice: 80 + 40 * r(),
    exportPrice: 5 + 20 * r(),
    importMax: gridLimits ? 1 : undefined,
    exportMax: gridLimits ? 1 : undefined,
  });
  return makeMarket({ name: `community-${seed}`, agents, preferences, grid });
}

async function cleared(market: Market) {
  const o = await solveMarket(market, {
    settings: { warmStartSolutionId: "", epsAbs: 1e-10, epsRel: 1e-9, maxIter: 200_000 },
  });
  assert.equal(o.solution.status, "SOLVE_STATUS_SOLVED");
  return communityOf(o.expanded, o.result.solution.trade, o.result.solution.price);
}

test("every rule, bilateral and grid only included, is budget-balanced on random cleared markets", async () => {
  for (let seed = 1; seed <= 12; seed++) {
    const c = await cleared(randomCommunity(seed, 3 + (seed % 6), seed % 2 === 0));
    const cmp = compareCommunity(c, { skipCore: true });
    assert.equal(cmp.mechanisms.length, 5);
    for (const m of cmp.mechanisms) {
      const scale = 1 + cmp.members.reduce((acc, x) => acc + Math.abs(x.energyCost), 0);
      assert.ok(m.budgetImbalance <= 1e-12 * scale, `seed ${seed} ${m.mechanism}: imbalance ${m.budgetImbalance}`);
    }
    // Every rule settles the same schedule: the members' total costs add up to the same amount
    // (the objective) under the pooled rules and the bilateral one (no grid limits, so no grid rent).
    const totals = cmp.mechanisms
      .filter((m) => m.mechanism !== "grid_only")
      .map((m) => m.totalCost.reduce((a, b) => a + b, 0));
    for (const t of totals)
      close(t, totals[0], 1e-7 * (1 + Math.abs(totals[0])), `seed ${seed}: same total under every rule`);
  }
});

test("coalition values and grid-only costs agree with HiGHS on the restricted markets", async () => {
  for (const seed of [3, 4, 5]) {
    const c = await cleared(randomCommunity(seed, 5, seed !== 4));
    const valuer = new CoalitionValuer(c);
    const alone = gridOnly(c);
    const costs = memberCosts(c);
    void costs;
    const n = c.members.length;
    for (const coalition of [[0], [n - 1], [0, 1], [1, 2, 3], Array.from({ length: n }, (_, i) => i)]) {
      const ref = await solveReference(valuer.subMarket(coalition).arrays, { timeLimit: 30 });
      assert.ok(ref.optimal, `seed ${seed} {${coalition}}: HiGHS ${ref.status}`);
      const v = valuer.value(coalition);
      const tol = 1e-6 * (1 + Math.abs(ref.objective));
      close(v.value, ref.objective, tol, `seed ${seed} {${coalition}}: v(C)`);
      assert.ok(
        v.lowerBound <= ref.objective + tol,
        `seed ${seed} {${coalition}}: the lower bound ${v.lowerBound} exceeds HiGHS's ${ref.objective}`,
      );
      if (coalition.length === 1)
        close(alone[coalition[0]].cost, ref.objective, tol, `seed ${seed}: grid only of member ${coalition[0]}`);
    }
    // Grid only: its parts add up to its total.
    for (const g of alone)
      close(
        g.energyCost + g.networkCharges + g.preferenceCost + g.payment,
        g.cost,
        1e-9 * (1 + Math.abs(g.cost)),
        `seed ${seed}: grid-only parts`,
      );
  }
});

test("the bilateral outcome passes the exact core test on random convex markets", async () => {
  for (let seed = 21; seed <= 30; seed++) {
    const members = 3 + (seed % 5);
    const c = await cleared(randomCommunity(seed, members, seed % 2 === 1));
    const cmp = compareCommunity(c);
    const bilateral = cmp.mechanisms.find((m) => m.mechanism === "bilateral")!;
    assert.equal(bilateral.core?.method, "exact");
    assert.equal(bilateral.core?.examined, 2 ** members - 1);
    assert.equal(bilateral.core?.blockingCount, 0, `seed ${seed}: ${bilateral.core?.summary}`);
    assert.deepEqual(bilateral.leavers, [], `seed ${seed}: bilateral is individually rational`);
    // The grand coalition's excess is ~0: budget balance plus an optimal schedule.
    const grand = cmp.mechanisms.find((m) => m.mechanism === "mid_market")!.totalCost.reduce((a, b) => a + b, 0);
    const bilTotal = bilateral.totalCost.reduce((a, b) => a + b, 0);
    close(grand, bilTotal, 1e-6 * (1 + Math.abs(grand)), `seed ${seed}: grand coalition`);
  }
});

test("a rule that violates individual rationality and the core is reported, naming the members", async () => {
  // One producer (10 €/MWh, 1 MW) and one consumer (values 100 €/MWh, 2 MW) behind a grid at 50/5:
  // the community imports, so bill sharing puts the whole net bill on the consumer and pays the
  // producer nothing; alone it would not produce (export at 5 < 10) and cost 0. Under bill
  // sharing it pays 10 € for its energy and gets nothing: it leaves, and {producer} blocks.
  const market = makeMarket({
    name: "unfair",
    agents: [
      makeAgent("producer", { costLinear: 10, powerMin: 0, powerMax: 1 }),
      makeAgent("consumer", { costLinear: 100, powerMin: -2, powerMax: 0 }),
    ],
    grid: makeGrid({ bus: "", importPrice: 50, exportPrice: 5 }),
  });
  const cmp = await compareMechanisms(market);
  const bs = cmp.mechanisms.find((m) => m.mechanism === "bill_sharing")!;
  assert.deepEqual(bs.leavers, ["producer"]);
  close(bs.saving[0], -10, 1e-6, "the producer loses 10 € against grid only");
  assert.ok(bs.core!.blockingCount >= 1);
  assert.deepEqual(bs.core!.blocking[0].members, ["producer"]);
  assert.match(bs.core!.summary, /not in the core/);
  // The bilateral market prices the producer's energy: everyone stays.
  const bil = cmp.mechanisms.find((m) => m.mechanism === "bilateral")!;
  assert.deepEqual(bil.leavers, []);
  assert.equal(bil.core!.blockingCount, 0);
  // Grid only is blocked by the grand coalition, which gains by trading inside.
  const go = cmp.mechanisms.find((m) => m.mechanism === "grid_only")!;
  assert.deepEqual(go.core!.blocking[0].members, ["producer", "consumer"]);
});

test("beyond the exact size, the search reports what it examined and finds a planted blocking coalition", async () => {
  const c = await cleared(randomCommunity(5, 20, false));
  const cmp = compareCommunity(c, { exactLimit: 8, searchBudget: 20 });
  assert.equal(cmp.stability.method, "search");
  for (const m of cmp.mechanisms) {
    assert.equal(m.core?.method, "search");
    assert.ok(m.core!.examined >= 20, `${m.mechanism}: examined ${m.core!.examined}`);
    if (m.core!.blockingCount === 0) assert.match(m.core!.summary, /no blocking coalition found among \d+ examined/);
  }
  // Grid only leaves the gains from trade on the table: the search finds a blocking coalition.
  assert.ok(cmp.mechanisms[0].core!.blockingCount > 0);
  assert.equal(cmp.mechanisms.find((m) => m.mechanism === "bilateral")!.core!.blockingCount, 0);
  // Schedule shape: one period of one hour.
  const s = scheduleOf(c);
  assert.equal(s.periods, 1);
  assert.equal(s.members.length, 20);
});

test("the exact core test on two threads gives the same table, bit for bit", async () => {
  const c = await cleared(randomCommunity(8, 7, true));
  const one = allCoalitionValues(new CoalitionValuer(c));
  const two = await allCoalitionValuesParallel(c, COALITION_SETTINGS, 2);
  assert.deepEqual(Array.from(two.table.value), Array.from(one.value));
  assert.deepEqual(Array.from(two.table.lowerBound), Array.from(one.lowerBound));
  assert.equal(two.cleared, 2 ** 7 - 1 - 7);
});

test("a rule every member accepts alone can still be blocked by a pair: mid-market, hand-computed", async () => {
  // A free producer (1 MW) and two consumers valuing 200 €/MWh (1 MW each), grid at 100/0: the
  // community imports 1 MW. Mid-market: P_mid = 50; the producer gets 50, each consumer pays
  // (50·1 + 100·1)/2 = 75. Alone: producer 0 (exports at 0), consumer −200 + 100 = −100. Both
  // better off (IR), but {producer, c1} alone would trade at no cost: v = −200, while they pay
  // −50 + (−200 + 75) = −175: excess 25 €. Likewise {producer, c2}; the grand coalition is exact.
  const market = makeMarket({
    name: "pair",
    agents: [
      makeAgent("producer", { costLinear: 0, powerMin: 0, powerMax: 1 }),
      makeAgent("c1", { costLinear: 200, powerMin: -1, powerMax: 0 }),
      makeAgent("c2", { costLinear: 200, powerMin: -1, powerMax: 0 }),
    ],
    grid: makeGrid({ bus: "", importPrice: 100, exportPrice: 0 }),
  });
  const cmp = await compareMechanisms(market);
  const mm = cmp.mechanisms.find((m) => m.mechanism === "mid_market")!;
  assert.deepEqual(mm.leavers, []);
  close(mm.saving[0], 50, 1e-6, "producer saving");
  close(mm.saving[1], 25, 1e-6, "c1 saving");
  assert.equal(mm.core!.blockingCount, 2);
  const pairs = mm.core!.blocking.map((b) => b.members.join("+")).sort();
  assert.deepEqual(pairs, ["producer+c1", "producer+c2"]);
  for (const b of mm.core!.blocking) close(b.excess, 25, 1e-6, "excess of the pair");
  assert.equal(cmp.mechanisms.find((m) => m.mechanism === "bilateral")!.core!.blockingCount, 0);
});

test("a two-period market without storage is the two single-period markets side by side (Δ = 0.5 h)", async () => {
  const r = xorshift32(99);
  const n = 5;
  const periods = [0, 1].map(() => ({
    agents: Array.from({ length: n }, (_, i) => {
      const kind = i % 3;
      return {
        a: 0.1 + r(),
        b: kind === 0 ? 5 + 30 * r() : kind === 1 ? 60 + 60 * r() : 30 + 30 * r(),
        pMin: kind === 0 ? 0 : -(0.5 + 2 * r()),
        pMax: kind === 1 ? 0 : 0.5 + 2 * r(),
      };
    }),
    importPrice: 80 + 40 * r(),
    exportPrice: 5 + 20 * r(),
  }));
  const prefs = [
    makePreference("m0", { partnerId: "m1", cost: 3 }),
    makePreference("m2", { partnerId: "m4", cost: 1.5 }),
  ];
  const single = (t: number) =>
    makeMarket({
      name: `period-${t}`,
      agents: periods[t].agents.map((g, i) =>
        makeAgent(`m${i}`, { costQuadratic: g.a, costLinear: g.b, powerMin: g.pMin, powerMax: g.pMax }),
      ),
      preferences: prefs,
      grid: makeGrid({ bus: "", importPrice: periods[t].importPrice, exportPrice: periods[t].exportPrice }),
    });
  const day = makeMarket({
    name: "two-periods",
    agents: Array.from({ length: n }, (_, i) =>
      makeAgent(`m${i}`, {
        costQuadratic: periods[0].agents[i].a,
        costLinear: periods[0].agents[i].b,
        powerMin: Math.min(periods[0].agents[i].pMin, periods[1].agents[i].pMin),
        powerMax: Math.max(periods[0].agents[i].pMax, periods[1].agents[i].pMax),
        costQuadraticProfile: [0, 1].map((t) => periods[t].agents[i].a),
        costLinearProfile: [0, 1].map((t) => periods[t].agents[i].b),
        powerMinProfile: [0, 1].map((t) => periods[t].agents[i].pMin),
        powerMaxProfile: [0, 1].map((t) => periods[t].agents[i].pMax),
      }),
    ),
    preferences: prefs,
    grid: makeGrid({
      bus: "",
      importPrice: periods[0].importPrice,
      exportPrice: periods[0].exportPrice,
      importPriceProfile: [periods[0].importPrice, periods[1].importPrice],
      exportPriceProfile: [periods[0].exportPrice, periods[1].exportPrice],
    }),
    horizon: { periods: 2, periodHours: 0.5, startTime: "" },
  });
  const settings = { warmStartSolutionId: "", epsAbs: 1e-10, epsRel: 1e-9, maxIter: 200_000 };
  const both = await compareMechanisms(day, { settings, threads: 1 });
  const parts = [
    await compareMechanisms(single(0), { settings, threads: 1 }),
    await compareMechanisms(single(1), { settings, threads: 1 }),
  ];
  assert.equal(both.periods, 2);
  assert.equal(both.periodHours, 0.5);
  for (const mech of ["grid_only", "bill_sharing", "mid_market", "supply_demand_ratio"]) {
    const m2 = both.mechanisms.find((m) => m.mechanism === mech)!;
    const [a, b] = parts.map((p) => p.mechanisms.find((m) => m.mechanism === mech)!);
    for (let i = 0; i < n; i++) {
      const want = 0.5 * (a.totalCost[i] + b.totalCost[i]);
      close(m2.totalCost[i], want, 1e-6 * (1 + Math.abs(want)), `${mech} m${i}: total over the two periods`);
      close(
        m2.periods.payment[i][1],
        0.5 * b.payment[i],
        1e-6 * (1 + Math.abs(b.payment[i])),
        `${mech} m${i}: payment in period 1`,
      );
    }
    assert.ok(m2.budgetImbalance <= 1e-9, `${mech}: budget imbalance ${m2.budgetImbalance}`);
    close(m2.periods.buyPrice[1], b.periods.buyPrice[0], 1e-6, `${mech}: buy price of period 1`);
  }
  // v(C) of a two-period coalition is the sum of its single-period values (× Δ): the core tables agree.
  for (const mech of ["mid_market", "bilateral"]) {
    const m2 = both.mechanisms.find((m) => m.mechanism === mech)!;
    assert.equal(m2.core!.method, "exact");
    assert.equal(m2.core!.examined, 31);
  }
  const bil = both.mechanisms.find((m) => m.mechanism === "bilateral")!;
  assert.equal(bil.core!.blockingCount, 0, bil.core!.summary);
  assert.deepEqual(bil.leavers, []);
  const c2 = await cleared(day);
  const c0 = await cleared(single(0));
  const c1 = await cleared(single(1));
  const v2 = new CoalitionValuer(c2);
  const v0 = new CoalitionValuer(c0);
  const v1 = new CoalitionValuer(c1);
  for (const coalition of [[0], [1, 2], [0, 2, 4], [0, 1, 2, 3, 4]]) {
    const want = 0.5 * (v0.value(coalition).value + v1.value(coalition).value);
    close(v2.value(coalition).value, want, 1e-6 * (1 + Math.abs(want)), `v({${coalition}}) over the two periods`);
  }
});
