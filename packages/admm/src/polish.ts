import type { MarketArrays } from "./problem.js";
import { AT_HI, AT_LO, BWD, FWD, ZERO } from "./polish-states.js";
import { SpanningForest } from "./polish-forest.js";
import { FlowScaling } from "./polish-scale.js";
import { assignPowers, type BalanceResult, solveBalance } from "./polish-balance.js";
import { interval, pairInterval, pairPrice, verifyPolished, type Verified } from "./polish-check.js";
import { PrimalDualFinisher } from "./polish-finish.js";
import { Carver, carvedBytes } from "./shared.js";
import { costsZero } from "./local.js";

/**
 * Solution polishing: from an ADMM iterate that has (nearly) found which trades flow, the exact
 * optimum of the market (docs/polishing.md).
 *
 * Given an active set — per pair: no trade, flowing one way strictly inside its bounds, or at a
 * bound — the optimality conditions are those of a spatial price equilibrium: on each connected
 * component of the flowing trades, marginal prices are tree path sums of w_nm = c⁺_nm + c⁻_mn
 * plus one scalar θ per component, which balances the component (agents answer μ with their own
 * clipped response); flows follow from the agents' imbalances on a spanning tree. The guess comes
 * from the agents' own last local solves (exact zeros and bounds), and is corrected by a few
 * primal–dual active-set rounds; when they fail, the primal–dual finisher (polish-finish.ts)
 * computes the equilibrium from the iterate's prices. Success is declared only when the result
 * passes a self-check of every condition (primal feasibility, prices consistent with every trade
 * and agent) to rounding level. Scratch is allocated once (the rounds' at construction, the
 * finisher's on its first run).
 */

// Pair states, stored on the pair's representative directed trade (k < mirror[k]).
export { ZERO, FWD, BWD, AT_HI, AT_LO } from "./polish-states.js";

/** The outcome of one polish attempt. */
export interface PolishResult {
  success: boolean;
  /** Active-set rounds used. */
  rounds: number;
  /** Pairs whose state the corrections changed, over all rounds. */
  moves: number;
  /**
   * Violated conditions found in the first round (how far the guess was; schedules the next try);
   * for a try skipped as far (polish-run.ts), the count its disagreeing pairs suggest.
   */
  firstViolations?: number;
  /** Why it failed, in words; empty on success. */
  reason: string;
  /** Largest primal and price violations of the last solution built (power and price units). */
  primalViolation: number;
  dualViolation: number;
  /** The primal–dual finisher: whether it produced the answer, its price steps and trades scanned. */
  finished?: boolean;
  finishSteps?: number;
  finishWork?: number;
}

/** Relative tolerance of the conditions (rounding level, scaled by the market's powers and prices). */
export const POLISH_TOLERANCE = 1e-9;
/** Active-set rounds per attempt. */
export const POLISH_MAX_ROUNDS = 10;
/**
 * An attempt gives up after this many rounds in a row without fewer violations than before. (An
 * earlier version then went back to the best round and changed only the most severe pair per
 * round; on the communities of 1 000 to 1 000 000 members, with and without preferences, and on
 * complete markets with per-pair costs it never succeeded, while each of its rounds cost as much
 * as any other — at 1 000 000 members 17 s.)
 */
export const POLISH_MAX_STALLED = 2;
/**
 * From this round on (counted from 0), a try's rounds go on only while at most `LATE_VIOLATIONS`
 * pairs are wrong. Tries that succeed do so within three rounds or with a handful of pairs left
 * (the communities of 1 000 to 1 000 000 members: [1, 0], [94, 9, 0], [156, 39, 0], [317, 49, 0],
 * [14, 4, 1, 1, 0]); one that still has tens wrong after three stalls on them (1 000 000 members,
 * iteration 54: 344, 66, 24, 29, 12, 9, 16, 9 and failed, eight rounds of about 6 s each), where
 * a few more ADMM iterations, each a fraction of a round, leave a guess that succeeds at once.
 */
export const LATE_ROUND = 3;
export const LATE_VIOLATIONS = 10;
/** Room for the violated pairs of every round of a try with at most LATE_VIOLATIONS of them. */
const LATE_SEEN = LATE_VIOLATIONS * (POLISH_MAX_ROUNDS + 1);
/** An attempt gives up when a round ends with more violated pairs than this (the guess is too far). */
export const POLISH_MAX_MOVES = 500;
/**
 * Work of the primal–dual finisher (polish-finish.ts), in passes over the directed trades (one
 * pass costs about a third of an ADMM iteration on sparse communities, about one on a complete
 * market): each iteration of the solve earns `FINISH_CREDIT` of them, and a try runs the
 * finisher only once enough have accumulated (at least `FINISH_MIN`, and `FINISH_PER_VIOLATION`
 * per wrong pair of the try's first round) and spends at most what has (capped at
 * `FINISH_MAX`). A call without the iteration gets `finishDefault`. Counts, not time, decide:
 * results stay bit-identical for any number of threads.
 */
export const FINISH_CREDIT = 5;
export const FINISH_MIN = 30;
export const FINISH_MAX = 20_000;
export const FINISH_DEFAULT = 2_000;
/**
 * Passes the finisher typically needs per wrong pair of the first round (measured on the
 * communities with preferences: 0.6–1.2 at 1 000 members, about 2 at 10 000): a try starts it
 * only with that much credit.
 */
