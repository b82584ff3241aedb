import type { IterateArrays } from "./kernel.js";
import type { MarketArrays } from "./problem.js";
import { Polisher, type PolishResult } from "./polish.js";

/**
 * When and how the solver tries to polish (docs/polishing.md, "When to try"). Decisions depend
 * only on iteration counts and residuals, never on time, so a solve gives bit-identical results
 * whatever the number of threads.
 *
 * Tries are scheduled: the first at iteration `FIRST_TRY`, then after a failure the next one
 * `interval` iterations later, an interval growing by a quarter after each failure (from 10 up to
 * `MAX_INTERVAL`). A failed try usually stops within one or two rounds, each a few passes over
 * the trades (a few iterations' worth). Besides the schedule, one try is
 * made as soon as the residuals fall within `POLISH_RESIDUAL_FACTOR` × the tolerances, and one
 * when ADMM stops SOLVED without having polished.
 */
export const POLISH_RESIDUAL_FACTOR = 100;
const FIRST_TRY = 10;
const FIRST_INTERVAL = 10;
const MAX_INTERVAL = 200;
const MIN_GAP = 5;

export class PolishDriver {
  private polisher: Polisher | null = null;
  private readonly m: MarketArrays;
  private nextTry = FIRST_TRY;
  private interval = FIRST_INTERVAL;
  private residualTried = false;
  /** Iteration of the last try (−1: none yet in this solve). */
  lastTry = -1;
  last: PolishResult | null = null;

  constructor(m: MarketArrays) {
    this.m = m;
  }

  /** Starts the schedule of a new solve (the scratch is kept). */
  begin(): void {
    this.nextTry = FIRST_TRY;
    this.interval = FIRST_INTERVAL;
    this.residualTried = false;
    this.lastTry = -1;
    this.last = null;
  }

  /** Whether a try is due at iteration `iter`, given the residuals and their tolerances. */
  due(iter: number, r: number, s: number, epsP: number, epsD: number): boolean {
    if (iter < 1) return false;
    if (iter >= this.nextTry) return true;
    if (
      !this.residualTried &&
      r <= POLISH_RESIDUAL_FACTOR * epsP &&
      s <= POLISH_RESIDUAL_FACTOR * epsD &&
      (this.lastTry < 0 || iter >= this.lastTry + MIN_GAP)
    ) {
      this.residualTried = true;
      return true;
    }
    return false;
  }

  /**
   * Tries to polish from the iterate (`local`: the agents' last local trades, with it.mu and
   * it.lambda). On success writes the exact optimum into the iterate — both trade buffers, z, λ
   * and μ — so that the solution and any warm-started solve start from it.
   */
  attempt(iter: number, local: Float64Array, it: IterateArrays): PolishResult {
    if (this.polisher === null) this.polisher = new Polisher(this.m);
    const p = this.polisher;
    const res = p.polish(local, it.mu, it.lambda);
    this.lastTry = iter;
    this.last = res;
    if (res.success) {
      it.p0.set(p.trade);
      it.p1.set(p.trade);
      it.z.set(p.trade);
      it.lambda.set(p.price);
      it.mu.set(p.mu);
    } else {
      this.nextTry = iter + this.interval;
      this.interval = Math.min(MAX_INTERVAL, Math.ceil(this.interval * 1.25));
    }
    return res;
  }
}
