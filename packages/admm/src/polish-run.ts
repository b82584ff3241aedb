import type { IterateArrays } from "./kernel.js";
import type { MarketArrays } from "./problem.js";
import { POLISH_MAX_MOVES, Polisher, type PolishResult } from "./polish.js";
import type { HorizonArrays } from "./horizon.js";
import { costsZero } from "./local.js";
import { type StorageKkt, StoragePolisher } from "./polish-storage.js";

/**
 * When and how the solver tries to polish (docs/polishing.md, "When to try"). Decisions depend
 * only on iteration counts and on what the tries found (the data), never on time, so a solve gives
 * bit-identical results whatever the number of threads.
 *
 * The first try is at iteration `FIRST_TRY` (on markets without trade costs, such as the peer
 * generator's, the guess of the first iterate is already right; there a guess that is plainly
 * far, `FAR_DISAGREE_SHARE`, is skipped without its round), the second `SECOND_GAP`
 * iterations later — or, when the first found a large share of the pairs wrong, where a prior
 * decay rate puts `FEW_VIOLATIONS`. After that, each failed try schedules the next one from how fast the guess
 * improves: the first round's violations V of the last two failed tries give a rate per
 * iteration, and the next try comes when V is predicted to have halved (or, while V is above
 * `2 × FEW_VIOLATIONS`, to have fallen to `FEW_VIOLATIONS`) — no earlier than
 * `MIN_GAP` iterations and no later than a default interval that grows by a quarter after each
 * failure (from 10 up to `MAX_INTERVAL`). Besides the schedule, one try is made as soon as the
 * residuals fall within `POLISH_RESIDUAL_FACTOR` × the tolerances, and one when ADMM stops SOLVED
 * without having polished.
 */
export const POLISH_RESIDUAL_FACTOR = 100;
const FIRST_TRY = 1;
const SECOND_GAP = 5;
const FIRST_INTERVAL = 10;
const MAX_INTERVAL = 200;
const MIN_GAP = 5;
/**
 * First-round violations that the schedule aims a try at (once the decay rate is known): on the
 * 10 000-member community the try at 180 wrong pairs ran all its rounds and failed, the one five
 * iterations later (1 wrong pair) succeeded in two rounds.
 */
const FEW_VIOLATIONS = 0.1 * POLISH_MAX_MOVES;
/**
 * After a first failed try whose violations exceed FAR_SHARE of the pairs, the next try assumes
 * that they fall by PRIOR_RATE per iteration (e^−0.2: measured on the synthetic communities of
 * 1 000 to 100 000 members, 0.10 between iterations 1 and 6, 0.17–0.19 up to 16, 0.27–0.29
 * beyond): at 10 000 members 17 498 wrong pairs at iteration 1 put it at iteration 31 (exact at
 * 29); at 100 000, 182 676 put it at 43 (exact at 37). A guess nearly right (the peer generator's
 * markets: 0.01 % of the pairs at iteration 1) keeps the second try SECOND_GAP later.
 */
const FAR_SHARE = 0.01;
const PRIOR_RATE = 0.2;
/**
 * Markets with storage (polish-storage.ts): a try factorises a KKT system of the whole horizon,
 * tens of iterations' worth, and needs the batteries' schedules nearly settled, so tries start
 * later and grow apart faster: at STORAGE_FIRST_TRY, then intervals from STORAGE_FIRST_TRY growing
 * by half up to STORAGE_MAX_INTERVAL (plus the residual and final tries).
 */
const STORAGE_FIRST_TRY = 100;
const STORAGE_MAX_INTERVAL = 1000;
/**
 * On a market whose trades cost nothing, the first try of a solve is skipped, without its round,
 * when more than FAR_DISAGREE_SHARE of the pairs (and more than FAR_DISAGREE_MIN) have sides whose
 * last local solves disagree on the pair's state (`disagreeingPairs`): such a guess is far, and a
 * round to count its violations costs about ten iterations' time (docs/polishing.md, "When to
 * try"). At iteration 1: 41–72 % on the scaling suite's communities (10–3 000 members), all of
 * whose first tries failed but one of 20 members; 18–21 % on the peer generator's markets (31–3 000
 * agents, listed or complete graph), whose first try is exact. Where trades cost, the round is
 * kept: its count also schedules the primal–dual finisher, and skipping it there moved the
 * complete 300-agent market of the polish suite from exact at iteration 201 to 255.
 */