export const FINISH_PER_VIOLATION = 1.5;
/**
 * The finisher does not run while the first-round violations fall faster than this rate per
 * iteration between two tries: measured 0.16–0.32 on the communities without preferences (1 000
 * to 1 000 000 members), whose next try then succeeds; 0.001–0.011 on the communities with
 * preferences and 0.007–0.049 on complete markets with per-pair costs, where the rounds stall and
 * the finisher ends the solve early.
 */
export const FINISH_FAST_DECAY = 0.1;
/**
 * Nor while the wrong pairs of the first round are fewer than this share of the pairs: the
 * communities without preferences have 0.002–0.02 % wrong when their tries come (1 000 000 to
 * 100 000 members), the markets that need the finisher 1–20 % (communities with preferences,
 * complete markets with per-pair costs). At 1 000 000 members a run on the credit of a try at
 * about iteration 66 (some 330 passes of 17.4 M trades, on one thread) had not returned after
 * 10 minutes.
 */
export const FINISH_MIN_SHARE = 0.001;
/**
 * Price steps of the finisher before the first active-set rounds from its flows (then doubling),
 * the rounds each time, and the work a round counts (passes).
 */
const FINISH_SETTLE_STEPS = 8;
const FINISH_SETTLE_ROUNDS = 3;
const FINISH_ROUND_WORK = 4;
/** Passes of the projection that places the price level of bracketed components. */
const LEVEL_PASSES = 30;

export class Polisher {
  readonly m: MarketArrays;
  /**
   * Whether any trade of the market has a cost (when none has, the costs are not read:
   * `pairInterval`). Given at construction (by default read from the data) and by `costsChanged`.
   */
  costs: boolean;
  /** Active-set rounds per attempt. */
  maxRounds = POLISH_MAX_ROUNDS;
  /** The finisher's work (passes over the trades) when `polish` is called without the iteration. */
  finishDefault = FINISH_DEFAULT;
  private readonly nt: number;
  private readonly N: number;
  /** Pair state on the representative trade. */
  readonly state: Int8Array;
  /** Per directed trade: the polished trade p_nm (antisymmetric). */
  readonly trade: Float64Array;
  /** The prices of the last success: the `lambdaIt` array it was given, overwritten (no copy). */
  private prices: Float64Array = new Float64Array(0);
  /** The spanning forest of the flowing pairs, its components and price offsets. */
  private readonly f: SpanningForest;
  /** Rebalances the flowing pairs to the agents' powers before the tree takes up the rest. */
  private readonly scaling: FlowScaling;
  /** Per agent: marginal price, power, net of the trades fixed at a bound. */
  readonly mu: Float64Array;
  readonly power: Float64Array;
  private readonly fixed: Float64Array;
  private readonly theta: Float64Array;
  private readonly thetaLo: Float64Array;
  private readonly thetaHi: Float64Array;
  private readonly bp: Float64Array;
  /** Tags of the breakpoints in `bp` (solveBalance's sweep). */
  private readonly bpTags: Int32Array;
  private readonly bal: BalanceResult = { ok: false, theta: 0, thetaLo: 0, thetaHi: 0 };
  private readonly ver: Verified = { primal: 0, dual: 0 };
  private tolP = 0;
  private tolD = 0;
  /** The violated pairs of the last `count` (the first POLISH_MAX_MOVES; a round with more stops). */
  private readonly violated: Int32Array;
  private listed = 0;
  /** The violated pairs of the try's rounds with at most LATE_VIOLATIONS (a stall is a round that repeats one). */
  private readonly lateSeen: Int32Array;
  private nLateSeen = 0;
  /** The primal–dual finisher (allocated on its first run) and its work credit (trades scanned). */
  private finisher: PrimalDualFinisher | null = null;
  private credit = 0;
  private creditIter = 0;
  /** Iteration and first-round violations of the previous try of this solve (−1: none). */
  private prevIter = -1;
  /** Iteration of the try under way (−1: a call outside a solve). */
  private tryIter = -1;
  private prevViolations = 0;
  /** Whether the finisher stopped for lack of work in this solve (the next try goes on with it); its next rounds. */
  private resumable = false;
  /** First-round violations of the try that started the finisher. */
  private startViolations = 0;
  private settleAt = 0;
  private settleGap = 0;
  /** The states of the best round so far, to go back to. */
  private saved: { state: Int8Array; trade: Float64Array; room: Float32Array; prio: Uint8Array } | null = null;

  /** `costs`: whether any trade of the market has a cost (the solver's own flag; by default read here). */
  constructor(m: MarketArrays, costs = !costsZero(m.costSell, m.costBuy)) {
    this.m = m;
    this.costs = costs;
    const nt = m.partner.length;
    const N = m.nAgents;
    this.nt = nt;
    this.N = N;
    // A round lists at most every pair (a small market has fewer than POLISH_MAX_MOVES).
    const nViolated = Math.min(POLISH_MAX_MOVES, nt >> 1);
    // One buffer for all (shared.ts, `Carver`).
    const c = new Carver(
      carvedBytes(
        8 * nt,
        8 * N,
        8 * N,
        8 * N,
        8 * N,
        8 * N,
        8 * N,
        8 * (2 * N + 2),
        4 * (2 * N + 2),
        4 * nViolated,
        4 * LATE_SEEN,
        nt,
      ),
    );
    this.trade = c.f64(nt);
    this.mu = c.f64(N);
    this.power = c.f64(N);
    this.fixed = c.f64(N);
    this.theta = c.f64(N);
    this.thetaLo = c.f64(N);
    this.thetaHi = c.f64(N);
    this.bp = c.f64(2 * N + 2);
    this.bpTags = c.i32(2 * N + 2);
    this.violated = c.i32(nViolated);
    this.lateSeen = c.i32(LATE_SEEN);
    this.state = c.i8(nt);
    this.f = new SpanningForest(m, this.costs);
    // The scaling's list of flowing pairs in the forest's sort list, idle while the scaling runs.
    this.scaling = new FlowScaling(m, undefined, this.f.sortScratch()[0]);
  }

