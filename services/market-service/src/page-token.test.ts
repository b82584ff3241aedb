import { test } from "node:test";
import assert from "node:assert/strict";
import { PageTokenError, decodePageToken, encodePageToken } from "./page-token.js";

test("a page token round-trips and is URL-safe", () => {
  const cursor = { createMs: 1_700_000_000_123, id: "sol_01HF", marketName: "zone é/1" };
  const token = encodePageToken(cursor);
  assert.match(token, /^[A-Za-z0-9_-]+$/);
  assert.deepEqual(decodePageToken(token, "zone é/1"), cursor);
});

test("a token from another filter is refused", () => {
  const token = encodePageToken({ createMs: 1, id: "x", marketName: "a" });
  assert.throws(
    () => decodePageToken(token, "b"),
    (e: unknown) => e instanceof PageTokenError && /issued for marketName "a".*filters on "b"/.test(e.message),
  );
});

test("malformed tokens are refused with the field name", () => {
  for (const token of [
    "not a token",
    Buffer.from('{"v":2,"t":1,"i":"x","m":""}').toString("base64url"),
    Buffer.from("[1]").toString("base64url"),
  ]) {
    assert.throws(
      () => decodePageToken(token, ""),
      /^PageTokenError: pageToken: not a token returned by ListSolutions$/,
    );
  }
});
