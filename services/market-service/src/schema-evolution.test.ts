import assert from "node:assert/strict";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { isAbsolute, join } from "node:path";
import { after, before, describe, it } from "node:test";
import { pathToFileURL } from "node:url";
import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";
import { type MarketServiceDefinition, ProtoJsonError, readMessage, writeMessage } from "@peermarket/model";
import { protoFiles, protoRoot } from "@peermarket/proto";
import protobuf from "protobufjs";
import { LOADER_OPTIONS, messageCodec } from "./proto.js";
import { replySolution } from "./solution-trades.js";
import { SolutionStore } from "./store.js";

/**
 * Adding a field to the API takes an edit of the .proto and nothing else at run time: a copy of
 * proto/ with three new fields (Agent.contract_ref, Agent.flex_profile, Solution.audit_note) goes
 * through the proto3 JSON reader and writer, a gRPC call and the store's binary encoding with no
 * TypeScript naming them, and the type generator emits them. What this shows: none of those
 * paths holds a hand-written list of fields. What it does not show: that the service's own
 * handlers or the solver would use a new field (they read the fields they know), or that the
 * committed types in packages/model/src/gen are current (gen-types.test.ts checks that).
 */

/** Inserts `field` at the end of the top-level `message name { … }` (closed by a "}" line). */
function addField(text: string, name: string, field: string): string {
  const lines = text.split("\n");
  const open = lines.indexOf(`message ${name} {`);
  assert.ok(open >= 0, `message ${name} not found`);
  const close = lines.indexOf("}", open);
  lines.splice(close, 0, `  ${field}`);
  return lines.join("\n");
}

let dir = "";
let scratchRoot = "";

before(() => {
  dir = mkdtempSync(join(tmpdir(), "peermarket-evolution-"));
  scratchRoot = join(dir, "proto");
  cpSync(join(protoRoot, "peermarket"), join(scratchRoot, "peermarket"), { recursive: true });
  const market = join(scratchRoot, "peermarket", "v1", "market.proto");
  let text = readFileSync(market, "utf8");
  text = addField(text, "Agent", "string contract_ref = 1000;");
  text = addField(text, "Agent", "repeated double flex_profile = 1001;");
  writeFileSync(market, text);
  const solution = join(scratchRoot, "peermarket", "v1", "solution.proto");
  writeFileSync(solution, addField(readFileSync(solution, "utf8"), "Solution", "string audit_note = 1000;"));
});

after(() => rmSync(dir, { recursive: true, force: true }));

/** The scratch copy as the service loads protos: proto-loader with the service's options. */
function scratchPackage(): grpc.GrpcObject {
  const definition = protoLoader.loadSync(protoFiles, { ...LOADER_OPTIONS, includeDirs: [scratchRoot] });
  return (grpc.loadPackageDefinition(definition).peermarket as grpc.GrpcObject).v1 as grpc.GrpcObject;
}

/** The scratch copy as the scenario reader reflects it (protobufjs, snake_case kept). */
function scratchType(name: string): protobuf.Type {
  const root = new protobuf.Root();
  root.resolvePath = (_origin, target) => (isAbsolute(target) ? target : join(scratchRoot, target));
  root.loadSync(
    protoFiles.map((f) => join(scratchRoot, f)),
    { keepCase: true },
  );
  root.resolveAll();
  return root.lookupType(`peermarket.v1.${name}`);
}

const agentJson = {
  id: "pv",
  powerMax: 4,
  costLinear: 12,
  contractRef: "ppa-17",
  flexProfile: [0.5, "Infinity", 1],
};