  /**
   * Per directed trade: the polished price λ_nm (symmetric) of the last successful `polish`,
   * written over the `lambdaIt` it was given (a failed one leaves `lambdaIt` as it was).
   */
  get price(): Float64Array {
    return this.prices;
  }

  /** The guessed state of pair k from the two sides' local trades (k the representative). */
  private guessPair(k: number, local: Float64Array): number {
    const m = this.m;
    const lo = m.lo[k];
    const hi = m.hi[k];
    if (lo === 0 && hi === 0) return ZERO;
    const xn = local[k];
    const xm = -local[m.mirror[k]];
    if (xn === 0 || xm === 0) return ZERO;
    if (hi < Infinity && (xn >= hi || xm >= hi)) return AT_HI;
    if (lo > -Infinity && (xn <= lo || xm <= lo)) return AT_LO;
    const t = xn + xm;
    return t > 0 ? FWD : t < 0 ? BWD : ZERO;
  }

  /**
   * The market's trade costs have changed (`AdmmSolver.updateCosts`; `costs`: whether any is now
   * non-zero): the finisher, which keeps a copy of the per-trade costs, is built again when needed.
   */
  costsChanged(costs: boolean): void {
    this.costs = costs;
    this.f.costs = costs;
    this.finisher = null;
    this.resumable = false;
  }

  /**
   * Tries to polish. `local`: per directed trade, each agent's own last local trade; `muIt`: the
   * agents' marginal prices of that local solve; `lambdaIt`: the iterate's prices (used to place
   * prices that the optimum leaves free, e.g. of pairs that do not trade); `iter`: the solve's
   * iteration, which sets the finisher's work credit (omitted: `FINISH_DEFAULT`); `deadline`: the
   * solve's time limit (`performance.now()` scale). First the active-set rounds; when they fail,
   * the primal–dual finisher from the iterate's prices. On success, `trade`, `mu` and
   * `power` hold the exact optimum, and its prices are written over `lambdaIt` (then `price`); on
   * failure `lambdaIt` is left unchanged.
   */
  polish(
    local: Float64Array,
    muIt: Float64Array,
    lambdaIt: Float64Array,
    iter = -1,
    deadline = Infinity,
  ): PolishResult {
    this.tryIter = iter;
    const res = this.rounds(local, muIt, lambdaIt);
    if (res.success) {
      this.resumable = false;
      return res;
    }
    const v = res.firstViolations ?? 0;
    const plan = this.finishPlan(iter, v);
    if (iter >= 0) {
      // The try's counts become the schedule's state (as `finishPlan` assumed them).
      if (iter < this.creditIter) {
        this.resumable = false;
        this.prevIter = -1;
      }
      this.credit = this.creditAt(iter);
      this.creditIter = iter;
      this.prevIter = iter;
      this.prevViolations = v;
    }
    if (plan === null) return res;
    const budget = plan.budget;
    const resume = plan.resume;
    const work = this.finish(res, muIt, lambdaIt, budget * this.nt, deadline, resume && iter >= 0);
    if (iter >= 0) this.credit = Math.max(0, this.credit - work / this.nt);
    return res;
  }

  /** The finisher's work credit at iteration `iter` (a new solve starts from none). */
  private creditAt(iter: number): number {
    const credit = iter < this.creditIter ? 0 : this.credit;
    return Math.min(FINISH_MAX, credit + FINISH_CREDIT * Math.max(0, iter - this.creditIter));
  }

  /**
   * Whether a failed try at iteration `iter` (−1: a call outside a solve) whose first round found
   * `v` wrong pairs runs the finisher, with what budget (passes) and whether it resumes the last
   * run; null when it does not. Reads the schedule's state without changing it, so that the rounds
   * can ask it before they end (to keep their best round only for a finisher that will start
   * from it).
   */
  private finishPlan(iter: number, v: number): { budget: number; resume: boolean } | null {
    if (iter < 0) return { budget: this.finishDefault, resume: false };
    const fresh = iter < this.creditIter; // a new solve: no credit, no earlier try, a fresh finisher
    const prevIter = fresh ? -1 : this.prevIter;
    // A guess that ADMM itself improves fast (the wrong pairs falling by more than FAST_DECAY
    // per iteration since the last try) is left to the next try: the finisher's passes would
    // cost far more than the few iterations that bring the rounds within reach.
    const fast =
      prevIter >= 0 &&
      iter > prevIter &&
      v > 0 &&
      Math.log(this.prevViolations / v) / (iter - prevIter) > FINISH_FAST_DECAY;
    // Nor for a few wrong pairs among very many: each of its passes scans every trade, while
    // ADMM's next iterations fix a few hundred wrong pairs for far less.
    if (fast || v < FINISH_MIN_SHARE * (this.nt >> 1)) return null;
    // A finisher that ran out of work goes on where it stopped (any prices are a valid start, and
    // its own are often better than a later iterate's) …
    // … unless the iterate has since come much closer (half the wrong pairs it started from).
    const resume = !fresh && this.resumable && v > 0.5 * this.startViolations;
    // A fresh run waits for a try whose guess is close enough for the credit (its work grows
    // with the wrong pairs).
    const need = resume ? FINISH_MIN : Math.max(FINISH_MIN, FINISH_PER_VIOLATION * v);
    const credit = this.creditAt(iter);
    return credit < need ? null : { budget: credit, resume };
  }

