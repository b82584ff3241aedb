import { test } from "node:test";
import assert from "node:assert/strict";
import { peerMarket } from "./peer-market.js";
import { SpanningForest } from "./polish-forest.js";
import { BWD, FWD, ZERO } from "./polish-states.js";
import { mulberry32 } from "./random.js";

test("the forest's comparison sort for few flowing pairs builds the same forest as its counting sort", () => {
  const m = peerMarket(80, 3);
  const r = mulberry32(11);
  for (let trial = 0; trial < 6; trial++) {
    // Random states on the representatives, and priorities and rooms with many ties (rooms on a
    // coarse grid, so that pairs share buckets and the order within a bucket matters).
    const state = new Int8Array(m.partner.length);
    const counting = new SpanningForest(m);
    const comparison = new SpanningForest(m);
    counting.sortFactor = 0;
    comparison.sortFactor = Infinity;
    const share = [0.02, 0.1, 0.5][trial % 3];
    let flowing = 0;
    for (let k = 0; k < m.partner.length; k++) {
      if (m.mirror[k] < k) continue;
      const u = r();
      state[k] = u < share ? FWD : u < 2 * share ? BWD : ZERO;
      if (state[k] !== ZERO) flowing++;
      const room = Math.floor(8 * r()) / 4;
      const prio = trial >= 3 ? Math.floor(4 * r()) : 0;
      for (const f of [counting, comparison]) {
        f.room[k] = room;
        f.prio[k] = prio;
      }
    }
    assert.ok(flowing > 0);
    counting.build(state);
    comparison.build(state);
    assert.equal(comparison.nComp, counting.nComp);
    assert.deepEqual(comparison.inTree, counting.inTree, `trial ${trial}: tree edges differ`);
    assert.deepEqual(comparison.list, counting.list);
    assert.deepEqual(comparison.compStart, counting.compStart);
    assert.deepEqual(comparison.parentEdge, counting.parentEdge);
    assert.deepEqual(comparison.d, counting.d);
  }
});
