import { Polisher } from "./polish.js";
import type { MarketArrays } from "./problem.js";
import { markPrimed, primeKernel, primingMarket, sparseTrades } from "./prime.js";

/**
 * Priming the polishing code with the kernel (docs/admm.md, "Cold solves"), for the solver's
 * thread only: shard workers run phases, never polishing, and do not load this module.
 */

/**
 * Markets with at least this many directed trades on agents with few trades also have the
 * polishing code primed (`primePolishOnce`) before their first solve with polishing: a try there
 * costs many iterations' time while V8 compiles its steps (docs/admm.md, "Cold solves"). Below,
 * the priming costs about what it saves (3 000 members, 52 098 trades: even; 1 000: 4 % slower).
 */
export const PRIME_POLISH_MIN_TRADES = 100_000;
/**
 * The kernel iteration of the priming market at which its polishing try is made: there the try
 * corrects a wrong guess over several rounds and succeeds, so every step of a round, the
 * corrections and the final check and prices all run.
 */
const PRIME_POLISH_ITERATION = 20;

let polishPrimed = false;

/**
 * Whether a market's first solve with polishing is worth priming the polishing code for: at least
 * PRIME_POLISH_MIN_TRADES directed trades on agents with few trades (the peer generator's dense
 * markets are not primed: their first try is cheap and exact).
 */
export function needsPolishPriming(m: MarketArrays): boolean {
  return !polishPrimed && m.partner.length >= PRIME_POLISH_MIN_TRADES && sparseTrades(m) >= PRIME_POLISH_MIN_TRADES;
}

/**
 * Primes the kernel and the polishing code of this thread (once; it then counts as primed for the
 * kernel too): PRIME_POLISH_ITERATION iterations of the kernel on the priming market, then one
 * polishing try from that iterate (several rounds of corrections, then success). The polisher is
 * the priming market's own; the module scratch of polishing (result slots) is written before it
 * is read, so results do not change.
 */
export function primePolishOnce(): void {
  if (polishPrimed) return;
  polishPrimed = true;
  markPrimed();
  const m = primingMarket();
  const { iterate, local } = primeKernel(m, PRIME_POLISH_ITERATION);
  new Polisher(m).polish(local, iterate.mu, iterate.lambda, PRIME_POLISH_ITERATION);
}

/** Whether this thread's polishing code has been primed (tests and diagnostics). */
export function isPolishPrimed(): boolean {
  return polishPrimed;
}