  /**
   * The primal–dual finisher (polish-finish.ts) from the iterate's prices and the last round's
   * flows. Every `FINISH_SETTLE_STEPS` price steps (doubling), a few active-set rounds start from
   * the active set of its flows: near the end its prices converge slowly while the active set is
   * already right, and the rounds then compute the exact prices at once. On success (after the
   * self-check) `res` reports it. Returns the work done (trades scanned).
   */
  private finish(
    res: PolishResult,
    muIt: Float64Array,
    lambdaIt: Float64Array,
    maxWork: number,
    deadline: number,
    resume: boolean,
  ): number {
    const m = this.m;
    if (this.finisher === null) {
      // The finisher's own scratch (allocated on its first run): the agent of each directed trade.
      const owner = new Int32Array(this.nt);
      for (let n = 0; n < this.N; n++) owner.fill(n, m.tradeStart[n], m.tradeStart[n + 1]);
      this.finisher = new PrimalDualFinisher(m, owner);
    }
    const f = this.finisher;
    const reason = res.reason;
    let extra = 0;
    let status = 0;
    if (!resume) {
      status = f.start(muIt, this.trade, this.tolP, this.tolD) ? 0 : -1;
      this.startViolations = res.firstViolations ?? 0;
      this.settleGap = FINISH_SETTLE_STEPS;
      this.settleAt = FINISH_SETTLE_STEPS;
    }
    const w0 = f.work;
    while (status === 0) {
      status = f.advance(w0 + maxWork - extra, this.settleAt, deadline);
      if (status !== 0) break;
      this.settleGap *= 2;
      this.settleAt = f.steps + this.settleGap;
      // Rounds from the finisher's active set (each round about FINISH_ROUND_WORK passes).
      this.fromFinisher(f);
      const before = res.rounds;
      this.settle(f.mu, lambdaIt, res, FINISH_SETTLE_ROUNDS, false);
      extra += (res.rounds - before) * FINISH_ROUND_WORK * this.nt;
      if (res.success) {
        res.finished = true;
        res.reason = "";
        break;
      }
    }
    const work = f.work - w0 + extra;
    res.finishSteps = f.steps;
    res.finishWork = work;
    this.resumable = !res.success && status < 0 && f.outOfWork;
    if (res.success) return work;
    if (status < 0) {
      res.reason = `${reason}; finisher: ${f.reason}`;
      return work;
    }
    const { state, trade } = this;
    for (let k = 0; k < this.nt; k++) {
      const j = m.mirror[k];
      if (j < k) continue;
      let x = f.trade[k];
      // Flows that reached a bound by a sum of augmentations: onto it.
      if (Math.abs(x - m.hi[k]) <= this.tolP) x = m.hi[k];
      else if (Math.abs(x - m.lo[k]) <= this.tolP) x = m.lo[k];
      if (x === 0) x = 0; // no −0
      trade[k] = x;
      trade[j] = -x;
      state[k] = x === 0 ? ZERO : x === m.hi[k] ? AT_HI : x === m.lo[k] ? AT_LO : x > 0 ? FWD : BWD;
    }
    for (let n = 0; n < this.N; n++) {
      this.mu[n] = f.mu[n];
      let p = 0;
      for (let k = m.tradeStart[n]; k < m.tradeStart[n + 1]; k++) p += trade[k];
      this.power[n] = p;
    }
    verifyPolished(m, state, trade, lambdaIt, this.mu, this.tolP, this.ver, this.costs);
    res.primalViolation = this.ver.primal;
    res.dualViolation = this.ver.dual;
    if (this.ver.primal <= 10 * this.tolP && this.ver.dual <= 10 * this.tolD) {
      this.writePrices(lambdaIt);
      res.success = true;
      res.finished = true;
      res.reason = "";
    } else
      res.reason = `${reason}; finisher: the self-check failed (primal ${this.ver.primal.toExponential(2)}, price ${this.ver.dual.toExponential(2)})`;
    return work;
  }

  /** The states, flows and room of the pairs from the finisher's flows (for the rounds). */
  private fromFinisher(f: PrimalDualFinisher): void {
    const m = this.m;
    const { room, prio } = this.f;
    for (let k = 0; k < this.nt; k++) {
      const j = m.mirror[k];
      if (j < k) continue;
      const x = f.trade[k];
      const s = x === 0 ? ZERO : x >= m.hi[k] ? AT_HI : x <= m.lo[k] ? AT_LO : x > 0 ? FWD : BWD;
      this.state[k] = s;
      this.trade[k] = x;
      this.trade[j] = -x;
      prio[k] = 0;
      const cap = x > 0 ? m.hi[k] : -m.lo[k];
      const at = Math.abs(x);
      room[k] = Math.min(at, cap - at);
    }
  }

