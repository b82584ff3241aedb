import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import http2 from "node:http2";
import { status, type ServiceError } from "@grpc/grpc-js";
import type { Agent, Market, Solution, Trade } from "@peermarket/model";
import { rpcStatus } from "./status-error.js";
import { messageCodec } from "./proto.js";
import { MAX_STREAM_BUFFERED_EVENTS } from "./service.js";
import { RUN_UNTIL_STOPPED, smallMarket, startTestService, type TestService } from "./test-support.js";

/** Regression tests: each request's cost is bounded end to end (set-up, streams, replies, stops). */

function agent(id: string, bus: string, a: number, b: number, pMin: number, pMax: number): Agent {
  return {
    id,
    bus,
    zone: "",
    costQuadratic: a,
    costLinear: b,
    powerMin: pMin,
    powerMax: pMax,
    location: null,
    attributes: {},
    costQuadraticProfile: [],
    costLinearProfile: [],
    powerMinProfile: [],
    powerMaxProfile: [],
    storage: null,
  };
}

/** A seeded uniform generator on [0, 1). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A radial feeder of `nBus` buses as MATPOWER text (bus 1 the slack) and each bus's parent, so
 * that path lengths — the electrical distance on a radial network — can be computed independently.
 */
function feederText(nBus: number, seed: number): { text: string; parent: Int32Array } {
  const r = rng(seed);
  const parent = new Int32Array(nBus + 1);
  const bus: string[] = [];
  const branch: string[] = [];
  for (let i = 1; i <= nBus; i++) bus.push(`  ${i} ${i === 1 ? 3 : 1} 0 0 0 0 1 1 0 12.66 1 1.1 0.9;`);
  for (let i = 2; i <= nBus; i++) {
    const p = r() < 0.8 ? Math.max(1, i - 1 - Math.floor(r() * 3)) : 1 + Math.floor(r() * (i - 1));
    parent[i] = p;
    branch.push(`  ${p} ${i} 0.01 ${(0.005 + 0.1 * r()).toFixed(6)} 0 100 100 100 0 0 1 -360 360;`);
  }
  const text = `function mpc = feeder${nBus}\nmpc.version = '2';\nmpc.baseMVA = 100;\nmpc.bus = [\n${bus.join("\n")}\n];\nmpc.gen = [\n  1 0 0 0 0 1 100 1 0 0;\n];\nmpc.branch = [\n${branch.join("\n")}\n];\n`;
  return { text, parent };
}

/** Branches on the path between two buses of the feeder. */
function pathLength(parent: Int32Array, a: number, b: number): number {
  const depth = (i: number): number => {
    let d = 0;
    for (let k = i; k !== 1; k = parent[k]) d++;
    return d;
  };
  let da = depth(a);
  let db = depth(b);
  let n = 0;
  while (da > db) (a = parent[a]), da--, n++;
  while (db > da) (b = parent[b]), db--, n++;
  while (a !== b) (a = parent[a]), (b = parent[b]), (n += 2);
  return n;
}

/** `n` sellers and `n` buyers on random buses of the network (complete trading graph). */
function communityMarket(
  name: string,
  n: number,
  nBus: number,
  seed: number,
  network: Market["network"],
  unitFee = 0.5,
): Market {
  const r = rng(seed);
  const agents: Agent[] = [];
  const bus = (): string => (nBus > 1 ? String(2 + Math.floor(r() * (nBus - 1))) : "");
  for (let i = 0; i < n; i++) agents.push(agent(`s${i}`, bus(), 0.5 + r(), 10 + 20 * r(), 0, 5 + 5 * r()));
  for (let i = 0; i < n; i++) agents.push(agent(`b${i}`, bus(), 0.5 + r(), 60 + 20 * r(), -(5 + 5 * r()), 0));
  return {
    name,
    agents,
    tradingGraph: "TRADING_GRAPH_COMPLETE",
    pairs: [],
    preferences: [],
    network,
    horizon: null,
    charges: network
      ? { design: "CHARGE_DESIGN_ELECTRICAL_DISTANCE", unitFee, sellerShare: 0.5, zoneDistances: [] }
      : null,
    grid: null,
  } as Market;
}

