import { mulberry32 } from "@peermarket/admm";
import type { CoalitionValue, CoalitionValuer } from "./coalitions.js";
import { blockingTolerance } from "./coalitions.js";

/** A coalition and how it fares under a rule (docs/mechanisms.md, "Core"). */
export interface CoalitionFinding {
  members: string[];
  /** What its members pay in total under the rule (total costs: energy + trade costs + payments), €. */
  cost: number;
  /** v(C), the engine's optimum of C alone with the grid, €, and its certified lower bound. */
  value: number;
  lowerBound: number;
  /** cost − value: > tolerance means C would leave (blocks). */
  excess: number;
  tolerance: number;
}

/** The core test of one rule. */
export interface CoreResult {
  method: "exact" | "search";
  /** Coalitions whose value was compared (exact: every non-empty subset, 2^n − 1). */
  examined: number;
  /** Examined coalitions that block (excess above tolerance). */
  blockingCount: number;
  /** The examined coalition with the largest excess (the most dissatisfied), blocking or not. */
  mostDissatisfied: CoalitionFinding | null;
  /** Up to 5 blocking coalitions, largest excess first. */
  blocking: CoalitionFinding[];
  /** One sentence: "in the core (exact, 127 coalitions)", "blocked by …", "no blocking coalition found among K examined". */
  summary: string;
}

/** Jain's fairness index of savings, (Σ s)² / (n Σ s²), over max(s, 0); NaN when nobody saves. */
export function jainIndex(savings: readonly number[]): { index: number; clipped: number } {
  let sum = 0;
  let sq = 0;
  let clipped = 0;
  for (const s0 of savings) {
    const s = Math.max(s0, 0);
    if (s0 < 0) clipped++;
    sum += s;
    sq += s * s;
  }
  return { index: sq > 0 ? (sum * sum) / (savings.length * sq) : NaN, clipped };
}

/** Coalition values of every non-empty subset of up to 16 members, indexed by bit mask. */
export interface CoalitionTable {
  members: number;
  value: Float64Array;
  lowerBound: Float64Array;
  tolerance: Float64Array;
}

/**
 * v(C) of every coalition C ⊆ members (2^n − 1 clearings, n ≤ 16), warm-started from the full
 * market. `onProgress(done, total)` is called every 256 coalitions.
 */
export function allCoalitionValues(
  valuer: CoalitionValuer,
  onProgress?: (done: number, total: number) => void,
): CoalitionTable {
  const n = valuer.community.members.length;
  if (n > 16) throw new RangeError(`exact core test: ${n} members is too many (at most 16); use the search`);
  const total = (1 << n) - 1;
  const value = new Float64Array(total + 1);
  const lowerBound = new Float64Array(total + 1);
  const tolerance = new Float64Array(total + 1);
  const members: number[] = [];
  for (let mask = 1; mask <= total; mask++) {
    members.length = 0;
    for (let i = 0; i < n; i++) if (mask & (1 << i)) members.push(i);
    const v = valuer.value(members);
    value[mask] = v.value;
    lowerBound[mask] = v.lowerBound;
    tolerance[mask] = v.tolerance;
    if (onProgress && (mask & 255) === 0) onProgress(mask, total);
  }
  return { members: n, value, lowerBound, tolerance };
}

function finding(
  ids: readonly string[],
  positions: readonly number[],
  cost: number,
  v: { value: number; lowerBound: number },
  tolerance: number,
): CoalitionFinding {
  return {
    members: positions.map((i) => ids[i]),
    cost,
    value: v.value,
    lowerBound: v.lowerBound,
    excess: cost - v.value,
    tolerance,
  };
}

