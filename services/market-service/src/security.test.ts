import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { status, type ServiceError } from "@grpc/grpc-js";
import type { Market } from "@peermarket/model";
import { case39bMarket } from "./case39b.js";
import { MarketClient } from "./client.js";
import { askReflection } from "./reflection-client.js";
import { makeSelfSigned } from "./testing/certificates.js";
import { smallMarket, startTestService, type TestService } from "./test-support.js";

const TOKENS = {
  acme: "acme-aggregator-token-0123456789",
  globex: "globex-aggregator-token-0123456789",
  dso: "dso-north-token-0123456789abcdef",
  admin: "admin-token-0123456789abcdefghij",
};

function authFile(dir: string): string {
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
  return path;
}

const code = (expected: status) => (err: ServiceError) => {
  assert.equal(err.code, expected, `${status[err.code]}: ${err.details}`);
  return true;
};

/** A market whose costs are numbers that appear nowhere else, to look for them in the logs. */
function secretMarket(name: string): Market {
  const m = smallMarket(name);
  m.agents = m.agents.map((a, i) => ({
    ...a,
    costLinear: a.costLinear + 0.123456789 * (i + 1),
    costQuadratic: 2.718281 + i,
  }));
  return m;
}

describe("bearer tokens and roles", () => {
  let svc: TestService;
  let dir: string;
  const clients: Record<string, MarketClient> = {};
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "peermarket-auth-"));
    svc = await startTestService({ workers: 2, authFile: authFile(dir) });
    for (const [who, token] of Object.entries(TOKENS)) clients[who] = new MarketClient(svc.server.address, { token });
  });
  after(async () => {
    for (const c of Object.values(clients)) c.close();
    await svc.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test("no token or an unknown token: UNAUTHENTICATED on every MarketService method", async () => {
    const wrong = new MarketClient(svc.server.address, { token: "not-a-known-token-at-all" });
    try {
      for (const client of [svc.client, wrong]) {
        await assert.rejects(client.solveMarket({ market: smallMarket("anon") }), code(status.UNAUTHENTICATED));
        await assert.rejects(client.streamSolveMarket({ market: smallMarket("anon") }), code(status.UNAUTHENTICATED));
        await assert.rejects(client.getSolution("sol_01ARZ3NDEKTSV4RRFFQ69G5FAV"), code(status.UNAUTHENTICATED));
        await assert.rejects(client.listSolutions({}), code(status.UNAUTHENTICATED));
        await assert.rejects(client.getNetworkCharges("sol_01ARZ3NDEKTSV4RRFFQ69G5FAV"), code(status.UNAUTHENTICATED));
      }
    } finally {
      wrong.close();
    }
  });

  test("health and reflection stay open without a token", async () => {
    assert.equal(await svc.client.checkHealth(""), "SERVING");
    const [list] = await askReflection(svc.server.address, [{ list_services: "*" }]);
    assert.ok(list.list_services_response?.service.some((s) => s.name === "peermarket.v1.MarketService"));
  });

  test("aggregators solve and read their own tenant's solutions only", async () => {
    const mine = await clients.acme.solveMarket({ market: { ...case39bMarket(), name: "acme-market" } });
    assert.deepEqual(await clients.acme.getSolution(mine.id), mine);
    assert.ok((await clients.acme.getNetworkCharges(mine.id)).lines.length > 0);
    await assert.rejects(clients.globex.getSolution(mine.id), code(status.PERMISSION_DENIED));
    await assert.rejects(clients.globex.getSolution(mine.id, "SOLUTION_VIEW_BASIC"), code(status.PERMISSION_DENIED));
    await assert.rejects(clients.globex.getNetworkCharges(mine.id), code(status.PERMISSION_DENIED));
    await assert.rejects(
      clients.globex.solveMarket({
        market: { ...case39bMarket(), name: "acme-market" },
        settings: { warmStartSolutionId: mine.id },
      }),
      code(status.PERMISSION_DENIED),
    );
    const theirs = await clients.globex.solveMarket({ market: smallMarket("globex-market") });
    const acmeList = (await clients.acme.listSolutions({ pageSize: 1000 })).solutions.map((s) => s.id);
    const globexList = (await clients.globex.listSolutions({ pageSize: 1000 })).solutions.map((s) => s.id);
    assert.ok(acmeList.includes(mine.id) && !acmeList.includes(theirs.id));
    assert.ok(globexList.includes(theirs.id) && !globexList.includes(mine.id));
    // the same tenant may warm start from its own solution
    const warm = await clients.acme.solveMarket({
      market: { ...case39bMarket(), name: "acme-market" },
      settings: { warmStartSolutionId: mine.id },
    });
    assert.equal(warm.status, "SOLVE_STATUS_SOLVED");
  });

  test("the dso reads network-charge reports and BASIC views of any tenant, never agents' costs or requests", async () => {
    const solution = await clients.acme.solveMarket({ market: { ...case39bMarket(), name: "dso-visible" } });
    const report = await clients.dso.getNetworkCharges(solution.id);
    assert.equal(report.solutionId, solution.id);
    assert.ok(report.lines.length > 0 && report.agents.length > 0);
    const basic = await clients.dso.getSolution(solution.id, "SOLUTION_VIEW_BASIC");
    assert.equal(basic.agents.length, 0);
    assert.equal(basic.trades.length, 0);
    await assert.rejects(clients.dso.getSolution(solution.id), code(status.PERMISSION_DENIED));
    await assert.rejects(clients.dso.getSolution(solution.id, "SOLUTION_VIEW_FULL"), code(status.PERMISSION_DENIED));
    await assert.rejects(clients.dso.listSolutions({ view: "SOLUTION_VIEW_FULL" }), code(status.PERMISSION_DENIED));
    const listed = await clients.dso.listSolutions({ pageSize: 1000 });
    assert.ok(listed.solutions.some((s) => s.id === solution.id));
    assert.ok(listed.solutions.every((s) => s.agents.length === 0 && s.trades.length === 0));
    await assert.rejects(clients.dso.solveMarket({ market: smallMarket("dso-solve") }), code(status.PERMISSION_DENIED));
    await assert.rejects(
      clients.dso.streamSolveMarket({ market: smallMarket("dso-solve") }),
      code(status.PERMISSION_DENIED),
    );
  });

  test("the admin reads every tenant's solutions in full", async () => {
    const solution = await clients.globex.solveMarket({ market: smallMarket("admin-visible") });
    assert.deepEqual(await clients.admin.getSolution(solution.id), solution);
    const all = (await clients.admin.listSolutions({ pageSize: 1000 })).solutions.map((s) => s.id);
    assert.ok(all.includes(solution.id));
    assert.equal(
      (await clients.admin.solveMarket({ market: smallMarket("admin-solve") })).status,
      "SOLVE_STATUS_SOLVED",
    );
  });

  test("the logs hold neither tokens nor cost data", async () => {
    const solved = await clients.acme.solveMarket({ market: secretMarket("secret-costs") });
    await clients.acme.streamSolveMarket({ market: secretMarket("secret-costs") });
    const bad = secretMarket("secret-invalid");
    bad.agents[1] = { ...bad.agents[1], powerMin: 987.654321, powerMax: -987.654321 };
    await assert.rejects(clients.acme.solveMarket({ market: bad }), code(status.INVALID_ARGUMENT));
    await assert.rejects(clients.globex.getSolution(solved.id), code(status.PERMISSION_DENIED));
    const wrong = new MarketClient(svc.server.address, { token: "a-wrong-token-that-must-not-be-logged" });
    await assert.rejects(wrong.listSolutions({}), code(status.UNAUTHENTICATED));
    wrong.close();
    const text = svc.logs.map((l) => JSON.stringify(l)).join("\n");
    for (const token of [...Object.values(TOKENS), "a-wrong-token-that-must-not-be-logged"])
      assert.ok(!text.includes(token), "a token in the logs");
    for (const secret of ["123456789", "2.718281", "987.654321", "246913578"])
      assert.ok(!text.includes(secret), `cost data ${secret} in the logs`);
    // what the lines do say: who called, and which field was invalid
    assert.ok(svc.logs.some((l) => l.client === "acme-ops" && l.market === "secret-costs" && l.code === "OK"));
    assert.ok(
      svc.logs.some((l) => l.code === "INVALID_ARGUMENT" && String(l.fields).includes("market.agents[1].powerMin")),
    );
  });

  test("an auth file with a bad entry is refused at start-up with a message naming the entry", async () => {
    const path = join(dir, "bad.json");
    writeFileSync(path, JSON.stringify({ tokens: [{ name: "x", token: "short", role: "aggregator", tenant: "t" }] }));
    await assert.rejects(startTestService({ authFile: path }), /auth file .*bad\.json: tokens\[0\]\.token: too short/);
    writeFileSync(
      path,
      JSON.stringify({ tokens: [{ name: "x", token: "long-enough-token-123", role: "aggregator" }] }),
    );
    await assert.rejects(startTestService({ authFile: path }), /tokens\[0\]\.tenant: required for an aggregator/);
    writeFileSync(path, JSON.stringify({ tokens: [{ name: "x", token: "long-enough-token-123", role: "owner" }] }));
    await assert.rejects(
      startTestService({ authFile: path }),
      /tokens\[0\]\.role: expected one of aggregator, dso, admin/,
    );
  });
});

