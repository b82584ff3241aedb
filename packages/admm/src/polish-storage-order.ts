/**
 * Approximate minimum degree ordering (P. Amestoy, T. Davis, I. Duff, "An approximate minimum
 * degree ordering algorithm", SIAM J. Matrix Anal. Appl. 17(4), 1996) of a symmetric pattern, for
 * the KKT systems of storage polishing (docs/polishing.md, "Markets with storage").
 *
 * Minimum degree eliminates, at each step, the node whose row in the remaining matrix has the
 * fewest entries; AMD does so on the quotient graph (eliminated nodes become "elements" standing
 * for the clique they created, so the graph never grows), with an upper bound of each degree
 * instead of the exact one (|A_i \ i| + |L_k \ i| + Σ_e |L_e \ L_k|), merges nodes with identical
 * adjacency into supernodes (found by hashing), absorbs elements whose pattern is contained in the
 * new one, eliminates nodes whose degree drops to 0 together with the pivot, and puts nodes of
 * degree over 10·√n (dense rows) last. The order is then the postorder of the assembly tree. The
 * layout of the workspace (one integer array holding every node's and element's lists, with
 * garbage collection) follows T. Davis's `cs_amd` (Direct Methods for Sparse Linear Systems,
 * SIAM 2006, ch. 7).
 *
 * Every buffer is kept between calls and only grows.
 */

function growI(a: Int32Array, need: number): Int32Array {
  return a.length >= need ? a : new Int32Array(Math.max(need, 2 * a.length));
}

/** −i − 2: marks a reference (a parent, an absorbed object) apart from a position. */
function flip(i: number): number {
  return -i - 2;
}

export class AmdOrder {
  private cp: Int32Array = new Int32Array(1);
  private ci: Int32Array = new Int32Array(0);
  private len: Int32Array = new Int32Array(0);
  private nv: Int32Array = new Int32Array(0);
  private next: Int32Array = new Int32Array(0);
  private head: Int32Array = new Int32Array(0);
  private elen: Int32Array = new Int32Array(0);
  private degree: Int32Array = new Int32Array(0);
  private w: Int32Array = new Int32Array(0);
  private hhead: Int32Array = new Int32Array(0);
  private last: Int32Array = new Int32Array(0);
  private post: Int32Array = new Int32Array(0);
  private lastNodes: Int32Array = new Int32Array(0);
  private forced: Uint8Array = new Uint8Array(0);
  /** Nodes put last as dense in the last call (besides those the caller put last). */
  denseNodes = 0;
  /**
   * Nodes of more neighbours than this count as dense (0: the usual max(16, 10·√n)). Hubs cost
   * minimum degree a scan of their list at every elimination of a neighbour.
   */
  denseDegree = 0;