function summarize(r: Omit<CoreResult, "summary">, label: string): string {
  if (r.method === "exact") {
    if (r.blockingCount === 0) return `${label}: in the core (exact test, all ${r.examined} coalitions)`;
    const w = r.blocking[0];
    return `${label}: not in the core — ${r.blockingCount} of ${r.examined} coalitions would leave; the most dissatisfied, {${w.members.join(", ")}}, pays ${w.excess.toFixed(4)} € more than it could secure alone`;
  }
  if (r.blockingCount === 0)
    return `${label}: no blocking coalition found among ${r.examined} examined (a search, not a proof)`;
  const w = r.blocking[0];
  return `${label}: not in the core — ${r.blockingCount} of ${r.examined} examined coalitions would leave; the most dissatisfied found, {${w.members.length <= 8 ? w.members.join(", ") : w.members.slice(0, 8).join(", ") + `, … (${w.members.length} members)`}}, pays ${w.excess.toFixed(4)} € more than it could secure alone`;
}

/** The exact core test of one rule: each member's total cost under the rule against every coalition's value. */
export function exactCore(
  table: CoalitionTable,
  ids: readonly string[],
  costs: readonly number[],
  label: string,
  memberSlack: readonly number[] | null = null,
): CoreResult {
  const n = table.members;
  const total = (1 << n) - 1;
  const coalitionCost = new Float64Array(total + 1);
  // Σ over the coalition of its members' slack (the schedule's own inexactness, see `scheduleSlack`).
  const slack = new Float64Array(total + 1);
  let best: { mask: number; excess: number } | null = null;
  const blockingMasks: number[] = [];
  for (let mask = 1; mask <= total; mask++) {
    const low = mask & -mask;
    coalitionCost[mask] = coalitionCost[mask ^ low] + costs[31 - Math.clz32(low)];
    slack[mask] = slack[mask ^ low] + (memberSlack ? memberSlack[31 - Math.clz32(low)] : 0);
    const excess = coalitionCost[mask] - table.value[mask];
    const tol = Math.max(table.tolerance[mask], 1e-7 * Math.abs(coalitionCost[mask])) + slack[mask];
    if (!best || excess > best.excess) best = { mask, excess };
    if (excess > tol) blockingMasks.push(mask);
  }
  const positions = (mask: number) => Array.from({ length: n }, (_, i) => i).filter((i) => mask & (1 << i));
  const make = (mask: number) =>
    finding(
      ids,
      positions(mask),
      coalitionCost[mask],
      { value: table.value[mask], lowerBound: table.lowerBound[mask] },
      Math.max(table.tolerance[mask], 1e-7 * Math.abs(coalitionCost[mask])) + slack[mask],
    );
  blockingMasks.sort((u, v) => coalitionCost[v] - table.value[v] - (coalitionCost[u] - table.value[u]));
  const r = {
    method: "exact" as const,
    examined: total,
    blockingCount: blockingMasks.length,
    mostDissatisfied: best ? make(best.mask) : null,
    blocking: blockingMasks.slice(0, 5).map(make),
  };
  return { ...r, summary: summarize(r, label) };
}

/** Options of the search for the most dissatisfied coalition. */
export interface SearchOptions {
  /** Coalitions cleared by the engine per rule (singletons, solved exactly, are extra). Default 60. */
  budget?: number;
  seed?: number;
  /** Wall-clock seconds for the search of one rule (default 60): it stops there and says so. */
  timeLimitS?: number;
}

/**
 * A search for the most dissatisfied coalition under a rule (beyond the exact test's size): every
 * singleton (exactly), the grand coalition, then prefixes of the members ranked by how much more they pay than alone
 * (sizes 2, 3, 4, 6, 8, … , n − 1, n), then a local search from the best of them (add or drop one
 * member, first-improvement, random order). It reports what it examined; finding nothing is not a
 * proof that the rule is in the core.
 */
