import { test } from "node:test";
import assert from "node:assert/strict";
import { NetworkKkt, type NetworkSystem } from "./polish-storage-network.js";

/**
 * Three agents of one period: trades 0 (agent 0 → 1, cost 1), 1 (1 → 2, cost 1) and 2 (0 → 2,
 * cost 3), each in [0, 100] or [0, 10]; agents 0 and 2 have their own power with curvature 1
 * (slopes −10 and 20). Rows are the agents' balances Σ trades − power = 0.
 */
function triangle(): NetworkSystem {
  const nv = 5;
  const colN = Int8Array.from([2, 2, 2, 1, 1]);
  const colRow = new Int32Array(3 * nv);
  const colVal = new Float64Array(3 * nv);
  const set = (i: number, entries: [number, number][]) =>
    entries.forEach(([r, v], t) => {
      colRow[3 * i + t] = r;
      colVal[3 * i + t] = v;
    });
  set(0, [
    [0, 1],
    [1, -1],
  ]);
  set(1, [
    [1, 1],
    [2, -1],
  ]);
  set(2, [
    [0, 1],
    [2, -1],
  ]);
  set(3, [[0, -1]]);
  set(4, [[2, -1]]);
  const bp = Float64Array.from([0, 100, 0, 0, 100, 0, 0, 10, 0, -100, 100, 0, -100, 100, 0]);
  const slope = Float64Array.from([1, 0, 1, 0, 3, 0, -10, 0, 20, 0]);
  return {
    nv,
    nr: 3,
    // Every variable inside its first piece.
    state: Int8Array.from([1, 1, 1, 1, 1]),
    colN,
    colRow,
    colVal,
    bp,
    slope,
    h: Float64Array.from([0, 0, 0, 1, 1]),
    sx: new Float64Array(nv).fill(1),
    b: new Float64Array(3),
    sr: new Float64Array(3).fill(1),
    x0: Float64Array.from([5, 5, 1, 6, -6]),
    y0: Float64Array.from([0, 0, 0]),
    P: 100,
    L: 20,
  };
}

test("a network solve finds the loop whose costs do not add up, and its pivot stops the dearer trade", () => {
  const S = triangle();
  const net = new NetworkKkt(S.nv, S.nr);
  const x = new Float64Array(S.nv);
  const y = new Float64Array(S.nr);
  const dY = new Float64Array(S.nr);
  // Prices from trades 0 and 1 (most room) give y0 − y2 = −2, while trade 2 asks −3.
  assert.equal(net.solve(S, x, y, dY), "inconsistent");
  assert.equal(net.badItems, 1);
  assert.equal(net.badParts, 0);
  const vars = new Int32Array(S.nv);
  const states = new Int8Array(S.nv);
  const n = net.loopPivots(S, x, y, vars, states);
  // Shifting flow from the direct trade (cost 3) to the route through agent 1 (cost 2) lowers the
  // cost; the direct trade reaches 0 first (a step of 1 against 95 for the others).
  assert.equal(n, 1);
  assert.equal(vars[0], 2);
  assert.equal(states[0], 0);
});

test("a consistent network solve is the exact solution of the active set's KKT system", () => {
  const S = triangle();
  S.state[2] = 0; // the direct trade at 0
  const net = new NetworkKkt(S.nv, S.nr);
  const x = new Float64Array(S.nv);
  const y = new Float64Array(S.nr);
  const dY = new Float64Array(S.nr);
  assert.equal(net.solve(S, x, y, dY), "solved");
  // By hand: y1 = y0 + 1, y2 = y0 + 2 (trades 0, 1 free), the flow f through agent 1 is agent 0's
  // power 10 + y0 and minus agent 2's, y2 − 20: y0 = 4, f = 14.
  const close = (a: number, b: number) => assert.ok(Math.abs(a - b) <= 1e-12, `${a} vs ${b}`);
  close(y[0], 4);
  close(y[1], 5);
  close(y[2], 6);
  close(x[0], 14);
  close(x[1], 14);
  assert.equal(x[2], 0);
  close(x[3], 14);
  close(x[4], -14);
});

test("a part whose balance nothing can meet drifts its prices along the gains, down where it has a surplus", () => {
  // Both powers fixed, agent 0's at 0 and agent 2's at 5: agent 2 produces 5 that the free trades
  // cannot take anywhere (agent 0 takes nothing), so the part's prices must fall until some
  // fixed variable's condition lets it move.
  const S = triangle();
  S.state[2] = 0;
  S.bp[3 * 3] = 0;
  S.state[3] = 0;
  S.bp[3 * 4] = 5;
  S.state[4] = 0;
  const net = new NetworkKkt(S.nv, S.nr);
  const x = new Float64Array(S.nv);
  const y = new Float64Array(S.nr);
  const dY = new Float64Array(S.nr);
  assert.equal(net.solve(S, x, y, dY), "inconsistent");
  assert.equal(net.badParts, 1);
  assert.equal(net.badItems, 0);
  // Unit gains (trades): every price of the part moves down by the same amount.
  const tol = 1e-12 * Math.abs(dY[0]);
  assert.ok(dY[0] < 0, `${dY[0]}`);
  assert.ok(Math.abs(dY[0] - dY[1]) <= tol && Math.abs(dY[1] - dY[2]) <= tol, `${dY}`);
});
