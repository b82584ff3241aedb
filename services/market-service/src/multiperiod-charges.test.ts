import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { networkChargeReport } from "@peermarket/market";
import { type Market, ratedBundledCase, type Solution } from "@peermarket/model";
import { certifyStoredSolution, StoredSolutionMismatch } from "./certify-stored.js";
import type { SolveMarketRequest } from "@peermarket/model";
import { messageCodec } from "./proto.js";
import { smallMarket, startTestService, type TestService } from "./test-support.js";

/** case14 with every branch rated `rate` MVA (the bundled case has no ratings). */
const ratedCase14 = (rate: number): string => ratedBundledCase("case14", rate);

/** Three half-hour periods on case14 (rated 15 MVA), time-of-use fees; with or without a battery. */
function feederDay(withBattery: boolean): Market {
  const agent = (id: string, bus: string, fields: Partial<Market["agents"][number]>) => ({
    id,
    bus,
    zone: "",
    costQuadratic: 0,
    costLinear: 0,
    powerMin: 0,
    powerMax: 0,
    location: null,
    attributes: {},
    ...fields,
  });
  return {
    name: "feeder-day",
    horizon: { periods: 3, periodHours: 0.5, startTime: "2026-06-21T10:00:00Z" },
    network: { matpower: ratedCase14(15) },
    agents: [
      agent("pv", "2", { costQuadratic: 0.1, costLinear: 5, powerMax: 80, powerMaxProfile: [80, 40, 5] }),
      agent("chp", "6", { costQuadratic: 0.2, costLinear: 40, powerMax: 50 }),
      agent("mall", "9", { costQuadratic: 0.5, costLinear: 110, powerMin: -60, powerMinProfile: [-30, -60, -45] }),
      agent("flats", "14", { costQuadratic: 0.5, costLinear: 95, powerMin: -40 }),
      ...(withBattery
        ? [
            agent("bat", "4", {
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
          ]
        : []),
    ],
    grid: { bus: "1", importPrice: 120, exportPrice: 10 },
    charges: { design: "CHARGE_DESIGN_ELECTRICAL_DISTANCE", unitFee: 2, zoneDistances: [], unitFeeProfile: [1, 2, 4] },
    pairs: [],
    preferences: [],
  } as unknown as Market;
}

describe("stored multi-period solutions: the DSO report and the certificate", () => {
  let svc: TestService;
  before(async () => {
    svc = await startTestService();
  });
  after(async () => {
    await svc.stop();
  });

  /** Solves over gRPC and reads the stored request and solution back from the store. */
  async function solveAndLoad(
    market: Market,
  ): Promise<{ request: SolveMarketRequest; solution: Solution; served: Solution }> {
    const served = await svc.client.solveMarket({ market });
    assert.equal(served.status, "SOLVE_STATUS_SOLVED", served.statusMessage);
    const codec = messageCodec();
    const request = codec.decodeRequest(svc.server.store.request(served.id)!);
    const solution = codec.decodeSolution(svc.server.store.solution(served.id, true)!);
    return { request, solution, served };
  }

  test("GetNetworkCharges on a stored multi-period solution: per-period charges and line flows per period", async () => {
    const { request, served } = await solveAndLoad(feederDay(true));
    const r = await svc.client.getNetworkCharges(served.id);
    assert.equal(r.solutionId, served.id);
    assert.equal(r.periods, 3);
    assert.equal(r.periodHours, 0.5);
    assert.equal(r.periodCharges!.length, 3);
    const close = (a: number, b: number, what: string) =>
      assert.ok(Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(b)), `${what}: ${a} vs ${b}`);
    let sum = 0;
    for (let t = 0; t < 3; t++) {
      const pc = r.periodCharges![t];
      assert.equal(pc.unitFee, [1, 2, 4][t]);
      close(pc.totalCollected, served.periodResults![t].networkRevenue, `period ${t}`);
      sum += pc.totalCollected;
    }
    close(sum, r.totalCollected, "Σ periods");
    close(r.totalCollected, served.networkRevenue, "horizon");
    assert.ok(r.trades.every((t) => t.period !== undefined && t.period >= 0 && t.period < 3));
    assert.ok(r.trades.some((t) => t.period === 2));
    assert.equal(r.lines.length, 20);
    for (const l of r.lines) {
      assert.equal(l.flowProfile!.length, 3);
      assert.equal(l.loading, Math.max(...l.loadingProfile!));
    }
    assert.ok(r.overloadedLines.length > 0);
    // The service's report is the library's report of the stored solution, field for field.
    const local = networkChargeReport(request.market!, served);
    assert.deepEqual({ ...r, solutionId: "" }, { ...local, solutionId: "" });
  });

  test("certifying a stored multi-period solution: the equilibrium certificate with storage, KKT without; tampering fails it", async () => {
    const withBattery = await solveAndLoad(feederDay(true));
    const cert = await certifyStoredSolution(withBattery.request, withBattery.solution);
    assert.equal(cert.kind, "equilibrium");
    assert.ok(cert.passed, JSON.stringify(cert));
    assert.ok(cert.maxRegret <= cert.tolerances.regret!, `regret ${cert.maxRegret}`);
    assert.ok(cert.unlistedPairPeriods >= 0 && cert.unlistedPairPeriods < 3 * withBattery.solution.pairCount);

    // The battery's largest sale repriced 20 €/MWh lower: at these prices it would rather do
    // something else with that energy (its regret exceeds the tolerance).
    const cheap = structuredClone(withBattery.solution);
    const sale = cheap.trades.filter((t) => t.sellerId === "bat").reduce((a, b) => (b.power > a.power ? b : a));
    assert.ok(sale.power > 1, "the battery sells");
    sale.price -= 20;
    const regret = await certifyStoredSolution(withBattery.request, cheap);
    assert.equal(regret.passed, false);
    assert.ok(regret.maxRegret > regret.tolerances.regret!, JSON.stringify(regret));

    const plain = await solveAndLoad(feederDay(false));
    const kkt = await certifyStoredSolution(plain.request, plain.solution);
    assert.equal(kkt.kind, "kkt");
    assert.ok(kkt.passed, JSON.stringify(kkt));

    // A battery that discharged 1 MW more in period 1 than it did: the state of charge and the
    // balance no longer add up.
    const tampered = structuredClone(withBattery.solution);
    const bat = tampered.agents.find((a) => a.id === "bat")!;
    bat.dischargeProfile![1] += 1;
    const bad = await certifyStoredSolution(withBattery.request, tampered);
    assert.equal(bad.passed, false);
    assert.ok(bad.maxBoundViolation >= 0.5 || bad.maxSocViolation >= 0.25, JSON.stringify(bad));
    // The PV (interior in period 0: 70 of 80 MW, marginal cost 12 €/MWh) sells 5 €/MWh cheaper on
    // one trade: its price net of the trade's charge falls below the PV's marginal cost.
    const repriced = structuredClone(plain.solution);
    const pvTrade = repriced.trades.find((t) => t.sellerId === "pv" && t.period === 0 && t.power > 1);
    assert.ok(pvTrade, "the PV sells in period 0");
    pvTrade.price -= 5;
    const mispriced = await certifyStoredSolution(plain.request, repriced);
    assert.equal(mispriced.passed, false);
    assert.ok(mispriced.maxPriceViolation >= 1, `price violation ${mispriced.maxPriceViolation}`);
    // Single-period solutions keep the KKT certificate, with the same tolerances function.
    const single = await solveAndLoad(smallMarket("one-period"));
    const one = await certifyStoredSolution(single.request, single.solution);
    assert.equal(one.kind, "kkt");
    assert.equal(one.unlistedPairPeriods, 0);
    assert.ok(one.passed, JSON.stringify(one));
    // A solution of another market is a mismatch, not a failed certificate.
    await assert.rejects(certifyStoredSolution(withBattery.request, plain.solution), StoredSolutionMismatch);
  });
});
