import { buildMarketArrays } from "./build.js";
import { coldIterate, GATHER_MAX_DEGREE, type IterateArrays, PARTIALS, phase } from "./kernel.js";
import { reserveLocalScratch } from "./local.js";
import { type MarketArrays, maxTradeDegree } from "./problem.js";
import { mulberry32 } from "./random.js";
import { initialRho } from "./rho.js";

/**
 * Priming the JIT (docs/admm.md, "Cold solves"). V8 compiles a hot function with the type
 * feedback its branches have collected so far. The first iterations of a cold start (zero trades,
 * every agent at its own price) take one branch of the kernel's trade classification and the
 * local solve's easy cases only; the compiled kernel then leaves its code ("insufficient type
 * feedback") each time the iterate reaches another branch, and runs unoptimised until it is
 * compiled again: nine times over the first iterations of a 10 000-member community, whose first
 * iteration cost 40 times a warm one. A few iterations of the kernel on a small market with every
 * kind of agent and trade, once per thread, take a few milliseconds and give it feedback from
 * every branch before it is compiled. Results do not change: the kernel's module scratch is
 * overwritten before it is read.
 */

/**
 * Markets with at least this many directed trades on agents with few trades (those the kernel's
 * `smallBlock` handles) are primed for: below, the deoptimisations cost less than the priming.
 */
export const PRIME_MIN_TRADES = 15_000;
/** Iterations of the priming solve: enough for the iterate to leave the cold start's branches. */
const PRIME_ITERATIONS = 30;
let primed = false;

/**
 * The priming market: 40 agents (producers, consumers and prosumers with quadratic costs and
 * finite bounds, linear agents with one side unbounded as a grid is, and with both sides bounded),
 * each with 4–8 random partners it can trade with, per-side trade costs on half of the pairs
 * (some pairs then trade at their bounds, some not at all). Deterministic.
 */
export function primingMarket(): MarketArrays {
  const r = mulberry32(7);
  const n = 40;
  const a = new Float64Array(n);
  const b = new Float64Array(n);
  const pMin = new Float64Array(n);
  const pMax = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    a[i] = 0.05 + 0.45 * r();
    if (i < 12) {
      b[i] = 10 + 40 * r();
      pMax[i] = 1 + 9 * r();
    } else if (i < 20) {
      b[i] = 25 + 40 * r();
      pMin[i] = -0.5 - 4.5 * r();
      pMax[i] = 0.5 + 4.5 * r();
    } else if (i < 36) {
      b[i] = 40 + 50 * r();
      pMin[i] = -1 - 9 * r();
    } else if (i === 36) {
      [a[i], b[i], pMax[i]] = [0, 70, Infinity]; // sells without limit at 70
    } else if (i === 37) {
      [a[i], b[i], pMin[i]] = [0, 20, -Infinity]; // buys without limit at 20
    } else {
      [a[i], b[i], pMin[i], pMax[i]] = [0, 30 + 20 * r(), -2, 2]; // a bounded linear prosumer
    }
  }
  const keys = new Set<number>();
  for (let i = 0; i < n; i++) {
    const k = 4 + Math.floor(5 * r());
    for (let d = 0; d < k; d++) {
      const j = Math.floor(r() * n);
      const sells = (x: number) => pMax[x] > 0;
      const buys = (x: number) => pMin[x] < 0;
      if (j !== i && ((sells(i) && buys(j)) || (buys(i) && sells(j)))) keys.add(Math.min(i, j) * n + Math.max(i, j));
    }
  }
  const sorted = [...keys].sort((x, y) => x - y);
  const first = Int32Array.from(sorted, (key) => Math.floor(key / n));
  const second = Int32Array.from(sorted, (key) => key % n);
  const cost = () => Float64Array.from(sorted, () => (r() < 0.5 ? 0 : 3 * r()));
  return buildMarketArrays(
    { a, b, pMin, pMax },
    { first, second, sellFirst: cost(), buyFirst: cost(), sellSecond: cost(), buySecond: cost() },
  ).arrays;
}

/**
 * Whether a market is worth priming for: at least PRIME_MIN_TRADES directed trades on agents with
 * fewer than GATHER_MAX_DEGREE trades. Markets whose agents all have many trades (the peer
 * generator's complete markets) run other code, which the priming market does not reach.
 */
export function needsPriming(m: MarketArrays): boolean {
  return !primed && m.partner.length >= PRIME_MIN_TRADES && sparseTrades(m) >= PRIME_MIN_TRADES;
}

/** Directed trades on agents with fewer than GATHER_MAX_DEGREE trades (those `smallBlock` handles). */
export function sparseTrades(m: MarketArrays): number {
  const ts = m.tradeStart;
  let few = 0;
  for (let n = 0; n < m.nAgents; n++) {
    const d = ts[n + 1] - ts[n];
    if (d < GATHER_MAX_DEGREE) few += d;
  }
  return few;
}

/**
 * Runs `solve` on the priming market once per thread (later calls do nothing): the caller passes
 * how to solve it (the solver's own solve, with or without polishing), so that this module does
 * not depend on the solver.
 */
export function primeOnce(solve: (m: MarketArrays, iterations: number) => void): void {
  if (primed) return;
  primed = true;
  solve(primingMarket(), PRIME_ITERATIONS);
}

/** Counts this thread's kernel as primed (when primed along with polishing, prime-polish.ts). */
export function markPrimed(): void {
  primed = true;
}

/**
 * The kernel alone (`phase`, one thread, over-relaxation 1.6) for `iterations` iterations of a
 * cold start on `m`: the priming of a thread that only runs phases (a shard worker).
 */
export function primeKernel(m: MarketArrays, iterations: number): { iterate: IterateArrays; local: Float64Array } {
  const it = coldIterate(m);
  reserveLocalScratch(maxTradeDegree(m.tradeStart, m.nAgents));
  const partials = new Float64Array(PARTIALS);
  const rho = initialRho(m);
  let local = it.p0;
  for (let k = 0; k < iterations; k++) {
    const cur = k % 2 === 0 ? it.p0 : it.p1;
    local = cur === it.p0 ? it.p1 : it.p0;
    phase(m, m.mirror, it, cur, local, 0, m.nAgents, rho, rho, 1.6, partials, 0, null);
  }
  return { iterate: it, local };
}

/** Whether this thread's kernel has been primed (tests and diagnostics). */
export function isPrimed(): boolean {
  return primed;
}