async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 20_000,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe("set-up work is bounded by the deadline and the time limit", () => {
  let svc: TestService;
  before(async () => {
    svc = await startTestService({ workers: 1, queue: 4 });
  });
  after(async () => {
    await svc.stop();
  });

  test("a 2 000-bus inline network with electrical-distance charges is answered within its deadline, with the right distances", async () => {
    // Before: the dense PTDF of the whole network (2 000 × 1 999 LU, then every bus pair) took
    // about a minute whatever the deadline. Now: a sparse factor and the agents' buses only.
    const { text, parent } = feederText(2000, 7);
    const market = communityMarket("feeder-2000", 30, 2000, 3, { matpower: text } as Market["network"], 0.5);
    const t0 = Date.now();
    // The defect's request: 2 s deadline, time_limit_s = 1. On a loaded machine the reply may
    // miss the client's deadline; what must not happen is the worker staying busy after it.
    const outcome = await svc.client
      .solveMarket({ market, settings: { timeLimitS: 1 } }, { timeoutMs: 2000 })
      .catch((err: ServiceError) => err);
    const elapsed = Date.now() - t0;
    if ("code" in outcome) {
      assert.equal(outcome.code, status.DEADLINE_EXCEEDED, outcome.details);
    } else {
      const solution = outcome;
      assert.ok(
        ["SOLVE_STATUS_SOLVED", "SOLVE_STATUS_TIME_LIMIT_REACHED", "SOLVE_STATUS_SOLVED_INACCURATE"].includes(
          solution.status,
        ),
        solution.status,
      );
      const busOf = new Map(market.agents.map((a) => [a.id, Number(a.bus)]));
      let checked = 0;
      for (const t of solution.trades) {
        if (!(t.power > 1e-6)) continue;
        // Charge = fee × d × power, d = the number of branches on the path (radial network).
        const d = pathLength(parent, busOf.get(t.sellerId)!, busOf.get(t.buyerId)!);
        assert.ok(
          Math.abs(t.networkCharge - 0.5 * d * t.power) <= 1e-9 * Math.max(1, t.networkCharge),
          `${t.sellerId}→${t.buyerId}: ${t.networkCharge} vs 0.5·${d}·${t.power}`,
        );
        checked++;
      }
      assert.ok(checked > 0 || solution.iterations === 0);
    }
    // Before: the worker built the dense PTDF for about a minute; the next solve waited for it.
    const next = await svc.client.solveMarket({ market: smallMarket("after feeder") }, { timeoutMs: 10_000 });
    assert.equal(next.status, "SOLVE_STATUS_SOLVED");
    assert.ok(Date.now() - t0 < 15_000, `${elapsed} ms, then ${Date.now() - t0 - elapsed} ms for the next solve`);
  });

  test("the time limit counts set-up: past it before iterating, TIME_LIMIT_REACHED with no iterations", async () => {
    const { text } = feederText(2000, 8);
    const market = communityMarket("set-up-time-limit", 30, 2000, 4, { matpower: text } as Market["network"]);
    const solution = await svc.client.solveMarket({ market, settings: { timeLimitS: 1e-4 } }, { timeoutMs: 20_000 });
    // Before: the limit was the engine's alone; it iterated at least once after any set-up time.
    assert.equal(solution.status, "SOLVE_STATUS_TIME_LIMIT_REACHED");
    assert.equal(solution.iterations, 0);
    assert.match(solution.statusMessage, /time limit of 0\.0001 s .* before the engine could iterate \(while /);
  });
});

describe("streams whose client does not read", () => {
  let svc: TestService;
  before(async () => {
    svc = await startTestService({ workers: 1 });
  });
  after(async () => {
    await svc.stop();
  });

  test("progress every iteration to a client that never reads: the server buffers a bounded amount and drops the rest", async () => {
    const codec = messageCodec();
    const request = codec.encodeRequest({
      market: smallMarket("unread") as never,
      settings: RUN_UNTIL_STOPPED as never,
      progressInterval: 1,
    });
    const frame = Buffer.alloc(5 + request.length);
    frame.writeUInt32BE(request.length, 1);
    request.copy(frame, 5);
    // A flow-control window of 256 bytes per stream and no reading: the server cannot send more.
    const session = http2.connect(`http://${svc.server.address}`, { settings: { initialWindowSize: 256 } });
    session.on("error", () => {});
    const stream = session.request({
      ":method": "POST",
      ":path": "/peermarket.v1.MarketService/StreamSolveMarket",
      "content-type": "application/grpc",
      te: "trailers",
    });
    stream.on("error", () => {});
    stream.end(frame);
    // Let the engine run for a while (tens of thousands of iterations).
    await new Promise((r) => setTimeout(r, 1500));
    stream.close(http2.constants.NGHTTP2_CANCEL);
    const line = await waitFor("the stream's log line", () => svc.logs.find((l) => l.method === "StreamSolveMarket"));
    session.close();
    const events = line.progressEvents as number;
    const dropped = line.progressDropped as number;
    const buffered = line.maxBufferedEvents as number;
    const stored = await waitFor(
      "the cancelled solve to be stored",
      async () => (await svc.client.listSolutions({ marketName: "unread" })).solutions[0],
    );
    // Before: every iteration was written (and buffered: 4.75 GB for four such calls in 110 s).
    // Now at most a window of progress messages reaches the event loop, and writes stop while
    // the stream's buffer is full.
    assert.ok(stored.iterations > 1000, `${stored.iterations} iterations`);
    assert.ok(
      events < 200,
      `${events} progress events written, ${dropped} dropped at the stream, over ${stored.iterations} iterations`,
    );
    assert.ok(buffered <= MAX_STREAM_BUFFERED_EVENTS + 1, `${buffered} messages buffered`);
    // the worker is free again
    const next = await svc.client.solveMarket({ market: smallMarket("after unread") }, { timeoutMs: 10_000 });
    assert.equal(next.status, "SOLVE_STATUS_SOLVED");
  });
});

describe("solutions larger than a message", () => {
  let svc: TestService;
  // 40 sellers × 40 buyers = 1 600 pairs, about 70 KB of trades: over a 32 KiB message limit.
  const maxMessageBytes = 32 * 1024;
  before(async () => {
    svc = await startTestService({ workers: 1, maxMessageBytes });
  });
  after(async () => {
    await svc.stop();
  });

  test("the reply lists the trades that carry power; every trade pages through ListSolutionTrades", async () => {
    const market = communityMarket("large-reply", 40, 0, 11, null);
    // Before: RESOURCE_EXHAUSTED on sending (stored, but the client never learns the id).
    const solution = (await svc.client.solveMarket({ market })) as Solution & { tradesTruncated: boolean };
    assert.equal(solution.status, "SOLVE_STATUS_SOLVED");
    assert.equal(solution.tradesTruncated, true);
    assert.equal(solution.pairCount, 1600);
    assert.ok(solution.trades.length < solution.pairCount);
    assert.ok(solution.trades.every((t) => t.power > 0));
    // The stored solution has every pair; the reply's trades are exactly its trades with power > 0.
    const stored = messageCodec().decodeSolution(svc.server.store.find(solution.id, true)!.blob);
    assert.equal(stored.trades.length, 1600);
    const carrying = stored.trades.filter((t) => t.power > 0);
    assert.deepEqual(solution.trades, carrying.slice(0, solution.trades.length));
    // Every agent's power is the sum of its trades in the reply (the ones left out carry nothing).
    if (solution.trades.length === carrying.length) {
      for (const a of solution.agents) {
        let sum = 0;
        for (const t of solution.trades) sum += t.sellerId === a.id ? t.power : t.buyerId === a.id ? -t.power : 0;
        assert.ok(Math.abs(sum - a.power) < 1e-9 * Math.max(1, Math.abs(a.power)), `${a.id}: ${sum} vs ${a.power}`);
      }
    }
    // GetSolution of the id does the same.
    const got = (await svc.client.getSolution(solution.id)) as Solution & { tradesTruncated: boolean };
    assert.equal(got.tradesTruncated, true);
    assert.deepEqual(got.trades, solution.trades);
    // Paging: every trade, in order, in pages of 500.
    const all: Trade[] = [];
    let token = "";
    let pages = 0;
    do {
      const page = await svc.client.listSolutionTrades({ solutionId: solution.id, pageSize: 500, pageToken: token });
      assert.equal(page.totalSize, 1600);
      all.push(...page.trades);
      token = page.nextPageToken;
      pages++;
    } while (token !== "" && pages < 100);
    assert.equal(pages, 4);
    assert.deepEqual(all, stored.trades);
    await assert.rejects(
      svc.client.listSolutionTrades({ solutionId: solution.id, pageToken: "bm9wZQ" }),
      (err: ServiceError) => err.code === status.INVALID_ARGUMENT,
    );
    await assert.rejects(
      svc.client.listSolutionTrades({ solutionId: "sol_nope" }),
      (err: ServiceError) => err.code === status.NOT_FOUND,
    );
  });

  test("a market whose agents alone would not fit a reply is refused before solving, saying why", async () => {
    const agents: Agent[] = [];
    for (let i = 0; i < 400; i++)
      agents.push(agent(`a${i}`, "", 1, i % 2 === 0 ? 10 : 60, i % 2 === 0 ? 0 : -5, i % 2 === 0 ? 5 : 0));
    const market = { ...smallMarket("too-many-agents"), agents };
    const t0 = Date.now();
    await assert.rejects(svc.client.solveMarket({ market }), (err: ServiceError) => {
      assert.equal(err.code, status.RESOURCE_EXHAUSTED);
      assert.match(
        err.details,
        /^market\.agents: the Solution of 400 agents would take about \d+ bytes without its trades, over the service's message limit of 32768 bytes/,
      );
      return true;
    });
    assert.ok(Date.now() - t0 < 10_000);
    assert.deepEqual((await svc.client.listSolutions({ marketName: "too-many-agents" })).solutions, []);
  });
});

describe("stopped solves release their worker", () => {
  let svc: TestService;
  before(async () => {
    svc = await startTestService({ workers: 1 });
  });
  after(async () => {
    await svc.stop();
  });

  test("a cancelled solve of a large market stores its summary and iterate, not every trade", async () => {
    // 150 sellers × 150 buyers = 22 500 pairs.
    const market = communityMarket("cancel-large", 150, 0, 12, null);
    const controller = new AbortController();
    const pending = svc.client.streamSolveMarket(
      { market, settings: RUN_UNTIL_STOPPED, progressInterval: 2 },
      { signal: controller.signal, onProgress: () => controller.abort() },
    );
    await assert.rejects(pending, (err: ServiceError) => err.code === status.CANCELLED);
    const stored = await waitFor(
      "the cancelled solve to be stored",
      async () =>
        (await svc.client.listSolutions({ marketName: "cancel-large", view: "SOLUTION_VIEW_FULL" })).solutions[0],
    );
    assert.equal(stored.status, "SOLVE_STATUS_CANCELLED");
    // Before: every one of the 22 500 trades was built, encoded and stored for nobody.
    assert.equal(stored.trades.length, 0);
    assert.equal(stored.pairCount, 22_500);
    assert.match(stored.statusMessage, /not listed: the caller was gone/);
    // The iterate is kept: a warm start from it works.
    const resumed = await svc.client.solveMarket(
      { market, settings: { warmStartSolutionId: stored.id } },
      { timeoutMs: 60_000 },
    );
    assert.equal(resumed.status, "SOLVE_STATUS_SOLVED");
  });
});
