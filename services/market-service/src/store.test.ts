import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { newSolutionId } from "./ids.js";
import { SolutionStore, type NewSolutionRecord } from "./store.js";

function record(createMs: number, marketName: string, extra: Partial<NewSolutionRecord> = {}): NewSolutionRecord {
  const id = newSolutionId(createMs);
  return {
    id,
    createMs,
    createTime: new Date(createMs).toISOString(),
    marketName,
    status: "SOLVE_STATUS_SOLVED",
    iterations: 10,
    agentCount: 3,
    pairCount: 2,
    solveTimeS: 0.01,
    setupTimeS: 0.001,
    queueMs: 0,
    totalMs: 12,
    request: Buffer.from(`request ${id}`),
    summary: Buffer.from(`summary ${id}`),
    solution: Buffer.from(`solution ${id}`),
    iterate: Buffer.from([1, 2, 3]),
    ...extra,
  };
}

function tempStore(): { dir: string; path: string } {
  const dir = mkdtempSync(join(tmpdir(), "peermarket-store-"));
  return { dir, path: join(dir, "nested", "dir", "store.db") };
}

test("creates its directory, uses WAL and survives a reopen", () => {
  const { dir, path } = tempStore();
  try {
    const store = new SolutionStore(path);
    const r = record(Date.now(), "m");
    store.insert(r);
    assert.ok(existsSync(path));
    store.close();
    store.close();
    const raw = new Database(path);
    assert.equal(raw.pragma("journal_mode", { simple: true }), "wal");
    raw.close();
    const again = new SolutionStore(path);
    assert.equal(again.count(), 1);
    assert.equal(again.solution(r.id, true)?.toString(), `solution ${r.id}`);
    assert.equal(again.solution(r.id, false)?.toString(), `summary ${r.id}`);
    assert.equal(again.request(r.id)?.toString(), `request ${r.id}`);
    assert.deepEqual([...(again.iterate(r.id) ?? [])], [1, 2, 3]);
    again.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("unknown ids and missing iterates are told apart", () => {
  const store = new SolutionStore(":memory:");
  const r = record(1000, "m", { iterate: null });
  store.insert(r);
  assert.equal(store.solution("sol_nope", true), undefined);
  assert.equal(store.request("sol_nope"), undefined);
  assert.equal(store.iterate("sol_nope"), undefined);
  assert.equal(store.iterate(r.id), null);
  assert.throws(() => store.insert(r), /UNIQUE/);
  store.close();
});

test("lists newest first, pages by (createMs, id), filters by market name", () => {
  const store = new SolutionStore(":memory:");
  const records: NewSolutionRecord[] = [];
  for (let i = 0; i < 25; i++) {
    // several solutions share a millisecond: the id breaks the tie
    const r = record(1_000_000 + Math.floor(i / 3), i % 2 === 0 ? "even" : "odd");
    records.push(r);
    store.insert(r);
  }
  const newestFirst = [...records].sort((a, b) => b.createMs - a.createMs || (a.id < b.id ? 1 : -1)).map((r) => r.id);
  const seen: string[] = [];
  let after: { createMs: number; id: string } | undefined;
  for (;;) {
    const page = store.list({ limit: 4, after, full: false });
    seen.push(...page.map((p) => p.id));
    if (page.length < 4) break;
    const last = page[page.length - 1];
    after = { createMs: last.createMs, id: last.id };
  }
  assert.deepEqual(seen, newestFirst);
  const odd = store.list({ limit: 100, marketName: "odd", full: true });
  assert.deepEqual(
    odd.map((p) => p.id),
    newestFirst.filter((id) => records.find((r) => r.id === id)?.marketName === "odd"),
  );
  assert.equal(odd[0].blob.toString(), `solution ${odd[0].id}`);
  assert.equal(store.list({ limit: 1, full: false })[0].blob.toString(), `summary ${newestFirst[0]}`);
  store.close();
});

test("refuses a store written by a newer schema", () => {
  const { dir, path } = tempStore();
  try {
    new SolutionStore(path).close();
    const raw = new Database(path);
    raw.pragma("user_version = 99");
    raw.close();
    assert.throws(() => new SolutionStore(path), /schema version 99 is newer than this service's \(2\)/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("under steady writes the WAL stays bounded: checkpoints run on their own thread and make it start over", async () => {
  const { dir, path } = tempStore();
  try {
    const store = new SolutionStore(path, { checkpointIntervalMs: 10, walRestartPages: 64 });
    const blob = Buffer.alloc(20_000, 7);
    let largestWal = 0;
    const t0 = Date.now();
    await new Promise((r) => setTimeout(r, 300)); // the checkpointer thread starts
    for (let i = 0; i < 400; i++) {
      await store.finished(record(t0 + i, "steady", { solution: blob }));
      await new Promise((r) => setTimeout(r, 1)); // about 500 writes a second

      largestWal = Math.max(largestWal, statSync(`${path}-wal`, { throwIfNoEntry: false })?.size ?? 0);
    }
    assert.equal(store.count(), 400);
    // 400 × 20 kB = 8 MB written; the WAL never held more than a fraction of it
    assert.ok(largestWal < 3_000_000, `largest WAL ${largestWal} bytes`);
    store.close();
    const again = new SolutionStore(path);
    assert.equal(again.count(), 400);
    assert.equal(again.integrityCheck(), "ok");
    again.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("group commit: writes asked for in one turn of the event loop commit together and all settle", async () => {
  const store = new SolutionStore(":memory:");
  const t0 = Date.now();
  const records = Array.from({ length: 20 }, (_, i) => record(t0 + i, "batch"));
  await Promise.all(records.map((r) => store.finished(r)));
  assert.equal(store.count(), 20);
  // a failing write (a duplicate id) rejects alone; the others of its batch are stored
  const fresh = record(t0 + 100, "batch");
  const results = await Promise.allSettled([store.finished(records[0]), store.finished(fresh)]);
  assert.equal(results[0].status, "rejected");
  assert.match(String((results[0] as PromiseRejectedResult).reason), /UNIQUE/);
  assert.equal(results[1].status, "fulfilled");
  assert.equal(store.count(), 21);
  // running solves are kept until they finish or are abandoned
  await store.started({ id: "sol_running", createMs: t0, marketName: "m", tenant: "t", request: Buffer.from("r") });
  assert.deepEqual(
    store.interrupted().map((r) => r.id),
    ["sol_running"],
  );
  await store.abandoned("sol_running");
  assert.deepEqual(store.interrupted(), []);
  store.close();
});
