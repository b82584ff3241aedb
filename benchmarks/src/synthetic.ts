import {
  type AdmmSolver,
  type AgentColumns,
  buildMarketArrays,
  type MarketArrays,
  type PairColumns,
} from "@peermarket/admm";
import { rng, uniform } from "./random.js";

/** How to draw a synthetic energy community. */
export interface CommunityOptions {
  /** Community members (producers, prosumers, consumers); the two grid agents come on top. */
  members: number;
  /** Seed of the generator (default 1). */
  seed?: number;
  /**
   * Range of a member's degree in the random trading graph (default [10, 20]): each member draws
   * half as many partners, uniformly in half this range, and receives about as many draws from
   * the others, so degrees average the middle of the range.
   */
  degree?: readonly [number, number];
  /** Shares of producers and consumers among the members; the rest are prosumers (default 0.3, 0.5). */
  producerShare?: number;
  consumerShare?: number;
  /** Per-pair preference costs: each member bears up to 0.2 €/MWh per km of distance to a partner (default off). */
  preferences?: boolean;
  /** Grid prices: `grid_import` sells at the import price, `grid_export` buys at the export price (default 70 and 20 €/MWh). */
  importPrice?: number;
  exportPrice?: number;
  /** Allocate every array on SharedArrayBuffers, so that worker threads share them without a copy (default true). */
  shared?: boolean;
}

/** A synthetic community as the engine's columns: agents, and undirected pairs sorted by (first, second). */
export interface CommunityColumns {
  agents: AgentColumns;
  pairs: PairColumns;
  /** Number of members; agents `members` and `members + 1` are the grid import and export agents. */
  members: number;
  producers: number;
  prosumers: number;
  consumers: number;
}

/** A synthetic community ready for the engine. */
export interface Community {
  arrays: MarketArrays;
  members: number;
  agents: number;
  /** Undirected pairs; the engine holds two directed trades per pair. */
  pairs: number;
  trades: number;
  producers: number;
  prosumers: number;
  consumers: number;
  gridImport: number;
  gridExport: number;
  /** Degrees of the members in the random graph (grid partners excluded). */
  degreeMin: number;
  degreeMean: number;
  degreeMax: number;
}

function f64(n: number, shared: boolean): Float64Array {
  return shared ? new Float64Array(new SharedArrayBuffer(8 * n)) : new Float64Array(n);
}

function i32(n: number, shared: boolean): Int32Array {
  return shared ? new Int32Array(new SharedArrayBuffer(4 * n)) : new Int32Array(n);
}

/**
 * Draws a seeded synthetic energy community directly as columnar typed arrays: producers
 * (power in [0, p̄]), prosumers ([p̲ < 0, p̄ > 0]) and consumers ([p̲, 0]) with quadratic costs,
 * `grid_import` and `grid_export` (linear costs at the grid prices) trading with every member that
 * can trade with them, and a sparse random graph between members that can trade (no two producers,
 * no two consumers). Agents are laid out producers, prosumers, consumers, then the two grid agents,
 * so each type's possible partners form one index range. Pairs are deduplicated by sorting numeric
 * keys (min·N + max) — no Set, no per-pair objects — so a million agents fit in memory.
 */
