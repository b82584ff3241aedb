// Original file: peermarket/v1/solution.proto


/**
 * An independent check of a solution: the centralized optimum and a KKT certificate.
 */
export interface Verification {
  /**
   * The reference's objective, and |objective - reference| / max(1, |reference|).
   */
  'referenceObjective'?: (number | string);
  'objectiveGap'?: (number | string);
  /**
   * Largest |p_n - p_n^ref| over agents with a strictly convex cost.
   */
  'maxPowerDifference'?: (number | string);
  /**
   * The solver that produced the reference ("highs-qp", "highs-lp", "javascript-lp-solver"), or empty.
   */
  'referenceSolver'?: (string);
  /**
   * KKT certificate.
   */
  'maxReciprocityViolation'?: (number | string);
  'maxBoundViolation'?: (number | string);
  'maxPriceViolation'?: (number | string);
  'worstAgentId'?: (string);
  'certificatePassed'?: (boolean);
  /**
   * What went wrong when the reference could not be computed.
   */
  'referenceMessage'?: (string);
  /**
   * Multi-period markets with storage: the equilibrium certificate's largest regret (currency over
   * the horizon: an agent's cost at the solution minus that of its best response to the
   * solution's prices; 0 at the optimum), its agent, and the largest state-of-charge violation (MWh).
   */
  'maxRegret'?: (number | string);
  'worstRegretAgentId'?: (string);
  'maxSocViolation'?: (number | string);
}

/**
 * An independent check of a solution: the centralized optimum and a KKT certificate.
 */
export interface Verification__Output {
  /**
   * The reference's objective, and |objective - reference| / max(1, |reference|).
   */
  'referenceObjective': (number);
  'objectiveGap': (number);
  /**
   * Largest |p_n - p_n^ref| over agents with a strictly convex cost.
   */
  'maxPowerDifference': (number);
  /**
   * The solver that produced the reference ("highs-qp", "highs-lp", "javascript-lp-solver"), or empty.
   */
  'referenceSolver': (string);
  /**
   * KKT certificate.
   */
  'maxReciprocityViolation': (number);
  'maxBoundViolation': (number);
  'maxPriceViolation': (number);
  'worstAgentId': (string);
  'certificatePassed': (boolean);
  /**
   * What went wrong when the reference could not be computed.
   */
  'referenceMessage': (string);
  /**
   * Multi-period markets with storage: the equilibrium certificate's largest regret (currency over
   * the horizon: an agent's cost at the solution minus that of its best response to the
   * solution's prices; 0 at the optimum), its agent, and the largest state-of-charge violation (MWh).
   */
  'maxRegret': (number);
  'worstRegretAgentId': (string);
  'maxSocViolation': (number);
}
