import assert from "node:assert/strict";
import { test } from "node:test";
import { peerMarket } from "./peer-market.js";
import { AdmmSolver } from "./solver.js";

for (const polish of [true, false]) {
  test(`handOver (polish ${polish}): the same solution, in the iterate's own buffers; the solver is done after`, () => {
    const m = peerMarket(40, 3);
    const settings = { polish, epsAbs: 1e-6, epsRel: 1e-6 };
    const copied = new AdmmSolver(m, settings).solve();
    const solver = new AdmmSolver(m, settings);
    const handed = solver.solve({ handOver: true });
    assert.equal(handed.info.status, copied.info.status);
    assert.equal(handed.info.iterations, copied.info.iterations);
    assert.ok(handed.info.iterations > 0);
    assert.equal(handed.info.objective, copied.info.objective);
    // Bit for bit.
    assert.deepEqual([...handed.solution.trade], [...copied.solution.trade]);
    assert.deepEqual([...handed.solution.price], [...copied.solution.price]);
    assert.deepEqual([...handed.solution.agentPower], [...copied.solution.agentPower]);
    // No copies: λ itself and one of the two trade buffers.
    const it = solver.iterate;
    assert.equal(handed.solution.price, it.lambda);
    assert.ok(handed.solution.trade === it.p0 || handed.solution.trade === it.p1);
    assert.notEqual(copied.solution.trade, handed.solution.trade);
    // Solving, warm-starting or resetting again would overwrite them.
    assert.throws(() => solver.solve(), /handed its iterate over/);
    assert.throws(() => solver.warmStart({ trade: handed.solution.trade }), /handed its iterate over/);
    assert.throws(() => solver.reset(), /handed its iterate over/);
    assert.deepEqual([...handed.solution.trade], [...copied.solution.trade]);
  });
}
