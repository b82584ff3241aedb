// Original file: peermarket/v1/negotiation.proto


/**
 * The outcome of a phase: the shard's new trades and marginal prices, and its residual partials
 * (max |p_nm + p_mn|, ρ·max |Δz|, max |p_nm|, max |λ_nm|).
 */
export interface ShardPhaseResult {
  'solveId'?: (string);
  'sequence'?: (number);
  'trades'?: (Buffer | Uint8Array | string);
  'marginalPrices'?: (Buffer | Uint8Array | string);
  'partials'?: (number | string)[];
  /**
   * Seconds the worker spent in the phase itself (copying the ghosts in, the engine's phase).
   */
  'phaseSeconds'?: (number | string);
}

/**
 * The outcome of a phase: the shard's new trades and marginal prices, and its residual partials
 * (max |p_nm + p_mn|, ρ·max |Δz|, max |p_nm|, max |λ_nm|).
 */
export interface ShardPhaseResult__Output {
  'solveId': (string);
  'sequence': (number);
  'trades': (Buffer);
  'marginalPrices': (Buffer);
  'partials': (number)[];
  /**
   * Seconds the worker spent in the phase itself (copying the ghosts in, the engine's phase).
   */
  'phaseSeconds': (number);
}