export function searchCore(
  valuer: CoalitionValuer,
  ids: readonly string[],
  costs: readonly number[],
  standalone: readonly number[],
  label: string,
  cache: Map<string, CoalitionValue>,
  options: SearchOptions = {},
  memberSlack: readonly number[] | null = null,
): CoreResult {
  const n = costs.length;
  const budget = options.budget ?? 60;
  const rand = mulberry32(options.seed ?? 1);
  const deadline = performance.now() + 1000 * (options.timeLimitS ?? 60);
  let timedOut = false;
  let spent = 0;
  const examined = new Set<string>();
  const results: { positions: number[]; cost: number; v: CoalitionValue }[] = [];
  const evaluate = (positions: number[]): number => {
    const sorted = [...positions].sort((u, v) => u - v);
    const key = sorted.join(",");
    let v = cache.get(key);
    if (!v && sorted.length > 1 && performance.now() > deadline) {
      timedOut = true;
      spent = budget;
      return -Infinity;
    }
    if (!v) {
      if (sorted.length > 1) spent++;
      v = valuer.value(sorted);
      cache.set(key, v);
    }
    let cost = 0;
    for (const i of sorted) cost += costs[i];
    if (!examined.has(key)) {
      examined.add(key);
      results.push({ positions: sorted, cost, v });
    }
    return cost - v.value;
  };
  for (let i = 0; i < n; i++) evaluate([i]);
  // The grand coalition (warm-started from its own solution: nearly free) — it blocks a rule that wastes gains from trade.
  if (n >= 2 && spent < budget) evaluate(Array.from({ length: n }, (_, i) => i));
  const order = Array.from({ length: n }, (_, i) => i).sort(
    (u, v) => costs[v] - standalone[v] - (costs[u] - standalone[u]) || u - v,
  );
  const sizes = new Set<number>();
  for (let k = 2; k < n; k = Math.max(k + 1, Math.round(k * 1.5))) sizes.add(k);
  if (n >= 2) sizes.add(n - 1);
  sizes.add(n);
  let bestSet: number[] = [order[0]];
  let bestExcess = -Infinity;
  for (const k of [...sizes].sort((u, v) => u - v)) {
    if (spent >= budget) break;
    const set = order.slice(0, k);
    const e = evaluate(set);
    if (e > bestExcess) {
      bestExcess = e;
      bestSet = set;
    }
  }
  // Local search: add or drop one member while it raises the excess.
  const inSet = new Uint8Array(n);
  for (const i of bestSet) inSet[i] = 1;
  let improved = true;
  while (improved && spent < budget) {
    improved = false;
    const candidates = Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [candidates[i], candidates[j]] = [candidates[j], candidates[i]];
    }
    for (const i of candidates) {
      if (spent >= budget) break;
      const size = bestSet.length;
      if (inSet[i] && size === 1) continue;
      const next = inSet[i] ? bestSet.filter((x) => x !== i) : [...bestSet, i];
      const e = evaluate(next);
      if (e > bestExcess + 1e-9 * Math.max(1, Math.abs(bestExcess))) {
        bestExcess = e;
        bestSet = next;
        inSet[i] ^= 1;
        improved = true;
        break;
      }
    }
  }
  const slackOf = (positions: number[]) => (memberSlack ? positions.reduce((u, i) => u + memberSlack[i], 0) : 0);
  const make = (r: (typeof results)[number]) =>
    finding(
      ids,
      r.positions,
      r.cost,
      r.v,
      Math.max(r.v.tolerance, blockingTolerance(r.v.value, r.v.lowerBound, r.cost)) + slackOf(r.positions),
    );
  const all = results.map(make).sort((u, v) => v.excess - u.excess);
  const blocking = all.filter((f) => f.excess > f.tolerance);
  const r = {
    method: "search" as const,
    examined: results.length,
    blockingCount: blocking.length,
    mostDissatisfied: all[0] ?? null,
    blocking: blocking.slice(0, 5),
  };
  return {
    ...r,
    summary:
      summarize(r, label) + (timedOut ? ` — stopped at the search's time limit of ${options.timeLimitS ?? 60} s` : ""),
  };
}
