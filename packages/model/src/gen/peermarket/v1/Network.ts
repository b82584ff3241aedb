// Original file: peermarket/v1/market.proto


/**
 * The electrical network: a MATPOWER case, inline or bundled.
 */
export interface Network {
  /**
   * The text of a MATPOWER case file (format version 2).
   */
  'matpower'?: (string);
  /**
   * The name of a bundled case: case14, case39, case118, case300, case33bw, case69, case39b_31a.
   */
  'bundledCase'?: (string);
  'source'?: "matpower"|"bundledCase";
}

/**
 * The electrical network: a MATPOWER case, inline or bundled.
 */
export interface Network__Output {
  /**
   * The text of a MATPOWER case file (format version 2).
   */
  'matpower'?: (string);
  /**
   * The name of a bundled case: case14, case39, case118, case300, case33bw, case69, case39b_31a.
   */
  'bundledCase'?: (string);
  'source'?: "matpower"|"bundledCase";
}