describe("a field added to the .proto, with no TypeScript edit", () => {
  it("round-trips through the proto3 JSON reader and writer", () => {
    const market = scratchType("Market");
    const read = readMessage(market, { name: "m", agents: [agentJson] });
    const agent = (read.agents as Record<string, unknown>[])[0];
    assert.equal(agent.contractRef, "ppa-17");
    assert.deepEqual(agent.flexProfile, [0.5, Number.POSITIVE_INFINITY, 1]);
    const written = writeMessage(market, read) as { agents: Record<string, unknown>[] };
    assert.equal(written.agents[0].contractRef, "ppa-17");
    assert.deepEqual(written.agents[0].flexProfile, [0.5, "Infinity", 1]);
    // snake_case is read too, and the new field's path is named in errors like any other
    assert.equal(
      (readMessage(market, { agents: [{ contract_ref: "x" }] }).agents as Record<string, unknown>[])[0].contractRef,
      "x",
    );
    assert.throws(
      () => readMessage(market, { agents: [{ flexProfile: ["many"] }] }),
      (e: unknown) =>
        e instanceof ProtoJsonError &&
        /expected a number/.test(e.detail) &&
        JSON.stringify(e.segments) === JSON.stringify(["agents", 0, "flexProfile", 0]),
    );
  });

  it("crosses a gRPC call both ways (proto-loader on the copy, loopback server and client)", async () => {
    const v1 = scratchPackage();
    const MarketService = v1.MarketService as grpc.ServiceClientConstructor;
    let received: Record<string, unknown> | undefined;
    const server = new grpc.Server();
    server.addService(MarketService.service, {
      SolveMarket: (
        call: grpc.ServerUnaryCall<Record<string, unknown>, unknown>,
        callback: grpc.sendUnaryData<unknown>,
      ) => {
        received = call.request;
        callback(null, { id: "sol_evolution", auditNote: "checked by the evolution test" });
      },
    });
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, p) =>
        err ? reject(err) : resolve(p),
      ),
    );
    const client = new MarketService(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    try {
      const reply = await new Promise<Record<string, unknown>>((resolve, reject) =>
        client.SolveMarket(
          { market: { name: "m", agents: [{ id: "pv", contractRef: "ppa-17", flexProfile: [0.5, 2] }] } },
          (err: grpc.ServiceError | null, value: Record<string, unknown>) => (err ? reject(err) : resolve(value)),
        ),
      );
      assert.equal(reply.auditNote, "checked by the evolution test");
      const agent = ((received?.market as Record<string, unknown>).agents as Record<string, unknown>[])[0];
      assert.equal(agent.contractRef, "ppa-17");
      assert.deepEqual(agent.flexProfile, [0.5, 2]);
    } finally {
      client.close();
      server.forceShutdown();
    }
  });

  it("is kept by the store's binary encoding, by trimmed replies, and skipped by a reader of the old schema", () => {
    const v1 = scratchPackage();
    const codec = messageCodec((v1.MarketService as unknown as { service: MarketServiceDefinition }).service);
    const request = codec.encodeRequest({
      market: { name: "m", agents: [{ id: "pv", contractRef: "ppa-17" } as object] },
    });
    const trades = Array.from({ length: 300 }, (_, i) => ({ sellerId: `s${i}`, buyerId: `b${i}`, power: 1 + i }));
    const solution = codec.encodeSolution({ id: "sol_evolution", trades, auditNote: "kept" } as object);
    const storeDir = join(dir, "store");
    const store = new SolutionStore(join(storeDir, "store.db"));
    try {
      store.insert({
        id: "sol_evolution",
        createMs: 0,
        createTime: new Date(0).toISOString(),
        marketName: "m",
        status: "SOLVE_STATUS_SOLVED",
        iterations: 1,
        agentCount: 1,
        pairCount: 300,
        solveTimeS: 0,
        setupTimeS: 0,
        queueMs: 0,
        totalMs: 0,
        request,
        summary: solution,
        solution,
        iterate: null,
      });
      const storedRequest = store.request("sol_evolution");
      const storedSolution = store.solution("sol_evolution", true);
      assert.ok(storedRequest && storedSolution);
      const agent = codec.decodeRequest(storedRequest).market?.agents[0] as unknown as Record<string, unknown>;
      assert.equal(agent.contractRef, "ppa-17");
      const decoded = codec.decodeSolution(storedSolution) as unknown as Record<string, unknown>;
      assert.equal(decoded.auditNote, "kept");
      assert.equal((decoded.trades as unknown[]).length, 300);
      // A reply over the message limit drops trades but keeps every other field, known or not.
      const trimmed = replySolution(storedSolution, 1024 + 2000);
      assert.ok(trimmed && trimmed.length < storedSolution.length);
      const cut = codec.decodeSolution(trimmed) as unknown as Record<string, unknown>;
      assert.equal(cut.auditNote, "kept");
      assert.equal(cut.tradesTruncated, true);
      // The service built from proto/ as it is reads the same bytes, without the field it does not know.
      const old = messageCodec().decodeSolution(storedSolution);
      assert.equal(old.id, "sol_evolution");
      assert.equal(old.trades.length, 300);
      assert.equal((old as unknown as Record<string, unknown>).auditNote, undefined);
    } finally {
      store.close();
    }
  });

  it("appears in the TypeScript types the generator emits for the copy", async () => {
    const script = pathToFileURL(join(protoRoot, "generate-types.mjs")).href;
    const { generate } = (await import(script)) as {
      generate: (outDir: string, o: { root: string; files: string[] }) => void;
    };
    const out = join(dir, "gen");
    generate(out, { root: scratchRoot, files: protoFiles });
    const agent = readFileSync(join(out, "peermarket", "v1", "Agent.ts"), "utf8");
    const agentOutput = agent.slice(agent.indexOf("export interface Agent__Output"));
    assert.match(agentOutput, /'contractRef': \(string\);/);
    assert.match(agentOutput, /'flexProfile': \(number\)\[\];/);
    const solution = readFileSync(join(out, "peermarket", "v1", "Solution.ts"), "utf8");
    assert.match(solution.slice(solution.indexOf("export interface Solution__Output")), /'auditNote': \(string\);/);
  });
});