const FAR_DISAGREE_SHARE = 0.4;
const FAR_DISAGREE_MIN = 50;
/**
 * The violations a skipped try's first round would have found, per disagreeing pair, for the
 * schedule: 0.29–0.53 (most 0.29–0.38) on the communities at iteration 1.
 */
const FAR_VIOLATIONS_PER_DISAGREEMENT = 1 / 3;

/**
 * Pairs whose two sides' last local trades disagree on the pair's state: one side trades nothing
 * and the other something, or they trade in opposite directions (`local`: per directed trade, its
 * owner's local trade; the sides agree when p_nm and −p_mn have the same sign or are both 0). One
 * pass over the trades, no allocation.
 */
export function disagreeingPairs(m: MarketArrays, local: Float64Array): number {
  const { mirror } = m;
  let d = 0;
  for (let k = 0, nt = mirror.length; k < nt; k++) {
    const j = mirror[k];
    if (j < k) continue;
    const x = local[k];
    const y = -local[j];
    if ((x === 0) !== (y === 0) || x * y < 0) d++;
  }
  return d;
}

export class PolishDriver {
  private polisher: Polisher | null = null;
  /** The polisher of a multi-period market with storage (polish-storage.ts), when there is one. */
  private storagePolisher: StoragePolisher | null = null;
  private readonly m: MarketArrays;
  /** Pairs of the market (each a pair of directed trades). */
  private readonly pairs: number;
  private readonly horizon: HorizonArrays | null;
  /** Whether any trade of the market has a cost (the solver's flag, kept current by `costsChanged`). */
  private costs: boolean;
  private nextTry = FIRST_TRY;
  private interval = FIRST_INTERVAL;
  private residualTried = false;
  /** Iteration and first-round violations of the last failed scheduled try (−1: none). */
  private failIter = -1;
  private failViolations = 0;
  /** Iteration of the last try (−1: none yet in this solve). */
  lastTry = -1;
  last: PolishResult | null = null;

  /** How storage polishing solves its KKT systems (StoragePolisher.kkt). */
  private readonly storageKkt: StorageKkt;

  constructor(
    m: MarketArrays,
    horizon: HorizonArrays | null = null,
    storageKkt: StorageKkt = "auto",
    costs = !costsZero(m.costSell, m.costBuy),
  ) {
    this.m = m;
    this.costs = costs;
    this.storageKkt = storageKkt;
    this.pairs = m.partner.length / 2;
    this.horizon = horizon !== null && horizon.storage.count > 0 ? horizon : null;
    this.begin();
  }

  /** The iteration of the next scheduled try (a try may also come earlier, when the residuals fall within reach). */
  get scheduledTry(): number {
    return this.nextTry;
  }

  /** After a successful try on a market with storage: the polished charge and discharge per engine agent. */
  get storageSchedule(): { charge: Float64Array; discharge: Float64Array } | null {
    const sp = this.storagePolisher;
    return sp === null ? null : { charge: sp.charge, discharge: sp.discharge };
  }

  /** Starts the schedule of a new solve (the scratch is kept). */
  begin(): void {
    this.nextTry = this.horizon !== null ? STORAGE_FIRST_TRY : FIRST_TRY;
    this.interval = this.horizon !== null ? STORAGE_FIRST_TRY : FIRST_INTERVAL;
    this.residualTried = false;
    this.failIter = -1;
    this.failViolations = 0;
    this.lastTry = -1;
    this.last = null;
    this.storagePolisher?.begin();
  }

