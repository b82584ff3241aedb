/**
 * Sparse LDLᵀ factorisation of a symmetric quasi-definite matrix in a given pivot order, for the
 * reduced KKT systems of storage polishing (docs/polishing.md, "Markets with storage"). The
 * matrix is loaded from triplets into compressed columns holding both triangles; the
 * factorisation is the up-looking one of T. Davis's LDL: elimination tree and column counts
 * (symbolic), then row k of L from the rows before it. No pivoting: a quasi-definite matrix
 * [H + δI, Aᵀ; A, −δI] factorises in every symmetric order (D then holds positive and negative
 * entries). Every buffer is kept between calls and only grows, so repeated factorisations of
 * systems of similar size allocate nothing.
 */

function growI(a: Int32Array, need: number): Int32Array {
  return a.length >= need ? a : new Int32Array(Math.max(need, 2 * a.length));
}

function growF(a: Float64Array, need: number): Float64Array {
  return a.length >= need ? a : new Float64Array(Math.max(need, 2 * a.length));
}

export class QuasiLdl {
  /** Dimension of the loaded matrix. */
  n = 0;
  /** The matrix: column j's entries colStart[j] .. colStart[j+1]−1, rows sorted, both triangles. */
  colStart: Int32Array = new Int32Array(1);
  rowIndex: Int32Array = new Int32Array(0);
  values: Float64Array = new Float64Array(0);
  /** Pivot order, to be filled by the caller after `load`: perm[k] is the index of pivot k. */
  perm: Int32Array = new Int32Array(0);
  private pinv: Int32Array = new Int32Array(0);
  private parent: Int32Array = new Int32Array(0);
  private lnz: Int32Array = new Int32Array(0);
  private flag: Int32Array = new Int32Array(0);
  private pattern: Int32Array = new Int32Array(0);
  private next: Int32Array = new Int32Array(0);
  private lStart: Int32Array = new Int32Array(1);
  private lIndex: Int32Array = new Int32Array(0);
  private lValue: Float64Array = new Float64Array(0);
  private d: Float64Array = new Float64Array(0);
  private y: Float64Array = new Float64Array(0);
  private work: Float64Array = new Float64Array(0);

  /** Entries of L (without its unit diagonal) of the last factorisation. */
  get nnz(): number {
    return this.lStart[this.n];
  }

  /**
   * Makes room for an n×n matrix of `nnz` stored entries, which the caller then writes straight
   * into `colStart`, `rowIndex` and `values`: both triangles, each column's rows in increasing
   * order, no duplicates (as `load` leaves them).
   */
  reserve(n: number, nnz: number): void {
    this.n = n;
    this.analysedWork = Infinity;
    this.colStart = growI(this.colStart, n + 1);
    this.next = growI(this.next, n + 1);
    this.rowIndex = growI(this.rowIndex, nnz);
    this.values = growF(this.values, nnz);
    this.perm = growI(this.perm, n);
    this.pinv = growI(this.pinv, n);
    this.parent = growI(this.parent, n);
    this.lnz = growI(this.lnz, n);
    this.flag = growI(this.flag, n);
    this.pattern = growI(this.pattern, n);
    this.lStart = growI(this.lStart, n + 1);
    this.d = growF(this.d, n);
    this.y = growF(this.y, n);
    this.work = growF(this.work, n);
  }

  /** Loads an n×n matrix from `count` triplets; each off-diagonal entry is given once (it is mirrored), duplicates are summed. */
  load(n: number, rows: Int32Array, cols: Int32Array, vals: Float64Array, count: number): void {
    this.reserve(n, 2 * count);
    const cs = this.colStart;
    const cnt = this.next;
    cnt.fill(0, 0, n + 1);
    for (let e = 0; e < count; e++) {
      cnt[cols[e]]++;
      if (rows[e] !== cols[e]) cnt[rows[e]]++;
    }
    cs[0] = 0;
    for (let j = 0; j < n; j++) cs[j + 1] = cs[j] + cnt[j];
    for (let j = 0; j < n; j++) cnt[j] = cs[j];
    const ri = this.rowIndex;
    const va = this.values;
    for (let e = 0; e < count; e++) {
      const i = rows[e];
      const j = cols[e];
      ri[cnt[j]] = i;
      va[cnt[j]++] = vals[e];
      if (i !== j) {
        ri[cnt[i]] = j;
        va[cnt[i]++] = vals[e];
      }
    }
    // Sort each (short) column by row and sum duplicates, compacting in place.
    let w = 0;
    for (let j = 0; j < n; j++) {
      const s = cs[j];
      const e = cs[j + 1];
      for (let p = s + 1; p < e; p++) {
        const r = ri[p];
        const v = va[p];
        let q = p - 1;
        while (q >= s && ri[q] > r) {
          ri[q + 1] = ri[q];
          va[q + 1] = va[q];
          q--;
        }
        ri[q + 1] = r;
        va[q + 1] = v;
      }
      const start = w;
      for (let p = s; p < e; p++) {
        if (w > start && ri[w - 1] === ri[p]) va[w - 1] += va[p];
        else {
          ri[w] = ri[p];
          va[w++] = va[p];
        }
      }
      cs[j] = start;
    }
    cs[n] = w;
  }

