import { type AbortCheck, AbortTicker, neverAbort } from "./abort.js";

/**
 * Sparse symmetric factorisation A = P·L·D·Lᵀ·Pᵀ (L unit lower triangular, D diagonal) of a
 * symmetric matrix given by its full pattern (both triangles), in the style of T. Davis's LDL:
 * a fill-reducing ordering (minimum degree on the elimination graph), the elimination tree and
 * column counts (symbolic), then an up-looking numeric factorisation, row by row. No pivoting:
 * D may hold negative entries (an indefinite matrix factorises as long as no pivot vanishes),
 * and a pivot that vanishes is reported as singular.
 *
 * Cost: O(nnz(L)) memory and Σ_k (nnz of row k of L)² work — O(n) for a tree, whose leaves are
 * eliminated first without fill; a few times n for the meshed grids of power systems.
 */

/** A symmetric matrix in compressed sparse columns, both triangles and the diagonal stored. */
export interface SymmetricCsc {
  n: number;
  /** colStart[j] .. colStart[j+1]-1 index column j's entries. */
  colStart: Int32Array;
  rowIndex: Int32Array;
  values: Float64Array;
}

/**
 * Builds a SymmetricCsc from coordinate triplets of the LOWER or UPPER triangle or both: every
 * off-diagonal (i, j) given is mirrored to (j, i); duplicates are summed. Give each off-diagonal
 * entry once (either (i, j) or (j, i)).
 */
export function symmetricFromTriplets(
  n: number,
  rows: ArrayLike<number>,
  cols: ArrayLike<number>,
  vals: ArrayLike<number>,
  count: number,
): SymmetricCsc {
  const colCount = new Int32Array(n + 1);
  for (let e = 0; e < count; e++) {
    colCount[cols[e]]++;
    if (rows[e] !== cols[e]) colCount[rows[e]]++;
  }
  const colStart = new Int32Array(n + 1);
  for (let j = 0; j < n; j++) colStart[j + 1] = colStart[j] + colCount[j];
  const next = colStart.slice(0, n);
  const rowIndex = new Int32Array(colStart[n]);
  const values = new Float64Array(colStart[n]);
  for (let e = 0; e < count; e++) {
    const i = rows[e];
    const j = cols[e];
    rowIndex[next[j]] = i;
    values[next[j]++] = vals[e];
    if (i !== j) {
      rowIndex[next[i]] = j;
      values[next[i]++] = vals[e];
    }
  }
  // Sort each column by row and sum duplicates (columns are short: insertion sort).
  const outStart = new Int32Array(n + 1);
  let w = 0;
  for (let j = 0; j < n; j++) {
    const s = colStart[j];
    const e = colStart[j + 1];
    for (let p = s + 1; p < e; p++) {
      const r = rowIndex[p];
      const v = values[p];
      let q = p - 1;
      while (q >= s && rowIndex[q] > r) {
        rowIndex[q + 1] = rowIndex[q];
        values[q + 1] = values[q];
        q--;
      }
      rowIndex[q + 1] = r;
      values[q + 1] = v;
    }
    outStart[j] = w;
    for (let p = s; p < e; p++) {
      if (w > outStart[j] && rowIndex[w - 1] === rowIndex[p]) values[w - 1] += values[p];
      else {
        rowIndex[w] = rowIndex[p];
        values[w++] = values[p];
      }
    }
  }
  outStart[n] = w;
  return { n, colStart: outStart, rowIndex: rowIndex.slice(0, w), values: values.slice(0, w) };
}

/** A binary min-heap of (key, index) pairs, ties broken by the smaller index (deterministic). */
class MinHeap {
  private keys: number[] = [];
  private items: number[] = [];
  get size(): number {
    return this.items.length;
  }
  private less(a: number, b: number): boolean {
    return this.keys[a] < this.keys[b] || (this.keys[a] === this.keys[b] && this.items[a] < this.items[b]);
  }
  private swap(a: number, b: number): void {
    [this.keys[a], this.keys[b]] = [this.keys[b], this.keys[a]];
    [this.items[a], this.items[b]] = [this.items[b], this.items[a]];
  }
  push(key: number, item: number): void {
    this.keys.push(key);
    this.items.push(item);
    let i = this.items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(i, parent)) break;
      this.swap(i, parent);
      i = parent;
    }
  }
  /** Removes the smallest pair; returns its item (its key is in `lastKey`). */
  pop(): number {
    const item = this.items[0];
    this.lastKey = this.keys[0];
    const k = this.keys.pop()!;
    const it = this.items.pop()!;
    if (this.items.length > 0) {
      this.keys[0] = k;
      this.items[0] = it;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < this.items.length && this.less(l, m)) m = l;
        if (r < this.items.length && this.less(r, m)) m = r;
        if (m === i) break;
        this.swap(i, m);
        i = m;
      }
    }
    return item;
  }
  lastKey = 0;
}