  /** The market's trade costs have changed (`AdmmSolver.updateCosts`; `costs`: whether any is now non-zero). */
  costsChanged(costs: boolean): void {
    this.costs = costs;
    this.polisher?.costsChanged(costs);
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
  attempt(
    iter: number,
    local: Float64Array,
    it: IterateArrays,
    rho = 0,
    deadline = Infinity,
    final = false,
  ): PolishResult {
    if (this.horizon !== null) return this.attemptStorage(iter, local, it, this.horizon, rho, deadline, final);
    if (!final && this.lastTry < 0 && !this.costs) {
      // A far first guess (FAR_DISAGREE_SHARE) on a market without trade costs: no round. A third
      // of its disagreeing pairs stands in for the round's violations in the schedule.
      const d = disagreeingPairs(this.m, local);
      if (d > FAR_DISAGREE_MIN && d > FAR_DISAGREE_SHARE * this.pairs) {
        const v = Math.ceil(FAR_VIOLATIONS_PER_DISAGREEMENT * d);
        const res: PolishResult = {
          success: false,
          rounds: 0,
          moves: 0,
          firstViolations: v,
          reason: `the guess is far: the two sides of ${d} of ${this.pairs} pairs disagree on their state`,
          primalViolation: Infinity,
          dualViolation: Infinity,
        };
        this.lastTry = iter;
        this.last = res;
        this.schedule(iter, v);
        return res;
      }
    }
    if (this.polisher === null) this.polisher = new Polisher(this.m, this.costs);
    const p = this.polisher;
    const res = p.polish(local, it.mu, it.lambda, iter, deadline);
    this.lastTry = iter;
    this.last = res;
    if (res.success) {
      it.p0.set(p.trade);
      it.p1.set(p.trade);
      it.z.set(p.trade);
      // The prices: the polisher has written them over it.lambda, which it was given.
      it.mu.set(p.mu);
    } else this.schedule(iter, res.firstViolations ?? 0);
    return res;
  }

  /**
   * A try on a market with storage: the storages' charge and discharge of the same local solves
   * are in the horizon; on success they are overwritten with the polished ones.
   */
  private attemptStorage(
    iter: number,
    local: Float64Array,
    it: IterateArrays,
    H: HorizonArrays,
    rho: number,
    deadline: number,
    final: boolean,
  ): PolishResult {
    if (this.storagePolisher === null) {
      this.storagePolisher = new StoragePolisher(this.m, H);
      this.storagePolisher.kkt = this.storageKkt;
    }
    const p = this.storagePolisher;
    const res = p.polish(local, it.mu, it.lambda, H.charge, H.discharge, rho, deadline, final);
    this.lastTry = iter;
    this.last = res;
    if (res.success) {
      it.p0.set(p.trade);
      it.p1.set(p.trade);
      it.z.set(p.trade);
      it.lambda.set(p.price);
      it.mu.set(p.mu);
      H.charge.set(p.charge);
      H.discharge.set(p.discharge);
    } else {
      this.nextTry = Math.max(this.nextTry, iter + this.interval);
      this.interval = Math.min(STORAGE_MAX_INTERVAL, Math.ceil(this.interval * 1.5));
    }
    return res;
  }

  /** The next try after a failed one at `iter` whose first round found `v` violations. */
  private schedule(iter: number, v: number): void {
    let gap: number;
    if (this.failIter < 0) {
      // One failed try: no rate yet. A guess wrong on a large share of the pairs (a community's
      // first iterate: a fifth of them) is many iterations away; assume the decay rate of the
      // communities measured and aim at FEW_VIOLATIONS, instead of a try every few iterations
      // that each cost a round (several iterations' time) and fail.
      gap = SECOND_GAP;
      if (v > FAR_SHARE * this.pairs) gap = Math.max(gap, Math.ceil(Math.log(v / FEW_VIOLATIONS) / PRIOR_RATE));
    } else {
      gap = this.interval;
      this.interval = Math.min(MAX_INTERVAL, Math.ceil(this.interval * 1.25));
      const v0 = this.failViolations;
      if (v > 0 && v < v0 && iter > this.failIter) {
        // Geometric decay of the violations between the last two tries: the next try when they
        // have halved or, while more than FEW_VIOLATIONS, fallen to that: the rounds of a try
        // that starts from hundreds of wrong pairs often stall on the last few and cost many
        // rounds, while a few more iterations (each a fraction of a round) fix most of them.
        const target = v > 2 * FEW_VIOLATIONS ? FEW_VIOLATIONS : 0.5 * v;
        const h = Math.ceil(Math.log(target / v) / (Math.log(v / v0) / (iter - this.failIter)));
        if (h < gap) gap = Math.max(MIN_GAP, h);
      }
    }
    this.failIter = iter;
    this.failViolations = v;
    this.nextTry = Math.max(this.nextTry, iter + gap);
  }
}