  /** The active-set rounds (docs/polishing.md, "Correcting the guess"). */
  private rounds(local: Float64Array, muIt: Float64Array, lambdaIt: Float64Array): PolishResult {
    const m = this.m;
    const nt = this.nt;
    const res: PolishResult = {
      success: false,
      rounds: 0,
      moves: 0,
      firstViolations: 0,
      reason: "",
      primalViolation: Infinity,
      dualViolation: Infinity,
    };
    // Scales of powers and prices for the tolerances. The power scale is that of the powers that
    // flow, not of the bounds: a bound of 1e12 must not make a violation of 230 look like rounding.
    let P = 1;
    let L = 1;
    for (let n = 0; n < this.N; n++) {
      L = Math.max(L, Math.abs(m.b[n]), Number.isFinite(muIt[n]) ? Math.abs(muIt[n]) : 0);
    }
    // One pass: the scales' trade terms and, on each pair's representative, the guess (states,
    // values of flowing pairs, room).
    const { room, prio } = this.f;
    const costs = this.costs;
    for (let k = 0; k < nt; k++) {
      const x = Math.abs(local[k]);
      if (Number.isFinite(x)) P = Math.max(P, x);
      if (costs) L = Math.max(L, Math.abs(m.costSell[k]), Math.abs(m.costBuy[k]));
      const j = m.mirror[k];
      if (j < k) continue;
      const s = this.guessPair(k, local);
      this.state[k] = s;
      prio[k] = 0;
      let t = 0;
      if (s === AT_HI) t = m.hi[k];
      else if (s === AT_LO) t = m.lo[k];
      else if (s !== ZERO) {
        t = 0.5 * (local[k] - local[j]);
        t = t < m.lo[k] ? m.lo[k] : t > m.hi[k] ? m.hi[k] : t;
      }
      this.trade[k] = t;
      this.trade[j] = -t;
      const cap = t > 0 ? m.hi[k] : -m.lo[k];
      const at = Math.abs(t);
      room[k] = Math.min(at, cap - at);
    }
    for (let n = 0; n < this.N; n++)
      if (m.a[n] > 0) L = Math.max(L, m.a[n] * Math.min(P, Math.max(Math.abs(m.pMin[n]), Math.abs(m.pMax[n]))));
    this.tolP = POLISH_TOLERANCE * P;
    this.tolD = POLISH_TOLERANCE * L;
    return this.settle(muIt, lambdaIt, res, this.maxRounds, true);
  }

  /**
   * Rounds from the current states: build the solution of the states, count the violated
   * conditions, and change the states of every violated pair. After two rounds without fewer
   * violations the try stops; the states go back to the best round's when the finisher will
   * start from them (`finishPlan`, asked after the first round), and only then is a round kept. `first`: rounds of a guess (the first round's count is reported).
   */
  private settle(
    muIt: Float64Array,
    lambdaIt: Float64Array,
    res: PolishResult,
    maxRounds: number,
    first: boolean,
  ): PolishResult {
    const m = this.m;
    const nt = this.nt;
    let fewest = Infinity;
    let saved = false;
    // The best round is kept (a copy of the pairs' states and flows, 14 bytes per directed trade)
    // only for a finisher that will start from it: the first rounds of a try whose finisher is
    // due. Elsewhere a stalled try just stops (the next one starts from a new guess; the
    // finisher's own rounds go back to its flows).
    let keepBest = false;
    let stalled = 0;
    this.nLateSeen = 0;
    for (let round = 0; round < maxRounds; round++) {
      res.rounds++;
      this.f.build(this.state);
      const released = this.balance(muIt);
      this.placeLevels();
      this.scaling.scale(this.state, this.trade, this.power, this.fixed, this.tolP);
      this.treeFlows();
      const found = released + this.count(round);
      const fresh = this.lateFresh(found);
      if (round === 0 && first) {
        res.firstViolations = found;
        keepBest = this.finishPlan(this.tryIter, found) !== null;
      }
      if (found === 0) {
        verifyPolished(m, this.state, this.trade, lambdaIt, this.mu, this.tolP, this.ver, this.costs);
        res.primalViolation = this.ver.primal;
        res.dualViolation = this.ver.dual;
        if (this.ver.primal <= 10 * this.tolP && this.ver.dual <= 10 * this.tolD) {
          for (let k = 0; k < nt; k++) if (this.trade[k] === 0) this.trade[k] = 0; // no −0
          this.writePrices(lambdaIt);
          res.success = true;
          return res;
        }
        res.reason = `the active set is consistent but the check failed (primal ${this.ver.primal.toExponential(2)}, price ${this.ver.dual.toExponential(2)})`;
        return res;
      }
      if (found > POLISH_MAX_MOVES) {
        res.reason = `${found} pairs in the wrong state (more than ${POLISH_MAX_MOVES})`;
        return res;
      }
      if (first && round >= LATE_ROUND && found > LATE_VIOLATIONS) {
        if (saved) this.restore();
        res.reason = `${found} pairs still in the wrong state after ${round + 1} rounds`;
        return res;
      }
      if (found < fewest) {
        // Progress too slow to finish in time (extrapolating the last ratio) is not worth its cost.
        if (fewest < Infinity) {
          const projected = round + 1 + Math.log(found) / -Math.log(found / fewest);
          if (projected > 1.5 * maxRounds) {
            res.reason = `the active-set rounds converge too slowly (${fewest} then ${found} violations)`;
            return res;
          }
        }
        fewest = found;
        stalled = 0;
        if (released === 0 && keepBest) {
          this.save();
          saved = true;
        }
      } else if (!fresh && ++stalled >= POLISH_MAX_STALLED) {
        if (saved) this.restore();
        res.reason = `the active-set rounds stopped converging (${found} violations in round ${round + 1}, ${fewest} at best)`;
        return res;
      }
      const moves = released + this.correctAll(round);
      res.moves += moves;
      if (moves === 0) {
        res.reason = "violations that no change of the active set removes";
        return res;
      }
    }
    res.reason = `active set not settled after ${maxRounds} rounds`;
    return res;
  }

