import { test } from "node:test";
import assert from "node:assert/strict";
import { mulberry32 as rng } from "./random.js";
import { assignPowers, type BalanceResult, solveBalance, sortPrefix } from "./polish-balance.js";

// The balance of large components (docs/polishing.md, "Balance"): the breakpoint sort's
// quicksort and heapsort paths, and θ checked against a direct evaluation of G.

test("breakpoint sort: equals a reference sort on random, sorted, reversed and repeated keys", () => {
  const r = rng(5);
  const kinds = ["random", "sorted", "reversed", "few distinct", "all equal", "organ pipe", "with infinities"];
  for (let trial = 0; trial < 300; trial++) {
    const n = trial < 40 ? trial : 1 + Math.floor(r() * 3000);
    const kind = kinds[trial % kinds.length];
    const a = new Float64Array(n + 5).fill(12345); // entries past n must stay untouched
    for (let i = 0; i < n; i++) {
      if (kind === "random") a[i] = 200 * r() - 100;
      else if (kind === "sorted") a[i] = i * 0.5;
      else if (kind === "reversed") a[i] = -i * 0.5;
      else if (kind === "few distinct") a[i] = Math.floor(r() * 3);
      else if (kind === "all equal") a[i] = 7;
      else if (kind === "organ pipe") a[i] = i < n / 2 ? i : n - i;
      else a[i] = r() < 0.1 ? (r() < 0.5 ? -Infinity : Infinity) : r() - 0.5;
    }
    const want = Array.from(a.subarray(0, n)).sort((x, y) => x - y);
    const b = a.slice();
    sortPrefix(a, n);
    assert.deepEqual(Array.from(a.subarray(0, n)), want, `trial ${trial} (${kind}, n = ${n})`);
    for (let i = n; i < n + 5; i++) assert.equal(a[i], 12345);
    // The heapsort that takes over from partitions too deep: forced from the first and second level.
    for (const depth of [0, 1]) {
      const c = b.slice();
      sortPrefix(c, n, depth);
      assert.deepEqual(
        Array.from(c.subarray(0, n)),
        want,
        `trial ${trial} (${kind}, n = ${n}), heapsort below depth ${depth}`,
      );
      for (let i = n; i < n + 5; i++) assert.equal(c[i], 12345);
    }
  }
});

/** G(θ) = Σ p_i(θ + d_i) evaluated directly (linear agents: their bound on each side of b). */
function directG(
  A: { a: Float64Array; b: Float64Array; pMin: Float64Array; pMax: Float64Array },
  d: Float64Array,
  theta: number,
  side: -1 | 1,
): number {
  let g = 0;
  for (let n = 0; n < A.a.length; n++) {
    const mu = theta + d[n];
    if (A.a[n] > 0) g += Math.min(Math.max((mu - A.b[n]) / A.a[n], A.pMin[n]), A.pMax[n]);
    else g += mu < A.b[n] || (mu === A.b[n] && side < 0) ? A.pMin[n] : A.pMax[n];
  }
  return g;
}

