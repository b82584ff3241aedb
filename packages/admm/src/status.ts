/** Solver status, as OSQP names them (and as the API's SolveStatus enum, without its prefix). */
export type Status =
  | "SOLVED"
  | "SOLVED_INACCURATE"
  | "MAX_ITER_REACHED"
  | "TIME_LIMIT_REACHED"
  | "PRIMAL_INFEASIBLE"
  | "DUAL_INFEASIBLE"
  | "CANCELLED"
  | "NUMERICAL_ERROR";

/** Solve information, as OSQP's `info`. */
export interface SolveInfo {
  status: Status;
  /** Human-readable reason, e.g. why the market is infeasible. */
  statusMessage: string;
  /** Number of ADMM iterations (local solves) behind the reported iterate. */
  iterations: number;
  /** ∞-norm of p_nm + p_mn. */
  primalResidual: number;
  /** ∞-norm of ρ (z^{k+1} - z^k). */
  dualResidual: number;
  /** Tolerances the residuals were compared with at the end. */
  epsPrimal: number;
  epsDual: number;
  /** Final ρ, and the number of times it changed. */
  rho: number;
  rhoUpdates: number;
  /** Seconds spent in setup (allocation, checks) and in the iteration. */
  setupTime: number;
  solveTime: number;
  /** Σ f_n(p_n) + Σ trade costs at the reported iterate. */
  objective: number;
  /** Whether the reported solution is the polished (exact) optimum (docs/polishing.md). */
  polished: boolean;
  /** OSQP's `status_polish`: 1 polished, 0 not tried, −1 tried without success. */
  statusPolish: 1 | 0 | -1;
  /** Iteration at which polishing succeeded (0 when not polished). */
  polishIteration: number;
  /** Seconds spent in polishing tries, successful or not (included in solveTime), and their number. */
  polishTime: number;
  polishTries: number;
}

/** One progress report, every `progressInterval` iterations. */
export interface Progress {
  iteration: number;
  primalResidual: number;
  dualResidual: number;
  rho: number;
  elapsed: number;
}

/** The primal-dual solution, as arrays over the market's agents and directed trades. */
export interface SolutionArrays {
  /** p_n per agent (= Σ_m p_nm over its trades). */
  agentPower: Float64Array;
  /** Per directed trade: p_nm (for an engine solution, (p_nm − p_mn)/2: exactly antisymmetric). */
  trade: Float64Array;
  /** Per directed trade: the price λ_nm (equal on both directions). */
  price: Float64Array;
  /**
   * Multi-period markets with storage (per engine agent): charge c_t and discharge d_t of the last
   * local solve (0 without storage). The agent's own power is g_t = agentPower − discharge + charge.
   */
  charge?: Float64Array;
  discharge?: Float64Array;
}
