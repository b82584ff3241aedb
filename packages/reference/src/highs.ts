import { checkArrays, type MarketArrays } from "@peermarket/admm";
import { formulate, readSolution } from "./formulation.js";
import { runAttempt, type AttemptResult } from "./highs-attempt.js";
import { verdictConfirmed } from "./highs-verdict.js";
import { getHighs } from "./highs-runtime.js";
import { marketObjective } from "./objective.js";
import type { ReferenceAttempt, ReferenceSolution } from "./solution.js";

/** Options of `solveReference`. */
export interface ReferenceOptions {
  /** Wall-clock budget in seconds for all HiGHS runs together (default 60). */
  timeLimit?: number;
  /**
   * First proximal weight ε of the fallback ladder ε, 10ε, 100ε used when the plain QP solve fails
   * (default 1e-4, in objective units per power²); 0 disables the fallback.
   */
  regularization?: number;
}

/** Default first proximal weight of the fallback ladder. */
export const DEFAULT_REGULARIZATION = 1e-4;

/** HiGHS statuses that answer the question about the market itself; no further attempt is made. */
const FINAL_STATUS = new Set([8, 9, 10, 13]);

/**
 * Solves the market problem (docs/market-model.md) centrally with HiGHS: as an LP ("highs-lp") when every
 * a_n = 0, else as a convex QP ("highs-qp").
 *
 * The QP is first solved as is, with HiGHS's regularisation off, so the optimum is exact. HiGHS's
 * active-set solver sometimes rejects these semidefinite QPs (a "non-convex" error on markets with
 * prosumers) or cycles (degenerate markets); then a proximal-point sequence is run with weights
 * ε, 10ε, 100ε in turn (see `runAttempt`). Its fixed point is an optimum of the unregularised
 * problem, so the answer is not biased by ε; `regularized` and `attempts` say what happened.
 *
 * Infeasible and unbounded markets return `optimal: false` with HiGHS's status, and NaN arrays.
 * Such a verdict is first cross-checked with the engine's exact pre-checks (`verdictConfirmed`:
 * feasibility by maximum flow, boundedness by shortest paths over unlimited trades); when they
 * contradict it, the next proximal rung is tried, and if none reaches the optimum the status is
 * "Unknown" — never a wrong "Infeasible" or "Unbounded".
 * Throws only on invalid input (see `checkArrays`) or options.
 */
export async function solveReference(m: MarketArrays, opts: ReferenceOptions = {}): Promise<ReferenceSolution> {
  const timeLimit = opts.timeLimit ?? 60;
  const regularization = opts.regularization ?? DEFAULT_REGULARIZATION;
  if (!(timeLimit > 0) || !Number.isFinite(timeLimit))
    throw new Error(`solveReference: timeLimit must be a positive number of seconds, got ${timeLimit}`);
  if (!(regularization >= 0) || !Number.isFinite(regularization))
    throw new Error(`solveReference: regularization must be finite and ≥ 0, got ${regularization}`);
  const problem = checkArrays(m);
  if (problem !== null) throw new Error(`solveReference: invalid market arrays: ${problem}`);

  const started = performance.now();
  if (m.nAgents === 0) {
    const empty = new Float64Array(0);
    return {
      solver: "highs-lp",
      status: "Empty",
      optimal: true,
      objective: 0,
      agentPower: empty,
      trade: empty,
      price: empty,
      time: 0,
      regularized: false,
      attempts: [],
    };
  }
  const highs = await getHighs();
  const deadline = started + timeLimit * 1000;
  const f = formulate(m);
  const ladder =
    f.quadratic && regularization > 0 ? [0, regularization, 10 * regularization, 100 * regularization] : [0];

  const attempts: ReferenceAttempt[] = [];
  let last: AttemptResult | null = null;
  let point: AttemptResult | null = null;
  let unconfirmed = false;
  for (const eps of ladder) {
    last = runAttempt(highs, f, eps, deadline, point?.colValue ?? null);
    attempts.push(last.attempt);
    if (last.colValue !== null) point = last;
    if (last.converged) break;
    if (FINAL_STATUS.has(last.statusCode)) {
      if (verdictConfirmed(m, last.statusCode)) break;
      // An infeasible/unbounded verdict the exact pre-checks contradict: not trusted, next rung.
      unconfirmed = true;
    }
  }
  const optimal = last !== null && last.converged;
  const lastCode = last?.statusCode ?? -1;
  const status = optimal
    ? "Optimal"
    : unconfirmed && !verdictConfirmed(m, lastCode)
      ? "Unknown"
      : (last?.attempt.status ?? "Not Set");
  const solver = f.quadratic ? "highs-qp" : "highs-lp";
  const time = (performance.now() - started) / 1000;
  const source = optimal ? last : point;
  if (source === null || source.colValue === null || source.rowDual === null) {
    const agentPower = new Float64Array(m.nAgents).fill(NaN);
    const trade = new Float64Array(m.partner.length).fill(NaN);
    return {
      solver,
      status,
      optimal: false,
      objective: NaN,
      agentPower,
      trade,
      price: null,
      time,
      regularized: false,
      attempts,
    };
  }
  const { agentPower, trade, price } = readSolution(m, f, source.colValue, source.rowDual);
  return {
    solver,
    status,
    optimal,
    objective: marketObjective(m, agentPower, trade),
    agentPower,
    trade,
    price,
    time,
    regularized: source.attempt.regularization > 0,
    attempts,
  };
}