test("component balance: θ solves Σ p_i(θ + d_i) = F exactly, checked by direct evaluation", () => {
  const r = rng(11);
  let solved = 0;
  for (let trial = 0; trial < 400; trial++) {
    const n = 1 + Math.floor(r() * 6);
    const A = { a: new Float64Array(n), b: new Float64Array(n), pMin: new Float64Array(n), pMax: new Float64Array(n) };
    const d = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      A.a[i] = r() < 0.3 ? 0 : 0.05 + r();
      A.b[i] = 10 + 50 * r();
      A.pMin[i] = r() < 0.1 ? -Infinity : -20 * r();
      A.pMax[i] = r() < 0.1 ? Infinity : 20 * r();
      if (A.a[i] === 0 && (A.pMin[i] === -Infinity || A.pMax[i] === Infinity)) (A.pMin[i] = -5), (A.pMax[i] = 5);
      d[i] = 10 * (r() - 0.5);
    }
    const F = 30 * (r() - 0.5);
    const out: BalanceResult = { ok: false, theta: 0, thetaLo: 0, thetaHi: 0 };
    const list = Int32Array.from({ length: n }, (_, i) => i);
    solveBalance(A, list, 0, n, d, F, 1e-12, new Float64Array(2 * n + 2), out);
    // The range of G: F outside it has no solution.
    let lo = 0;
    let hi = 0;
    for (let i = 0; i < n; i++) (lo += A.pMin[i]), (hi += A.pMax[i]);
    if (!out.ok) {
      assert.ok(F < lo + 1e-9 || F > hi - 1e-9, `trial ${trial}: no θ found for F = ${F} inside [${lo}, ${hi}]`);
      continue;
    }
    solved++;
    assert.ok(out.thetaLo <= out.theta && out.theta <= out.thetaHi);
    const gl = directG(A, d, out.theta, -1);
    const gr = directG(A, d, out.theta, 1);
    assert.ok(gl <= F + 1e-9 && F <= gr + 1e-9, `trial ${trial}: G(θ) ∈ [${gl}, ${gr}] misses F = ${F}`);
    // Powers assigned at θ (linear agents at their price share the rest) sum to F, within bounds.
    const p = new Float64Array(n);
    const rest = assignPowers(A, list, 0, n, d, out.theta, F, p);
    assert.ok(Math.abs(rest) <= 1e-9, `trial ${trial}: rest ${rest}`);
    let sum = 0;
    for (let i = 0; i < n; i++) {
      assert.ok(p[i] >= A.pMin[i] && p[i] <= A.pMax[i]);
      sum += p[i];
    }
    assert.ok(Math.abs(sum - F) <= 1e-9 * Math.max(1, Math.abs(F)));
    // A bracketed θ: the whole bracket balances.
    if (out.thetaLo < out.thetaHi) {
      const mid =
        Number.isFinite(out.thetaLo) && Number.isFinite(out.thetaHi) ? 0.5 * (out.thetaLo + out.thetaHi) : out.theta;
      assert.ok(Math.abs(directG(A, d, mid, 1) - F) <= 1e-9, `trial ${trial}: flat bracket`);
    }
  }
  assert.ok(solved > 300);
});

test("component balance of large components (hundreds of agents): G(θ) = F by direct evaluation", () => {
  const r = rng(23);
  let solved = 0;
  for (let trial = 0; trial < 60; trial++) {
    const n = 20 + Math.floor(r() * 600);
    const A = { a: new Float64Array(n), b: new Float64Array(n), pMin: new Float64Array(n), pMax: new Float64Array(n) };
    const d = new Float64Array(n);
    // Some trials with many equal breakpoints (identical agents, no offsets): the sort's
    // partitions of equal keys.
    const identical = trial % 4 === 0;
    for (let i = 0; i < n; i++) {
      A.a[i] = identical ? 0.5 : r() < 0.3 ? 0 : 0.05 + r();
      A.b[i] = identical ? 30 : 10 + 50 * r();
      A.pMin[i] = identical ? -3 : -20 * r();
      A.pMax[i] = identical ? 4 : 20 * r();
      d[i] = identical ? 0 : 6 * r() - 3;
    }
    let lo = 0;
    let hi = 0;
    for (let i = 0; i < n; i++) (lo += A.pMin[i]), (hi += A.pMax[i]);
    const F = lo + (hi - lo) * r();
    const list = Int32Array.from({ length: n }, (_, i) => i);
    const bp = new Float64Array(2 * n + 2);
    const out: BalanceResult = { ok: false, theta: 0, thetaLo: 0, thetaHi: 0 };
    solveBalance(A, list, 0, n, d, F, 1e-9, bp, out);
    assert.ok(out.ok, `trial ${trial}: no θ for F = ${F} inside [${lo}, ${hi}]`);
    solved++;
    const gl = directG(A, d, out.theta, -1);
    const gr = directG(A, d, out.theta, 1);
    const tol = 1e-9 * Math.max(1, Math.abs(lo), Math.abs(hi));
    assert.ok(gl <= F + tol && F <= gr + tol, `trial ${trial}: G(θ) ∈ [${gl}, ${gr}] misses F = ${F}`);
    const p = new Float64Array(n);
    const rest = assignPowers(A, list, 0, n, d, out.theta, F, p);
    assert.ok(Math.abs(rest) <= tol, `trial ${trial}: rest ${rest}`);
    let sum = 0;
    for (let i = 0; i < n; i++) {
      assert.ok(p[i] >= A.pMin[i] && p[i] <= A.pMax[i]);
      sum += p[i];
    }
    assert.ok(Math.abs(sum - F) <= tol, `trial ${trial}: powers sum to ${sum}, not ${F}`);
  }
  assert.equal(solved, 60);
});

