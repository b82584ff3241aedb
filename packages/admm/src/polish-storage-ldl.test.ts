import assert from "node:assert/strict";
import { test } from "node:test";
import { QuasiLdl } from "./polish-storage-ldl.js";

/** An arrow matrix [D, 1; 1ᵀ, −δ·n]: n leaves tied to one hub, quasi-definite. */
function arrow(n: number): QuasiLdl {
  const count = 2 * n + 1;
  const r = new Int32Array(count);
  const c = new Int32Array(count);
  const v = new Float64Array(count);
  let e = 0;
  for (let i = 0; i < n; i++) {
    r[e] = i;
    c[e] = i;
    v[e++] = 2 + (i % 7);
    r[e] = n;
    c[e] = i;
    v[e++] = 1;
  }
  r[e] = n;
  c[e] = n;
  v[e++] = -1e-3 * n;
  const K = new QuasiLdl();
  K.load(n + 1, r, c, v, e);
  return K;
}

test("the factorisation solves the system, and refuses orders over the work budget and past the deadline", () => {
  const n = 3000;
  // Leaves first: no fill, the solve is exact.
  const K = arrow(n);
  for (let k = 0; k <= n; k++) K.perm[k] = k;
  assert.equal(K.factor(), true);
  assert.equal(K.failure, "");
  const b = Float64Array.from({ length: n + 1 }, (_, i) => 1 + (i % 3));
  const x = Float64Array.from(b);
  K.solveInPlace(x);
  // Residual of A x = b.
  let hub = -1e-3 * n * x[n];
  for (let i = 0; i < n; i++) {
    assert.ok(Math.abs((2 + (i % 7)) * x[i] + x[n] - b[i]) <= 1e-9, `row ${i}`);
    hub += x[i];
  }
  assert.ok(Math.abs(hub - b[n]) <= 1e-9, "hub row");
  const cheap = K.factorWork;

  // Hub first: every leaf fills in against every other (a dense factor, n² / 2 entries).
  const D = arrow(n);
  D.perm[0] = n;
  for (let k = 1; k <= n; k++) D.perm[k] = k - 1;
  assert.equal(D.factor(100 * cheap), false);
  assert.equal(D.failure, "work");
  assert.ok(D.factorWork > 100 * cheap, `${D.factorWork} vs ${cheap}`);

  // A deadline already past stops the numeric pass.
  const L = arrow(n);
  for (let k = 0; k <= n; k++) L.perm[k] = k;
  assert.equal(L.factor(Infinity, performance.now() - 1), false);
  assert.equal(L.failure, "deadline");
});

test("the symbolic count equals Σ|L_k|² of the factor, and stops early past a limit", () => {
  const n = 400;
  const D = arrow(n);
  D.perm[0] = n;
  for (let k = 1; k <= n; k++) D.perm[k] = k - 1;
  const full = D.analyse();
  // Hub first: column k of L (k ≥ 1) holds the n − k leaves after it, column 0 all n leaves.
  let expected = n * n;
  for (let k = 1; k <= n; k++) expected += (n - k) * (n - k);
  assert.equal(full, expected);
  assert.equal(D.nnz, n + (n * (n - 1)) / 2);
  const partial = D.analyse(1000);
  assert.ok(partial > 1000 && partial < full, `${partial}`);
  assert.equal(D.factor(1000), false);
  assert.equal(D.failure, "work");
  assert.equal(D.factor(full), true);
  assert.equal(D.factorWork, full);
});
