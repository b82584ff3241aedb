import type { MarketArrays } from "./problem.js";
import { AT_HI, AT_LO, BWD, FWD, ZERO } from "./polish-states.js";
import { Carver, carvedBytes } from "./shared.js";
import { ufFind } from "./union-find.js";
import { costsZero } from "./local.js";

/** Levels of the quantised room, and priority levels, of the counting sort in `build`. */
const ROOM_LEVELS = 4096;
const MAX_PRIO = 15;
/** The counting sort is replaced by a comparison sort below one flowing pair per this many buckets. */
const SMALL_SORT_FACTOR = 16;
/** Directed trades of a market are fewer than this (Int32 indices), so bucket · PAIR_SPAN + pair is an exact double. */
const PAIR_SPAN = 2 ** 31;

/**
 * The spanning forest of the flowing pairs of a polish round (docs/polishing.md): a maximum
 * spanning forest by priority, then room, its components in BFS order with each agent's parent
 * trade, depth and price offset d (path sums of the trade costs w), and the pivots on the loops
 * that flowing pairs off the forest close. Scratch is allocated once, at construction.
 */
export class SpanningForest {
  readonly m: MarketArrays;
  private readonly nt: number;
  private readonly N: number;
  /**
   * Per representative trade: room of a flowing pair to its nearest end in the iterate, and
   * priority (the round that asked for the pair in the tree). Single precision and one byte: they
   * only order the pairs (room quantised to ROOM_LEVELS levels, priorities up to MAX_PRIO).
   */
  readonly room: Float32Array;
  readonly prio: Uint8Array;
  private readonly order: Int32Array;
  /** The counting sort's buckets (allocated on its first use: small rounds sort by comparison). */
  private counts: Int32Array | null = null;
  /** The comparison sort's keys (bucket and pair), grown as needed. */
  private keys = new Float64Array(0);
  private readonly uf: Int32Array;
  /** Per representative trade: whether the pair is a tree edge. */
  readonly inTree: Uint8Array;
  /** Per agent: component, trade to the parent (−1 at a root), depth, price offset. */
  readonly comp: Int32Array;
  readonly parentEdge: Int32Array;
  private readonly depth: Int32Array;
  readonly d: Float64Array;
  /** Agents grouped by component, each group in BFS order from its root; group offsets. */
  readonly list: Int32Array;
  readonly compStart: Int32Array;
  nComp = 0;
  /** Directed trades of a pivot's cycle. */
  private readonly cycle: Int32Array;
  /** The tree edges (representatives), their agents, and the tree's adjacency: offsets per agent and directed trades. */
  private readonly treeEdges: Int32Array;
  private readonly treeOwner: Int32Array;
  private readonly adjStart: Int32Array;
  private readonly fillPos: Int32Array;
  private readonly adj: Int32Array;
  /** The flowing pairs (representatives) of the round, ascending: the sort's input; then the agents of `order`'s pairs. */
  private readonly flowing: Int32Array;
  /** Tree edges of the last build (their `inTree` flags are the only ones set). */
  private edges = 0;
  /** Below one flowing pair per this many buckets `build` sorts by comparison (tests set 0 or ∞ to pick a sort). */
  sortFactor = SMALL_SORT_FACTOR;

  /** Whether any trade of the market has a cost (the price offsets then read them; else they are 0). */
  costs: boolean;

  /** `costs`: false when every trade cost of the market is zero (`costsZero`; by default read here). */
  constructor(m: MarketArrays, costs = !costsZero(m.costSell, m.costBuy)) {
    const nt = m.partner.length;
    const N = m.nAgents;
    this.m = m;
    this.costs = costs;
    this.nt = nt;
    this.N = N;
    const N1 = Math.max(1, N);
    // One buffer for all (shared.ts, `Carver`); the sort lists' pages are committed only where written.
    const c = new Carver(
      carvedBytes(
        8 * N,
        4 * nt,
        2 * nt,
        2 * nt,
        4 * N,
        4 * N,
        4 * N,
        4 * N,
        4 * N,
        4 * (N + 1),
        4 * (N + 1),
        4 * N1,
        4 * N1,
        4 * (N + 1),
        4 * N,
        8 * N1,
        nt,
        nt,
      ),
    );
    this.d = c.f64(N);
    this.room = c.f32(nt);
    this.order = c.i32(nt / 2);
    this.flowing = c.i32(nt / 2);
    this.uf = c.i32(N);
    this.comp = c.i32(N);
    this.parentEdge = c.i32(N);
    this.depth = c.i32(N);
    this.list = c.i32(N);
    this.compStart = c.i32(N + 1);
    this.cycle = c.i32(N + 1);
    this.treeEdges = c.i32(N1);
    this.treeOwner = c.i32(N1);
    this.adjStart = c.i32(N + 1);
    this.fillPos = c.i32(N);
    this.adj = c.i32(2 * N1);
    this.prio = c.u8(nt);
    this.inTree = c.u8(nt);
  }

