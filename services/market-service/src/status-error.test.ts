import { test } from "node:test";
import assert from "node:assert/strict";
import { Metadata, status } from "@grpc/grpc-js";
import protobuf from "protobufjs";
import {
  boundText,
  fieldViolations,
  MAX_DETAILS_BYTES,
  MAX_MESSAGE_CHARS,
  rpcStatus,
  solutionNotFound,
  STATUS_DETAILS_KEY,
  statusError,
  statusName,
} from "./status-error.js";

/** Reads a message's fields by number with protobufjs's low-level reader (no schema): number → values. */
function rawFields(bytes: Uint8Array): Map<number, (number | Uint8Array)[]> {
  const r = protobuf.Reader.create(bytes);
  const out = new Map<number, (number | Uint8Array)[]>();
  while (r.pos < r.len) {
    const tag = r.uint32();
    const value =
      (tag & 7) === 0 ? r.int32() : (tag & 7) === 2 ? r.bytes() : assert.fail(`unexpected wire type ${tag & 7}`);
    out.set(tag >>> 3, [...(out.get(tag >>> 3) ?? []), value]);
  }
  return out;
}

const text = (b: number | Uint8Array | undefined): string => Buffer.from(b as Uint8Array).toString("utf8");

test("field violations travel as google.rpc.BadRequest inside google.rpc.Status in grpc-status-details-bin", () => {
  const violations = [
    { field: "market.agents[2].powerMin", description: "must be ≤ powerMax (−5 > −10)" },
    { field: "market.agents[0].id", description: 'duplicate id "a"' },
  ];
  const err = statusError(status.INVALID_ARGUMENT, "market.agents[2].powerMin: bad", violations);
  assert.equal(err.code, status.INVALID_ARGUMENT);
  assert.equal(err.details, "market.agents[2].powerMin: bad");
  const metadata = err.metadata as Metadata;
  const bin = metadata.get(STATUS_DETAILS_KEY)[0] as Buffer;
  assert.ok(Buffer.isBuffer(bin));
  // the googleapis field numbers, read without our schema: Status{1 code, 2 message, 3 Any{1 type_url, 2 value}}
  const s = rawFields(bin);
  assert.deepEqual(s.get(1), [status.INVALID_ARGUMENT]);
  assert.equal(text(s.get(2)?.[0]), "market.agents[2].powerMin: bad");
  assert.equal(s.get(3)?.length, 1);
  const anyDetail = rawFields(s.get(3)![0] as Uint8Array);
  assert.equal(text(anyDetail.get(1)?.[0]), "type.googleapis.com/google.rpc.BadRequest");
  const badRequest = rawFields(anyDetail.get(2)![0] as Uint8Array);
  const decoded = (badRequest.get(1) ?? []).map((v) => {
    const f = rawFields(v as Uint8Array);
    return { field: text(f.get(1)?.[0]), description: text(f.get(2)?.[0]) };
  });
  assert.deepEqual(decoded, violations);
  assert.deepEqual(fieldViolations(metadata), violations);
  // no custom trailer any more
  assert.deepEqual(Object.keys(metadata.getMap()), [STATUS_DETAILS_KEY]);
});

test("every status carries a google.rpc.Status with its code and message, details by code", () => {
  const plain = rpcStatus(statusError(status.PERMISSION_DENIED, "no").metadata as Metadata);
  assert.deepEqual(plain, {
    code: status.PERMISSION_DENIED,
    message: "no",
    details: { badRequest: [], quotaFailure: [], preconditionFailure: [], resourceInfo: [], other: [] },
  });
  const quota = rpcStatus(
    statusError(status.RESOURCE_EXHAUSTED, "market.agents: too many", [
      { field: "market.agents", description: "too many" },
    ]).metadata as Metadata,
  );
  assert.deepEqual(quota?.details.quotaFailure, [{ subject: "market.agents", description: "too many" }]);
  assert.deepEqual(quota?.details.badRequest, []);
  const pre = rpcStatus(
    statusError(status.FAILED_PRECONDITION, "x", [{ field: "settings.warmStartSolutionId", description: "no iterate" }])
      .metadata as Metadata,
  );
  assert.deepEqual(pre?.details.preconditionFailure, [
    { type: "STORED_SOLUTION", subject: "settings.warmStartSolutionId", description: "no iterate" },
  ]);
  const missing = solutionNotFound("id", "sol_x");
  const nf = rpcStatus(missing.metadata as Metadata);
  assert.equal(nf?.code, status.NOT_FOUND);
  assert.deepEqual(
    nf?.details.resourceInfo.map((r) => [r.resourceType, r.resourceName]),
    [["peermarket.v1.Solution", "sol_x"]],
  );
  assert.deepEqual(fieldViolations(undefined), []);
  assert.equal(rpcStatus(new Metadata()), undefined);
});

test("unbounded client input is never echoed: messages, descriptions and the trailer are bounded", () => {
  const huge = "x".repeat(1_000_000);
  const missing = solutionNotFound("id", huge);
  assert.ok((missing.details ?? "").length < 200, `${missing.details?.length} characters`);
  const many = Array.from({ length: 500 }, (_, i) => ({
    field: `market.agents[${i}].id`,
    description: `duplicate id ${huge}`,
  }));
  const err = statusError(status.INVALID_ARGUMENT, `market.agents[0].id: duplicate id ${huge}`, many);
  assert.ok((err.details ?? "").length <= MAX_MESSAGE_CHARS);
  const bin = (err.metadata as Metadata).get(STATUS_DETAILS_KEY)[0] as Buffer;
  assert.ok(bin.length <= MAX_DETAILS_BYTES, `${bin.length} bytes`);
  const kept = fieldViolations(err.metadata as Metadata);
  assert.ok(kept.length > 0 && kept.length < many.length);
  assert.equal(
    rpcStatus(err.metadata as Metadata)?.message,
    err.details,
    "the Status repeats the status message exactly (grpcio-status checks it)",
  );
  assert.equal(boundText("abc", 3), "abc");
  assert.match(boundText("a".repeat(100), 40), /^a+ … \(\d+ more characters\)$/);
  assert.ok(boundText("a".repeat(100), 40).length <= 40);
});

test("status names", () => {
  assert.equal(statusName(status.RESOURCE_EXHAUSTED), "RESOURCE_EXHAUSTED");
  assert.equal(statusName(0), "OK");
});
