import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { status, type ServiceError } from "@grpc/grpc-js";
import { case39bMarket } from "./case39b.js";
import { MarketClient } from "./client.js";
import { askReflection } from "./reflection-client.js";
import { RUN_UNTIL_STOPPED, smallMarket, startTestService, type TestService } from "./test-support.js";

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 5000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("health, reflection, deadlines, cancellation, back-pressure", () => {
  let svc: TestService;
  before(async () => {
    svc = await startTestService({ workers: 1, queue: 1 });
  });
  after(async () => {
    await svc.stop();
  });

  test("health: SERVING for the server and for MarketService, NOT_FOUND for others", async () => {
    assert.equal(await svc.client.checkHealth(""), "SERVING");
    assert.equal(await svc.client.checkHealth("peermarket.v1.MarketService"), "SERVING");
    await assert.rejects(
      svc.client.checkHealth("peermarket.v1.Nope"),
      (err: ServiceError) => err.code === status.NOT_FOUND,
    );
  });

  test("reflection lists peermarket.v1.MarketService and serves its descriptors", async () => {
    const [list, file] = await askReflection(svc.server.address, [
      { list_services: "*" },
      { file_containing_symbol: "peermarket.v1.MarketService" },
    ]);
    const names = list.list_services_response?.service.map((s) => s.name) ?? [];
    assert.ok(names.includes("peermarket.v1.MarketService"), names.join(", "));
    assert.ok(names.includes("grpc.health.v1.Health"), names.join(", "));
    const descriptors = file.file_descriptor_response?.file_descriptor_proto ?? [];
    assert.ok(descriptors.length > 0);
    // the descriptors carry the .proto field names, so reflection clients build the same JSON as the files
    assert.ok(
      descriptors.some((d) => d.includes("power_min")),
      "snake_case field names in the descriptors",
    );
  });

  test("a deadline stops the engine: DEADLINE_EXCEEDED, stored as CANCELLED", async () => {
    const market = { ...smallMarket("deadline"), name: "deadline" };
    const t0 = Date.now();
    await assert.rejects(
      svc.client.solveMarket({ market, settings: RUN_UNTIL_STOPPED }, { timeoutMs: 300 }),
      (err: ServiceError) => err.code === status.DEADLINE_EXCEEDED,
    );
    assert.ok(Date.now() - t0 < 2000);
    const stored = await waitFor(
      "the cancelled solve to be stored",
      async () => (await svc.client.listSolutions({ marketName: "deadline", view: "SOLUTION_VIEW_FULL" })).solutions[0],
    );
    assert.equal(stored.status, "SOLVE_STATUS_CANCELLED");
    assert.match(stored.statusMessage, /deadline/);
    assert.ok(stored.iterations > 0);
    // the worker is free again: the next solve runs at once
    const next = await svc.client.solveMarket({ market: smallMarket("after deadline") }, { timeoutMs: 5000 });
    assert.equal(next.status, "SOLVE_STATUS_SOLVED");
  });

  test("cancelling the call stops the engine; the partial solve is stored as CANCELLED and can warm-start", async () => {
    const market = { ...case39bMarket(), name: "cancelled" };
    const controller = new AbortController();
    const pending = svc.client.streamSolveMarket(
      { market, settings: RUN_UNTIL_STOPPED, progressInterval: 1000 },
      {
        signal: controller.signal,
        onProgress: () => controller.abort(),
      },
    );
    await assert.rejects(pending, (err: ServiceError) => err.code === status.CANCELLED);
    const stored = await waitFor(
      "the cancelled solve to be stored",
      async () => (await svc.client.listSolutions({ marketName: "cancelled" })).solutions[0],
    );
    assert.equal(stored.status, "SOLVE_STATUS_CANCELLED");
    assert.match(stored.statusMessage, /cancelled by the client/);
    assert.ok(stored.iterations >= 1000, `${stored.iterations} iterations`);
    const resumed = await svc.client.solveMarket({ market, settings: { warmStartSolutionId: stored.id } });
    assert.equal(resumed.status, "SOLVE_STATUS_SOLVED");
  });

  test("beyond the queue: RESOURCE_EXHAUSTED, while reads and health keep answering", async () => {
    const controller = new AbortController();
    const running = svc.client
      .solveMarket({ market: smallMarket("busy-1"), settings: RUN_UNTIL_STOPPED }, { signal: controller.signal })
      .catch((e: ServiceError) => e);
    const queued = svc.client
      .solveMarket({ market: smallMarket("busy-2"), settings: RUN_UNTIL_STOPPED }, { signal: controller.signal })
      .catch((e: ServiceError) => e);
    await new Promise((r) => setTimeout(r, 200));
    await assert.rejects(svc.client.solveMarket({ market: smallMarket("busy-3") }), (err: ServiceError) => {
      assert.equal(err.code, status.RESOURCE_EXHAUSTED);
      assert.match(err.details, /1 solves running and 1 queued/);
      return true;
    });
    assert.equal(await svc.client.checkHealth(""), "SERVING");
    await svc.client.listSolutions({ pageSize: 1 });
    controller.abort();
    assert.equal(((await running) as ServiceError).code, status.CANCELLED);
    assert.equal(((await queued) as ServiceError).code, status.CANCELLED);
    // the queued one was dropped before it ran: nothing stored for it
    await waitFor(
      "busy-1 to be stored",
      async () => (await svc.client.listSolutions({ marketName: "busy-1" })).solutions[0],
    );
    assert.deepEqual((await svc.client.listSolutions({ marketName: "busy-2" })).solutions, []);
    const after = await svc.client.solveMarket({ market: smallMarket("busy-4") }, { timeoutMs: 5000 });
    assert.equal(after.status, "SOLVE_STATUS_SOLVED");
  });
});

describe("shutdown", () => {
  test("close() cancels running solves after the grace period, answers them, and closes the store", async () => {
    const svc = await startTestService({ workers: 1, shutdownGraceMs: 100 });
    const client = new MarketClient(svc.server.address);
    try {
      const pending = client.solveMarket({ market: smallMarket("shutdown"), settings: RUN_UNTIL_STOPPED });
      await new Promise((r) => setTimeout(r, 200));
      const closing = svc.server.close();
      const solution = await pending;
      assert.equal(solution.status, "SOLVE_STATUS_CANCELLED");
      assert.match(solution.statusMessage, /shutting down/);
      await closing;
      assert.equal(svc.server.store.open, false);
      await assert.rejects(client.listSolutions({}, { timeoutMs: 1000 }));
    } finally {
      client.close();
      await svc.stop();
    }
  });
});
