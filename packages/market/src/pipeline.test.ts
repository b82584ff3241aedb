import { test } from "node:test";
import assert from "node:assert/strict";
import { AdmmSolver } from "@peermarket/admm";
import {
  makeCharges,
  makeGrid,
  type ExpandedMarket,
  loadScenarioText,
  makeAgent,
  makeMarket,
  makePreference,
  type Market,
  MarketValidationError,
  readBundledCase,
} from "@peermarket/model";
import { solveMarket } from "./solve.js";
import { sweepFees } from "./sweep.js";
import { NonConvexMarketError, prepareMarket, priceMarket } from "./pipeline.js";

function case39b(unitFee = 10): Market {
  const m = loadScenarioText(readBundledCase("case39b_31a"), "case39b_31a.m");
  m.charges = makeCharges({ design: "CHARGE_DESIGN_ELECTRICAL_DISTANCE", unitFee, zoneDistances: [] });
  return m;
}

/** A community with two prosumers, whose trade goes both ways. */
function community(fields: Partial<Market> = {}): Market {
  return makeMarket({
    name: "c",
    agents: [
      makeAgent("pv", { costQuadratic: 0.5, costLinear: 5, powerMax: 6 }),
      makeAgent("home", { costQuadratic: 2, costLinear: 80, powerMin: -5, powerMax: 0 }),
      makeAgent("flex", { costQuadratic: 1, costLinear: 30, powerMin: -2, powerMax: 2 }),
      makeAgent("flex2", { costQuadratic: 1.5, costLinear: 40, powerMin: -3, powerMax: 1 }),
    ],
    grid: makeGrid({ bus: "", importPrice: 90, exportPrice: 10 }),
    charges: makeCharges({ design: "CHARGE_DESIGN_UNIFORM", unitFee: 2, zoneDistances: [] }),
    ...fields,
  });
}

/** Copies of every array of an expanded market a later stage could write to. */
function snapshot(x: ExpandedMarket): Float64Array[] {
  const out = [x.arrays.costSell, x.arrays.costBuy, x.prefSell, x.prefBuy, x.chargeSell, x.chargeBuy].map((a) =>
    a.slice(),
  );
  if (x.horizon) out.push(x.horizon.arrays.charge.slice(), x.horizon.arrays.discharge.slice());
  return out;
}

test("no stage writes into the expansion: pricing at other fees and solving leave it as the model made it", () => {
  for (const market of [
    case39b(),
    community({ horizon: { periods: 3, periodHours: 1, startTime: "" } }),
    community({
      horizon: { periods: 2, periodHours: 1, startTime: "" },
      charges: { design: "CHARGE_DESIGN_UNIFORM", unitFee: 2, zoneDistances: [], unitFeeProfile: [2, 5] },
    }),
  ]) {
    const p = prepareMarket(market, null);
    const before = snapshot(p.base);
    assert.ok(p.base.chargeSell.every((c) => c === 0) && p.base.chargeBuy.every((c) => c === 0));
    assert.ok(
      p.expanded.chargeSell.some((c) => c > 0),
      `${market.name}: charged`,
    );
    const other = p.atFee(37);
    new AdmmSolver(other.problem, p.settings, { check: false, horizon: other.horizon }).solve();
    new AdmmSolver(p.problem, p.settings, { check: false, horizon: p.horizon }).solve();
    assert.deepEqual(snapshot(p.base), before, `${market.name}: the expansion is unchanged`);
    // Pricing is a function of the fee: the same fee gives the same arrays, whatever was priced between.
    const again = p.atFee(market.charges!.unitFee);
    assert.deepEqual(again.problem.costSell, prepareMarket(market, null).problem.costSell);
    // (A time-of-use profile replaces the scalar fee in every period.)
    if (!market.charges!.unitFeeProfile) assert.notDeepEqual(other.problem.costSell, again.problem.costSell);
  }
});

test("trade costs are the preference part plus the charge part; time-of-use fees charge each period its own", () => {
  const fees = [2, 5];
  const p = prepareMarket(
    community({
      horizon: { periods: 2, periodHours: 1, startTime: "" },
      charges: {
        design: "CHARGE_DESIGN_UNIFORM",
        unitFee: 2,
        zoneDistances: [],
        sellerShare: 0.3,
        unitFeeProfile: fees,
      },
    }),
    null,
  );
  const x = p.expanded;
  const m = x.arrays;
  let checked = 0;
  for (let n = 0; n < m.nAgents; n++) {
    const u = fees[n % 2];
    for (let k = m.tradeStart[n]; k < m.tradeStart[n + 1]; k++) {
      // Uniform design: distance 1 for every pair.
      assert.equal(x.chargeSell[k], m.hi[k] > 0 ? 0.3 * u : 0);
      assert.ok(Math.abs(x.chargeBuy[k] - (m.lo[k] < 0 ? 0.7 * u : 0)) < 1e-15);
      if (m.lo[k] < 0 && m.hi[k] > 0) {
        assert.equal(m.costSell[k], x.prefSell[k] + x.chargeSell[k]);
        assert.equal(m.costBuy[k], x.prefBuy[k] + x.chargeBuy[k]);
        checked++;
      }
    }
  }
  assert.ok(checked > 0);
  assert.equal(p.unitFee, 2);
  // A design that charges nothing: zero charges, fee 0, the preference costs.
  const free = prepareMarket(community({ charges: undefined }), null);
  assert.equal(free.unitFee, 0);
  assert.ok(free.expanded.chargeSell.every((c) => c === 0));
});

test("charges that make a two-way trade's c⁺ + c⁻ negative are refused with the trade named", () => {
  const p = prepareMarket(community(), null);
  // Negative distances cannot come from a valid market; they stand for any charge that would break convexity.
  const distances = { ...p.network.distances, distance: p.network.distances.distance.map(() => -1) };
  assert.throws(
    () => priceMarket(p.base, { ...p.network, distances }, 2),
    (e: unknown) =>
      e instanceof NonConvexMarketError &&
      e instanceof MarketValidationError &&
      /trade of "flex2?" with "flex2?" has c⁺ \+ c⁻ = -2 < 0/.test(e.message),
  );
});

test("solve and sweep clear the same problem: a sweep point is the solve at that fee, bit for bit", async () => {
  const settings = { epsAbs: 1e-6, epsRel: 1e-6, polish: false, warmStartSolutionId: "" };
  for (const fee of [0, 10]) {
    const solved = await solveMarket(case39b(fee), { settings });
    const [point] = sweepFees(case39b(), ["CHARGE_DESIGN_ELECTRICAL_DISTANCE"], [fee], { settings });
    assert.equal(point.status, solved.result.info.status);
    assert.equal(point.iterations, solved.result.info.iterations);
    assert.equal(point.objective, solved.result.info.objective);
  }
});

test("the sweep refuses what solve refuses: a market whose preferences make it non-convex", async () => {
  const market = community({
    agents: [
      makeAgent("pv", { costQuadratic: 0.5, costLinear: 5, powerMin: -1, powerMax: 6 }),
      makeAgent("flex", { costQuadratic: 1, costLinear: 30, powerMin: -2, powerMax: 2 }),
    ],
    preferences: [makePreference("flex", { partnerId: "pv", cost: -3 })],
  });
  const refused = (e: unknown) => e instanceof MarketValidationError && /non-convex/.test(e.message);
  await assert.rejects(solveMarket(market), refused);
  assert.throws(() => sweepFees(market, ["CHARGE_DESIGN_UNIFORM"], [1, 2]), refused);
});
