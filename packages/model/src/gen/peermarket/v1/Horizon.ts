// Original file: peermarket/v1/market.proto


/**
 * The periods of a multi-period market (docs/multi-period.md).
 */
export interface Horizon {
  /**
   * T ≥ 1.
   */
  'periods'?: (number);
  /**
   * Δ, the length of a period in hours (> 0; e.g. 0.25 for quarter-hours).
   */
  'periodHours'?: (number | string);
  /**
   * RFC 3339 label of the start of period 0 (e.g. "2026-06-21T00:00:00Z"); informative.
   */
  'startTime'?: (string);
}

/**
 * The periods of a multi-period market (docs/multi-period.md).
 */
export interface Horizon__Output {
  /**
   * T ≥ 1.
   */
  'periods': (number);
  /**
   * Δ, the length of a period in hours (> 0; e.g. 0.25 for quarter-hours).
   */
  'periodHours': (number);
  /**
   * RFC 3339 label of the start of period 0 (e.g. "2026-06-21T00:00:00Z"); informative.
   */
  'startTime': (string);
}
