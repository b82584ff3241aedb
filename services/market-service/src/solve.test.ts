import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { ServiceError } from "@grpc/grpc-js";
import { status } from "@grpc/grpc-js";
import type { SolveProgress } from "@peermarket/model";
import { case39bMarket } from "./case39b.js";
import { fieldViolations } from "./client.js";
import { isSolutionId } from "./ids.js";
import { smallMarket, startTestService, type TestService } from "./test-support.js";

describe("solving over gRPC", () => {
  let svc: TestService;
  before(async () => {
    svc = await startTestService();
  });
  after(async () => {
    await svc.stop();
  });

  test("SolveMarket clears case39b_31a at 57.23 €/MWh on every trade and stores it", async () => {
    const solution = await svc.client.solveMarket({ market: case39bMarket() });
    assert.equal(solution.status, "SOLVE_STATUS_SOLVED");
    assert.ok(isSolutionId(solution.id), solution.id);
    assert.equal(solution.marketName, "case39b_31a");
    assert.ok(Math.abs(Date.parse(solution.createTime) - Date.now()) < 60_000, solution.createTime);
    assert.equal(solution.agents.length, 31);
    const flowing = solution.trades.filter((t) => t.power > 1e-6);
    assert.ok(flowing.length > 0);
    for (const t of flowing)
      assert.ok(Math.abs(t.price - 57.23) <= 0.01, `${t.sellerId}→${t.buyerId} priced ${t.price}`);
    const stored = await svc.client.getSolution(solution.id);
    assert.deepEqual(stored, solution);
  });

  test("StreamSolveMarket sends progress at the requested cadence, then the solution", async () => {
    const progress: SolveProgress[] = [];
    const solution = await svc.client.streamSolveMarket(
      // without polishing, which ends this market's solve exact at iteration 1
      { market: case39bMarket(), progressInterval: 5, settings: { epsAbs: 1e-7, epsRel: 1e-7, polish: false } },
      { onProgress: (p) => progress.push(p) },
    );
    assert.equal(solution.status, "SOLVE_STATUS_SOLVED");
    assert.ok(progress.length >= 2, `${progress.length} progress events`);
    // every 5 iterations, and once more at the end
    for (const p of progress.slice(0, -1)) assert.equal(p.iteration % 5, 0, `progress at iteration ${p.iteration}`);
    assert.equal(progress[progress.length - 1].iteration, solution.iterations);
    for (let i = 1; i < progress.length; i++) {
      assert.ok(progress[i].iteration > progress[i - 1].iteration);
      assert.ok(progress[i].elapsedS >= progress[i - 1].elapsedS);
    }
    assert.ok(progress.every((p) => p.rho > 0 && Number.isFinite(p.primalResidual) && Number.isFinite(p.dualResidual)));
    assert.deepEqual(await svc.client.getSolution(solution.id), solution);
  });

  test("the stream's default cadence is 10 iterations", async () => {
    const progress: SolveProgress[] = [];
    // without polishing, which can end the solve at the first check (iteration 10)
    const solution = await svc.client.streamSolveMarket(
      { market: case39bMarket(), settings: { epsAbs: 1e-7, epsRel: 1e-7, polish: false } },
      { onProgress: (p) => progress.push(p) },
    );
    assert.ok(progress.length > 1 && solution.iterations >= 10);
    for (const p of progress.slice(0, -1)) assert.equal(p.iteration % 10, 0, `progress at iteration ${p.iteration}`);
  });

  test("GetSolution: FULL by default, BASIC without agents and trades, NOT_FOUND for unknown ids", async () => {
    const solution = await svc.client.solveMarket({ market: smallMarket("views") });
    const basic = await svc.client.getSolution(solution.id, "SOLUTION_VIEW_BASIC");
    assert.deepEqual(basic, { ...solution, agents: [], trades: [] });
    const full = await svc.client.getSolution(solution.id, "SOLUTION_VIEW_UNSPECIFIED");
    assert.equal(full.trades.length, solution.trades.length);
    await assert.rejects(svc.client.getSolution("sol_00000000000000000000000000"), (err: ServiceError) => {
      assert.equal(err.code, status.NOT_FOUND);
      assert.match(err.details, /id: no stored solution with id "sol_00000000000000000000000000"/);
      return true;
    });
    await assert.rejects(
      svc.client.getSolution(""),
      (err: ServiceError) => err.code === status.INVALID_ARGUMENT && /id: required/.test(err.details),
    );
  });

  test("GetNetworkCharges reports the charges of a stored solution", async () => {
    const market = {
      ...case39bMarket(),
      name: "case39b zonal",
      charges: { design: "CHARGE_DESIGN_ZONAL" as const, unitFee: 10, zoneDistances: [] },
    };
    const solution = await svc.client.solveMarket({ market });
    const report = await svc.client.getNetworkCharges(solution.id);
    assert.equal(report.solutionId, solution.id);
    assert.equal(report.design, "CHARGE_DESIGN_ZONAL");
    assert.equal(report.unitFee, 10);
    assert.ok(Math.abs(report.totalCollected - solution.networkRevenue) <= 1e-6 * Math.max(1, solution.networkRevenue));
    const traded = solution.trades.reduce((sum, t) => sum + t.power, 0);
    assert.ok(Math.abs(report.tradedVolume - traded) <= 1e-6 * Math.max(1, traded));
    assert.ok(
      report.lines.length > 0 && report.zones.length === 4,
      `${report.lines.length} lines, ${report.zones.length} zones`,
    );
    await assert.rejects(
      svc.client.getNetworkCharges("sol_nope"),
      (err: ServiceError) => err.code === status.NOT_FOUND && /solutionId/.test(err.details),
    );
  });

  test("a warm start from a stored solution needs fewer iterations; another market's is refused", async () => {
    const market = case39bMarket();
    // (polishing off: polished, this market is exact at iteration 1 cold and warm alike)
    const settings = { epsAbs: 1e-6, epsRel: 1e-6, polish: false };
    const cold = await svc.client.solveMarket({ market, settings });
    const warm = await svc.client.solveMarket({ market, settings: { ...settings, warmStartSolutionId: cold.id } });
    assert.equal(warm.status, "SOLVE_STATUS_SOLVED");
    assert.ok(warm.iterations < cold.iterations, `warm ${warm.iterations} vs cold ${cold.iterations} iterations`);

    const other = await svc.client.solveMarket({ market: smallMarket("other") });
    await assert.rejects(
      svc.client.solveMarket({ market, settings: { warmStartSolutionId: other.id } }),
      (err: ServiceError) => {
        assert.equal(err.code, status.FAILED_PRECONDITION);
        assert.match(err.details, /settings\.warmStartSolutionId/);
        assert.deepEqual(
          fieldViolations(err.metadata).map((v) => v.field),
          ["settings.warmStartSolutionId"],
        );
        return true;
      },
    );
    await assert.rejects(
      svc.client.solveMarket({ market, settings: { warmStartSolutionId: "sol_unknown" } }),
      (err: ServiceError) => {
        assert.equal(err.code, status.NOT_FOUND);
        assert.match(err.details, /settings\.warmStartSolutionId: no stored solution with id "sol_unknown"/);
        return true;
      },
    );
  });

  test("each request is logged on one line, without the market's costs", async () => {
    const market = smallMarket("logged");
    const solution = await svc.client.solveMarket({ market });
    const line = svc.logs.find((l) => l.msg === "request" && l.solutionId === solution.id);
    assert.ok(line, "a request line names the solution");
    assert.equal(line.method, "SolveMarket");
    assert.equal(line.code, "OK");
    assert.equal(typeof line.durationMs, "number");
    assert.equal(line.agents, 4);
    assert.equal(line.pairs, solution.pairCount);
    const text = JSON.stringify(line);
    for (const key of ["costLinear", "costQuadratic", "powerMin", "powerMax"])
      assert.ok(!text.includes(key), `log line mentions ${key}`);
  });
});
