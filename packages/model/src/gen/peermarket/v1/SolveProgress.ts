// Original file: peermarket/v1/solution.proto


/**
 * Progress of a running solve.
 */
export interface SolveProgress {
  'iteration'?: (number);
  'primalResidual'?: (number | string);
  'dualResidual'?: (number | string);
  'rho'?: (number | string);
  'elapsedS'?: (number | string);
}

/**
 * Progress of a running solve.
 */
export interface SolveProgress__Output {
  'iteration': (number);
  'primalResidual': (number);
  'dualResidual': (number);
  'rho': (number);
  'elapsedS': (number);
}
