import { test } from "node:test";
import assert from "node:assert/strict";
import { Metadata, status } from "@grpc/grpc-js";
import { FIELD_VIOLATIONS_KEY, fieldViolations, statusError, statusName } from "./status-error.js";

test("field violations travel as UTF-8 JSON in binary trailing metadata", () => {
  const violations = [
    { field: "market.agents[2].powerMin", description: "must be ≤ powerMax (−5 > −10)" },
    { field: "market.agents[0].id", description: "duplicate id \"a\"" },
  ];
  const err = statusError(status.INVALID_ARGUMENT, "market.agents[2].powerMin: bad", violations);
  assert.equal(err.code, status.INVALID_ARGUMENT);
  assert.equal(err.details, "market.agents[2].powerMin: bad");
  const metadata = err.metadata as Metadata;
  assert.ok(Buffer.isBuffer(metadata.get(FIELD_VIOLATIONS_KEY)[0]));
  assert.deepEqual(fieldViolations(metadata), violations);
});

test("no violations, no metadata entry", () => {
  const err = statusError(status.NOT_FOUND, "id: unknown");
  assert.deepEqual((err.metadata as Metadata).get(FIELD_VIOLATIONS_KEY), []);
  assert.deepEqual(fieldViolations(undefined), []);
});

test("status names", () => {
  assert.equal(statusName(status.RESOURCE_EXHAUSTED), "RESOURCE_EXHAUSTED");
  assert.equal(statusName(0), "OK");
});
