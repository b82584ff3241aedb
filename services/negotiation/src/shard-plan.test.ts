import assert from "node:assert/strict";
import { test } from "node:test";
import { coldIterate, type IterateArrays, PARTIALS, phase, reserveLocalScratch, sanitizeCosts } from "@peermarket/admm";
import { consensusUpdate } from "@peermarket/admm";
import { ghostValues, shardAssignment } from "./shard-assignment.js";
import { planShards } from "./shard-plan.js";
import { ShardState } from "./shard-state.js";
import { randomArrays } from "./testing/random-arrays.js";
import { copyFloat64sInto } from "./wire.js";

test("a plan covers every agent once; ghosts are exactly the mirrors outside a shard", () => {
  const m = randomArrays(11, 200);
  for (const [local, remote] of [
    [1, 2],
    [0, 3],
    [2, 1],
    [0, 1],
  ]) {
    const plan = planShards(m, local, remote);
    assert.equal(plan.slots, local + remote);
    let next = plan.localEnd;
    assert.equal(plan.localEnd === 0, local === 0);
    for (const s of plan.remote) {
      assert.equal(s.agentBegin, next);
      next = s.agentEnd;
      const nt = s.tradeEnd - s.tradeBegin;
      for (let k = s.tradeBegin; k < s.tradeEnd; k++) {
        const j = m.mirror[k];
        const local_ = s.mirror[k - s.tradeBegin];
        if (j >= s.tradeBegin && j < s.tradeEnd) assert.equal(local_, j - s.tradeBegin);
        else assert.equal(s.ghostSource[local_ - nt], j);
      }
    }
    assert.equal(next, m.nAgents);
  }
  assert.throws(() => planShards(m, 0, 0), /at least one/);
  assert.throws(() => planShards(m, -1, 2), /integer ≥ 0/);
});

test("shards run from their assignments give the single-process iterates bit for bit", () => {
  const m = randomArrays(12, 400);
  sanitizeCosts(m.lo, m.hi, m.costSell, m.costBuy);
  reserveLocalScratch(m.nAgents);
  const nt = m.partner.length;
  const fresh = (): IterateArrays => coldIterate(m);
  const ref = fresh();
  const dist = fresh();
  const plan = planShards(m, 1, 2);
  const shards = new Map<number, ShardState>();
  const scratch = new Float64Array(nt);
  const pr = new Float64Array(PARTIALS);
  const pd = new Float64Array(PARTIALS * plan.slots);
  let cur: 0 | 1 = 0;
  for (let iter = 1; iter <= 25; iter++) {
    const rho = iter < 10 ? 2 : 0.5;
    const rhoDual = iter === 10 ? 2 : rho;
    const [rCur, rNext] = cur === 0 ? [ref.p0, ref.p1] : [ref.p1, ref.p0];
    phase(m, m.mirror, ref, rCur, rNext, 0, m.nAgents, rho, rhoDual, 1.6, pr, 0);
    const [dCur, dNext] = cur === 0 ? [dist.p0, dist.p1] : [dist.p1, dist.p0];
    const answers = plan.remote.map((s) => {
      if (!shards.has(s.index)) shards.set(s.index, new ShardState(shardAssignment("solve", m, dist, dCur, s)));
      return shards.get(s.index)!.runPhase({
        solveId: "solve",
        sequence: iter,
        rho,
        rhoDual,
        alpha: 1.6,
        ghostTrades: ghostValues(s, dCur, scratch),
      });
    });
    phase(m, m.mirror, dist, dCur, dNext, 0, plan.localEnd, rho, rhoDual, 1.6, pd, 0);
    plan.remote.forEach((s, i) => {
      consensusUpdate(m, m.mirror, dist, dCur, dNext, s.agentBegin, s.agentEnd, rho, rhoDual, 1.6, pd, s.slot);
      assert.deepEqual(
        answers[i].partials,
        Array.from(pd.subarray(s.slot * PARTIALS, (s.slot + 1) * PARTIALS)),
        `shard ${i} partials at iteration ${iter}`,
      );
      copyFloat64sInto(dNext, s.tradeBegin, answers[i].trades, s.tradeEnd - s.tradeBegin, "trades");
      copyFloat64sInto(dist.mu, s.agentBegin, answers[i].marginalPrices, s.agentEnd - s.agentBegin, "mu");
    });
    cur = cur === 0 ? 1 : 0;
    for (let q = 0; q < PARTIALS; q++)
      assert.equal(Math.max(...Array.from({ length: plan.slots }, (_, i) => pd[i * PARTIALS + q])), pr[q]);
  }
  assert.deepEqual(dist.p0, ref.p0);
  assert.deepEqual(dist.p1, ref.p1);
  assert.deepEqual(dist.z, ref.z);
  assert.deepEqual(dist.lambda, ref.lambda);
  assert.deepEqual(dist.mu, ref.mu);
});

test("a shard refuses an assignment with arrays of the wrong size or mirrors out of range", () => {
  const m = randomArrays(13, 30);
  const nt = m.partner.length;
  const it = coldIterate(m);
  const s = planShards(m, 0, 1).remote[0];
  const good = shardAssignment("x", m, it, it.p0, s);
  assert.doesNotThrow(() => new ShardState(good));
  assert.throws(
    () => new ShardState({ ...good, costLinear: good.costLinear.subarray(8) }),
    /assignment\.costLinear: expected \d+ float64 values/,
  );
  const badMirror = Buffer.from(good.mirror);
  badMirror.writeInt32LE(nt + 5, 0);
  assert.throws(() => new ShardState({ ...good, mirror: badMirror }), /assignment\.mirror\[0\]/);
  const state = new ShardState(good);
  assert.throws(
    () =>
      state.runPhase({ solveId: "other", sequence: 1, rho: 1, rhoDual: 1, alpha: 1.6, ghostTrades: Buffer.alloc(0) }),
    /belongs to x/,
  );
});
