import { test } from "node:test";
import assert from "node:assert/strict";
import { makeCharges, type ChargeDesign, loadScenarioText, type Market, readBundledCase } from "@peermarket/model";
import { solveReference } from "@peermarket/reference";
import { networkChargeReport } from "./charges-report.js";
import { solveMarket } from "./solve.js";
import { sweepFees } from "./sweep.js";
import { randomMarket } from "./testing/random-market.js";

function case39b(design?: ChargeDesign, unitFee = 10, extra: Partial<NonNullable<Market["charges"]>> = {}): Market {
  const m = loadScenarioText(readBundledCase("case39b_31a"), "case39b_31a.m");
  if (design) m.charges = makeCharges({ design, unitFee, zoneDistances: [], ...extra });
  return m;
}

const tight = { epsAbs: 1e-8, epsRel: 1e-8, maxIter: 100_000, warmStartSolutionId: "" };

// Baroche et al. (2019), case39b_31a at u = 10 €/MWh: traded volume per design (MW).
const EXPECTED: [ChargeDesign | undefined, number][] = [
  [undefined, 3893.3],
  ["CHARGE_DESIGN_UNIFORM", 2961.3],
  ["CHARGE_DESIGN_ELECTRICAL_DISTANCE", 1792.8],
  ["CHARGE_DESIGN_ZONAL", 3848.2],
];

test("case39b_31a at u = 10: traded volumes per design, HiGHS agreeing at tight tolerance", async () => {
  for (const [design, volume] of EXPECTED) {
    const market = case39b(design);
    const out = await solveMarket(market, { settings: tight });
    assert.equal(out.solution.status, "SOLVE_STATUS_SOLVED");
    const report = networkChargeReport(market, out.solution);
    assert.ok(
      Math.abs(report.tradedVolume - volume) <= 0.5,
      `${design ?? "free"}: traded ${report.tradedVolume} vs ${volume}`,
    );
    const ref = await solveReference(out.expanded.arrays, { timeLimit: 60 });
    assert.ok(ref.optimal, `${design}: HiGHS ${ref.status}`);
    assert.ok(
      Math.abs(out.solution.objective - ref.objective) <= 1e-7 * Math.abs(ref.objective),
      `${design}: objective ${out.solution.objective} vs ${ref.objective}`,
    );
    for (let n = 0; n < 31; n++)
      assert.ok(Math.abs(out.result.solution.agentPower[n] - ref.agentPower[n]) < 1e-3, `${design}: agent ${n}`);
    // The charges collected are what the report and the solution both say.
    assert.ok(
      Math.abs(report.totalCollected - out.solution.networkRevenue) <= 1e-6 * Math.max(1, report.totalCollected),
    );
  }
});

test("case39b_31a at u = 10: inter-zone trade survives uniform charges and vanishes under distance and zonal ones", async () => {
  const free = networkChargeReport(case39b(), (await solveMarket(case39b(), { settings: tight })).solution);
  assert.ok(free.interZoneVolume > 2000, `free market inter-zone ${free.interZoneVolume}`);
  const uniform = case39b("CHARGE_DESIGN_UNIFORM");
  const u = networkChargeReport(uniform, (await solveMarket(uniform, { settings: tight })).solution);
  assert.ok(u.interZoneVolume > 2000, `uniform inter-zone ${u.interZoneVolume}`);
  const distance = case39b("CHARGE_DESIGN_ELECTRICAL_DISTANCE");
  const d = networkChargeReport(distance, (await solveMarket(distance, { settings: tight })).solution);
  assert.ok(d.interZoneVolume < 0.01 * d.tradedVolume, `distance inter-zone ${d.interZoneVolume} of ${d.tradedVolume}`);
  const zonal = case39b("CHARGE_DESIGN_ZONAL");
  const z = networkChargeReport(zonal, (await solveMarket(zonal, { settings: tight })).solution);
  assert.ok(z.interZoneVolume < 1e-6, `zonal inter-zone ${z.interZoneVolume}`);
  assert.ok(z.totalCollected < 1e-4, "zonal charges are only paid across zones");
});

test("the free market clears every trade at 57.23 €/MWh", async () => {
  const s = (await solveMarket(case39b())).solution;
  assert.equal(s.status, "SOLVE_STATUS_SOLVED");
  const active = s.trades.filter((t) => t.power > 1e-6);
  // Which pairs carry the power is not unique (the sellers are interchangeable at one price); the volume is.
  assert.ok(Math.abs(active.reduce((v, t) => v + t.power, 0) - 3893.3) <= 0.5);
  for (const t of active) assert.ok(Math.abs(t.price - 57.23) <= 0.01, `${t.sellerId}→${t.buyerId} at ${t.price}`);
});

