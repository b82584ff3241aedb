import assert from "node:assert/strict";
import { test } from "node:test";
import { type ExpandedMarket, expandMarket, makeAgent, makeMarket, type Market } from "@peermarket/model";
import { deferPairArrays, pairsFollowTrades, pairsFromTrades } from "./pair-arrays.js";
import { solveMarket } from "./solve.js";
import { randomMarket } from "./testing/random-market.js";

const KEYS = ["pairFirst", "pairSecond", "tradeOfFirst", "tradeOfSecond"] as const;

/** The pair arrays as the expansion holds them, copied. */
function pairsOf(x: ExpandedMarket): Record<(typeof KEYS)[number], number[]> {
  return {
    pairFirst: [...x.pairFirst],
    pairSecond: [...x.pairSecond],
    tradeOfFirst: [...x.tradeOfFirst],
    tradeOfSecond: [...x.tradeOfSecond],
  };
}

const markets: [string, () => Market][] = [
  ["a complete graph with a grid", () => randomMarket(1, { agents: 30, grid: true })],
  ["a sparse explicit graph, pairs listed in random order", () => randomMarket(2, { agents: 40, partners: 4 })],
  ["preferences", () => randomMarket(3, { agents: 20, preferences: true, grid: true })],
];

for (const [name, make] of markets) {
  test(`${name}: the expansion's pairs are those its trade arrays imply`, () => {
    const x = expandMarket(make());
    assert.ok(x.pairFirst.length > 0);
    assert.ok(pairsFollowTrades(x));
    const p = pairsFromTrades(x.arrays);
    for (const key of KEYS) assert.deepEqual([...p[key]], [...x[key]], key);
    // Each pair joins its two agents through mirrored trades, first < second.
    for (let q = 0; q < x.pairFirst.length; q++) {
      const kf = x.tradeOfFirst[q];
      assert.ok(x.pairFirst[q] < x.pairSecond[q]);
      assert.equal(x.arrays.partner[kf], x.pairSecond[q]);
      assert.equal(x.arrays.mirror[kf], x.tradeOfSecond[q]);
      assert.equal(x.arrays.partner[x.tradeOfSecond[q]], x.pairFirst[q]);
    }
  });
}

test("deferPairArrays: the properties rebuild the same arrays when read, once, and can be assigned", () => {
  const x = expandMarket(randomMarket(4, { agents: 25, grid: true }));
  const y: ExpandedMarket = { ...x, arrays: { ...x.arrays } };
  const before = pairsOf(x);
  const original = x.pairFirst;
  assert.equal(deferPairArrays([x, y]), true);
  for (const key of KEYS) assert.equal(typeof Object.getOwnPropertyDescriptor(x, key)?.get, "function", key);
  // Read: the same contents, new arrays shared by both expansions, plain properties again.
  assert.deepEqual(pairsOf(x), before);
  assert.notEqual(x.pairFirst, original);
  assert.equal(y.pairFirst, x.pairFirst);
  assert.equal(x.tradeOfSecond, x.tradeOfSecond);
  for (const key of KEYS) assert.ok("value" in Object.getOwnPropertyDescriptor(x, key)!, key);
  assert.deepEqual(pairsOf(y), before);
  // Spread and assignment see plain values.
  assert.deepEqual([...{ ...x }.pairSecond], before.pairSecond);
  const z = expandMarket(randomMarket(5, { agents: 6 }));
  deferPairArrays([z]);
  z.pairFirst = new Int32Array([7]);
  assert.deepEqual([...z.pairFirst], [7]);
});

test("deferPairArrays leaves alone pairs in another order, unshared arrays and multi-period markets", () => {
  const x = expandMarket(randomMarket(6, { agents: 12 }));
  assert.ok(x.pairFirst.length >= 2);
  // Swap two pairs: no longer the order of the trade arrays.
  const swapped: ExpandedMarket = { ...x };
  for (const key of KEYS) {
    const a = Int32Array.from(x[key]);
    [a[0], a[1]] = [a[1], a[0]];
    swapped[key] = a;
  }
  assert.equal(pairsFollowTrades(swapped), false);
  assert.equal(deferPairArrays([swapped]), false);
  assert.equal(typeof Object.getOwnPropertyDescriptor(swapped, "pairFirst")?.get, "undefined");
  // Two expansions that do not share their pair arrays.
  const other: ExpandedMarket = { ...x, pairFirst: Int32Array.from(x.pairFirst) };
  assert.equal(deferPairArrays([x, other]), false);
  const day = expandMarket(
    makeMarket({
      name: "day",
      horizon: { periods: 2, periodHours: 1, startTime: "" },
      agents: [makeAgent("pv", { powerMax: 2, costLinear: 1 }), makeAgent("load", { powerMin: -1, costLinear: 90 })],
    }),
  );
  assert.ok(day.horizon);
  assert.equal(deferPairArrays([day]), false);
});

test("solveMarket: the outcome's pair arrays are the expansion's, the trades those of a solve listing Trade objects", async () => {
  const market = randomMarket(7, { agents: 40, grid: true, preferences: true });
  const fresh = expandMarket(randomMarket(7, { agents: 40, grid: true, preferences: true }));
  const o = await solveMarket(market, { tradeObjects: false });
  assert.deepEqual(pairsOf(o.expanded), pairsOf(fresh));
  assert.equal(o.solution.pairCount, fresh.pairFirst.length);
  const withObjects = await solveMarket(randomMarket(7, { agents: 40, grid: true, preferences: true }));
  assert.deepEqual(o.tradeRows!.toArray(), withObjects.solution.trades);
  // The warm-start iterate, built when read, starts a solve of the same market.
  const again = await solveMarket(randomMarket(7, { agents: 40, grid: true, preferences: true }), {
    warmStart: o.iterate,
  });
  assert.equal(again.solution.status, "SOLVE_STATUS_SOLVED");
});