  /**
   * Solves every component's balance for its price level θ. A component that cannot balance
   * (its agents cannot absorb its trades fixed at bounds) releases those trades: returns the
   * number of pairs released.
   */
  private balance(muIt: Float64Array): number {
    const m = this.m;
    const { state, trade, fixed } = this;
    const { list, compStart, d } = this.f;
    for (let n = 0; n < this.N; n++) {
      let f = 0;
      for (let k = m.tradeStart[n]; k < m.tradeStart[n + 1]; k++) {
        const j = m.mirror[k];
        const s = state[k < j ? k : j];
        if (s === AT_HI || s === AT_LO) f += trade[k];
      }
      fixed[n] = f;
    }
    let released = 0;
    for (let c = 0; c < this.f.nComp; c++) {
      const s = compStart[c];
      const e = compStart[c + 1];
      let F = 0;
      for (let q = s; q < e; q++) F += fixed[list[q]];
      solveBalance(m, list, s, e, d, F, this.tolP, this.bp, this.bal, this.bpTags);
      if (!this.bal.ok) {
        for (let q = s; q < e; q++) {
          const n = list[q];
          for (let k = m.tradeStart[n]; k < m.tradeStart[n + 1]; k++) {
            const j = m.mirror[k];
            const rep = k < j ? k : j;
            if (state[rep] === AT_HI) state[rep] = FWD;
            else if (state[rep] === AT_LO) state[rep] = BWD;
            else continue;
            released++;
          }
        }
        this.theta[c] = this.thetaLo[c] = this.thetaHi[c] = this.estimate(c, muIt);
        continue;
      }
      this.thetaLo[c] = this.bal.thetaLo;
      this.thetaHi[c] = this.bal.thetaHi;
      let t = this.bal.theta;
      if (this.bal.thetaLo < this.bal.thetaHi) {
        // Bracketed: start from the iterate's level, inside the bracket.
        const est = this.estimate(c, muIt);
        if (Number.isFinite(est)) t = Math.min(Math.max(est, this.bal.thetaLo), this.bal.thetaHi);
      }
      this.theta[c] = t;
    }
    return released;
  }

  /** The iterate's price level of component c: the mean of μ_n − d_n. */
  private estimate(c: number, muIt: Float64Array): number {
    let sum = 0;
    const s = this.f.compStart[c];
    const e = this.f.compStart[c + 1];
    for (let q = s; q < e; q++) sum += muIt[this.f.list[q]] - this.f.d[this.f.list[q]];
    return sum / (e - s);
  }

