import { test } from "node:test";
import assert from "node:assert/strict";
import { runLoadTest } from "./load-test.js";

test(
  "load test (short): mixed requests from 16 clients, nothing lost or changed, every stored solution certified",
  { timeout: 120_000 },
  async () => {
    const r = await runLoadTest({
      clients: 16,
      durationS: 4,
      maxRequests: 1500,
      workers: 2,
      maxSolvesPerClient: 2,
      seed: 7,
    });
    assert.deepEqual(r.unexpectedSamples, []);
    assert.equal(r.unexpected, 0);
    assert.ok(r.acknowledged > 20, `${r.acknowledged} solutions acknowledged`);
    assert.equal(r.readable, r.acknowledged);
    assert.equal(r.missing, 0);
    assert.equal(r.different, 0);
    assert.equal(r.stored, r.acknowledged, "a stored solution per acknowledged solve, no more");
    assert.equal(r.certified, r.storedSolved);
    assert.deepEqual(r.certificateFailures, []);
    assert.equal(r.integrity, "ok");
    assert.equal(r.interrupted, 0);
    assert.equal(r.passed, true);
    // every kind of request was sent and answered as a correct service answers it
    for (const k of r.kinds) assert.ok(k.expected > 0, `${k.kind}: ${k.requests} requests, ${k.expected} as expected`);
    assert.ok(r.requests <= 1500);
  },
);
