/** Which solver produced a reference solution. */
export type ReferenceSolver = "highs-qp" | "highs-lp" | "javascript-lp-solver";

/** One HiGHS solve sequence tried by `solveReference` (docs/verification.md). */
export interface ReferenceAttempt {
  /**
   * Proximal weight ε: 0 for the plain solve; otherwise each run minimises the objective plus
   * ε/2 ‖x − x_prev‖² (HiGHS's `qp_regularization_value` plus a shift of the linear costs), and
   * the runs repeat until x stops moving, so the limit is the unregularised optimum.
   */
  regularization: number;
  /** HiGHS model status of the last run, or "Solve error" when HiGHS failed. */
  status: string;
  /** Number of HiGHS runs (1 for the plain solve). */
  runs: number;
  /** Total QP (or simplex) iterations over the runs. */
  iterations: number;
  /** Largest change of a variable between the last two runs (0 for a single run). */
  lastStep: number;
  /** Seconds spent in this attempt. */
  time: number;
}

/** A centralized solution of the market problem (docs/market-model.md), for checking other solvers. */
export interface ReferenceSolution {
  solver: ReferenceSolver;
  /** Solver status ("Optimal", "Infeasible", "Time limit reached", ...): HiGHS's model status names. */
  status: string;
  /** Whether the solution is a proven optimum of the unregularised problem. */
  optimal: boolean;
  /** Σ f_n(p_n) + Σ trade costs, evaluated at the returned point (NaN when there is none). */
  objective: number;
  /** p_n per agent. */
  agentPower: Float64Array;
  /** p_nm per directed trade (antisymmetric up to solver tolerance). */
  trade: Float64Array;
  /**
   * λ_nm per directed trade: the dual of the reciprocity constraint of the pair, positive in a
   * normal market (seller: f' + c⁺ = λ; buyer: f' − c⁻ = λ), the same value on both directions.
   * Null when the solver gives no duals.
   */
  price: Float64Array | null;
  /** Seconds, including model construction. */
  time: number;
  /** Whether the returned point comes from a regularised (proximal) solve sequence. */
  regularized: boolean;
  /** Every solve sequence tried, in order (HiGHS only; empty for javascript-lp-solver). */
  attempts: ReferenceAttempt[];
}
