import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { status, type ServiceError } from "@grpc/grpc-js";
import { certifyStoredSolution } from "./certify-stored.js";
import { MarketClient } from "./client.js";
import { invalidMarket, loadCase39b, randomSmallMarket, seededRandom } from "./load-markets.js";
import { silentLogger } from "./logger.js";
import type { Solution } from "@peermarket/model";
import { percentile } from "./percentile.js";
import { messageCodec } from "./proto.js";
import { startServer, type RunningServer } from "./server.js";
import { statusName } from "./status-error.js";

/** What the load test does. */
export interface LoadTestOptions {
  /** Concurrent clients, each on its own connection (default 64). */
  clients?: number;
  /** Stop issuing requests after this many seconds (default 60). */
  durationS?: number;
  /** ... or after this many requests in all, whichever comes first (default: no count limit). */
  maxRequests?: number;
  /** Solver threads of the service (default: the cores). */
  workers?: number;
  /** Solves waiting for a worker before RESOURCE_EXHAUSTED (default 32). */
  queue?: number;
  /** Solves one token may have running or queued (default 4; each token is shared by clients/8 clients). */
  maxSolvesPerClient?: number;
  /** Seed of the request mix (default 1). */
  seed?: number;
  /** Progress lines. */
  log?: (line: string) => void;
}

/** Outcome counts and latency of one kind of request. */
export interface KindResult {
  kind: string;
  requests: number;
  /** Answered as expected (OK, or the expected error code of a bad request). */
  expected: number;
  /** Refused with RESOURCE_EXHAUSTED (queue or per-client limit). */
  rejected: number;
  /** Anything else: a failure of the test. */
  unexpected: number;
  p50Ms: number;
  p99Ms: number;
}

/** What the load test measured and checked. */
export interface LoadTestResult {
  clients: number;
  workers: number;
  cpus: number;
  seconds: number;
  requests: number;
  requestsPerSecond: number;
  /** Solves answered with a solution, per second. */
  solvesPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** CPU time of this process over the wall time of all cores during the load (see LoadLevelResult.cpuShare). */
  cpuShare: number;
  rejected: number;
  unexpected: number;
  kinds: KindResult[];
  /** Up to 20 unexpected answers: kind, code and message. */
  unexpectedSamples: string[];
  /** Solutions acknowledged to a client (SolveMarket, StreamSolveMarket). */
  acknowledged: number;
  /** Of those, after a restart of the service on the same store: readable and identical, missing, different. */
  readable: number;
  missing: number;
  different: number;
  /** Stored solutions, stored SOLVED ones, and SOLVED ones whose KKT certificate passed / failed. */
  stored: number;
  storedSolved: number;
  certified: number;
  certificateFailures: string[];
  /** SQLite's integrity check of the store after the run. */
  integrity: string;
  /** Solves the restarted service found interrupted (0 after a clean shutdown). */
  interrupted: number;
  /** Whether nothing unexpected happened, nothing was lost or changed, and every certificate passed. */
  passed: boolean;
}

const TENANTS = ["tenant-a", "tenant-b", "tenant-c", "tenant-d"];
const AGGREGATOR_TOKENS = 8;
const DEADLINE_MS = 30_000;

function tokenOf(name: string): string {
  return `load-test-token-${name}-${"x".repeat(16)}`;
}

function digest(solution: Solution): string {
  return createHash("sha256").update(JSON.stringify(solution)).digest("hex");
}

/** The auth file of the test: 8 aggregator tokens over 4 tenants, a dso and an admin. */
function writeAuthFile(path: string): void {
  const tokens = [
    ...Array.from({ length: AGGREGATOR_TOKENS }, (_, i) => ({
      name: `aggregator-${i}`,
      token: tokenOf(`aggregator-${i}`),
      role: "aggregator",
      tenant: TENANTS[i % TENANTS.length],
    })),
    { name: "dso", token: tokenOf("dso"), role: "dso" },
    { name: "admin", token: tokenOf("admin"), role: "admin" },
  ];
  writeFileSync(path, JSON.stringify({ tokens }, null, 2));
}

/** A kind of request of the mix: its weight, and what to do (resolves with the code it got). */
interface Kind {
  name: string;
  weight: number;
  /** The code a correct service answers. */
  expect: status;
  /** Whether RESOURCE_EXHAUSTED is a correct answer too (requests that need a solver thread). */
  mayReject: boolean;
  /** Sends the request; "skip" when there is nothing to ask yet (no solution of the right tenant). */
  run: (ctx: ClientContext) => Promise<void | "skip">;
}

