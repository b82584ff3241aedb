import assert from "node:assert/strict";
import { after, test } from "node:test";
import { type ServiceError, status } from "@grpc/grpc-js";
import { solveMarket, type SolveOutcome } from "@peermarket/market";
import { solveDistributed, type DistributedOutcome } from "./distributed-solve.js";
import { ShardCoordinator } from "./shard-coordinator.js";
import { runShardWorker } from "./shard-worker.js";
import { type CommandProcess, startCommand } from "./command-process.js";
import { syntheticMarket } from "./testing/synthetic-market.js";

const market = syntheticMarket({ producers: 40, consumers: 150, prosumers: 10, grid: true, seed: 5 });
let reference: SolveOutcome | undefined;
const running: CommandProcess[] = [];
after(() => running.forEach((p) => p.kill()));

async function ref(): Promise<SolveOutcome> {
  reference ??= await solveMarket(market);
  return reference;
}

function workers(address: string, ...extra: string[][]): CommandProcess[] {
  return extra.map((args, i) => {
    const p = startCommand(["worker", "--coordinator", address, "--name", `w${i + 1}`, ...args]);
    running.push(p);
    return p;
  });
}

/** The distributed outcome equals the in-process one bit for bit (timings and messages aside). */
function assertIdentical(out: DistributedOutcome, r: SolveOutcome): void {
  assert.equal(out.result.info.status, "SOLVED");
  assert.equal(out.result.info.iterations, r.result.info.iterations);
  assert.equal(out.result.info.objective, r.result.info.objective);
  assert.equal(out.result.info.rho, r.result.info.rho);
  assert.equal(out.result.info.primalResidual, r.result.info.primalResidual);
  assert.deepEqual(out.result.solution.trade, r.result.solution.trade);
  assert.deepEqual(out.result.solution.price, r.result.solution.price);
  assert.deepEqual(out.result.solution.agentPower, r.result.solution.agentPower);
  assert.deepEqual(out.solution.agents, r.solution.agents);
  assert.deepEqual(out.solution.trades, r.solution.trades);
}

test(
  "a market over 2 worker processes on loopback equals the single-process solve bit for bit",
  { timeout: 60_000 },
  async () => {
    const r = await ref();
    assert.ok(r.expanded.arrays.partner.length > 10_000, "a market with more than 10 000 directed trades");
    const coordinator = await ShardCoordinator.start();
    const procs = workers(coordinator.address, [], []);
    try {
      await coordinator.waitForWorkers(2, 30_000);
      for (const localThreads of [0, 1, 2]) {
        const out = await solveDistributed(coordinator, market, { localThreads });
        assertIdentical(out, r);
        assert.equal(out.takeovers.length, 0);
        assert.equal(
          out.placements.filter((p) => p.where.includes("w1") || p.where.includes("w2")).length,
          2,
          JSON.stringify(out.placements),
        );
      }
    } finally {
      await coordinator.close();
    }
    for (const p of procs) {
      const e = await p.exit;
      assert.equal(e.code, 0, e.stderr);
      assert.match(e.stderr, /done, \d+ phases of 3 solves/);
    }
  },
);

test(
  "a worker killed mid-solve: its shard is taken back from the last completed iterate, the result unchanged",
  { timeout: 60_000 },
  async () => {
    const r = await ref();
    const coordinator = await ShardCoordinator.start();
    const [w1, w2] = workers(coordinator.address, [], []);
    try {
      await coordinator.waitForWorkers(2, 30_000);
      let killedAt = 0;
      const out = await solveDistributed(coordinator, market, {
        localThreads: 1,
        progressInterval: 1,
        onProgress: (p) => {
          if (killedAt === 0 && p.iteration >= 5) {
            killedAt = p.iteration;
            w2.kill("SIGKILL");
          }
        },
      });
      assert.ok(killedAt > 0);
      assertIdentical(out, r);
      assert.equal(out.takeovers.length, 1);
      assert.match(out.takeovers[0].worker, /w2/);
      assert.ok(out.takeovers[0].iteration >= killedAt);
      assert.match(
        out.solution.statusMessage,
        /shard \d \(agents \d+–\d+\) taken back from worker w2 \(127\.0\.0\.1:\d+\) at iteration \d+: disconnected/,
      );
    } finally {
      await coordinator.close();
    }
    assert.equal((await w1.exit).code, 0);
    assert.equal((await w2.exit).code, "SIGKILL");
  },
);

test(
  "a worker slower than the phase timeout is dropped and its shard taken back, the result unchanged",
  { timeout: 60_000 },
  async () => {
    const r = await ref();
    const coordinator = await ShardCoordinator.start();
    const [slow, fast] = workers(coordinator.address, ["--inject-delay-ms", "3000"], []);
    let fastTakenBack = false;
    try {
      await coordinator.waitForWorkers(2, 30_000);
      const out = await solveDistributed(coordinator, market, {
        localThreads: 0,
        phaseTimeoutMs: 600,
        assignTimeoutMs: 600,
      });
      assertIdentical(out, r);
      const slowOne = out.takeovers.filter((t) => /^w1 /.test(t.worker));
      assert.equal(slowOne.length, 1, JSON.stringify(out.takeovers));
      assert.equal(slowOne[0].iteration, 1);
      assert.match(slowOne[0].reason, /no answer within 600 ms/);
      // On a loaded machine the other worker may miss a deadline too; the result is the same either way.
      fastTakenBack = out.takeovers.some((t) => /^w2 /.test(t.worker));
    } finally {
      await coordinator.close();
    }
    const e = await slow.exit;
    assert.equal(e.code, 1);
    assert.match(e.stderr, /taken back by the coordinator at phase 1: phase 1 of shard \d: no answer within 600 ms/);
    assert.equal((await fast.exit).code, fastTakenBack ? 1 : 0);
  },
);

test(
  "a coordinator with tokens refuses a worker without one and serves one that sends it",
  { timeout: 60_000 },
  async () => {
    const token = "shard-test-token-0123456789abcdef";
    const coordinator = await ShardCoordinator.start({ tokens: [token] });
    try {
      const refused = runShardWorker({ coordinator: coordinator.address });
      await assert.rejects(
        refused.done,
        (e: ServiceError) => e.code === status.UNAUTHENTICATED && /missing credentials/.test(e.details),
      );
      const wrong = runShardWorker({
        coordinator: coordinator.address,
        security: { token: "not-the-token-0123456789" },
      });
      await assert.rejects(
        wrong.done,
        (e: ServiceError) => e.code === status.UNAUTHENTICATED && /unknown token/.test(e.details),
      );
      const good = runShardWorker({ coordinator: coordinator.address, security: { token } });
      await coordinator.waitForWorkers(1, 10_000);
      const small = syntheticMarket({ producers: 5, consumers: 12, seed: 9 });
      const out = await solveDistributed(coordinator, small, { localThreads: 1 });
      assertIdentical(out, await solveMarket(small));
      await coordinator.close();
      assert.ok((await good.done).phases > 0);
    } finally {
      await coordinator.close();
    }
  },
);
