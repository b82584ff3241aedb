import { test } from "node:test";
import assert from "node:assert/strict";
import * as grpc from "@grpc/grpc-js";
import { solveMarket } from "@peermarket/market";
import { case39bMarket } from "./case39b.js";
import { fieldViolations } from "./client.js";
import { marketServiceDefinition, messageCodec } from "./proto.js";
import { smallMarket, startTestService } from "./test-support.js";
import { outlineRequest as outline, requestBudget, WireFormatError, wrapField } from "./wire.js";

const BUDGET = requestBudget({ maxAgents: 5000, maxPairs: 2_000_000 });
const outlineRequest = (bytes: Uint8Array) => outline(bytes, BUDGET);

const codec = messageCodec();

test("outlineRequest: market name, agent count and the request without its market", () => {
  const market = case39bMarket();
  const bytes = codec.encodeRequest({
    market,
    settings: { epsAbs: 1e-5, warmStartSolutionId: "sol_x" } as never,
    progressInterval: 7,
  });
  const outline = outlineRequest(bytes);
  assert.equal(outline.hasMarket, true);
  assert.equal(outline.marketName, "case39b_31a");
  assert.equal(outline.agentCount, market.agents.length);
  const header = codec.decodeRequest(outline.withoutMarket);
  assert.equal(header.market ?? null, null);
  assert.equal(header.progressInterval, 7);
  assert.equal(header.settings?.epsAbs, 1e-5);
  assert.equal(header.settings?.warmStartSolutionId, "sol_x");
  assert.ok(outline.withoutMarket.length < 40);
  assert.equal(outlineRequest(codec.encodeRequest({})).hasMarket, false);
});

test("outlineRequest rejects malformed bytes", () => {
  assert.throws(() => outlineRequest(Buffer.from([0x0a, 0x05, 0x01])), WireFormatError);
  assert.throws(() => outlineRequest(Buffer.from([0x0b])), /wire type 3/);
  assert.throws(() => outlineRequest(Buffer.from([0x80])), /truncated varint/);
  assert.throws(() => outlineRequest(Buffer.from([0x08, 0x01])), /market: wire type 0/);
});

test("wrapField makes the same bytes as encoding a SolveEvent with the solution", async () => {
  const { solution } = await solveMarket(smallMarket("wrapped"));
  const encoded = codec.encodeSolution(solution);
  // a SolveEvent whose solution is exactly the encoded one (compared decoded: re-encoding a decoded
  // Solution writes its proto3 optional fields explicitly, so the bytes may differ)
  const stream = marketServiceDefinition().StreamSolveMarket;
  assert.deepEqual(
    stream.responseDeserialize(wrapField(2, encoded)),
    stream.responseDeserialize(stream.responseSerialize({ solution: codec.decodeSolution(encoded) })),
  );
  assert.deepEqual(wrapField(2, encoded).subarray(wrapField(2, encoded).length - encoded.length), encoded);
  // lengths of more than one varint byte: 300 = 0xac 0x02
  assert.deepEqual([...wrapField(2, Buffer.alloc(300, 1)).subarray(0, 3)], [0x12, 0xac, 0x02]);
});

test("garbage bytes sent to SolveMarket: INVALID_ARGUMENT naming the request, and the service goes on", async () => {
  const svc = await startTestService({ workers: 1 });
  const raw = new grpc.Client(svc.server.address, grpc.credentials.createInsecure());
  try {
    const send = (bytes: Buffer): Promise<grpc.ServiceError> =>
      new Promise((resolve, reject) =>
        raw.makeUnaryRequest(
          "/peermarket.v1.MarketService/SolveMarket",
          (b: Buffer) => b,
          (b: Buffer) => b,
          bytes,
          (err) => (err ? resolve(err) : reject(new Error("accepted garbage"))),
        ),
      );
    for (const bytes of [
      Buffer.from([0xff, 0xff, 0xff]),
      Buffer.from([0x0a, 0x03, 0x12, 0x05, 0x00]),
      Buffer.from([0x0a, 0x02, 0x10, 0x80]),
    ]) {
      const err = await send(bytes);
      assert.equal(err.code, grpc.status.INVALID_ARGUMENT, err.details);
      assert.match(err.details, /^(request|market): not a valid peermarket\.v1\.SolveMarketRequest: /);
      assert.equal(fieldViolations(err.metadata).length, 1);
      assert.match(fieldViolations(err.metadata)[0].field, /^(request|market)$/);
    }
    assert.equal(
      (await svc.client.solveMarket({ market: smallMarket("after garbage") })).status,
      "SOLVE_STATUS_SOLVED",
    );
  } finally {
    raw.close();
    await svc.stop();
  }
});