test("DSO report: shares, per-agent charges, zone totals and line flows are consistent", async () => {
  const market = case39b("CHARGE_DESIGN_UNIFORM", 10, { sellerShare: 0.3 });
  const out = await solveMarket(market, { settings: tight });
  const r = networkChargeReport(market, out.solution);
  let sellers = 0;
  let buyers = 0;
  for (const t of r.trades) {
    assert.ok(Math.abs(t.totalCharge - 10 * t.distance * t.power) < 1e-6 * (1 + t.totalCharge));
    assert.ok(Math.abs(t.sellerCharge - 0.3 * t.totalCharge) < 1e-9 * (1 + t.totalCharge));
    sellers += t.sellerCharge;
    buyers += t.buyerCharge;
  }
  const byAgent = r.agents.reduce((s, a) => s + a.charge, 0);
  assert.ok(Math.abs(byAgent - r.totalCollected) < 1e-6 * r.totalCollected);
  assert.ok(Math.abs(sellers + buyers - r.totalCollected) < 1e-6 * r.totalCollected);
  const byZone = r.zones.reduce((s, z) => s + z.charges, 0);
  assert.ok(Math.abs(byZone - r.totalCollected) < 1e-6 * r.totalCollected);
  // Agents' own charges in the solution match the report's.
  for (const a of r.agents) {
    const sa = out.solution.agents.find((x) => x.id === a.agentId)!;
    assert.ok(Math.abs(sa.networkCharge - a.charge) < 1e-6 * (1 + a.charge), a.agentId);
  }
  // Line flows: 46 branches of the case, loadings from rateA, and the overloaded list agrees.
  assert.equal(r.lines.length, 46);
  for (const l of r.lines) if (l.rateA > 0) assert.ok(Math.abs(l.loading - Math.abs(l.flow) / l.rateA) < 1e-12);
  assert.deepEqual(
    r.overloadedLines,
    r.lines.filter((l) => l.overloaded).map((l) => l.index),
  );
  assert.equal(r.maxLoading, Math.max(...r.lines.map((l) => l.loading)));
});

test("charged markets with prosumers converge and agree with HiGHS", async () => {
  for (const seed of [11, 12, 13]) {
    const market = randomMarket(seed, { agents: 20, grid: true, preferences: true });
    market.network = { bundledCase: "case14", source: "bundledCase" };
    market.agents.forEach((a, i) => (a.bus = String(1 + (i % 14))));
    market.grid!.bus = "1";
    for (const design of [
      "CHARGE_DESIGN_UNIFORM",
      "CHARGE_DESIGN_ELECTRICAL_DISTANCE",
      "CHARGE_DESIGN_ZONAL",
    ] as ChargeDesign[]) {
      market.charges = makeCharges({ design, unitFee: 3, sellerShare: 0.4, zoneDistances: [] });
      const out = await solveMarket(market, { settings: tight });
      assert.equal(out.solution.status, "SOLVE_STATUS_SOLVED", `seed ${seed} ${design}`);
      const ref = await solveReference(out.expanded.arrays, { timeLimit: 30 });
      assert.ok(ref.optimal);
      assert.ok(
        Math.abs(out.solution.objective - ref.objective) <= 1e-6 * Math.max(1, Math.abs(ref.objective)),
        `seed ${seed} ${design}: ${out.solution.objective} vs ${ref.objective}`,
      );
      assert.ok(out.solution.networkRevenue > 0 || design === "CHARGE_DESIGN_ZONAL");
    }
  }
});

test("cost recovery finds the smallest fee collecting the target, or says the target is out of reach", async () => {
  const market = case39b("CHARGE_DESIGN_UNIFORM", 0, { targetRevenue: 20_000 });
  const s = (await solveMarket(market)).solution;
  assert.equal(s.status, "SOLVE_STATUS_SOLVED");
  assert.ok(s.costRecovery?.reachable);
  assert.ok(
    s.networkRevenue >= 20_000 - 1 && s.networkRevenue < 20_000 + 50,
    `revenue ${s.networkRevenue} at fee ${s.unitFee}`,
  );
  // A slightly smaller fee collects less: the fee found is (nearly) the smallest.
  const below = (await solveMarket(case39b("CHARGE_DESIGN_UNIFORM", s.unitFee * 0.99))).solution;
  assert.ok(below.networkRevenue < 20_000, `at 0.99× the fee: ${below.networkRevenue}`);
  const far = (await solveMarket(case39b("CHARGE_DESIGN_UNIFORM", 0, { targetRevenue: 1e7 }))).solution;
  assert.equal(far.costRecovery?.reachable, false);
  assert.match(far.statusMessage, /out of reach/);
  assert.ok(
    far.costRecovery!.maxRevenue > 40_000 && far.costRecovery!.maxRevenue < 50_000,
    `max ${far.costRecovery!.maxRevenue}`,
  );
});

test("a fee sweep warm-starts every clearing and reports each design's curves", () => {
  const fees = [0, 5, 10, 20, 40];
  const pts = sweepFees(case39b(), ["CHARGE_DESIGN_UNIFORM", "CHARGE_DESIGN_ZONAL"], fees);
  assert.equal(pts.length, 10);
  assert.ok(pts.every((p) => p.status === "SOLVED"));
  const uniform = pts.filter((p) => p.design === "CHARGE_DESIGN_UNIFORM");
  for (let i = 1; i < uniform.length; i++)
    assert.ok(uniform[i].tradedVolume <= uniform[i - 1].tradedVolume + 1e-3, "volume falls as the fee rises");
  assert.ok(Math.abs(uniform[2].tradedVolume - 2961.3) < 0.5);
});
