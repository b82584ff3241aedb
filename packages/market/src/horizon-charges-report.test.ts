import { test } from "node:test";
import assert from "node:assert/strict";
import { makeGrid, makeAgent, makeMarket, type Market, ratedBundledCase } from "@peermarket/model";
import { dcNetwork } from "@peermarket/network";
import { parseMatpower } from "@peermarket/model";
import { networkChargeReport } from "./charges-report.js";
import { solveMarket } from "./solve.js";

const tight = { epsAbs: 1e-8, epsRel: 1e-8, maxIter: 50_000, warmStartSolutionId: "" };

/** case14 with every branch rated `rate` MVA (the bundled case has no ratings). */
const ratedCase14 = (rate: number): string => ratedBundledCase("case14", rate);

const FEES = [1, 2, 4];
const RATE = 15;

function market(): Market {
  return makeMarket({
    name: "feeder-day",
    horizon: { periods: 3, periodHours: 0.5, startTime: "2026-06-21T10:00:00Z" },
    network: { matpower: ratedCase14(RATE) },
    agents: [
      makeAgent("pv", { bus: "2", costQuadratic: 0.1, costLinear: 5, powerMax: 80, powerMaxProfile: [80, 40, 5] }),
      makeAgent("chp", { bus: "6", costQuadratic: 0.2, costLinear: 40, powerMax: 50 }),
      makeAgent("mall", {
        bus: "9",
        costQuadratic: 0.5,
        costLinear: 110,
        powerMin: -60,
        powerMax: 0,
        powerMinProfile: [-30, -60, -45],
      }),
      makeAgent("flats", { bus: "14", costQuadratic: 0.5, costLinear: 95, powerMin: -40, powerMax: 0 }),
      makeAgent("bat", {
        bus: "4",
        storage: {
          energyCapacity: 20,
          chargeMax: 15,
          dischargeMax: 15,
          socInitial: 5,
          socMin: 0,
          socFinalMin: 5,
          throughputCost: 0.5,
        },
      }),
    ],
    grid: makeGrid({ bus: "1", importPrice: 120, exportPrice: 10 }),
    charges: { design: "CHARGE_DESIGN_ELECTRICAL_DISTANCE", unitFee: 2, zoneDistances: [], unitFeeProfile: FEES },
  });
}

/** DC power flow by hand: B θ = P (reference bus angle 0), flow_l = (θ_from − θ_to) / (x_l · tap_l). */
function dcFlows(caseText: string, injections: Map<string, number>): number[] {
  const net = dcNetwork(parseMatpower(caseText));
  const n = net.nBus;
  const B = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let l = 0; l < net.nBranch; l++) {
    if (!net.status[l]) continue;
    const b = 1 / (net.x[l] * net.tap[l]);
    const f = net.from[l];
    const t = net.to[l];
    B[f][f] += b;
    B[t][t] += b;
    B[f][t] -= b;
    B[t][f] -= b;
  }
  const P = new Array<number>(n).fill(0);
  for (const [bus, p] of injections) P[net.busIndex.get(bus)!] += p;
  // Reduced system without the reference bus, Gaussian elimination with partial pivoting.
  const keep = [...Array(n).keys()].filter((i) => i !== net.reference);
  const A = keep.map((i) => [...keep.map((j) => B[i][j]), P[i]]);
  const k = keep.length;
  for (let c = 0; c < k; c++) {
    let piv = c;
    for (let r = c + 1; r < k; r++) if (Math.abs(A[r][c]) > Math.abs(A[piv][c])) piv = r;
    [A[c], A[piv]] = [A[piv], A[c]];
    for (let r = c + 1; r < k; r++) {
      const f = A[r][c] / A[c][c];
      for (let j = c; j <= k; j++) A[r][j] -= f * A[c][j];
    }
  }
  const y = new Array<number>(k).fill(0);
  for (let r = k - 1; r >= 0; r--) {
    let s = A[r][k];
    for (let j = r + 1; j < k; j++) s -= A[r][j] * y[j];
    y[r] = s / A[r][r];
  }
  const theta = new Array<number>(n).fill(0);
  keep.forEach((i, r) => (theta[i] = y[r]));
  const flows: number[] = [];
  for (let l = 0; l < net.nBranch; l++)
    flows.push(net.status[l] ? (theta[net.from[l]] - theta[net.to[l]]) / (net.x[l] * net.tap[l]) : 0);
  return flows;
}