/** Share of the remaining vertices the least degree must reach for the rest to count as dense. */
const DENSE_TAIL = 0.2;

/**
 * A minimum-degree elimination order of a symmetric pattern (the diagonal is ignored): repeatedly
 * eliminate a vertex of least degree in the elimination graph (ties: the lowest index), joining its
 * neighbours into a clique. Exact external degrees, no supervariables: meant for the sparse, nearly
 * planar graphs of power networks. Returns perm, with perm[k] the vertex eliminated k-th.
 * Throws (through `check`) when stopped; throws an Error when the fill passes `maxFill` entries.
 */
export function minimumDegreeOrder(a: SymmetricCsc, check: AbortCheck = neverAbort, maxFill = Infinity): Int32Array {
  const n = a.n;
  const adj: Set<number>[] = new Array(n);
  for (let j = 0; j < n; j++) {
    const s = new Set<number>();
    for (let p = a.colStart[j]; p < a.colStart[j + 1]; p++) if (a.rowIndex[p] !== j) s.add(a.rowIndex[p]);
    adj[j] = s;
  }
  const heap = new MinHeap();
  for (let j = 0; j < n; j++) heap.push(adj[j].size, j);
  const done = new Uint8Array(n);
  const perm = new Int32Array(n);
  const ticker = new AbortTicker(check, "ordering the network matrix", 1 << 14);
  let k = 0;
  let fill = 0;
  const nbrs: number[] = [];
  while (k < n) {
    const v = heap.pop();
    if (done[v] || heap.lastKey !== adj[v].size) continue;
    // Once every remaining vertex is joined to a large part of the rest, the rest is (nearly) one
    // dense block whatever the order: order it by degree at once instead of forming its cliques,
    // which costs the cube of its size in set operations.
    const remaining = n - k;
    if (remaining > 64 && heap.lastKey >= DENSE_TAIL * remaining) {
      const rest: number[] = [];
      for (let u = 0; u < n; u++) if (!done[u]) rest.push(u);
      rest.sort((a, b) => adj[a].size - adj[b].size || a - b);
      for (const u of rest) {
        done[u] = 1;
        perm[k++] = u;
      }
      break;
    }
    done[v] = 1;
    perm[k++] = v;
    nbrs.length = 0;
    for (const u of adj[v]) nbrs.push(u);
    for (const u of nbrs) adj[u].delete(v);
    const d = nbrs.length;
    ticker.tick(1 + d * d);
    for (let x = 0; x < d; x++) {
      const sx = adj[nbrs[x]];
      for (let y = x + 1; y < d; y++) {
        if (!sx.has(nbrs[y])) {
          sx.add(nbrs[y]);
          adj[nbrs[y]].add(nbrs[x]);
          fill++;
        }
      }
    }
    if (fill > maxFill)
      throw new Error(
        `the network matrix fills in beyond ${maxFill} entries when factorised (too dense for the sparse solver)`,
      );
    for (const u of nbrs) heap.push(adj[u].size, u);
    adj[v] = new Set();
  }
  return perm;
}

/** The pivot of a factorisation vanished: the matrix is singular (or numerically so). */
export class SingularMatrixError extends Error {
  constructor(readonly index: number) {
    super(`singular matrix: pivot ${index} vanishes`);
    this.name = "SingularMatrixError";
  }
}

/** A factorisation A = P·L·D·Lᵀ·Pᵀ; `solve` applies A⁻¹. */
export class LdlFactor {
  private constructor(
    readonly n: number,
    /** perm[k]: the original index of the k-th pivot; pinv its inverse. */
    readonly perm: Int32Array,
    readonly pinv: Int32Array,
    /** L by columns (strictly lower part; the unit diagonal is implicit). */
    readonly lStart: Int32Array,
    readonly lIndex: Int32Array,
    readonly lValue: Float64Array,
    readonly d: Float64Array,
  ) {}