  /**
   * The sort's two lists of nt/2 entries, idle between one `build` and the next (whose contents
   * they do not carry): scratch that others may use in between.
   */
  sortScratch(): [Int32Array, Int32Array] {
    return [this.order, this.flowing];
  }

  /** Sort bucket of flowing pair k: higher priority first, then more room. */
  private bucket(k: number, prioMax: number, qScale: number): number {
    const p = Math.min(prioMax - this.prio[k], MAX_PRIO);
    const q = Math.min(ROOM_LEVELS - 1, Math.floor(this.room[k] * qScale)) || 0;
    return p * ROOM_LEVELS + (ROOM_LEVELS - 1 - q);
  }

  /**
   * The order of the counting sort when the `c` flowing pairs (listed ascending in `flowing`) are
   * few against its buckets, whose clearing and prefix sums then cost more than the pairs: a
   * numeric sort of keys bucket · 2³¹ + pair, which orders by bucket and, within one, by index,
   * as the counting sort does (the same order, bit for bit). Each pair's agent by bisection of
   * the agents' trade ranges.
   */
  private sortFew(c: number, prioMax: number, qScale: number): void {
    const { order, flowing } = this;
    const ts = this.m.tradeStart;
    if (this.keys.length < c) this.keys = new Float64Array(Math.max(c, 2 * this.keys.length));
    const keys = this.keys.subarray(0, c);
    for (let i = 0; i < c; i++) keys[i] = this.bucket(flowing[i], prioMax, qScale) * PAIR_SPAN + flowing[i];
    keys.sort();
    for (let i = 0; i < c; i++) {
      // The pair: the key less its bucket's multiple of 2³¹ (exact; `%` on doubles is a call to fmod).
      const key = keys[i];
      const k = key - Math.floor(key / PAIR_SPAN) * PAIR_SPAN;
      let lo = 0;
      let hi = this.N;
      // The agent n with tradeStart[n] ≤ k < tradeStart[n + 1].
      while (hi - lo > 1) {
        const mid = (lo + hi) >> 1;
        if (ts[mid] <= k) lo = mid;
        else hi = mid;
      }
      order[i] = k;
      flowing[i] = lo;
    }
  }

  /** Maximum spanning forest of the flowing pairs (by priority, then room), components in BFS order. */
  build(state: Int8Array): void {
    const m = this.m;
    const { room, prio, order, uf, inTree, comp, list, compStart, parentEdge, d, costs } = this;
    // Flowing pairs by priority, then room (both descending), then index: a counting sort on the
    // room quantised to ROOM_LEVELS levels (the order only steers which pairs the tree prefers).
    // One pass over the trades lists the flowing pairs (ascending, so the sort is stable by
    // index) for the counts; the placing pass goes over the trades again, agent by agent, so that
    // it also places each pair's agent (in `flowing`, free once counted: no array of owners per
    // trade is kept, and the union below reads them in sequence).
    const { flowing, treeEdges, treeOwner } = this;
    for (let i = 0; i < this.edges; i++) inTree[treeEdges[i]] = 0;
    let c = 0;
    let roomMax = 0;
    let prioMax = 0;
    const { mirror, partner, tradeStart } = m;
    for (let k = 0; k < this.nt; k++) {
      const s = state[k];
      if ((s === FWD || s === BWD) && mirror[k] > k) {
        flowing[c++] = k;
        if (room[k] > roomMax) roomMax = room[k];
        if (prio[k] > prioMax) prioMax = prio[k];
      }
    }
    const levels = Math.min(prioMax, MAX_PRIO) + 1;
    const nb = levels * ROOM_LEVELS;
    const qScale = roomMax > 0 && Number.isFinite(roomMax) ? (ROOM_LEVELS - 1) / roomMax : 0;
    const owners = flowing;
    if (c * this.sortFactor < nb) this.sortFew(c, prioMax, qScale);
    else {
      this.counts ??= new Int32Array((MAX_PRIO + 1) * ROOM_LEVELS + 1);
      const counts = this.counts;
      counts.fill(0, 0, nb + 1);
      for (let i = 0; i < c; i++) counts[this.bucket(flowing[i], prioMax, qScale) + 1]++;
      for (let b = 0; b < nb; b++) counts[b + 1] += counts[b];
      for (let n = 0; n < this.N; n++) {
        const end = tradeStart[n + 1];
        for (let k = tradeStart[n]; k < end; k++) {
          const s = state[k];
          if ((s === FWD || s === BWD) && mirror[k] > k) {
            const at = counts[this.bucket(k, prioMax, qScale)]++;
            order[at] = k;
            owners[at] = n;
          }
        }
      }
    }
    for (let n = 0; n < this.N; n++) uf[n] = n;
    // A forest has at most N − 1 edges: once it has them, no later pair can join two trees.
    const { adjStart, adj } = this;
    let edges = 0;
    for (let i = 0; i < c && edges < this.N - 1; i++) {
      const k = order[i];
      const n = owners[i];
      const a = ufFind(uf, n);
      const b = ufFind(uf, partner[k]);
      if (a !== b) {
        uf[a] = b;
        inTree[k] = 1;
        treeOwner[edges] = n;
        treeEdges[edges++] = k;
      }
    }
    this.edges = edges;
    // The tree's adjacency (each agent's own directed trades on tree pairs), so that the search
    // below visits the tree edges only, not every trade.
    adjStart.fill(0);
    for (let i = 0; i < edges; i++) {
      const k = treeEdges[i];
      adjStart[treeOwner[i] + 1]++;
      adjStart[partner[k] + 1]++;
    }
    for (let n = 0; n < this.N; n++) adjStart[n + 1] += adjStart[n];
    const fill = this.fillPos;
    for (let n = 0; n < this.N; n++) fill[n] = adjStart[n];
    for (let i = 0; i < edges; i++) {
      const k = treeEdges[i];
      adj[fill[treeOwner[i]]++] = k;
      adj[fill[partner[k]]++] = mirror[k];
    }
    comp.fill(-1);
    let pos = 0;
    let nc = 0;
    for (let r = 0; r < this.N; r++) {
      if (comp[r] >= 0) continue;
      compStart[nc] = pos;
      comp[r] = nc;
      parentEdge[r] = -1;
      this.depth[r] = 0;
      d[r] = 0;
      list[pos++] = r;
      for (let q = compStart[nc]; q < pos; q++) {
        const v = list[q];
        for (let q = adjStart[v]; q < adjStart[v + 1]; q++) {
          const k = adj[q];
          const j = m.mirror[k];
          const rep = k < j ? k : j;
          const u = m.partner[k];
          if (comp[u] >= 0) continue;
          comp[u] = nc;
          parentEdge[u] = j;
          this.depth[u] = this.depth[v] + 1;
          if (costs) {
            // v sells to u on this pair when its directed trade k is positive.
            const sells = (state[rep] === FWD) === (k === rep);
            d[u] = sells ? d[v] + (m.costSell[k] + m.costBuy[j]) : d[v] - (m.costSell[j] + m.costBuy[k]);
          } else d[u] = d[v];
          list[pos++] = u;
        }
      }
      nc++;
    }
    compStart[nc] = pos;
    this.nComp = nc;
  }

