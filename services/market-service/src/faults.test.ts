import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { status, type ServiceError } from "@grpc/grpc-js";
import { case39bMarket } from "./case39b.js";
import { FAULT_ENV } from "./fault.js";
import { smallMarket, startTestService, type TestService } from "./test-support.js";

/** The faults strike at iteration 3: polishing would end these small solves at iteration 1. */
const NO_POLISH = { polish: false };

/** Solver threads read the fault specification when they start: set it before the service starts. */
const FAULTS = ["exit:crash-always:3", "exit-once:crash-once:3", "throw:throws:3"].join(",");

describe("a solver thread that dies or throws in the middle of a solve", () => {
  let svc: TestService;
  let saved: string | undefined;
  before(async () => {
    saved = process.env[FAULT_ENV];
    process.env[FAULT_ENV] = FAULTS;
    svc = await startTestService({ workers: 2 });
  });
  after(async () => {
    await svc.stop();
    if (saved === undefined) delete process.env[FAULT_ENV];
    else process.env[FAULT_ENV] = saved;
  });

  test("a thread exiting on every run: that request fails with INTERNAL, the others solve, the pool recovers", async () => {
    const others = Array.from({ length: 6 }, (_, i) =>
      svc.client.solveMarket({ market: { ...case39bMarket(), name: `bystander-${i}` } }),
    );
    await assert.rejects(
      svc.client.solveMarket({ market: smallMarket("crash-always"), settings: NO_POLISH }),
      (err: ServiceError) => {
        assert.equal(err.code, status.INTERNAL);
        assert.match(err.details, /the solver worker died twice while solving/);
        assert.match(err.details, /nothing was stored/);
        return true;
      },
    );
    for (const solution of await Promise.all(others)) assert.equal(solution.status, "SOLVE_STATUS_SOLVED");
    // both threads serve again
    const after = await Promise.all(
      [1, 2, 3, 4].map((i) => svc.client.solveMarket({ market: smallMarket(`after-crash-${i}`) })),
    );
    for (const s of after) assert.equal(s.status, "SOLVE_STATUS_SOLVED");
    assert.equal((await svc.client.listSolutions({ marketName: "crash-always" })).solutions.length, 0);
    assert.equal(svc.server.store.interrupted().length, 0, "no solve is left recorded as running");
    assert.ok(svc.logs.some((l) => l.msg === "solver worker died" && l.attempt === 2));
  });

  test("a thread exiting on the first run only: the request is run once more and solved", async () => {
    const solution = await svc.client.solveMarket({ market: smallMarket("crash-once"), settings: NO_POLISH });
    assert.equal(solution.status, "SOLVE_STATUS_SOLVED");
    assert.deepEqual(await svc.client.getSolution(solution.id), solution);
    assert.ok(svc.logs.some((l) => l.msg === "solver worker died" && l.attempt === 1 && l.solutionId === solution.id));
  });

  test("an exception inside the engine: INTERNAL for that request, the thread keeps serving", async () => {
    await assert.rejects(
      svc.client.solveMarket({ market: smallMarket("throws"), settings: NO_POLISH }),
      (err: ServiceError) => {
        assert.equal(err.code, status.INTERNAL);
        assert.match(err.details, /injected fault at iteration 3/);
        return true;
      },
    );
    assert.equal((await svc.client.solveMarket({ market: smallMarket("after-throw") })).status, "SOLVE_STATUS_SOLVED");
    assert.equal(svc.server.store.interrupted().length, 0);
  });
});

describe("an unwritable or full store", () => {
  test("read-only: solves get UNAVAILABLE with the reason, reads go on, writes resume when it is writable again", async () => {
    const svc = await startTestService({ workers: 1 });
    try {
      const before = await svc.client.solveMarket({ market: smallMarket("before-read-only") });
      svc.server.store.setReadOnly(true);
      await assert.rejects(svc.client.solveMarket({ market: smallMarket("read-only") }), (err: ServiceError) => {
        assert.equal(err.code, status.UNAVAILABLE);
        assert.match(err.details, /the solution store cannot be written \(.*readonly.*\): the request was not solved/i);
        return true;
      });
      assert.deepEqual(await svc.client.getSolution(before.id), before);
      assert.equal(await svc.client.checkHealth(""), "SERVING");
      svc.server.store.setReadOnly(false);
      assert.equal(
        (await svc.client.solveMarket({ market: smallMarket("writable-again") })).status,
        "SOLVE_STATUS_SOLVED",
      );
    } finally {
      await svc.stop();
    }
  });

  test("full (the store's size cap): RESOURCE_EXHAUSTED saying so, earlier solutions stay readable", async () => {
    const svc = await startTestService({ workers: 1, storeMaxBytes: 256 * 1024 });
    try {
      const stored = [];
      let refusal: ServiceError | undefined;
      for (let i = 0; i < 200 && refusal === undefined; i++) {
        try {
          stored.push(await svc.client.solveMarket({ market: case39bMarket() }));
        } catch (err) {
          refusal = err as ServiceError;
        }
      }
      assert.ok(refusal, "the store filled up within 200 solves");
      assert.equal(refusal.code, status.RESOURCE_EXHAUSTED, refusal.details);
      assert.match(refusal.details, /the solution store is full/);
      assert.ok(stored.length > 0);
      for (const s of stored.slice(-3)) assert.deepEqual(await svc.client.getSolution(s.id), s);
      assert.equal(svc.server.store.integrityCheck(), "ok");
    } finally {
      await svc.stop();
    }
  });
});
