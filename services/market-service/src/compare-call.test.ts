import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Metadata, status, type ServiceError } from "@grpc/grpc-js";
import { loadScenarioText, type Market, type SolverSettings } from "@peermarket/model";
import { MarketClient } from "./client.js";
import { silentLogger } from "./logger.js";
import { startServer } from "./server.js";
import { rpcStatus } from "./status-error.js";
import { smallMarket, startTestService, type TestService } from "./test-support.js";
import { MAX_ID_BYTES } from "./wire.js";

const communityFile = fileURLToPath(new URL("../../../examples/community.json", import.meta.url));

interface Response {
  marketName: string;
  status: string;
  members: { memberId: string }[];
  mechanisms: {
    mechanism: string;
    budgetImbalance: number;
    leavingMemberIds: string[];
    bills: { memberId: string; saving: number; individuallyRational: boolean }[];
    core: {
      method: string;
      examined: number;
      blockingCount: number;
      summary: string;
      blocking: { memberIds: string[] }[];
    };
  }[];
  coreMethod: string;
}

function compare(svc: TestService, request: unknown): Promise<Response> {
  const raw = svc.client.raw as unknown as Record<
    string,
    (r: unknown, cb: (err: ServiceError | null, res: Response) => void) => void
  >;
  return new Promise((resolve, reject) =>
    raw.CompareMechanisms.call(svc.client.raw, request, (err, res) => (err ? reject(err) : resolve(res))),
  );
}

describe("CompareMechanisms", () => {
  let svc: TestService;
  before(async () => {
    svc = await startTestService();
  });
  after(async () => {
    await svc.stop();
  });

  test("compares the five rules on the bundled community, exact core test", async () => {
    const market = loadScenarioText(readFileSync(communityFile, "utf8"), "community.json") as Market;
    const res = await compare(svc, { market });
    assert.equal(res.marketName, "feeder-community");
    assert.equal(res.status, "SOLVE_STATUS_SOLVED");
    assert.equal(res.coreMethod, "CORE_TEST_METHOD_EXACT");
    assert.equal(res.members.length, 7);
    assert.deepEqual(
      res.mechanisms.map((m) => m.mechanism),
      [
        "MECHANISM_GRID_ONLY",
        "MECHANISM_BILL_SHARING",
        "MECHANISM_MID_MARKET",
        "MECHANISM_SUPPLY_DEMAND_RATIO",
        "MECHANISM_BILATERAL",
      ],
    );
    for (const m of res.mechanisms) assert.ok(m.budgetImbalance < 1e-9, `${m.mechanism}: ${m.budgetImbalance}`);
    const bilateral = res.mechanisms[4];
    assert.deepEqual(bilateral.leavingMemberIds, []);
    assert.equal(bilateral.core.examined, 127);
    assert.equal(bilateral.core.blockingCount, 0);
    const billSharing = res.mechanisms[1];
    assert.deepEqual(billSharing.leavingMemberIds, ["pv-school", "pv-farm", "chp-hospital", "battery"]);
    assert.ok(billSharing.core.blockingCount > 0);
    assert.match(billSharing.core.summary, /not in the core/);
    // The log line names the call, never the market's data.
    assert.ok(svc.logs.some((l) => l.method === "CompareMechanisms" && l.code === "OK"));
  });

  test("a market without a grid is INVALID_ARGUMENT naming market.grid", async () => {
    const market = {
      name: "x",
      agents: [
        { id: "a", powerMax: 1, costLinear: 1 },
        { id: "b", powerMin: -1, costLinear: 50 },
      ],
    };
    await assert.rejects(
      compare(svc, { market }),
      (err: ServiceError) => err.code === status.INVALID_ARGUMENT && /market\.grid/.test(err.details),
    );
  });

  test("a two-period market is compared, and so is one with storage (grid only of the battery hand-checked)", async () => {
    const market = {
      name: "two hours",
      agents: [
        { id: "a", powerMax: 1, costLinear: 1, costQuadratic: 1 },
        { id: "b", powerMin: -1, costLinear: 50, costQuadratic: 1, costLinearProfile: [50, 90] },
      ],
      grid: { importPrice: 100, exportPrice: 10 },
      horizon: { periods: 2, periodHours: 1 },
    };
    const res = (await compare(svc, { market })) as Response & { periods: number };
    assert.equal(res.periods, 2);
    assert.equal(res.mechanisms[4].core.blockingCount, 0);
    // A battery (η = 0.9 both ways, θ = 2 €/MWh) and a grid whose prices rise: alone it buys 1 MW at
    // 20 €/MWh and sells the 0.81 MW that come back at 90: 22 + 1.62 − 72.9 = −49.28 €.
    const withStorage = {
      ...market,
      agents: [
        ...market.agents,
        {
          id: "battery",
          storage: {
            energyCapacity: 10,
            chargeMax: 1,
            dischargeMax: 1,
            chargeEfficiency: 0.9,
            dischargeEfficiency: 0.9,
            socInitial: 0,
            throughputCost: 2,
          },
        },
      ],
      grid: { importPrice: 20, exportPrice: 10, importPriceProfile: [20, 100], exportPriceProfile: [10, 90] },
    };
    const res2 = (await compare(svc, {
      market: withStorage,
      settings: { epsAbs: 1e-10, epsRel: 1e-9, maxIter: 400000 },
    })) as Response & {
      periods: number;
      status: string;
    };
    assert.equal(res2.status, "SOLVE_STATUS_SOLVED");
    assert.equal(res2.periods, 2);
    const bat = (res2.members as unknown as { memberId: string; gridOnlyCost: number }[]).find(
      (m) => m.memberId === "battery",
    )!;
    assert.ok(Math.abs(bat.gridOnlyCost + 49.28) < 1e-6, `battery alone: ${bat.gridOnlyCost}`);
    assert.equal(res2.mechanisms[4].core.method, "CORE_TEST_METHOD_EXACT");
    assert.equal(res2.mechanisms[4].core.blockingCount, 0);
    for (const m of res2.mechanisms) assert.ok(m.budgetImbalance < 1e-9, `${m.mechanism}: ${m.budgetImbalance}`);
    // The schedule slack is the package's own figure, carried over the wire: with a loose, unpolished
    // clearing it is positive (a tight one leaves none).
    const loose = { epsAbs: 1e-3, epsRel: 1e-3, polish: false };
    const res3 = (await compare(svc, { market: withStorage, settings: loose })) as unknown as { scheduleSlack: number };
    const { compareMechanisms } = await import("@peermarket/mechanisms");
    const direct = await compareMechanisms(loadScenarioText(JSON.stringify(withStorage), "storage.json") as Market, {
      settings: loose as Partial<SolverSettings> as SolverSettings,
    });
    assert.ok(direct.stability.scheduleSlack > 0, `package slack ${direct.stability.scheduleSlack}`);
    assert.ok(
      Math.abs(res3.scheduleSlack - direct.stability.scheduleSlack) <= 1e-9 * (1 + direct.stability.scheduleSlack),
      `wire ${res3.scheduleSlack}, package ${direct.stability.scheduleSlack}`,
    );
  });

  test("an invalid market is INVALID_ARGUMENT naming the field", async () => {
    const market = {
      name: "x",
      agents: [{ id: "a", powerMin: 5, powerMax: -5 }],
      grid: { importPrice: 100, exportPrice: 10 },
    };
    await assert.rejects(
      compare(svc, { market }),
      (err: ServiceError) => err.code === status.INVALID_ARGUMENT && /agents\[0\]/.test(err.details),
    );
  });
});