export function communityColumns(options: CommunityOptions): CommunityColumns {
  const members = Math.floor(options.members);
  if (!(members >= 2)) throw new RangeError(`a community needs at least 2 members, got ${options.members}`);
  const [dMin, dMax] = options.degree ?? [10, 20];
  if (!(dMin >= 2 && dMax >= dMin))
    throw new RangeError(`degree range must satisfy 2 ≤ min ≤ max, got [${dMin}, ${dMax}]`);
  const shared = options.shared !== false;
  const r = rng(options.seed ?? 1);
  const producers = Math.max(1, Math.round(members * (options.producerShare ?? 0.3)));
  const consumers = Math.max(1, Math.round(members * (options.consumerShare ?? 0.5)));
  const prosumers = members - producers - consumers;
  if (prosumers < 0) throw new RangeError("producer and consumer shares exceed the members");
  const N = members + 2;
  const imp = members;
  const exp = members + 1;
  const a = f64(N, shared);
  const b = f64(N, shared);
  const pMin = f64(N, shared);
  const pMax = f64(N, shared);
  for (let i = 0; i < members; i++) {
    a[i] = uniform(r, 0.05, 0.5);
    if (i < producers) {
      b[i] = uniform(r, 10, 50);
      pMax[i] = uniform(r, 1, 10);
    } else if (i < producers + prosumers) {
      b[i] = uniform(r, 25, 65);
      pMin[i] = -uniform(r, 0.5, 5);
      pMax[i] = uniform(r, 0.5, 5);
    } else {
      b[i] = uniform(r, 40, 90);
      pMin[i] = -uniform(r, 1, 10);
    }
  }
  b[imp] = options.importPrice ?? 70;
  pMax[imp] = Infinity;
  b[exp] = options.exportPrice ?? 20;
  pMin[exp] = -Infinity;

  // Each member draws kMin..kMax partners among those it can trade with.
  const kMin = Math.max(1, Math.ceil(dMin / 2));
  const kMax = Math.max(kMin, Math.floor(dMax / 2));
  const draws = new Uint8Array(members);
  let nDraws = 0;
  for (let i = 0; i < members; i++) {
    draws[i] = kMin + Math.floor(r() * (kMax - kMin + 1));
    nDraws += draws[i];
  }
  const sellers = producers + prosumers; // grid_export buys from [0, sellers)
  const buyersFrom = producers; // grid_import sells to [producers, members)
  const nGrid = sellers + (members - buyersFrom);
  const keys = new Float64Array(nDraws + nGrid);
  let nk = 0;
  for (let i = 0; i < members; i++) {
    // Partners a member can trade with: producers → [producers, members), consumers → [0, sellers), prosumers → all.
    const lo = i < producers ? producers : 0;
    const hi = i >= sellers ? sellers : members;
    for (let d = 0; d < draws[i]; d++) {
      let j = lo + Math.floor(r() * (hi - lo));
      if (j === i) j = j + 1 < hi ? j + 1 : lo;
      if (j === i) continue;
      keys[nk++] = i < j ? i * N + j : j * N + i;
    }
  }
  for (let i = 0; i < sellers; i++) keys[nk++] = i * N + exp;
  for (let i = buyersFrom; i < members; i++) keys[nk++] = i * N + imp;
  const sorted = keys.subarray(0, nk).sort();
  let nPairs = 0;
  for (let q = 0; q < nk; q++) if (q === 0 || sorted[q] !== sorted[q - 1]) sorted[nPairs++] = sorted[q];
  const first = new Int32Array(nPairs);
  const second = new Int32Array(nPairs);
  for (let q = 0; q < nPairs; q++) {
    const f = Math.floor(sorted[q] / N);
    first[q] = f;
    second[q] = sorted[q] - f * N;
  }
  const pairs: PairColumns = { first, second };
  if (options.preferences) {
    const x = new Float64Array(members);
    const y = new Float64Array(members);
    const rate = new Float64Array(members);
    for (let i = 0; i < members; i++) {
      x[i] = uniform(r, 0, 20);
      y[i] = uniform(r, 0, 20);
      rate[i] = r() < 0.5 ? 0 : uniform(r, 0, 0.2);
    }
    const costFirst = new Float64Array(nPairs);
    const costSecond = new Float64Array(nPairs);
    for (let q = 0; q < nPairs; q++) {
      const i = first[q];
      const j = second[q];
      if (j >= members) continue; // the grid is everywhere: no distance
      const dist = Math.hypot(x[i] - x[j], y[i] - y[j]);
      costFirst[q] = rate[i] * dist;
      costSecond[q] = rate[j] * dist;
    }
    Object.assign(pairs, { sellFirst: costFirst, buyFirst: costFirst, sellSecond: costSecond, buySecond: costSecond });
  }
  return { agents: { a, b, pMin, pMax }, pairs, members, producers, prosumers, consumers };
}

/** Builds the engine's arrays of a community's columns (shared when the agent columns are). */
export function communityArrays(c: CommunityColumns, agents: AgentColumns = c.agents): Community {
  const shared = agents.a.buffer instanceof SharedArrayBuffer;
  const { arrays } = buildMarketArrays(agents, c.pairs, { shared });
  const m = c.members;
  let dMin = Infinity;
  let dMax = 0;
  let dSum = 0;
  for (let i = 0; i < m; i++) {
    let d = 0;
    for (let k = arrays.tradeStart[i]; k < arrays.tradeStart[i + 1]; k++) if (arrays.partner[k] < m) d++;
    dMin = Math.min(dMin, d);
    dMax = Math.max(dMax, d);
    dSum += d;
  }
  return {
    arrays,
    members: m,
    agents: arrays.nAgents,
    pairs: c.pairs.first.length,
    trades: arrays.partner.length,
    producers: c.producers,
    prosumers: c.prosumers,
    consumers: c.consumers,
    gridImport: m,
    gridExport: m + 1,
    degreeMin: dMin,
    degreeMean: dSum / m,
    degreeMax: dMax,
  };
}

/** A synthetic community (see `communityColumns`) as the engine's arrays, with no copy when shared. */
export function syntheticCommunity(options: CommunityOptions): Community {
  return communityArrays(communityColumns(options));
}

/** Total bytes of some typed arrays. */
export function totalBytes(arrays: readonly ArrayBufferView[]): number {
  let t = 0;
  for (const a of arrays) t += a.byteLength;
  return t;
}

/** Bytes of the engine's typed arrays for a solver: the market's arrays and the iterate. */
export function engineBytes(solver: AdmmSolver): number {
  const m = solver.problem;
  const it = solver.iterate;
  return totalBytes([
    m.a,
    m.b,
    m.pMin,
    m.pMax,
    m.tradeStart,
    m.partner,
    m.mirror,
    m.lo,
    m.hi,
    m.costSell,
    m.costBuy,
    it.p0,
    it.p1,
    it.z,
    it.lambda,
    it.mu,
  ]);
}