interface ClientContext {
  client: MarketClient;
  tenant: string;
  random: () => number;
}

class Recorder {
  readonly latencies = new Map<string, number[]>();
  readonly counts = new Map<string, { requests: number; expected: number; rejected: number; unexpected: number }>();
  readonly samples: string[] = [];

  record(kind: Kind, code: number, ms: number, details: string): void {
    const c = this.counts.get(kind.name) ?? { requests: 0, expected: 0, rejected: 0, unexpected: 0 };
    c.requests++;
    if (code === kind.expect) {
      c.expected++;
      let l = this.latencies.get(kind.name);
      if (!l) this.latencies.set(kind.name, (l = []));
      l.push(ms);
    } else if (code === status.RESOURCE_EXHAUSTED && kind.mayReject) {
      c.rejected++;
    } else {
      c.unexpected++;
      if (this.samples.length < 20)
        this.samples.push(`${kind.name}: ${statusName(code)} (expected ${statusName(kind.expect)}): ${details}`);
    }
    this.counts.set(kind.name, c);
  }
}

/**
 * A bounded load test of the service on loopback: `clients` concurrent grpc-js clients (each on
 * its own connection, with one of 8 aggregator tokens over 4 tenants) send, for `durationS`
 * seconds or `maxRequests` requests, a seeded mix of SolveMarket and StreamSolveMarket (case39b_31a,
 * the same with electrical-distance charges, small random markets), GetSolution, ListSolutions,
 * GetNetworkCharges of their tenant's solutions, and bad requests (an invalid market, an unknown id,
 * another tenant's solution, no token, a DSO asking to solve). Then it restarts the service on
 * the same store and checks that every acknowledged solution is there unchanged, that every stored
 * SOLVED solution passes the KKT certificate against its stored market, and SQLite's integrity.
 */
