import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { canTrade, isShared } from "@peermarket/admm";
import { expandMarket } from "./expand.js";
import { makeAgent, makeGrid, makeMarket } from "./fixtures.js";
import type { Market, TradePair } from "./types.js";
import { validateMarket } from "./validate.js";

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A market of `n` agents with random roles (seller, buyer, both, fixed at 0) and a random explicit pair list. */
function randomMarket(seed: number, n: number, grid: boolean): { market: Market; listed: [number, number][] } {
  const r = mulberry32(seed);
  const agents = Array.from({ length: n }, (_, i) => {
    const kind = Math.floor(r() * 4);
    const [powerMin, powerMax] = kind === 0 ? [0, 5] : kind === 1 ? [-5, 0] : kind === 2 ? [-5, 5] : [0, 0];
    return makeAgent(`a${i}`, { costQuadratic: 0.1, costLinear: 10 + i, powerMin, powerMax });
  });
  const ids = agents.map((a) => a.id);
  if (grid) ids.push("grid_import", "grid_export");
  const seen = new Set<string>();
  const listed: [number, number][] = [];
  const pairs: TradePair[] = [];
  for (let k = 0; k < 3 * n; k++) {
    const a = Math.floor(r() * ids.length);
    const b = Math.floor(r() * ids.length);
    if (a === b || (a >= n && b >= n)) continue;
    const key = `${Math.min(a, b)},${Math.max(a, b)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    listed.push([a, b]);
    pairs.push({ agentId: ids[a], partnerId: ids[b] });
  }
  const market = makeMarket({ agents, tradingGraph: "TRADING_GRAPH_EXPLICIT", pairs });
  if (grid) market.grid = makeGrid({ bus: "", importPrice: 80, exportPrice: 20 });
  return { market, listed };
}

/** The kept pairs by brute force: listed ∪ (every agent with both grid agents), unique, sorted, that can trade. */
function expectedPairs(market: Market, listed: [number, number][], n: number, grid: boolean): string[] {
  const x = expandMarket(market);
  const { pMin, pMax } = x.arrays;
  const keys = new Set<string>();
  const all: [number, number][] = listed.map(([a, b]) => [Math.min(a, b), Math.max(a, b)]);
  if (grid) for (let i = 0; i < n; i++) all.push([i, n], [i, n + 1]);
  const out: [number, number][] = [];
  for (const [a, b] of all) {
    const k = `${a},${b}`;
    if (keys.has(k)) continue;
    keys.add(k);
    if (canTrade(pMin[a], pMax[a], pMin[b], pMax[b])) out.push([a, b]);
  }
  out.sort((p, q) => p[0] - q[0] || p[1] - q[1]);
  return out.map(([a, b]) => `${a},${b}`);
}

describe("explicit pair lists: one pass, sorted or not", () => {
  it("keeps the same pairs, in sorted order, whatever the order of the list, with and without a grid", () => {
    for (let seed = 1; seed <= 40; seed++) {
      const grid = seed % 2 === 0;
      const n = 5 + (seed % 13);
      const { market, listed } = randomMarket(seed, n, grid);
      const want = expectedPairs(market, listed, n, grid);
      const x = expandMarket(market);
      const got = Array.from(x.pairFirst, (a, q) => `${a},${x.pairSecond[q]}`);
      assert.deepEqual(got, want, `seed ${seed}`);
      // The same list written in increasing order (the one-pass merge) gives the same expansion.
      const order = listed
        .map((p, i) => ({ i, a: Math.min(...p), b: Math.max(...p) }))
        .sort((p, q) => p.a - q.a || p.b - q.b);
      const sorted = { ...market, pairs: order.map(({ i }) => market.pairs[i]) };
      const y = expandMarket(sorted);
      assert.deepEqual(Array.from(y.pairFirst), Array.from(x.pairFirst));
      assert.deepEqual(Array.from(y.pairSecond), Array.from(x.pairSecond));
      assert.deepEqual(y.arrays.partner, x.arrays.partner);
      assert.equal(y.droppedPairs, x.droppedPairs);
      assert.deepEqual(y.notes, x.notes);
      const gridListed = listed.filter(([a, b]) => a >= n || b >= n).length;
      assert.equal(
        x.notes.some((t) => t.startsWith(`${gridListed} explicit pairs with a grid agent`)),
        gridListed > 0,
      );
    }
  });

  it("reports a duplicate in either orientation, also after pairs in increasing order", () => {
    const agents = ["a", "b", "c"].map((id, i) => makeAgent(id, { powerMin: -1, powerMax: 1, costLinear: i }));
    const market = makeMarket({
      agents,
      tradingGraph: "TRADING_GRAPH_EXPLICIT",
      pairs: [
        { agentId: "a", partnerId: "b" },
        { agentId: "a", partnerId: "c" },
        { agentId: "c", partnerId: "a" },
      ],
    });
    const issues = validateMarket(market);
    assert.deepEqual(
      issues.map((i) => i.path),
      ["pairs[2]"],
    );
    assert.match(issues[0].message, /duplicate of pairs\[1\]/);
    market.pairs.push({ agentId: "b", partnerId: "b" }, { agentId: "x", partnerId: "" });
    assert.deepEqual(
      validateMarket(market).map((i) => i.path),
      ["pairs[3].partnerId", "pairs[4].agentId", "pairs[4].partnerId", "pairs[2]"],
    );
  });

  it("puts the engine's arrays of a large market on SharedArrayBuffers, and of a small one not", () => {
    const agents = Array.from({ length: 220 }, (_, i) =>
      makeAgent(`a${i}`, i % 2 ? { powerMin: -1, costLinear: 50 } : { powerMax: 1, costLinear: 10 }),
    );
    const large = expandMarket(makeMarket({ agents }));
    assert.ok(large.arrays.partner.length >= 20_000);
    for (const a of [large.arrays.partner, large.arrays.lo, large.arrays.a, large.arrays.tradeStart])
      assert.ok(isShared(a));
    const unshared = expandMarket(makeMarket({ agents }), { shareAbove: Infinity });
    assert.ok(!isShared(unshared.arrays.partner));
    assert.deepEqual(Array.from(unshared.arrays.partner), Array.from(large.arrays.partner));
    assert.deepEqual(Array.from(unshared.arrays.hi), Array.from(large.arrays.hi));
    assert.ok(!isShared(expandMarket(makeMarket({ agents: agents.slice(0, 20) })).arrays.partner));
  });
});
