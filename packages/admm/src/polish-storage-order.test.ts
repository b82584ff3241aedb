import assert from "node:assert/strict";
import { test } from "node:test";
import { QuasiLdl } from "./polish-storage-ldl.js";
import { AmdOrder } from "./polish-storage-order.js";
import { mulberry32 } from "./random.js";

/** A quasi-definite matrix on a graph: nodes < nPos get a positive diagonal, the others a negative one. */
function matrix(n: number, edges: [number, number][], nPos = n, seed = 1): QuasiLdl {
  const r = mulberry32(seed);
  const count = n + edges.length;
  const rows = new Int32Array(count);
  const cols = new Int32Array(count);
  const vals = new Float64Array(count);
  let e = 0;
  for (let i = 0; i < n; i++) {
    rows[e] = i;
    cols[e] = i;
    vals[e++] = i < nPos ? 1 + r() : -(1 + r());
  }
  for (const [a, b] of edges) {
    rows[e] = Math.max(a, b);
    cols[e] = Math.min(a, b);
    vals[e++] = r() - 0.5;
  }
  const K = new QuasiLdl();
  K.load(n, rows, cols, vals, e);
  return K;
}

function isPermutation(p: Int32Array, n: number): boolean {
  const seen = new Uint8Array(n);
  for (let k = 0; k < n; k++) {
    const v = p[k];
    if (!(v >= 0 && v < n) || seen[v]) return false;
    seen[v] = 1;
  }
  return true;
}

/** Symbolic work Σ|L_k|² and entries of L of the loaded matrix in the order `perm`. */
function work(K: QuasiLdl, perm: Int32Array): { work: number; nnz: number } {
  K.perm.set(perm.subarray(0, K.n));
  assert.equal(K.factor(), true, K.failure);
  return { work: K.factorWork, nnz: K.nnz };
}

const natural = (n: number) => Int32Array.from({ length: n }, (_, i) => i);

function amd(K: QuasiLdl, tail?: Int32Array): Int32Array {
  const p = new Int32Array(K.n);
  new AmdOrder().order(K.n, K.colStart, K.rowIndex, p, tail?.length ?? 0, tail);
  assert.ok(isPermutation(p, K.n), "a permutation");
  return p;
}

test("minimum degree orders trees and stars without fill, and a grid with far less than its natural order", () => {
  const r = mulberry32(7);
  // A random tree, numbered so that the natural order eliminates parents before children.
  const n = 3000;
  const tree: [number, number][] = [];
  for (let i = 1; i < n; i++) tree.push([i, Math.floor(r() * i)]);
  const T = matrix(n, tree);
  const nat = work(T, natural(n));
  const t = work(T, amd(T));
  assert.equal(t.nnz, n - 1, "no fill on a tree");
  assert.ok(nat.nnz > 10 * n, `the natural order fills: ${nat.nnz}`);
  // A star whose hub is node 0: hub last.
  const star: [number, number][] = [];
  for (let i = 1; i < 500; i++) star.push([0, i]);
  const S = matrix(500, star);
  const ps = amd(S);
  assert.equal(ps[499], 0);
  assert.equal(work(S, ps).nnz, 499);
  assert.equal(work(S, natural(500)).nnz, (499 * 500) / 2);
  // A 50 × 50 grid: the natural (banded) order against minimum degree.
  const m = 50;
  const grid: [number, number][] = [];
  for (let i = 0; i < m; i++)
    for (let j = 0; j < m; j++) {
      if (j + 1 < m) grid.push([i * m + j, i * m + j + 1]);
      if (i + 1 < m) grid.push([i * m + j, (i + 1) * m + j]);
    }
  const G = matrix(m * m, grid);
  const gn = work(G, natural(m * m));
  const ga = work(G, amd(G));
  assert.ok(ga.work < 0.3 * gn.work, `grid: ${ga.work} vs natural ${gn.work}`);
  // Isolated nodes and a dense row (over 10·√n neighbours) are ordered too, the dense row last.
  const mixed: [number, number][] = [];
  for (let i = 1; i < 1500; i += 2) mixed.push([0, i]);
  for (let i = 2; i < 1400; i += 7) mixed.push([i, i + 3]);
  const D = matrix(2000, mixed);
  const o = new AmdOrder();
  const pd = new Int32Array(2000);
  o.order(2000, D.colStart, D.rowIndex, pd);
  assert.ok(isPermutation(pd, 2000));
  assert.equal(o.denseNodes, 1);
  assert.equal(pd[1999], 0);
  // A lower threshold: every node of more than 1 neighbour is dense (node 0 and the ends of the
  // pairs i, i + 3 that are odd, so also a partner of node 0), and they all come last.
  let many = 0;
  for (let j = 0; j < 2000; j++) if (D.colStart[j + 1] - D.colStart[j] - 1 > 1) many++;
  o.denseDegree = 1;
  o.order(2000, D.colStart, D.rowIndex, pd);
  assert.ok(isPermutation(pd, 2000));
  assert.equal(o.denseNodes, many);
  for (let k = 2000 - many; k < 2000; k++) {
    const j = pd[k];
    assert.ok(D.colStart[j + 1] - D.colStart[j] - 1 > 1, `node ${j} at ${k}`);
  }
});

test("the nodes the caller puts last come last in its order; a factorisation in the order solves the system", () => {
  const r = mulberry32(11);
  for (let rep = 0; rep < 20; rep++) {
    const n = 50 + Math.floor(r() * 400);
    const nPos = Math.floor(n * (0.3 + 0.5 * r()));
    const edges: [number, number][] = [];
    const seen = new Set<number>();
    const ne = Math.floor(n * (1 + 3 * r()));
    for (let q = 0; q < ne; q++) {
      // Bipartite between the positive and the negative block (as a KKT matrix), a few hubs.
      const a = r() < 0.1 ? Math.floor(r() * 3) : Math.floor(r() * nPos);
      const b = nPos + Math.floor(r() * (n - nPos));
      if (seen.has(a * n + b)) continue;
      seen.add(a * n + b);
      edges.push([a, b]);
    }
    const K = matrix(n, edges, nPos, rep);
    const tailCount = Math.floor(r() * 20);
    const tail = new Int32Array(tailCount);
    const used = new Set<number>();
    for (let q = 0; q < tailCount; q++) {
      let v = Math.floor(r() * n);
      while (used.has(v)) v = (v + 1) % n;
      used.add(v);
      tail[q] = v;
    }
    const p = amd(K, tail);
    for (let q = 0; q < tailCount; q++) assert.equal(p[n - tailCount + q], tail[q]);
    // Same solution as in the natural order, residual at rounding level.
    const b = Float64Array.from({ length: n }, () => r() - 0.5);
    const x1 = Float64Array.from(b);
    work(K, natural(n));
    K.solveInPlace(x1);
    const x2 = Float64Array.from(b);
    work(K, p);
    K.solveInPlace(x2);
    let res = 0;
    let scale = 0;
    for (let j = 0; j < n; j++) {
      scale = Math.max(scale, Math.abs(x1[j]));
      let s = -b[j];
      for (let q = K.colStart[j]; q < K.colStart[j + 1]; q++) s += K.values[q] * x2[K.rowIndex[q]];
      res = Math.max(res, Math.abs(s));
    }
    assert.ok(res <= 1e-9 * Math.max(1, scale), `rep ${rep}: residual ${res}`);
    for (let j = 0; j < n; j++) assert.ok(Math.abs(x1[j] - x2[j]) <= 1e-9 * Math.max(1, scale), `rep ${rep}, x[${j}]`);
  }
});