const TOKENS = {
  acme: "acme-aggregator-token-0123456789",
  globex: "globex-aggregator-token-0123456789",
  dso: "dso-north-token-0123456789abcdef",
  admin: "admin-token-0123456789abcdefghij",
};

/** A two-member community with a grid: small enough to compare with the exact core test in milliseconds. */
const twoHomes = {
  name: "two homes",
  agents: [
    { id: "pv", costLinear: 5, powerMax: 3 },
    { id: "home", costQuadratic: 1, costLinear: 50, powerMin: -4 },
  ],
  grid: { importPrice: 100, exportPrice: 10 },
};

/** Calls a MarketService method of `client` (with its bearer token, if any). */
function callRaw<T>(client: MarketClient, method: string, request: unknown, token?: string): Promise<T> {
  const raw = client.raw as unknown as Record<
    string,
    (r: unknown, m: Metadata, cb: (err: ServiceError | null, res: T) => void) => void
  >;
  const metadata = new Metadata();
  if (token !== undefined) metadata.set("authorization", `Bearer ${token}`);
  return new Promise((resolve, reject) =>
    raw[method].call(client.raw, request, metadata, (err, res) => (err ? reject(err) : resolve(res))),
  );
}

const withCode = (expected: status, pattern?: RegExp) => (err: ServiceError) => {
  assert.equal(err.code, expected, `${status[err.code]}: ${err.details}`);
  if (pattern) assert.match(err.details, pattern);
  return true;
};