  /**
   * Factorises `a` in the order `perm` (default: minimum degree). A pivot smaller than
   * `pivotTolerance` × the largest absolute diagonal entry of `a` counts as zero
   * (SingularMatrixError).
   */
  static factor(
    a: SymmetricCsc,
    options: { perm?: Int32Array; check?: AbortCheck; pivotTolerance?: number; maxFill?: number } = {},
  ): LdlFactor {
    const check = options.check ?? neverAbort;
    const n = a.n;
    const perm = options.perm ?? minimumDegreeOrder(a, check, options.maxFill);
    const pinv = new Int32Array(n);
    for (let k = 0; k < n; k++) pinv[perm[k]] = k;
    const { colStart: Ap, rowIndex: Ai, values: Ax } = a;
    // Symbolic: elimination tree and column counts of L.
    const parent = new Int32Array(n);
    const lnz = new Int32Array(n);
    const flag = new Int32Array(n);
    const ticker = new AbortTicker(check, "factorising the network matrix", 1 << 16);
    for (let k = 0; k < n; k++) {
      parent[k] = -1;
      flag[k] = k;
      lnz[k] = 0;
      const kk = perm[k];
      for (let p = Ap[kk]; p < Ap[kk + 1]; p++) {
        let i = pinv[Ai[p]];
        if (i < k) {
          for (; flag[i] !== k; i = parent[i]) {
            if (parent[i] === -1) parent[i] = k;
            lnz[i]++;
            flag[i] = k;
          }
        }
      }
      ticker.tick(1 + Ap[kk + 1] - Ap[kk]);
    }
    const lStart = new Int32Array(n + 1);
    for (let k = 0; k < n; k++) lStart[k + 1] = lStart[k] + lnz[k];
    if (options.maxFill !== undefined && lStart[n] > options.maxFill) {
      throw new Error(
        `the network matrix's factor has ${lStart[n]} entries, beyond ${options.maxFill} (too dense for the sparse solver)`,
      );
    }
    const lIndex = new Int32Array(lStart[n]);
    const lValue = new Float64Array(lStart[n]);
    const d = new Float64Array(n);
    const y = new Float64Array(n);
    const pattern = new Int32Array(n);
    let scale = 0;
    for (let j = 0; j < n; j++) {
      for (let p = Ap[j]; p < Ap[j + 1]; p++) if (Ai[p] === j) scale = Math.max(scale, Math.abs(Ax[p]));
    }
    const tiny = (options.pivotTolerance ?? 1e-13) * scale;
    // Numeric: row k of L from the rows before it (up-looking).
    for (let k = 0; k < n; k++) {
      y[k] = 0;
      let top = n;
      flag[k] = k;
      lnz[k] = 0;
      const kk = perm[k];
      for (let p = Ap[kk]; p < Ap[kk + 1]; p++) {
        let i = pinv[Ai[p]];
        if (i <= k) {
          y[i] += Ax[p];
          let len = 0;
          for (; flag[i] !== k; i = parent[i]) {
            pattern[len++] = i;
            flag[i] = k;
          }
          while (len > 0) pattern[--top] = pattern[--len];
        }
      }
      d[k] = y[k];
      y[k] = 0;
      let work = 1;
      for (; top < n; top++) {
        const i = pattern[top];
        const yi = y[i];
        y[i] = 0;
        const p2 = lStart[i] + lnz[i];
        for (let p = lStart[i]; p < p2; p++) y[lIndex[p]] -= lValue[p] * yi;
        work += p2 - lStart[i];
        const lki = yi / d[i];
        d[k] -= lki * yi;
        lIndex[p2] = k;
        lValue[p2] = lki;
        lnz[i]++;
      }
      if (!(Math.abs(d[k]) > tiny)) throw new SingularMatrixError(perm[k]);
      ticker.tick(work);
    }
    return new LdlFactor(n, perm, pinv, lStart, lIndex, lValue, d);
  }

  /** Entries of L (without its unit diagonal). */
  get nnz(): number {
    return this.lStart[this.n];
  }

  /** Bytes held by the factor's arrays. */
  get bytes(): number {
    return (
      this.perm.byteLength +
      this.pinv.byteLength +
      this.lStart.byteLength +
      this.lIndex.byteLength +
      this.lValue.byteLength +
      this.d.byteLength
    );
  }

  /**
   * Solves A·x = b in place in `work` (permuted space): load it with `scatter`, solve, read with
   * `gather`. For one-off solves use `solve`.
   */
  solvePermuted(x: Float64Array): void {
    const { n, lStart, lIndex, lValue, d } = this;
    for (let j = 0; j < n; j++) {
      const xj = x[j];
      if (xj === 0) continue;
      for (let p = lStart[j]; p < lStart[j + 1]; p++) x[lIndex[p]] -= lValue[p] * xj;
    }
    for (let j = 0; j < n; j++) x[j] /= d[j];
    for (let j = n - 1; j >= 0; j--) {
      let s = x[j];
      for (let p = lStart[j]; p < lStart[j + 1]; p++) s -= lValue[p] * x[lIndex[p]];
      x[j] = s;
    }
  }

  /** x = A⁻¹·b (new array). */
  solve(b: ArrayLike<number>): Float64Array {
    const w = new Float64Array(this.n);
    for (let k = 0; k < this.n; k++) w[k] = b[this.perm[k]];
    this.solvePermuted(w);
    const x = new Float64Array(this.n);
    for (let k = 0; k < this.n; k++) x[this.perm[k]] = w[k];
    return x;
  }
}
