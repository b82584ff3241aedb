import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { status, type ServiceError } from "@grpc/grpc-js";
import type { Solution } from "@peermarket/model";
import { smallMarket, startTestService, type TestService } from "./test-support.js";

describe("ListSolutions", () => {
  let svc: TestService;
  const solved: Solution[] = [];
  before(async () => {
    svc = await startTestService();
    for (let i = 0; i < 7; i++)
      solved.push(await svc.client.solveMarket({ market: smallMarket(i % 3 === 0 ? "alpha" : "beta") }));
  });
  after(async () => {
    await svc.stop();
  });

  test("pages through every solution, newest first, in BASIC view", async () => {
    const ids: string[] = [];
    let token = "";
    let pages = 0;
    do {
      const page = await svc.client.listSolutions({ pageSize: 3, pageToken: token });
      pages++;
      assert.ok(page.solutions.length <= 3);
      for (const s of page.solutions) {
        assert.deepEqual(s.agents, []);
        assert.deepEqual(s.trades, []);
        assert.equal(s.status, "SOLVE_STATUS_SOLVED");
      }
      ids.push(...page.solutions.map((s) => s.id));
      token = page.nextPageToken;
    } while (token !== "");
    assert.equal(pages, 3);
    assert.deepEqual(ids, solved.map((s) => s.id).reverse());
  });

  test("filters by market name and keeps the filter across pages", async () => {
    const first = await svc.client.listSolutions({ marketName: "alpha", pageSize: 2 });
    assert.equal(first.solutions.length, 2);
    assert.ok(first.nextPageToken !== "");
    const second = await svc.client.listSolutions({ marketName: "alpha", pageSize: 2, pageToken: first.nextPageToken });
    const alpha = solved
      .filter((s) => s.marketName === "alpha")
      .map((s) => s.id)
      .reverse();
    assert.deepEqual(
      [...first.solutions, ...second.solutions].map((s) => s.id),
      alpha,
    );
    assert.equal(second.nextPageToken, "");
    await assert.rejects(
      svc.client.listSolutions({ marketName: "beta", pageToken: first.nextPageToken }),
      (err: ServiceError) => {
        assert.equal(err.code, status.INVALID_ARGUMENT);
        assert.match(err.details, /pageToken: issued for marketName "alpha"/);
        return true;
      },
    );
    assert.deepEqual((await svc.client.listSolutions({ marketName: "nobody" })).solutions, []);
  });

  test("default page size 50, FULL view on request, bad sizes and tokens refused", async () => {
    const all = await svc.client.listSolutions({});
    assert.equal(all.solutions.length, solved.length);
    assert.equal(all.nextPageToken, "");
    const full = await svc.client.listSolutions({ view: "SOLUTION_VIEW_FULL", pageSize: 1 });
    assert.deepEqual(full.solutions[0], solved[solved.length - 1]);
    await assert.rejects(
      svc.client.listSolutions({ pageSize: -1 }),
      (err: ServiceError) => err.code === status.INVALID_ARGUMENT && /pageSize/.test(err.details),
    );
    await assert.rejects(
      svc.client.listSolutions({ pageToken: "garbage" }),
      (err: ServiceError) => err.code === status.INVALID_ARGUMENT && /pageToken/.test(err.details),
    );
  });
});