describe("stored comparisons (GetComparison)", () => {
  let svc: TestService;
  let dir: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "peermarket-compare-auth-"));
    const path = join(dir, "tokens.json");
    writeFileSync(
      path,
      JSON.stringify({
        tokens: [
          { name: "acme-ops", token: TOKENS.acme, role: "aggregator", tenant: "acme" },
          { name: "globex-ops", token: TOKENS.globex, role: "aggregator", tenant: "globex" },
          { name: "dso-north", token: TOKENS.dso, role: "dso" },
          { name: "root", token: TOKENS.admin, role: "admin" },
        ],
      }),
    );
    svc = await startTestService({ authFile: path });
  });
  after(async () => {
    await svc.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test("a comparison is stored: GetComparison returns it field for field, with its id, time and schedule slack", async () => {
    const before = Date.now();
    const res = await callRaw<Record<string, unknown> & { id: string; createTime: string; scheduleSlack: number }>(
      svc.client,
      "CompareMechanisms",
      { market: twoHomes },
      TOKENS.acme,
    );
    assert.match(res.id, /^cmp_[0-9A-HJKMNP-TV-Z]{26}$/);
    const created = Date.parse(res.createTime);
    assert.ok(created >= before - 1000 && created <= Date.now(), res.createTime);
    assert.equal(typeof res.scheduleSlack, "number");
    assert.equal(res.scheduleSlack, 0, "no storage: no schedule slack");
    assert.equal(res.marketName, "two homes");
    assert.ok((res.mechanisms as unknown[]).length === 5);
    const stored = await callRaw<Record<string, unknown>>(svc.client, "GetComparison", { id: res.id }, TOKENS.acme);
    assert.deepEqual(stored, res);
    // the admin reads it too; a second comparison gets another id
    assert.deepEqual(await callRaw(svc.client, "GetComparison", { id: res.id }, TOKENS.admin), res);
    const again = await callRaw<{ id: string }>(svc.client, "CompareMechanisms", { market: twoHomes }, TOKENS.acme);
    assert.notEqual(again.id, res.id);
    assert.ok(svc.logs.some((l) => l.method === "GetComparison" && l.code === "OK"));
  });

  test("another tenant gets PERMISSION_DENIED, as for GetSolution; the dso reads no comparison", async () => {
    const res = await callRaw<{ id: string }>(svc.client, "CompareMechanisms", { market: twoHomes }, TOKENS.acme);
    await assert.rejects(
      callRaw(svc.client, "GetComparison", { id: res.id }, TOKENS.globex),
      withCode(status.PERMISSION_DENIED, /another tenant/),
    );
    await assert.rejects(
      callRaw(svc.client, "GetComparison", { id: res.id }, TOKENS.dso),
      withCode(status.PERMISSION_DENIED),
    );
    await assert.rejects(callRaw(svc.client, "GetComparison", { id: res.id }), withCode(status.UNAUTHENTICATED));
    // GetSolution answers another tenant the same way
    const solved = await callRaw<{ id: string }>(
      svc.client,
      "SolveMarket",
      { market: smallMarket("acme-only") },
      TOKENS.acme,
    );
    await assert.rejects(
      callRaw(svc.client, "GetSolution", { id: solved.id }, TOKENS.globex),
      withCode(status.PERMISSION_DENIED),
    );
  });

  test("an unknown id is NOT_FOUND with a ResourceInfo; no id is INVALID_ARGUMENT; an overlong id is refused on the wire", async () => {
    const unknown = "cmp_01ARZ3NDEKTSV4RRFFQ69G5FAV";
    await assert.rejects(callRaw(svc.client, "GetComparison", { id: unknown }, TOKENS.acme), (err: ServiceError) => {
      assert.equal(err.code, status.NOT_FOUND, err.details);
      const details = rpcStatus(err.metadata);
      assert.deepEqual(
        details?.details.resourceInfo.map((r) => [r.resourceType, r.resourceName]),
        [["peermarket.v1.CompareMechanismsResponse", unknown]],
      );
      return true;
    });
    // a solution id is not a comparison id
    const solved = await callRaw<{ id: string }>(
      svc.client,
      "SolveMarket",
      { market: smallMarket("not-a-comparison") },
      TOKENS.acme,
    );
    await assert.rejects(
      callRaw(svc.client, "GetComparison", { id: solved.id }, TOKENS.acme),
      withCode(status.NOT_FOUND),
    );
    await assert.rejects(
      callRaw(svc.client, "GetComparison", {}, TOKENS.acme),
      withCode(status.INVALID_ARGUMENT, /^id: required/),
    );
    await assert.rejects(
      callRaw(svc.client, "GetComparison", { id: "x".repeat(MAX_ID_BYTES + 1) }, TOKENS.acme),
      withCode(status.INVALID_ARGUMENT),
    );
    await assert.rejects(
      callRaw(svc.client, "GetSolution", { id: "x".repeat(MAX_ID_BYTES + 1) }, TOKENS.acme),
      withCode(status.INVALID_ARGUMENT),
    );
  });
});

test("a stored comparison survives a restart of the server", async () => {
  const dir = mkdtempSync(join(tmpdir(), "peermarket-compare-restart-"));
  const storePath = join(dir, "data", "peermarket.db");
  try {
    const first = await startServer({ host: "127.0.0.1", port: 0, storePath, workers: 1, logger: silentLogger });
    let client = new MarketClient(first.address);
    let res: Record<string, unknown> & { id: string };
    try {
      res = await callRaw(client, "CompareMechanisms", { market: twoHomes });
    } finally {
      client.close();
      await first.close();
    }
    const second = await startServer({ host: "127.0.0.1", port: 0, storePath, workers: 1, logger: silentLogger });
    client = new MarketClient(second.address);
    try {
      assert.deepEqual(await callRaw(client, "GetComparison", { id: res.id }), res);
    } finally {
      client.close();
      await second.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