  /**
   * Places the level θ of bracketed components so that pairs between components satisfy their
   * conditions (μ_x − μ_y ≤ c, difference constraints), by projection passes; then sets μ and the
   * agents' powers.
   */
  private placeLevels(): void {
    const m = this.m;
    const { state, theta, thetaLo, thetaHi } = this;
    const { comp, d } = this.f;
    let anyFlat = false;
    for (let c = 0; c < this.f.nComp; c++) if (thetaLo[c] < thetaHi[c]) anyFlat = true;
    // The pairs between components of which one at least is bracketed and whose state constrains
    // the prices, collected once (one pass over the pairs); the projection passes visit only them.
    // Each as the agents (n, p) and the constants of μ_p − μ_n ≤ cPN and μ_n − μ_p ≤ cNP, in
    // scratch that is idle here: the forest's sort lists (free until the next build) for the
    // agents, the flow scaling's magnitudes (free between its calls) for the constants,
    // interleaved.
    let nCross = 0;
    const costs = this.costs;
    const [cross, crossP] = this.f.sortScratch();
    const cc = this.scaling.scratch();
    const { tradeStart, mirror, partner } = m;
    for (let n = 0; anyFlat && n < this.N; n++) {
      const end = tradeStart[n + 1];
      for (let k = tradeStart[n]; k < end; k++) {
        const j = mirror[k];
        if (j < k) continue;
        const s = state[k];
        if (s === FWD || s === BWD) continue;
        const p = partner[k];
        const A = comp[n];
        const B = comp[p];
        if (A === B || (!(thetaLo[A] < thetaHi[A]) && !(thetaLo[B] < thetaHi[B]))) continue;
        const wF = costs ? m.costSell[k] + m.costBuy[j] : 0;
        const wB = costs ? m.costSell[j] + m.costBuy[k] : 0;
        let cPN = Infinity;
        let cNP = Infinity;
        if (s === ZERO) {
          if (m.hi[k] > 0) cPN = wF;
          if (m.lo[k] < 0) cNP = wB;
        } else if (s === AT_HI) cNP = -wF;
        else cPN = -wB;
        // A constraint that no levels within the brackets can violate never moves one: left out
        // (floating-point sums are monotone, so the bound holds for the computed values too).
        const dn = d[n];
        const dp = d[p];
        if (
          thetaHi[B] + dp - (thetaLo[A] + dn) - cPN <= this.tolD &&
          thetaHi[A] + dn - (thetaLo[B] + dp) - cNP <= this.tolD
        )
          continue;
        cross[nCross] = n;
        crossP[nCross] = p;
        cc[2 * nCross] = cPN;
        cc[2 * nCross + 1] = cNP;
        nCross++;
      }
    }
    for (let pass = 0; nCross > 0 && pass < LEVEL_PASSES; pass++) {
      let changed = false;
      for (let q = 0; q < nCross; q++) {
        const n = cross[q];
        const p = crossP[q];
        const A = comp[n];
        const B = comp[p];
        const fa = thetaLo[A] < thetaHi[A];
        const fb = thetaLo[B] < thetaHi[B];
        const muN = theta[A] + d[n];
        const muP = theta[B] + d[p];
        const v1 = muP - muN - cc[2 * q];
        if (v1 > this.tolD) {
          changed = this.shift(B, A, v1, fb, fa) || changed;
          continue;
        }
        const v2 = muN - muP - cc[2 * q + 1];
        if (v2 > this.tolD) changed = this.shift(A, B, v2, fa, fb) || changed;
      }
      if (!changed) break;
    }
    for (let c = 0; c < this.f.nComp; c++) {
      const s = this.f.compStart[c];
      const e = this.f.compStart[c + 1];
      let F = 0;
      for (let q = s; q < e; q++) F += this.fixed[this.f.list[q]];
      assignPowers(m, this.f.list, s, e, d, theta[c], F, this.power);
      for (let q = s; q < e; q++) {
        const n = this.f.list[q];
        // A linear agent at its price has μ = b exactly.
        this.mu[n] = m.a[n] > 0 || theta[c] !== m.b[n] - d[n] ? theta[c] + d[n] : m.b[n];
      }
    }
  }

  /** Lowers θ_X and/or raises θ_Y (within their brackets) by v in total; whether anything moved. */
  private shift(X: number, Y: number, v: number, fx: boolean, fy: boolean): boolean {
    const { theta, thetaLo, thetaHi } = this;
    let rest = v;
    const x0 = theta[X];
    const y0 = theta[Y];
    if (fx) {
      const want = fy ? 0.5 * rest : rest;
      const nx = Math.max(thetaLo[X], x0 - want);
      rest -= x0 - nx;
      theta[X] = nx;
    }
    if (fy && rest > 0) {
      const ny = Math.min(thetaHi[Y], y0 + rest);
      rest -= ny - y0;
      theta[Y] = ny;
    }
    if (fx && rest > 0) theta[X] = Math.max(thetaLo[X], theta[X] - rest);
    return theta[X] !== x0 || theta[Y] !== y0;
  }

  /** Flows on the tree edges from the agents' imbalances, leaves first. */
  private treeFlows(): void {
    const m = this.m;
    const { trade, power } = this;
    const { list, parentEdge } = this.f;
    for (let q = this.N - 1; q >= 0; q--) {
      const v = list[q];
      const e = parentEdge[v];
      if (e < 0) continue;
      let sum = 0;
      for (let k = m.tradeStart[v]; k < m.tradeStart[v + 1]; k++) if (k !== e) sum += trade[k];
      const t = power[v] - sum;
      trade[e] = t;
      trade[m.mirror[e]] = -t;
    }
  }

  /**
   * Prices, once the check has passed: per pair, the iterate's λ clipped to the interval the two
   * sides' conditions allow (`pairPrice`, as checked), written over the iterate's λ in place. Each
   * pair's λ is read on its representative k before anything is written there (a write at an
   * index before k is to the mirror of an earlier representative, never to k).
   */
  private writePrices(lambdaIt: Float64Array): void {
    const m = this.m;
    const { tradeStart, mirror, partner } = m;
    const { state, mu } = this;
    for (let n = 0; n < this.N; n++) {
      const end = tradeStart[n + 1];
      for (let k = tradeStart[n]; k < end; k++) {
        const j = mirror[k];
        if (j < k) continue;
        pairInterval(m, k, state[k], mu[n], mu[partner[k]], this.costs);
        const l = pairPrice(lambdaIt[k]);
        lambdaIt[k] = l;
        lambdaIt[j] = l;
      }
    }
    this.prices = lambdaIt;
  }

