import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { status, type ServiceError } from "@grpc/grpc-js";
import type { Agent } from "@peermarket/model";
import { MarketClient, fieldViolations, rpcStatus } from "./client.js";
import { peerHost } from "./client-limiter.js";
import { RUN_UNTIL_STOPPED, smallMarket, startTestService, type TestService } from "./test-support.js";

const code = (expected: status) => (err: ServiceError) => {
  assert.equal(err.code, expected, `${status[err.code]}: ${err.details}`);
  return true;
};

async function waitUntil(what: string, condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe("per-client limit of concurrent solves", () => {
  let svc: TestService;
  let dir: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "peermarket-limits-"));
    const authFile = join(dir, "tokens.json");
    writeFileSync(
      authFile,
      JSON.stringify({
        tokens: [
          { name: "busy", token: "busy-token-0123456789abcdef", role: "aggregator", tenant: "t1" },
          { name: "other", token: "other-token-0123456789abcdef", role: "aggregator", tenant: "t2" },
        ],
      }),
    );
    svc = await startTestService({ workers: 2, queue: 8, maxSolvesPerClient: 2, authFile });
  });
  after(async () => {
    await svc.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test("a client at its limit gets RESOURCE_EXHAUSTED; other clients are served; the slot comes back", async () => {
    const busy = new MarketClient(svc.server.address, { token: "busy-token-0123456789abcdef" });
    const other = new MarketClient(svc.server.address, { token: "other-token-0123456789abcdef" });
    const abort = new AbortController();
    try {
      let progressed = 0;
      const running = [1, 2].map(() =>
        busy
          .streamSolveMarket(
            { market: smallMarket("hog"), settings: RUN_UNTIL_STOPPED, progressInterval: 1000 },
            { signal: abort.signal, onProgress: () => progressed++ },
          )
          .catch((e: ServiceError) => e),
      );
      await waitUntil("both solves to run", () => progressed >= 2);
      await assert.rejects(busy.solveMarket({ market: smallMarket("one too many") }), (err: ServiceError) => {
        assert.equal(err.code, status.RESOURCE_EXHAUSTED);
        assert.match(err.details, /already has 2 solves running or queued \(the per-client limit\)/);
        return true;
      });
      // the other client is not limited by the busy one (its solve waits for a thread, then runs)
      const served = other.solveMarket({ market: smallMarket("served") });
      abort.abort();
      for (const r of await Promise.all(running)) assert.equal((r as ServiceError).code, status.CANCELLED);
      assert.equal((await served).status, "SOLVE_STATUS_SOLVED");
      assert.equal((await busy.solveMarket({ market: smallMarket("slot back") })).status, "SOLVE_STATUS_SOLVED");
    } finally {
      busy.close();
      other.close();
    }
  });
});

describe("size and time limits", () => {
  let svc: TestService;
  before(async () => {
    svc = await startTestService({
      workers: 1,
      maxMessageBytes: 16 * 1024,
      maxAgents: 3,
      maxPairs: 1_000,
      maxTimeLimitS: 0.3,
    });
  });
  after(async () => {
    await svc.stop();
  });

  test("a message over --max-message-bytes: RESOURCE_EXHAUSTED from gRPC, before any work", async () => {
    const market = smallMarket("huge");
    const agents: Agent[] = Array.from({ length: 400 }, (_, i) => ({ ...market.agents[i % 4], id: `agent-${i}` }));
    const big = new MarketClient(svc.server.address, { maxMessageBytes: 64 * 1024 * 1024 });
    try {
      await assert.rejects(big.solveMarket({ market: { ...market, agents } }), (err: ServiceError) => {
        assert.equal(err.code, status.RESOURCE_EXHAUSTED);
        assert.match(err.details, /larger than max/i);
        return true;
      });
    } finally {
      big.close();
    }
  });

  test("more agents than --max-agents: RESOURCE_EXHAUSTED with a QuotaFailure on market.agents, counted on the wire", async () => {
    await assert.rejects(svc.client.solveMarket({ market: smallMarket("four agents") }), (err: ServiceError) => {
      code(status.RESOURCE_EXHAUSTED)(err);
      assert.deepEqual(rpcStatus(err.metadata)?.details.quotaFailure, [
        { subject: "market.agents", description: "more than 3 agents (the service's limit)" },
      ]);
      assert.ok(fieldViolations(err.metadata).some((v) => v.field === "market.agents"));
      return true;
    });
  });

  /** Stopped by the time limit: TIME_LIMIT_REACHED, or SOLVED_INACCURATE saying time_limit stopped it. */
  const stoppedByTime = (s: { status: string; statusMessage: string }): boolean =>
    s.status === "SOLVE_STATUS_TIME_LIMIT_REACHED" ||
    (s.status === "SOLVE_STATUS_SOLVED_INACCURATE" && /time_limit/.test(s.statusMessage));

  test("--max-time-limit-s caps the solve's time limit, set or not", async () => {
    const three = { ...smallMarket("capped"), agents: smallMarket("capped").agents.slice(0, 3) };
    for (const settings of [RUN_UNTIL_STOPPED, { ...RUN_UNTIL_STOPPED, timeLimitS: 3600 }]) {
      const solution = await svc.client.solveMarket({ market: three, settings });
      assert.ok(stoppedByTime(solution), `${solution.status}: ${solution.statusMessage}`);
      // the limit covers the whole solve, set-up included
      const total = solution.setupTimeS + solution.solveTimeS;
      assert.ok(total >= 0.29 && total < 2, `${solution.setupTimeS} s set-up + ${solution.solveTimeS} s`);
    }
    // a shorter limit of the request's own is kept
    const quick = await svc.client.solveMarket({ market: three, settings: { ...RUN_UNTIL_STOPPED, timeLimitS: 0.05 } });
    assert.ok(stoppedByTime(quick), `${quick.status}: ${quick.statusMessage}`);
    assert.ok(quick.solveTimeS < 0.29, `${quick.solveTimeS} s`);
  });
});

test("peerHost: the address of a peer without its port", () => {
  assert.equal(peerHost("ipv4:127.0.0.1:50432"), "127.0.0.1");
  assert.equal(peerHost("ipv6:[::1]:50432"), "::1");
  assert.equal(peerHost("127.0.0.1:5"), "127.0.0.1");
});