  /**
   * Writes into perm[0..n) an elimination order of the symmetric pattern of n columns
   * (colStart, rowIndex; both triangles, sorted or not, the diagonal ignored): perm[k] is the
   * node eliminated k-th. The `lastCount` nodes `tail[0..lastCount)` (distinct) are left out of the
   * minimum degree graph, as dense nodes are, and put at the end in that order. Throws if the
   * result is not a permutation (a defect, checked in O(n)).
   */
  order(
    n: number,
    colStart: Int32Array,
    rowIndex: Int32Array,
    perm: Int32Array,
    lastCount = 0,
    tail: Int32Array = perm,
  ): void {
    if (n === 0) return;
    if (this.forced.length < n + 1) this.forced = new Uint8Array(Math.max(n + 1, 2 * this.forced.length));
    const forced = this.forced;
    forced.fill(0, 0, n + 1);
    for (let t = 0; t < lastCount; t++) forced[tail[t]] = 1;
    // The caller's array may be perm itself: keep the nodes to put last.
    this.lastNodes = growI(this.lastNodes, lastCount);
    this.lastNodes.set(tail.subarray(0, lastCount));
    // The pattern without its diagonal, with elbow room for the elements.
    let cnz = 0;
    for (let j = 0; j < n; j++) for (let p = colStart[j]; p < colStart[j + 1]; p++) if (rowIndex[p] !== j) cnz++;
    const nzmax = cnz + Math.floor(cnz / 5) + 2 * n + 16;
    this.cp = growI(this.cp, n + 1);
    this.ci = growI(this.ci, nzmax);
    for (const key of ["len", "nv", "next", "head", "elen", "degree", "w", "hhead", "last", "post"] as const)
      this[key] = growI(this[key], n + 1);
    const { cp, ci, len, nv, next, head, elen, degree, w, hhead, last } = this;
    let q = 0;
    for (let j = 0; j < n; j++) {
      cp[j] = q;
      for (let p = colStart[j]; p < colStart[j + 1]; p++) if (rowIndex[p] !== j) ci[q++] = rowIndex[p];
      len[j] = q - cp[j];
    }
    cp[n] = q;
    len[n] = 0;
    const dense = Math.min(
      n - 2,
      this.denseDegree > 0 ? this.denseDegree : Math.max(16, Math.floor(10 * Math.sqrt(n))),
    );
    for (let i = 0; i <= n; i++) {
      head[i] = -1;
      last[i] = -1;
      next[i] = -1;
      hhead[i] = -1;
      nv[i] = 1;
      w[i] = 1;
      elen[i] = 0;
      degree[i] = len[i];
    }
    let mark = this.clearW(0, 0, n);
    elen[n] = -2;
    cp[n] = -1;
    w[n] = 0;
    let nel = 0;
    this.denseNodes = 0;
    for (let i = 0; i < n; i++) {
      const d = degree[i];
      if (d === 0) {
        // An isolated node: an element of its own, a root of the tree.
        elen[i] = -2;
        nel++;
        cp[i] = -1;
        w[i] = 0;
      } else if (d > dense || forced[i]) {
        // A dense node (or one put last by the caller): absorbed into the placeholder element n,
        // ordered last.
        nv[i] = 0;
        elen[i] = -1;
        nel++;
        cp[i] = flip(n);
        nv[n]++;
        if (!forced[i]) this.denseNodes++;
      } else {
        if (head[d] !== -1) last[head[d]] = i;
        next[i] = head[d];
        head[d] = i;
      }
    }
    let mindeg = 0;
    let lemax = 0;
    while (nel < n) {
      // The node of least approximate degree.
      let k = -1;
      for (; mindeg < n; mindeg++) {
        k = head[mindeg];
        if (k !== -1) break;
      }
      if (k === -1) break;
      if (next[k] !== -1) last[next[k]] = -1;
      head[mindeg] = next[k];
      const elenk = elen[k];
      let nvk = nv[k];
      nel += nvk;

      // Garbage collection when the new element might not fit.
      if (elenk > 0 && cnz + mindeg >= nzmax) {
        for (let j = 0; j < n; j++) {
          const p = cp[j];
          if (p >= 0) {
            cp[j] = ci[p];
            ci[p] = flip(j);
          }
        }
        let qq = 0;
        let p = 0;
        while (p < cnz) {
          const j = flip(ci[p++]);
          if (j >= 0) {
            ci[qq] = cp[j];
            cp[j] = qq++;
            for (let t = 0; t < len[j] - 1; t++) ci[qq++] = ci[p++];
          }
        }
        cnz = qq;
      }

      // The new element L_k: the union of k's variables and of the elements it is adjacent to.
      let dk = 0;
      nv[k] = -nvk;
      let p = cp[k];
      const pk1 = elenk === 0 ? p : cnz;
      let pk2 = pk1;
      for (let k1 = 1; k1 <= elenk + 1; k1++) {
        let e: number;
        let pj: number;
        let ln: number;
        if (k1 > elenk) {
          e = k;
          pj = p;
          ln = len[k] - elenk;
        } else {
          e = ci[p++];
          pj = cp[e];
          ln = len[e];
        }
        for (let k2 = 1; k2 <= ln; k2++) {
          const i = ci[pj++];
          const nvi = nv[i];
          if (nvi <= 0) continue;
          dk += nvi;
          nv[i] = -nvi;
          ci[pk2++] = i;
          if (next[i] !== -1) last[next[i]] = last[i];
          if (last[i] !== -1) next[last[i]] = next[i];
          else head[degree[i]] = next[i];
        }
        if (e !== k) {
          cp[e] = flip(k);
          w[e] = 0;
        }
      }
      if (elenk !== 0) cnz = pk2;
      degree[k] = dk;
      cp[k] = pk1;
      len[k] = pk2 - pk1;
      elen[k] = -2;

      // |L_e \ L_k| for every element e adjacent to a node of L_k, in w[e] − mark.
      mark = this.clearW(mark, lemax, n);
      for (let pk = pk1; pk < pk2; pk++) {
        const i = ci[pk];
        const eln = elen[i];
        if (eln <= 0) continue;
        const nvi = -nv[i];
        const wnvi = mark - nvi;
        for (let pe = cp[i]; pe <= cp[i] + eln - 1; pe++) {
          const e = ci[pe];
          if (w[e] >= mark) w[e] -= nvi;
          else if (w[e] !== 0) w[e] = degree[e] + wnvi;
        }
      }

      // Approximate degrees of the nodes of L_k; their lists pruned; mass elimination.
      for (let pk = pk1; pk < pk2; pk++) {
        const i = ci[pk];
        const p1 = cp[i];
        const p2 = p1 + elen[i] - 1;
        let pn = p1;
        let h = 0;
        let d = 0;
        for (let pe = p1; pe <= p2; pe++) {
          const e = ci[pe];
          if (w[e] !== 0) {
            const dext = w[e] - mark;
            if (dext > 0) {
              d += dext;
              ci[pn++] = e;
              h += e;
            } else {
              // L_e ⊆ L_k: aggressive absorption.
              cp[e] = flip(k);
              w[e] = 0;
            }
          }
        }
        elen[i] = pn - p1 + 1;
        const p3 = pn;
        const p4 = p1 + len[i];
        for (let pa = p2 + 1; pa < p4; pa++) {
          const j = ci[pa];
          const nvj = nv[j];
          if (nvj <= 0) continue;
          d += nvj;
          ci[pn++] = j;
          h += j;
        }
        if (d === 0) {
          // Nothing outside L_k: i is eliminated with k.
          cp[i] = flip(k);
          const nvi = -nv[i];
          dk -= nvi;
          nvk += nvi;
          nel += nvi;
          nv[i] = 0;
          elen[i] = -1;
        } else {
          degree[i] = Math.min(degree[i], d);
          ci[pn] = ci[p3];
          ci[p3] = ci[p1];
          ci[p1] = k;
          len[i] = pn - p1 + 1;
          const hb = h % n;
          next[i] = hhead[hb];
          hhead[hb] = i;
          last[i] = hb;
        }
      }
      degree[k] = dk;
      lemax = Math.max(lemax, dk);
      mark = this.clearW(mark + lemax, lemax, n);

      // Supernodes: nodes of L_k with identical lists (same hash bucket first) are merged.
      for (let pk = pk1; pk < pk2; pk++) {
        let i = ci[pk];
        if (nv[i] >= 0) continue;
        const hb = last[i];
        i = hhead[hb];
        hhead[hb] = -1;
        for (; i !== -1 && next[i] !== -1; i = next[i], mark++) {
          const ln = len[i];
          const eln = elen[i];
          for (let pa = cp[i] + 1; pa <= cp[i] + ln - 1; pa++) w[ci[pa]] = mark;
          let jlast = i;
          for (let j = next[i]; j !== -1; ) {
            let same = len[j] === ln && elen[j] === eln;
            for (let pa = cp[j] + 1; same && pa <= cp[j] + ln - 1; pa++) if (w[ci[pa]] !== mark) same = false;
            if (same) {
              cp[j] = flip(i);
              nv[i] += nv[j];
              nv[j] = 0;
              elen[j] = -1;
              j = next[j];
              next[jlast] = j;
            } else {
              jlast = j;
              j = next[j];
            }
          }
        }
      }

      // The new element's final list; its nodes back in the degree lists.
      let pf = pk1;
      for (let pk = pk1; pk < pk2; pk++) {
        const i = ci[pk];
        const nvi = -nv[i];
        if (nvi <= 0) continue;
        nv[i] = nvi;
        const d = Math.min(degree[i] + dk - nvi, n - nel - nvi);
        if (head[d] !== -1) last[head[d]] = i;
        next[i] = head[d];
        last[i] = -1;
        head[d] = i;
        if (d < mindeg) mindeg = d;
        degree[i] = d;
        ci[pf++] = i;
      }
      nv[k] = nvk;
      len[k] = pf - pk1;
      if (len[k] === 0) {
        cp[k] = -1;
        w[k] = 0;
      }
      if (elenk !== 0) cnz = pf;
    }

    // Postorder of the assembly tree (parents: cp flipped; n is the dense nodes' parent).
    for (let i = 0; i < n; i++) {
      const par = flip(cp[i]);
      cp[i] = par >= 0 && par <= n ? par : -1;
    }
    for (let j = 0; j <= n; j++) head[j] = -1;
    for (let j = n; j >= 0; j--) {
      if (nv[j] > 0 || cp[j] < 0) continue;
      next[j] = head[cp[j]];
      head[cp[j]] = j;
    }
    for (let e = n; e >= 0; e--) {
      if (nv[e] <= 0 || cp[e] === -1) continue;
      next[e] = head[cp[e]];
      head[cp[e]] = e;
    }
    const post = this.post;
    let kk = 0;
    for (let i = 0; i <= n; i++) if (cp[i] === -1) kk = this.depthFirst(i, kk, post);
    // post[0..n] holds every node and the placeholder n; drop the latter, and the nodes put last
    // (then appended in the caller's order).
    let o = 0;
    for (let t = 0; t < kk; t++) if (post[t] !== n && !forced[post[t]]) perm[o++] = post[t];
    for (let t = 0; t < lastCount; t++) perm[o++] = this.lastNodes[t];
    if (o !== n) throw new Error(`minimum degree ordering lost nodes (${o} of ${n})`);
    const seen = this.w;
    seen.fill(0, 0, n);
    for (let k = 0; k < n; k++) {
      const v = perm[k];
      if (!(v >= 0 && v < n) || seen[v] !== 0) throw new Error(`minimum degree ordering: not a permutation at ${k}`);
      seen[v] = 1;
    }
  }

  /** Resets w when `mark` would overflow; returns the mark to use (w[0..n) < mark holds). */
  private clearW(mark: number, lemax: number, n: number): number {
    if (mark < 2 || mark + lemax >= 0x3fffffff) {
      const w = this.w;
      for (let k = 0; k < n; k++) if (w[k] !== 0) w[k] = 1;
      return 2;
    }
    return mark;
  }

  /** Postorders the subtree of j (children lists head/next) into post from position k; returns the next position. */
  private depthFirst(j: number, k: number, post: Int32Array): number {
    const { head, next, w: stack } = this;
    let top = 0;
    stack[0] = j;
    while (top >= 0) {
      const p = stack[top];
      const i = head[p];
      if (i === -1) {
        top--;
        post[k++] = p;
      } else {
        head[p] = next[i];
        stack[++top] = i;
      }
    }
    return k;
  }
}
