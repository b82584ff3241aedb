// Original file: peermarket/v1/solution.proto


/**
 * The unit-fee search of cost recovery.
 */
export interface CostRecovery {
  'targetRevenue'?: (number | string);
  /**
   * Whether some fee collects the target.
   */
  'reachable'?: (boolean);
  /**
   * The largest revenue found, and the fee that collects it.
   */
  'maxRevenue'?: (number | string);
  'feeAtMaxRevenue'?: (number | string);
  /**
   * Number of market clearings the search needed.
   */
  'solves'?: (number);
}

/**
 * The unit-fee search of cost recovery.
 */
export interface CostRecovery__Output {
  'targetRevenue': (number);
  /**
   * Whether some fee collects the target.
   */
  'reachable': (boolean);
  /**
   * The largest revenue found, and the fee that collects it.
   */
  'maxRevenue': (number);
  'feeAtMaxRevenue': (number);
  /**
   * Number of market clearings the search needed.
   */
  'solves': (number);
}