  /** Why the last `factor` returned false: a vanishing pivot, a factor over the work budget, or the deadline. */
  failure: "pivot" | "work" | "deadline" | "" = "";
  /** Multiply–adds the last factorisation needed (Σ over columns of their entries squared). */
  factorWork = 0;
  /** The work of the last `analyse` that ran to the end (its structures are then those of `perm`), else ∞. */
  analysedWork = Infinity;

  /**
   * The symbolic pass in the order `perm`: elimination tree, column counts of L and the work of
   * the numeric pass, Σ_k |L_k|² multiply–adds (also left in `factorWork`; `nnz` is then the
   * count of L's entries), whose cost is about that of L's entries. The count only grows row by
   * row: once it passes `limit` the pass stops and returns it (a lower bound, over the limit;
   * `nnz` is then meaningless).
   */
  analyse(limit = Infinity): number {
    this.analysedWork = Infinity;
    const n = this.n;
    const { perm, pinv, parent, lnz, flag, colStart: Ap, rowIndex: Ai } = this;
    for (let k = 0; k < n; k++) pinv[perm[k]] = k;
    let work = 0;
    for (let k = 0; k < n; k++) {
      if (work > limit) {
        this.factorWork = work;
        return work;
      }
      parent[k] = -1;
      flag[k] = k;
      lnz[k] = 0;
      const kk = perm[k];
      for (let p = Ap[kk]; p < Ap[kk + 1]; p++) {
        let i = pinv[Ai[p]];
        if (i < k) {
          for (; flag[i] !== k; i = parent[i]) {
            if (parent[i] === -1) parent[i] = k;
            work += 2 * lnz[i] + 1; // (l + 1)² − l²
            lnz[i]++;
            flag[i] = k;
          }
        }
      }
    }
    const lStart = this.lStart;
    lStart[0] = 0;
    for (let k = 0; k < n; k++) lStart[k + 1] = lStart[k] + lnz[k];
    this.factorWork = work;
    this.analysedWork = work;
    return work;
  }

  /**
   * Factorises the loaded matrix in the order `perm`; false when a pivot vanishes (0 or not
   * finite), when the symbolic pass predicts more than `maxWork` multiply–adds (Σ_k |L_k|², the
   * numeric pass's cost, which depends on the order), or when
   * `performance.now()` passes `deadline` during the numeric pass (checked every 1 024 columns).
   */
  factor(maxWork = Infinity, deadline = Infinity, analysed = false): boolean {
    this.failure = "";
    const n = this.n;
    // `analysed`: the caller's last `analyse` was of this order and ran to the end.
    const work = analysed && this.analysedWork < Infinity ? this.analysedWork : this.analyse(maxWork);
    if (work > maxWork) {
      this.failure = "work";
      return false;
    }
    const { perm, pinv, parent, lnz, flag, pattern, colStart: Ap, rowIndex: Ai, values: Ax, lStart } = this;
    this.lIndex = growI(this.lIndex, lStart[n]);
    this.lValue = growF(this.lValue, lStart[n]);
    const lIndex = this.lIndex;
    const lValue = this.lValue;
    const d = this.d;
    const y = this.y;
    for (let k = 0; k < n; k++) {
      if ((k & 1023) === 1023 && performance.now() > deadline) {
        this.failure = "deadline";
        return false;
      }
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
      for (; top < n; top++) {
        const i = pattern[top];
        const yi = y[i];
        y[i] = 0;
        const p2 = lStart[i] + lnz[i];
        for (let p = lStart[i]; p < p2; p++) y[lIndex[p]] -= lValue[p] * yi;
        const lki = yi / d[i];
        d[k] -= lki * yi;
        lIndex[p2] = k;
        lValue[p2] = lki;
        lnz[i]++;
      }
      if (!(d[k] !== 0 && Number.isFinite(d[k]))) {
        this.failure = "pivot";
        return false;
      }
    }
    return true;
  }

  /** b[0..n) ← A⁻¹ b (original order), in place. */
  solveInPlace(b: Float64Array): void {
    const { n, perm, lStart, lIndex, lValue, d, work: x } = this;
    for (let k = 0; k < n; k++) x[k] = b[perm[k]];
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
    for (let k = 0; k < n; k++) b[perm[k]] = x[k];
  }
}
