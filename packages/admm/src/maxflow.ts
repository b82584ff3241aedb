/**
 * Dinic's maximum flow on a graph held in typed arrays (forward/backward arc pairs), with real
 * capacities (Infinity allowed). Iterative DFS, so deep graphs do not overflow the stack.
 */
export class FlowGraph {
  readonly nNodes: number;
  private head: Int32Array;
  private next: Int32Array;
  private to: Int32Array;
  private cap: Float64Array;
  private nArcs = 0;

  constructor(nNodes: number, maxEdges: number) {
    this.nNodes = nNodes;
    this.head = new Int32Array(nNodes).fill(-1);
    this.next = new Int32Array(2 * maxEdges);
    this.to = new Int32Array(2 * maxEdges);
    this.cap = new Float64Array(2 * maxEdges);
  }

  /** Adds an arc u → v of capacity c (and its residual twin); returns its index, or -1 if c ≤ 0. */
  addEdge(u: number, v: number, c: number): number {
    if (!(c > 0)) return -1;
    const a = this.nArcs;
    this.to[a] = v;
    this.cap[a] = c;
    this.next[a] = this.head[u];
    this.head[u] = a;
    this.to[a + 1] = u;
    this.cap[a + 1] = 0;
    this.next[a + 1] = this.head[v];
    this.head[v] = a + 1;
    this.nArcs += 2;
    return a;
  }

  /** Remaining capacity of an arc. */
  residual(arc: number): number {
    return arc < 0 ? 0 : this.cap[arc];
  }

  /** Maximum flow from s to t; stops early once `enough` has been pushed. */
  maxFlow(s: number, t: number, enough = Infinity): number {
    const n = this.nNodes;
    const level = new Int32Array(n);
    const iter = new Int32Array(n);
    const queue = new Int32Array(n);
    const stackNode = new Int32Array(n);
    const stackArc = new Int32Array(n);
    let total = 0;
    while (total < enough) {
      level.fill(-1);
      level[s] = 0;
      let qh = 0;
      let qt = 0;
      queue[qt++] = s;
      while (qh < qt) {
        const u = queue[qh++];
        for (let a = this.head[u]; a !== -1; a = this.next[a]) {
          if (this.cap[a] > 0 && level[this.to[a]] < 0) {
            level[this.to[a]] = level[u] + 1;
            queue[qt++] = this.to[a];
          }
        }
      }
      if (level[t] < 0) break;
      for (let u = 0; u < n; u++) iter[u] = this.head[u];
      // Blocking flow by repeated augmenting paths along the level graph.
      for (;;) {
        let depth = 0;
        stackNode[0] = s;
        let found = false;
        while (depth >= 0) {
          const u = stackNode[depth];
          if (u === t) {
            found = true;
            break;
          }
          let advanced = false;
          for (; iter[u] !== -1; iter[u] = this.next[iter[u]]) {
            const a = iter[u];
            const v = this.to[a];
            if (this.cap[a] > 0 && level[v] === level[u] + 1) {
              stackArc[depth] = a;
              stackNode[++depth] = v;
              advanced = true;
              break;
            }
          }
          if (!advanced) {
            level[u] = -1; // dead end
            depth--;
            if (depth >= 0) iter[stackNode[depth]] = this.next[iter[stackNode[depth]]];
          }
        }
        if (!found) break;
        let push = Infinity;
        for (let d = 0; d < depth; d++) push = Math.min(push, this.cap[stackArc[d]]);
        if (!(push > 0) || push === Infinity) {
          // An all-infinite path: the flow is unbounded.
          if (push === Infinity) return Infinity;
          break;
        }
        for (let d = 0; d < depth; d++) {
          this.cap[stackArc[d]] -= push;
          this.cap[stackArc[d] ^ 1] += push;
        }
        total += push;
        if (total >= enough) break;
      }
    }
    return total;
  }

  /** Nodes reachable from s in the residual graph (after maxFlow: the source side of a minimum cut). */
  reachable(s: number): Uint8Array {
    const seen = new Uint8Array(this.nNodes);
    const queue = new Int32Array(this.nNodes);
    let qh = 0;
    let qt = 0;
    queue[qt++] = s;
    seen[s] = 1;
    while (qh < qt) {
      const u = queue[qh++];
      for (let a = this.head[u]; a !== -1; a = this.next[a]) {
        const v = this.to[a];
        if (this.cap[a] > 1e-12 && !seen[v]) {
          seen[v] = 1;
          queue[qt++] = v;
        }
      }
    }
    return seen;
  }
}
