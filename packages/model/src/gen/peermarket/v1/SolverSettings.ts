// Original file: peermarket/v1/solution.proto


/**
 * ADMM settings, in OSQP's vocabulary. Unset fields take the solver defaults.
 */
export interface SolverSettings {
  /**
   * Initial penalty ρ (currency/MW²h).
   */
  'rho'?: (number | string);
  /**
   * Absolute and relative tolerances of the primal and dual residuals (∞-norms).
   */
  'epsAbs'?: (number | string);
  'epsRel'?: (number | string);
  'maxIter'?: (number);
  /**
   * Wall-clock limit of the solve, in seconds (0: none).
   */
  'timeLimitS'?: (number | string);
  /**
   * Residual balancing of ρ.
   */
  'adaptiveRho'?: (boolean);
  /**
   * Over-relaxation, in (0, 2).
   */
  'alpha'?: (number | string);
  /**
   * Worker threads for the iteration (default: the number of cores).
   */
  'workers'?: (number);
  /**
   * Warm start from the iterate of a stored solution of the same market.
   */
  'warmStartSolutionId'?: (string);
  /**
   * Check the stopping criteria every this many iterations.
   */
  'checkTermination'?: (number);
  /**
   * Solution polishing (OSQP's polish, default on): once ADMM has found which trades flow, compute
   * the exact optimum from that active set (docs/polishing.md); markets with storage are polished
   * over the whole horizon.
   */
  'polish'?: (boolean);
  '_rho'?: "rho";
  '_epsAbs'?: "epsAbs";
  '_epsRel'?: "epsRel";
  '_maxIter'?: "maxIter";
  '_timeLimitS'?: "timeLimitS";
  '_adaptiveRho'?: "adaptiveRho";
  '_alpha'?: "alpha";
  '_workers'?: "workers";
  '_checkTermination'?: "checkTermination";
  '_polish'?: "polish";
}

/**
 * ADMM settings, in OSQP's vocabulary. Unset fields take the solver defaults.
 */
export interface SolverSettings__Output {
  /**
   * Initial penalty ρ (currency/MW²h).
   */
  'rho'?: (number);
  /**
   * Absolute and relative tolerances of the primal and dual residuals (∞-norms).
   */
  'epsAbs'?: (number);
  'epsRel'?: (number);
  'maxIter'?: (number);
  /**
   * Wall-clock limit of the solve, in seconds (0: none).
   */
  'timeLimitS'?: (number);
  /**
   * Residual balancing of ρ.
   */
  'adaptiveRho'?: (boolean);
  /**
   * Over-relaxation, in (0, 2).
   */
  'alpha'?: (number);
  /**
   * Worker threads for the iteration (default: the number of cores).
   */
  'workers'?: (number);
  /**
   * Warm start from the iterate of a stored solution of the same market.
   */
  'warmStartSolutionId': (string);
  /**
   * Check the stopping criteria every this many iterations.
   */
  'checkTermination'?: (number);
  /**
   * Solution polishing (OSQP's polish, default on): once ADMM has found which trades flow, compute
   * the exact optimum from that active set (docs/polishing.md); markets with storage are polished
   * over the whole horizon.
   */
  'polish'?: (boolean);
  '_rho'?: "rho";
  '_epsAbs'?: "epsAbs";
  '_epsRel'?: "epsRel";
  '_maxIter'?: "maxIter";
  '_timeLimitS'?: "timeLimitS";
  '_adaptiveRho'?: "adaptiveRho";
  '_alpha'?: "alpha";
  '_workers'?: "workers";
  '_checkTermination'?: "checkTermination";
  '_polish'?: "polish";
}