  /**
   * Checks pair k (its representative trade) after a round; returns 0 when its conditions hold,
   * else the size of the violation (power or price units), and when `apply`
   * changes its state (a primal–dual active-set step): a tree trade with the wrong sign stops,
   * one beyond its bound sits at it; a pair at zero or at a bound whose prices call for trade
   * starts flowing; a flowing pair off the tree whose loop does not add up gets a pivot (or, when
   * the loop crosses a pair changed in this round, is preferred in the next tree). Returns −1
   * when violated with no change that applies (a tree pair, whose condition holds by construction
   * up to rounding). `n` is the agent of trade k.
   */
  private fix(k: number, n: number, round: number, apply: boolean): number {
    const m = this.m;
    const { state, trade, mu, tolP, tolD } = this;
    const inTree = this.f.inTree;
    const j = m.mirror[k];
    const s = state[k];
    const t = trade[k];
    if (inTree[k]) {
      const wrongSign = s === FWD ? -t : t;
      if (wrongSign > tolP) {
        if (apply) {
          state[k] = ZERO;
          trade[k] = 0;
          trade[j] = 0;
        }
        return wrongSign;
      }
      const beyond = Math.max(t - m.hi[k], m.lo[k] - t);
      if (beyond > tolP) {
        if (apply) {
          state[k] = t > 0 ? AT_HI : AT_LO;
          trade[k] = t > 0 ? m.hi[k] : m.lo[k];
          trade[j] = -trade[k];
        }
        return beyond;
      }
    }
    const p = m.partner[k];
    pairInterval(m, k, s, mu[n], mu[p], this.costs);
    const gap = interval[0] - interval[1];
    if (!(gap > tolD)) return 0;
    if ((s === FWD || s === BWD) && inTree[k]) return -1;
    if (!apply) return gap;
    const dF = mu[p] - mu[n] - (m.costSell[k] + m.costBuy[j]);
    const dB = mu[n] - mu[p] - (m.costSell[j] + m.costBuy[k]);
    if (s === ZERO) state[k] = dF > tolD && m.hi[k] > 0 ? FWD : BWD;
    else if (s === AT_HI) state[k] = FWD;
    else if (s === AT_LO) state[k] = BWD;
    else if (!this.f.pivot(state, trade, k, s === FWD ? dF > 0 : dB < 0)) this.f.prio[k] = round + 1;
    if (s === ZERO || s === AT_HI || s === AT_LO) this.f.room[k] = 0;
    return gap;
  }

  /**
   * The number of violated conditions of the round's solution (pairs, and a component whose
   * total does not balance at its root); the violated pairs are listed for `correctAll`.
   */
  private count(round: number): number {
    const m = this.m;
    const tolP = this.tolP;
    let found = 0;
    for (let c = 0; c < this.f.nComp; c++) {
      const r = this.f.list[this.f.compStart[c]];
      let sum = 0;
      for (let k = m.tradeStart[r]; k < m.tradeStart[r + 1]; k++) sum += this.trade[k];
      if (
        !(Math.abs(this.power[r] - sum) <= tolP * Math.max(1, Math.sqrt(this.f.compStart[c + 1] - this.f.compStart[c])))
      )
        found++;
    }
    const violated = this.violated;
    const { tradeStart, mirror } = m;
    let listed = 0;
    for (let n = 0; n < this.N; n++) {
      const end = tradeStart[n + 1];
      for (let k = tradeStart[n]; k < end; k++) {
        if (mirror[k] < k) continue;
        const v = this.fix(k, n, round, false);
        if (v === 0) continue;
        found++;
        if (listed < violated.length) violated[listed++] = k;
      }
    }
    this.listed = listed;
    return found;
  }

  /**
   * Whether the last count, of `found` violations, is of a few pairs none of which an earlier
   * round of the try had violated (then recorded): the rounds are then still moving the active
   * set, not cycling, and a round that does not lower the count is not a stall. On the 100-member
   * community (seed 1) the rounds of the try at iteration 8 go 100, 11, 3, 3, 3, 3, 1, 0, each 3
   * a different three pairs.
   */
  private lateFresh(found: number): boolean {
    if (found > LATE_VIOLATIONS || this.listed !== found) return false;
    const seen = this.lateSeen;
    const n0 = this.nLateSeen;
    for (let q = 0; q < this.listed; q++) {
      const k = this.violated[q];
      for (let i = 0; i < n0; i++) if (seen[i] === k) return false;
    }
    for (let q = 0; q < this.listed && this.nLateSeen < seen.length; q++) seen[this.nLateSeen++] = this.violated[q];
    return true;
  }

  /**
   * Applies the changes of every violated pair of the last count (in index order; a pair that a
   * pivot of this pass makes violated waits for the next round); returns how many changed.
   */
  private correctAll(round: number): number {
    let moves = 0;
    const { partner, mirror } = this.m;
    for (let q = 0; q < this.listed; q++) {
      const k = this.violated[q];
      if (this.fix(k, partner[mirror[k]], round, true) > 0) moves++;
    }
    return moves;
  }

  /** Whether a try has kept a copy of its best round (14 bytes per directed trade, kept for the solver's life). */
  get keepsBestRound(): boolean {
    return this.saved !== null;
  }

  private save(): void {
    if (this.saved === null) {
      const nt = this.nt;
      this.saved = {
        state: new Int8Array(nt),
        trade: new Float64Array(nt),
        room: new Float32Array(nt), // the forest's types (polish-forest.ts)
        prio: new Uint8Array(nt),
      };
    }
    this.saved.state.set(this.state);
    this.saved.trade.set(this.trade);
    this.saved.room.set(this.f.room);
    this.saved.prio.set(this.f.prio);
  }

  private restore(): void {
    const saved = this.saved;
    if (saved === null) return;
    this.state.set(saved.state);
    this.trade.set(saved.trade);
    this.f.room.set(saved.room);
    this.f.prio.set(saved.prio);
  }
}
