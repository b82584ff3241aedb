// Original file: peermarket/v1/solution.proto


/**
 * One pair of the trading graph (in a multi-period market: one (pair, period) entry that carries power).
 */
export interface Trade {
  'sellerId'?: (string);
  'buyerId'?: (string);
  /**
   * ≥ 0, from seller to buyer (0 if they do not trade).
   */
  'power'?: (number | string);
  /**
   * λ, the dual of the reciprocity constraint.
   */
  'price'?: (number | string);
  /**
   * Total network charge of the trade, both shares (over its period in a multi-period market).
   */
  'networkCharge'?: (number | string);
  /**
   * The period of the trade (0-based) in a multi-period market.
   */
  'period'?: (number);
}

/**
 * One pair of the trading graph (in a multi-period market: one (pair, period) entry that carries power).
 */
export interface Trade__Output {
  'sellerId': (string);
  'buyerId': (string);
  /**
   * ≥ 0, from seller to buyer (0 if they do not trade).
   */
  'power': (number);
  /**
   * λ, the dual of the reciprocity constraint.
   */
  'price': (number);
  /**
   * Total network charge of the trade, both shares (over its period in a multi-period market).
   */
  'networkCharge': (number);
  /**
   * The period of the trade (0-based) in a multi-period market.
   */
  'period': (number);
}