test("component balance: the sweep (with breakpoint tags) gives the binary search's θ and bracket exactly", () => {
  const r = rng(31);
  let swept = 0;
  let outside = 0;
  for (let trial = 0; trial < 200; trial++) {
    const n = 64 + Math.floor(r() * 400);
    const A = { a: new Float64Array(n), b: new Float64Array(n), pMin: new Float64Array(n), pMax: new Float64Array(n) };
    const d = new Float64Array(n);
    // Kinds: mixed quadratic/linear with some infinite bounds (linear ones too, as the grid
    // agents), identical agents (ties), only linear agents (flat pieces: bracketed θ), F at a
    // breakpoint's exact value.
    const kind = trial % 4;
    for (let i = 0; i < n; i++) {
      A.a[i] = kind === 1 ? 0.5 : kind === 2 ? 0 : r() < 0.3 ? 0 : 0.05 + r();
      A.b[i] = kind === 1 ? 30 : 10 + 50 * r();
      A.pMin[i] = kind === 1 ? -3 : kind === 0 && r() < 0.1 ? -Infinity : -20 * r();
      A.pMax[i] = kind === 1 ? 4 : kind === 0 && r() < 0.1 ? Infinity : 20 * r();
      d[i] = kind === 1 ? 0 : kind === 2 ? Math.round(6 * r() - 3) : 6 * r() - 3;
    }
    let lo = 0;
    let hi = 0;
    for (let i = 0; i < n; i++) (lo += A.pMin[i]), (hi += A.pMax[i]);
    let F = Number.isFinite(lo) && Number.isFinite(hi) ? lo + (hi - lo) * (1.2 * r() - 0.1) : 40 * (r() - 0.5);
    if (kind === 3) F = Math.round(F);
    // A shuffled list of a larger index space (the component's agents are not 0..n−1 in order).
    const list = Int32Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(r() * (i + 1));
      [list[i], list[j]] = [list[j], list[i]];
    }
    const plain: BalanceResult = { ok: false, theta: 0, thetaLo: 0, thetaHi: 0 };
    const tagged: BalanceResult = { ok: false, theta: 0, thetaLo: 0, thetaHi: 0 };
    solveBalance(A, list, 0, n, d, F, 1e-9, new Float64Array(2 * n + 2), plain);
    solveBalance(A, list, 0, n, d, F, 1e-9, new Float64Array(2 * n + 2), tagged, new Int32Array(2 * n + 2));
    assert.equal(tagged.ok, plain.ok, `trial ${trial}`);
    if (!plain.ok) {
      outside++;
      continue;
    }
    swept++;
    assert.ok(Object.is(tagged.theta, plain.theta), `trial ${trial}: θ ${tagged.theta} vs ${plain.theta}`);
    assert.ok(Object.is(tagged.thetaLo, plain.thetaLo), `trial ${trial}: θ lo`);
    assert.ok(Object.is(tagged.thetaHi, plain.thetaHi), `trial ${trial}: θ hi`);
  }
  assert.ok(swept > 100 && outside > 0, `${swept} solved, ${outside} outside the range`);
});