test("multi-period DSO report: per-period charges add up to the horizon and match the solution's network revenue", async () => {
  const m = market();
  const out = await solveMarket(m, { settings: tight });
  const s = out.solution;
  assert.equal(s.status, "SOLVE_STATUS_SOLVED", s.statusMessage);
  const r = networkChargeReport(m, s);
  assert.equal(r.periods, 3);
  assert.equal(r.periodHours, 0.5);
  assert.equal(r.periodCharges!.length, 3);
  const close = (a: number, b: number, what: string) =>
    assert.ok(Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(b)), `${what}: ${a} vs ${b}`);
  let sum = 0;
  for (let t = 0; t < 3; t++) {
    const pc = r.periodCharges![t];
    assert.equal(pc.period, t);
    assert.equal(pc.unitFee, FEES[t]);
    assert.ok(pc.totalCollected > 0, `period ${t} collects something`);
    close(pc.totalCollected, s.periodResults![t].networkRevenue, `period ${t} vs the solution`);
    const ofPeriod = r.trades.filter((tr) => tr.period === t);
    close(
      ofPeriod.reduce((a, tr) => a + tr.totalCharge, 0),
      pc.totalCollected,
      `period ${t}: Σ trade charges`,
    );
    // Each charge is Δ · u_t · d · q.
    for (const tr of ofPeriod)
      close(tr.totalCharge, 0.5 * FEES[t] * tr.distance * tr.power, `${tr.sellerId}→${tr.buyerId} in ${t}`);
    close(pc.tradedEnergy, 0.5 * ofPeriod.reduce((a, tr) => a + tr.power, 0), `period ${t} energy`);
    sum += pc.totalCollected;
  }
  assert.equal(r.periodCharges![1].startTime, "2026-06-21T10:30:00Z");
  close(sum, r.totalCollected, "Σ periods");
  close(r.totalCollected, s.networkRevenue, "horizon total vs the solution");
  close(
    r.agents.reduce((a, x) => a + x.charge, 0),
    r.totalCollected,
    "Σ agents",
  );
  close(
    r.zones.reduce((a, z) => a + z.charges, 0),
    r.totalCollected,
    "Σ zones",
  );
  // Agents' volumes are energy (MWh) over the horizon.
  close(
    r.agents.reduce((a, x) => a + x.volumeSold, 0),
    r.tradedVolume,
    "volumes sold",
  );
});

test("multi-period DSO report: each period's line flows are the DC power flow of that period's injections; peaks and overloads", async () => {
  const m = market();
  const out = await solveMarket(m, { settings: tight });
  const s = out.solution;
  assert.equal(s.status, "SOLVE_STATUS_SOLVED", s.statusMessage);
  const r = networkChargeReport(m, s);
  const caseText = ratedCase14(RATE);
  const busOf = new Map(m.agents.map((a) => [a.id, a.bus]));
  assert.equal(r.lines.length, 20);
  let anyOverload = false;
  for (let t = 0; t < 3; t++) {
    const inj = new Map<string, number>();
    for (const a of s.agents) {
      const bus = busOf.get(a.id) ?? m.grid!.bus; // the grid agents sit on the grid's bus
      inj.set(bus, (inj.get(bus) ?? 0) + a.powerProfile![t]);
    }
    const flows = dcFlows(caseText, inj);
    for (let l = 0; l < r.lines.length; l++) {
      const got = r.lines[l].flowProfile![t];
      assert.ok(
        Math.abs(got - flows[l]) <= 1e-7 * Math.max(1, Math.abs(flows[l])),
        `line ${l + 1} period ${t}: ${got} vs ${flows[l]}`,
      );
      assert.ok(
        Math.abs(r.lines[l].loadingProfile![t] - Math.abs(flows[l]) / RATE) <= 1e-9 * Math.max(1, Math.abs(flows[l])),
      );
    }
  }
  for (const line of r.lines) {
    const lp = line.loadingProfile!;
    const peak = Math.max(...lp);
    assert.equal(line.loading, peak);
    assert.equal(line.peakPeriod, lp.indexOf(peak));
    assert.equal(line.flow, line.flowProfile![line.peakPeriod!]);
    assert.deepEqual(
      line.overloadedPeriods,
      [0, 1, 2].filter((t) => lp[t] > 1),
    );
    assert.equal(line.overloaded, line.overloadedPeriods!.length > 0);
    anyOverload ||= line.overloaded;
  }
  assert.ok(anyOverload, "the ratings are exceeded somewhere (the market ignores them)");
  assert.deepEqual(
    r.overloadedLines,
    r.lines.filter((l) => l.overloaded).map((l) => l.index),
  );
  assert.equal(r.maxLoading, Math.max(...r.lines.map((l) => l.loading)));
  for (let t = 0; t < 3; t++) {
    const pc = r.periodCharges![t];
    assert.equal(pc.maxLoading, Math.max(...r.lines.map((l) => l.loadingProfile![t])));
    assert.deepEqual(
      pc.overloadedLines,
      r.lines.filter((l) => l.loadingProfile![t] > 1).map((l) => l.index),
    );
  }
});

test("multi-period DSO report on unrated lines: no loading, the peak is the period of the largest |flow|", async () => {
  const m = market();
  m.network = { bundledCase: "case14" };
  const out = await solveMarket(m, { settings: tight });
  assert.equal(out.solution.status, "SOLVE_STATUS_SOLVED", out.solution.statusMessage);
  const r = networkChargeReport(m, out.solution);
  assert.equal(r.maxLoading, 0);
  assert.deepEqual(r.overloadedLines, []);
  for (const line of r.lines) {
    const abs = line.flowProfile!.map(Math.abs);
    assert.equal(line.peakPeriod, abs.indexOf(Math.max(...abs)));
    assert.equal(line.flow, line.flowProfile![line.peakPeriod!]);
    assert.deepEqual(line.loadingProfile, [0, 0, 0]);
  }
  assert.ok(
    r.lines.some((l) => l.peakPeriod !== 0),
    "some line peaks after period 0",
  );
});

test("the single-period report has no per-period fields", async () => {
  const m = market();
  m.horizon = null;
  for (const a of m.agents) {
    a.powerMaxProfile = [];
    a.powerMinProfile = [];
    a.storage = null;
  }
  m.charges!.unitFeeProfile = [];
  const out = await solveMarket(m, { settings: tight });
  const r = networkChargeReport(m, out.solution);
  // The proto3 defaults: what the fields decode to when they are not on the wire.
  assert.equal(r.periods, 0);
  assert.deepEqual(r.periodCharges, []);
  assert.deepEqual(r.lines[0].flowProfile, []);
  assert.equal(r.trades[0].period, 0);
});