  /**
   * A pivot on the loop that flowing pair k (off the tree) closes, whose costs do not add up:
   * pushes flow around the loop in the direction that pays (up, along trade k, when `up`) until a
   * pair on it reaches zero or a bound, and that pair takes that state. Agents' powers do not
   * change. Returns false when the loop crosses a pair whose state changed in this round.
   */
  pivot(state: Int8Array, trade: Float64Array, k: number, up: boolean): boolean {
    const m = this.m;
    const { parentEdge, depth, cycle } = this;
    // Directed cycle: u0 → u1 on the pair, then the tree path u1 → u0.
    const j = m.mirror[k];
    const first = up ? k : j;
    let x = m.partner[first]; // u1
    let y = m.partner[m.mirror[first]]; // u0
    let len = 0;
    cycle[len++] = first;
    let tail = this.N; // the u0 side is filled from the end, then reversed into place
    while (x !== y) {
      if (depth[x] >= depth[y]) {
        const e = parentEdge[x];
        cycle[len++] = e; // x → parent
        x = m.partner[e];
      } else {
        const e = parentEdge[y];
        cycle[--tail] = m.mirror[e]; // parent → y
        y = m.partner[e];
      }
      if (len > tail) return false;
    }
    for (let q = tail; q < this.N; q++) cycle[len++] = cycle[q];
    let amount = Infinity;
    let block = -1;
    for (let q = 0; q < len; q++) {
      const e = cycle[q];
      const f = m.mirror[e];
      const rep = e < f ? e : f;
      const st = state[rep];
      if (st !== FWD && st !== BWD) return false;
      const forward = (st === FWD) === (e === rep); // the pair flows along e
      const room = forward ? m.hi[e] - trade[e] : -trade[e];
      const r = room > 0 ? room : 0;
      if (r < amount) {
        amount = r;
        block = e;
      }
    }
    if (block < 0 || !(amount < Infinity)) return false;
    for (let q = 0; q < len; q++) {
      const e = cycle[q];
      trade[e] += amount;
      trade[m.mirror[e]] = -trade[e];
    }
    const f = m.mirror[block];
    const rep = block < f ? block : f;
    const forward = (state[rep] === FWD) === (block === rep);
    if (forward) {
      trade[block] = m.hi[block];
      state[rep] = block === rep ? AT_HI : AT_LO;
    } else {
      trade[block] = 0;
      state[rep] = ZERO;
    }
    trade[f] = -trade[block];
    this.room[rep] = 0;
    return true;
  }
}
