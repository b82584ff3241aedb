import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { ServiceError } from "@grpc/grpc-js";
import { status } from "@grpc/grpc-js";
import { fieldViolations } from "./client.js";
import { startTestService, type TestService } from "./test-support.js";
import type { MarketInput } from "@peermarket/model";

/**
 * A fixed load of 4 MW over two hours, a 10 MWh battery (5 MW each way) and a grid selling at 20
 * then 100 €/MWh and buying at 10 then 90: the optimum charges 5 in the cheap hour and discharges 5
 * in the dear one, −1510 € in total (9·20 − 1·90 − 8·200).
 */
function arbitrage(periods = 2): MarketInput {
  const rep = (a: number, b: number) => Array.from({ length: periods }, (_, t) => (t % 2 === 0 ? a : b));
  return {
    name: "arbitrage",
    horizon: { periods, periodHours: 1, startTime: "2026-06-21T00:00:00Z" },
    agents: [
      { id: "load", costLinear: 200, powerMin: -4, powerMax: -4 },
      { id: "bat", storage: { energyCapacity: 10, chargeMax: 5, dischargeMax: 5 } },
    ],
    grid: { importPrice: 50, exportPrice: 10, importPriceProfile: rep(20, 100), exportPriceProfile: rep(10, 90) },
  };
}

describe("multi-period markets over gRPC", () => {
  let svc: TestService;
  before(async () => {
    svc = await startTestService({ maxPairs: 100 });
  });
  after(async () => {
    await svc.stop();
  });

  test("SolveMarket clears a two-period market with a battery and returns its schedule", async () => {
    const s = await svc.client.solveMarket({ market: arbitrage(), settings: { epsAbs: 1e-8, epsRel: 1e-8 } });
    assert.equal(s.status, "SOLVE_STATUS_SOLVED");
    assert.ok(Math.abs(s.objective - -1510) <= 1e-5, `objective ${s.objective}`);
    assert.equal(s.periods, 2);
    assert.equal(s.periodHours, 1);
    assert.equal(s.pairPeriodCount, 2 * s.pairCount);
    const bat = s.agents.find((a) => a.id === "bat")!;
    assert.equal(bat.chargeProfile!.length, 2);
    assert.ok(Math.abs(bat.chargeProfile![0] - 5) <= 1e-5 && Math.abs(bat.dischargeProfile![1] - 5) <= 1e-5);
    assert.ok(Math.abs(bat.socProfile![0] - 5) <= 1e-5);
    assert.equal(s.periodResults!.length, 2);
    assert.equal(s.periodResults![1].startTime, "2026-06-21T01:00:00Z");
    assert.ok(s.trades.some((t) => t.period === 1 && t.sellerId === "bat" && t.buyerId === "load"));
    // Stored and served back the same.
    assert.deepEqual(await svc.client.getSolution(s.id), s);
  });

  test("pairs × periods over the service's limit is INVALID_ARGUMENT naming horizon.periods", async () => {
    await assert.rejects(svc.client.solveMarket({ market: arbitrage(40) }), (err: ServiceError) => {
      assert.equal(err.code, status.INVALID_ARGUMENT);
      assert.match(err.details, /horizon\.periods: \d+ pairs × 40 periods = \d+ pair-periods, over the limit of 100/);
      assert.deepEqual(
        fieldViolations(err.metadata).map((v) => v.field),
        ["market.horizon.periods"],
      );
      return true;
    });
  });

  test("a profile of the wrong length is INVALID_ARGUMENT naming the field", async () => {
    const market = arbitrage();
    market.agents![0]!.powerMinProfile = [-4, -4, -4];
    await assert.rejects(svc.client.solveMarket({ market }), (err: ServiceError) => {
      assert.equal(err.code, status.INVALID_ARGUMENT);
      assert.deepEqual(
        fieldViolations(err.metadata).map((v) => v.field),
        ["market.agents[0].powerMinProfile"],
      );
      return true;
    });
  });
});