export async function runLoadTest(options: LoadTestOptions = {}): Promise<LoadTestResult> {
  const nClients = options.clients ?? 64;
  const durationMs = (options.durationS ?? 60) * 1000;
  const maxRequests = options.maxRequests ?? Number.POSITIVE_INFINITY;
  const workers = options.workers ?? availableParallelism();
  const log = options.log ?? (() => {});
  const dir = mkdtempSync(join(tmpdir(), "peermarket-load-"));
  const storePath = join(dir, "load.db");
  const authFile = join(dir, "tokens.json");
  writeAuthFile(authFile);
  const serverOptions = {
    host: "127.0.0.1",
    port: 0,
    storePath,
    workers,
    queue: options.queue ?? 32,
    maxSolvesPerClient: options.maxSolvesPerClient ?? 4,
    authFile,
    logger: silentLogger,
  };
  let server: RunningServer | undefined = await startServer(serverOptions);
  const own = { "grpc.use_local_subchannel_pool": 1 };
  const acked = new Map<string, { digest: string; tenant: string }>();
  const byTenant = new Map<string, string[]>(TENANTS.map((t) => [t, []]));
  const recorder = new Recorder();
  const master = seededRandom(options.seed ?? 1);
  const clients: ClientContext[] = Array.from({ length: nClients }, (_, i) => {
    const token = `aggregator-${i % AGGREGATOR_TOKENS}`;
    return {
      client: new MarketClient(server!.address, { token: tokenOf(token), channelOptions: own }),
      tenant: TENANTS[(i % AGGREGATOR_TOKENS) % TENANTS.length],
      random: seededRandom(Math.floor(master() * 2 ** 32)),
    };
  });
  const anonymous = new MarketClient(server.address, { channelOptions: own });
  const dso = new MarketClient(server.address, { token: tokenOf("dso"), channelOptions: own });
  const pick = <T>(random: () => number, items: readonly T[]): T | undefined =>
    items.length === 0 ? undefined : items[Math.floor(random() * items.length)];
  const solveMarket = (random: () => number) => {
    const r = random();
    if (r < 0.4) return loadCase39b("load-case39b");
    if (r < 0.6) return loadCase39b("load-charged", 5 + Math.round(random() * 10));
    return randomSmallMarket(random, "load-small");
  };
  const remember = (ctx: ClientContext, solution: Solution): void => {
    acked.set(solution.id, { digest: digest(solution), tenant: ctx.tenant });
    byTenant.get(ctx.tenant)!.push(solution.id);
  };
  const otherTenant = (ctx: ClientContext): string | undefined => {
    for (const t of TENANTS)
      if (t !== ctx.tenant && byTenant.get(t)!.length > 0) return pick(ctx.random, byTenant.get(t)!);
    return undefined;
  };
  const timeout = { timeoutMs: DEADLINE_MS };
  const kinds: Kind[] = [
    {
      name: "SolveMarket",
      weight: 30,
      expect: status.OK,
      mayReject: true,
      run: async (ctx) => remember(ctx, await ctx.client.solveMarket({ market: solveMarket(ctx.random) }, timeout)),
    },
    {
      name: "StreamSolveMarket",
      weight: 12,
      expect: status.OK,
      mayReject: true,
      run: async (ctx) =>
        remember(
          ctx,
          await ctx.client.streamSolveMarket({ market: solveMarket(ctx.random), progressInterval: 20 }, timeout),
        ),
    },
    {
      name: "GetSolution",
      weight: 20,
      expect: status.OK,
      mayReject: false,
      run: async (ctx) => {
        const id = pick(ctx.random, byTenant.get(ctx.tenant)!);
        if (id === undefined) return "skip";
        await ctx.client.getSolution(id, ctx.random() < 0.5 ? "SOLUTION_VIEW_FULL" : "SOLUTION_VIEW_BASIC", timeout);
      },
    },
    {
      name: "ListSolutions",
      weight: 10,
      expect: status.OK,
      mayReject: false,
      run: async (ctx) => void (await ctx.client.listSolutions({ pageSize: 20 }, timeout)),
    },
    {
      name: "GetNetworkCharges",
      weight: 10,
      expect: status.OK,
      mayReject: true,
      run: async (ctx) => {
        const id = pick(ctx.random, byTenant.get(ctx.tenant)!);
        if (id === undefined) return "skip";
        await ctx.client.getNetworkCharges(id, timeout);
      },
    },
    {
      name: "bad: invalid market",
      weight: 5,
      expect: status.INVALID_ARGUMENT,
      mayReject: true,
      run: async (ctx) => void (await ctx.client.solveMarket({ market: invalidMarket(ctx.random) }, timeout)),
    },
    {
      name: "bad: unknown id",
      weight: 4,
      expect: status.NOT_FOUND,
      mayReject: false,
      run: async (ctx) =>
        void (await ctx.client.getSolution("sol_01ARZ3NDEKTSV4RRFFQ69G5FAV", "SOLUTION_VIEW_FULL", timeout)),
    },
    {
      name: "bad: another tenant's solution",
      weight: 4,
      expect: status.PERMISSION_DENIED,
      mayReject: false,
      run: async (ctx) => {
        const id = otherTenant(ctx);
        if (id === undefined) return "skip";
        await ctx.client.getSolution(id, "SOLUTION_VIEW_FULL", timeout);
      },
    },
    {
      name: "bad: no token",
      weight: 3,
      expect: status.UNAUTHENTICATED,
      mayReject: false,
      run: async () => void (await anonymous.listSolutions({}, timeout)),
    },
    {
      name: "bad: dso solving",
      weight: 2,
      expect: status.PERMISSION_DENIED,
      mayReject: false,
      run: async (ctx) => void (await dso.solveMarket({ market: randomSmallMarket(ctx.random, "load-dso") }, timeout)),
    },
  ];
  const totalWeight = kinds.reduce((s, k) => s + k.weight, 0);
  const choose = (random: () => number): Kind => {
    let r = random() * totalWeight;
    for (const k of kinds) if ((r -= k.weight) < 0) return k;
    return kinds[kinds.length - 1];
  };

  let issued = 0;
  let solved = 0;
  const start = performance.now();
  const end = start + durationMs;
  let lastReport = start;
  const cpu0 = process.cpuUsage();
  try {
    await Promise.all(clients.map((c) => c.client.waitForReady()));
    await Promise.all(
      clients.map(async (ctx) => {
        while (performance.now() < end && issued < maxRequests) {
          issued++;
          const kind = choose(ctx.random);
          const t0 = performance.now();
          let code: number = status.OK;
          let details = "";
          try {
            if ((await kind.run(ctx)) === "skip") {
              issued--;
              continue;
            }
          } catch (err) {
            code = (err as ServiceError).code ?? status.UNKNOWN;
            details = (err as Error).message;
          }
          const ms = performance.now() - t0;
          recorder.record(kind, code, ms, details);
          if (code === status.OK && (kind.name === "SolveMarket" || kind.name === "StreamSolveMarket")) solved++;
          if (code === status.RESOURCE_EXHAUSTED) await new Promise((r) => setTimeout(r, 5 + ctx.random() * 20));
          const now = performance.now();
          if (now - lastReport > 10_000) {
            lastReport = now;
            log(
              `${((now - start) / 1000).toFixed(0)} s: ${issued} requests, ${solved} solves, ${acked.size} acknowledged`,
            );
          }
        }
      }),
    );
    const seconds = (performance.now() - start) / 1000;
    const cpu = process.cpuUsage(cpu0);
    for (const c of clients) c.client.close();
    anonymous.close();
    dso.close();
    await server.close();

    // Restart on the same store and check every acknowledged solution, then every stored one.
    server = await startServer({ ...serverOptions, port: 0 });
    const admin = new MarketClient(server.address, { token: tokenOf("admin") });
    let readable = 0;
    let missing = 0;
    let different = 0;
    const ids = [...acked.keys()];
    let next = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next < ids.length) {
          const id = ids[next++];
          try {
            const solution = await admin.getSolution(id, "SOLUTION_VIEW_FULL", timeout);
            if (digest(solution) === acked.get(id)!.digest) readable++;
            else different++;
          } catch {
            missing++;
          }
        }
      }),
    );
    admin.close();
    log(`acknowledged ${acked.size}: ${readable} readable and identical, ${missing} missing, ${different} different`);
    const codec = messageCodec();
    let stored = 0;
    let storedSolved = 0;
    let certified = 0;
    const certificateFailures: string[] = [];
    for (const entry of server.store.entries()) {
      stored++;
      if (entry.status !== "SOLVE_STATUS_SOLVED") continue;
      storedSolved++;
      try {
        const cert = await certifyStoredSolution(
          codec.decodeRequest(entry.request),
          codec.decodeSolution(entry.solution),
        );
        if (cert.passed) certified++;
        else
          certificateFailures.push(
            `${entry.id}: price violation ${cert.maxPriceViolation}, reciprocity ${cert.maxReciprocityViolation}, bounds ${cert.maxBoundViolation}`,
          );
      } catch (err) {
        certificateFailures.push(`${entry.id}: ${(err as Error).message}`);
      }
    }
    log(`stored ${stored}, SOLVED ${storedSolved}, certified ${certified}, failed ${certificateFailures.length}`);
    const integrity = server.store.integrityCheck();
    const interrupted = server.interrupted.length;

    const kindResults: KindResult[] = kinds.map((k) => {
      const c = recorder.counts.get(k.name) ?? { requests: 0, expected: 0, rejected: 0, unexpected: 0 };
      const l = (recorder.latencies.get(k.name) ?? []).sort((a, b) => a - b);
      return { kind: k.name, ...c, p50Ms: percentile(l, 0.5), p99Ms: percentile(l, 0.99) };
    });
    const all = [...recorder.latencies.values()].flat().sort((a, b) => a - b);
    const requests = kindResults.reduce((s, k) => s + k.requests, 0);
    const rejected = kindResults.reduce((s, k) => s + k.rejected, 0);
    const unexpected = kindResults.reduce((s, k) => s + k.unexpected, 0);
    return {
      clients: nClients,
      workers,
      cpus: availableParallelism(),
      seconds,
      requests,
      requestsPerSecond: requests / seconds,
      solvesPerSecond: solved / seconds,
      p50Ms: percentile(all, 0.5),
      p99Ms: percentile(all, 0.99),
      cpuShare: (cpu.user + cpu.system) / 1e6 / (seconds * availableParallelism()),
      rejected,
      unexpected,
      kinds: kindResults,
      unexpectedSamples: recorder.samples,
      acknowledged: acked.size,
      readable,
      missing,
      different,
      stored,
      storedSolved,
      certified,
      certificateFailures: certificateFailures.slice(0, 20),
      integrity,
      interrupted,
      passed:
        unexpected === 0 &&
        missing === 0 &&
        different === 0 &&
        certificateFailures.length === 0 &&
        integrity === "ok" &&
        interrupted === 0,
    };
  } finally {
    for (const c of clients) c.client.close();
    anonymous.close();
    dso.close();
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
