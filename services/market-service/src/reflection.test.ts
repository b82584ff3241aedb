import { test, describe, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { case39bMarket } from "./case39b.js";
import { marketToJson } from "@peermarket/model";
import { DescriptorIndex, descriptorSetBytes, DESCRIPTOR_SET_PATH, splitDescriptorSet } from "./reflection.js";
import { askReflection } from "./reflection-client.js";
import { startTestService, type TestService } from "./test-support.js";

const run = promisify(execFile);
const require = createRequire(import.meta.url);
const BUF = join(dirname(require.resolve("@bufbuild/buf/package.json")), "bin", "buf");
const BUILD_SCRIPT = fileURLToPath(new URL("../scripts/build-descriptors.mjs", import.meta.url));

/** `buf curl` through server reflection: the JSON replies (one per message), or the failure. */
async function bufCurl(address: string, method: string, body: unknown): Promise<unknown[]> {
  const { stdout } = await run(
    BUF,
    [
      "curl",
      "--protocol",
      "grpc",
      "--http2-prior-knowledge",
      "--emit-defaults",
      "-d",
      JSON.stringify(body),
      `http://${address}/${method}`,
    ],
    {
      timeout: 60_000,
      maxBuffer: 64 << 20,
    },
  );
  // One JSON document per message; streaming replies are concatenated objects.
  const docs: unknown[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  for (let i = 0; i < stdout.length; i++) {
    const c = stdout[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === "{") {
      if (depth++ === 0) start = i;
    } else if (c === "}" && --depth === 0) docs.push(JSON.parse(stdout.slice(start, i + 1)));
  }
  return docs;
}

test("the committed descriptor set is what `buf build` makes of the .proto files now (run services/market-service/scripts/build-descriptors.mjs after a .proto change)", async () => {
  const dir = mkdtempSync(join(tmpdir(), "peermarket-descriptors-"));
  try {
    const fresh = join(dir, "fresh.binpb");
    await run(process.execPath, [BUILD_SCRIPT, fresh], { timeout: 120_000 });
    assert.ok(
      readFileSync(fresh).equals(readFileSync(DESCRIPTOR_SET_PATH)),
      `${DESCRIPTOR_SET_PATH} is stale: run node services/market-service/scripts/build-descriptors.mjs`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the descriptor index finds services, methods, nested messages and files with their imports", () => {
  const set = descriptorSetBytes();
  const index = new DescriptorIndex(set);
  assert.ok(splitDescriptorSet(set).length >= 8);
  for (const s of [
    "peermarket.v1.MarketService",
    "peermarket.v1.MarketService.SolveMarket",
    "peermarket.v1.Agent",
    "peermarket.v1.Agent.AttributesEntry",
    "grpc.health.v1.Health",
  ]) {
    assert.ok(index.has(s), s);
  }
  assert.equal(index.has("peermarket.v1.Nope"), false);
  assert.ok(
    (index.fileContainingSymbol("peermarket.v1.MarketService")?.length ?? 0) >= 4,
    "market_service.proto and its imports",
  );
  assert.equal(index.fileByFilename("nope.proto"), null);
});

describe("server reflection answers a real reflection client (buf curl) for every RPC", () => {
  let svc: TestService;
  before(async () => {
    svc = await startTestService({ workers: 1 });
  });
  after(async () => {
    await svc.stop();
  });

  test("reflection lists exactly the services the server implements", async () => {
    const { stdout } = await run(
      BUF,
      ["curl", "--protocol", "grpc", "--http2-prior-knowledge", "--list-services", `http://${svc.server.address}`],
      { timeout: 30_000 },
    );
    assert.deepEqual(stdout.trim().split("\n").sort(), [
      "grpc.health.v1.Health",
      "grpc.reflection.v1.ServerReflection",
      "grpc.reflection.v1alpha.ServerReflection",
      "peermarket.v1.MarketService",
    ]);
    const [list] = await askReflection(svc.server.address, [{ list_services: "*" }]);
    assert.ok(
      !list.list_services_response?.service.some((s) => s.name.includes("Negotiation") || s.name.includes("Shard")),
      "no service `serve` does not implement",
    );
  });

  test("every MarketService RPC and the health check, called through reflection", async () => {
    const address = svc.server.address;
    const market = {
      ...marketToJson({ ...case39bMarket(), name: "reflected" }),
      charges: { design: "CHARGE_DESIGN_ELECTRICAL_DISTANCE", unitFee: 10 },
    };
    const [solved] = (await bufCurl(address, "peermarket.v1.MarketService/SolveMarket", { market })) as {
      id: string;
      status: string;
      trades: { power: number; price: number }[];
    }[];
    assert.equal(solved.status, "SOLVE_STATUS_SOLVED");
    assert.match(solved.id, /^sol_/);
    assert.ok(
      solved.trades.every((t) => typeof t.power === "number"),
      "--emit-defaults: every trade has its power",
    );
    const id = solved.id;
    // filled in by the CompareMechanisms call (the descriptors list it before GetComparison)
    const comparison = { id: "" };
    const bodies: Record<string, { body: unknown; check: (replies: unknown[]) => void }> = {
      SolveMarket: {
        body: { market },
        check: (r) => assert.equal((r[0] as { status: string }).status, "SOLVE_STATUS_SOLVED"),
      },
      StreamSolveMarket: {
        body: { market, progressInterval: 5 },
        check: (r) => {
          assert.ok(r.length >= 2, `progress events and the solution, got ${r.length}`);
          assert.equal((r[r.length - 1] as { solution?: { status: string } }).solution?.status, "SOLVE_STATUS_SOLVED");
        },
      },
      GetSolution: {
        body: { id, view: "SOLUTION_VIEW_FULL" },
        check: (r) => assert.equal((r[0] as { id: string }).id, id),
      },
      ListSolutions: {
        body: { pageSize: 5 },
        check: (r) => assert.ok((r[0] as { solutions: { id: string }[] }).solutions.some((s) => s.id === id)),
      },
      GetNetworkCharges: {
        body: { solutionId: id },
        check: (r) => assert.ok((r[0] as { totalCollected: number }).totalCollected > 0),
      },
      ListSolutionTrades: {
        body: { solutionId: id, pageSize: 3 },
        check: (r) => assert.equal((r[0] as { trades: unknown[] }).trades.length, 3),
      },
      CompareMechanisms: {
        body: {
          market: {
            name: "two homes",
            agents: [
              { id: "pv", costLinear: 5, powerMax: 3 },
              { id: "home", costQuadratic: 1, costLinear: 50, powerMin: -4 },
            ],
            grid: { importPrice: 100, exportPrice: 10 },
          },
          skipCore: true,
        },
        check: (r) => {
          const reply = r[0] as { status: string; id: string };
          assert.equal(reply.status, "SOLVE_STATUS_SOLVED");
          assert.match(reply.id, /^cmp_/);
          comparison.id = reply.id;
        },
      },
      GetComparison: {
        body: comparison,
        check: (r) => {
          assert.notEqual(comparison.id, "", "CompareMechanisms ran first");
          const reply = r[0] as { id: string; marketName: string };
          assert.equal(reply.id, comparison.id);
          assert.equal(reply.marketName, "two homes");
        },
      },
    };
    // Every RPC the descriptors define: a new RPC without a call here fails the test.
    const index = new DescriptorIndex(descriptorSetBytes());
    const methods = index.methodsOf("peermarket.v1.MarketService");
    assert.ok(methods.length >= 5);
    for (const m of methods) {
      const call = bodies[m];
      assert.ok(call, `no reflection call for MarketService/${m}: add one`);
      call.check(await bufCurl(address, `peermarket.v1.MarketService/${m}`, call.body));
    }
    const [health] = (await bufCurl(address, "grpc.health.v1.Health/Check", {
      service: "peermarket.v1.MarketService",
    })) as { status: string }[];
    assert.equal(health.status, "SERVING");
    // the older protocol (grpc.reflection.v1alpha) serves the same descriptors
    const { stdout } = await run(
      BUF,
      [
        "curl",
        "--protocol",
        "grpc",
        "--http2-prior-knowledge",
        "--reflect-protocol",
        "grpc-v1alpha",
        "-d",
        JSON.stringify({ pageSize: 1 }),
        `http://${address}/peermarket.v1.MarketService/ListSolutions`,
      ],
      { timeout: 30_000 },
    );
    assert.equal((JSON.parse(stdout) as { solutions: unknown[] }).solutions.length, 1);
  });
});