describe("TLS", () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "peermarket-tls-"));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test("with a certificate: TLS clients that trust it solve, plaintext clients cannot connect", async () => {
    const server = await makeSelfSigned(dir, "server");
    const svc = await startTestService({ workers: 1, tlsCert: server.certPath, tlsKey: server.keyPath });
    const secure = new MarketClient(svc.server.address, { tls: { ca: server.certPath } });
    try {
      assert.equal(svc.server.tls, true);
      assert.equal((await secure.solveMarket({ market: smallMarket("over-tls") })).status, "SOLVE_STATUS_SOLVED");
      assert.equal(await secure.checkHealth(""), "SERVING");
      await assert.rejects(
        svc.client.listSolutions({}, { timeoutMs: 3000 }),
        (err: ServiceError) => err.code === status.UNAVAILABLE || err.code === status.DEADLINE_EXCEEDED,
      );
      const untrusting = new MarketClient(svc.server.address, { tls: {} });
      await assert.rejects(
        untrusting.listSolutions({}, { timeoutMs: 3000 }),
        (err: ServiceError) => err.code === status.UNAVAILABLE || err.code === status.DEADLINE_EXCEEDED,
      );
      untrusting.close();
    } finally {
      secure.close();
      await svc.stop();
    }
  });

  test("with --tls-ca: only clients presenting a certificate it signed get in", async () => {
    const server = await makeSelfSigned(dir, "server-mtls");
    const client = await makeSelfSigned(dir, "client");
    const svc = await startTestService({
      workers: 1,
      tlsCert: server.certPath,
      tlsKey: server.keyPath,
      tlsCa: client.certPath,
    });
    const withCert = new MarketClient(svc.server.address, {
      tls: { ca: server.cert, cert: client.cert, key: client.key },
    });
    const withoutCert = new MarketClient(svc.server.address, { tls: { ca: server.cert } });
    try {
      assert.equal((await withCert.solveMarket({ market: smallMarket("mtls") })).status, "SOLVE_STATUS_SOLVED");
      await assert.rejects(
        withoutCert.listSolutions({}, { timeoutMs: 3000 }),
        (err: ServiceError) => err.code === status.UNAVAILABLE || err.code === status.DEADLINE_EXCEEDED,
      );
    } finally {
      withCert.close();
      withoutCert.close();
      await svc.stop();
    }
  });

  test("TLS options without their partner or unreadable files are refused with a clear message", async () => {
    const server = await makeSelfSigned(dir, "partial");
    await assert.rejects(startTestService({ tlsCert: server.certPath }), /TLS needs both --tls-cert and --tls-key/);
    await assert.rejects(startTestService({ tlsCa: server.certPath }), /--tls-ca needs --tls-cert and --tls-key/);
    await assert.rejects(
      startTestService({ tlsCert: join(dir, "missing.crt"), tlsKey: server.keyPath }),
      /TLS certificate .*missing\.crt: ENOENT/,
    );
  });

  test("binding beyond loopback without TLS or tokens logs warnings", async () => {
    const svc = await startTestService({ workers: 1, host: "0.0.0.0" });
    try {
      assert.ok(svc.logs.some((l) => l.level === "warn" && l.msg === "insecure"));
      assert.ok(svc.logs.some((l) => l.level === "warn" && l.msg === "unauthenticated"));
    } finally {
      await svc.stop();
    }
  });
});
