// Original file: peermarket/v1/negotiation.proto


/**
 * Run one phase: the current values of the shard's ghost trades, and the step's parameters.
 */
export interface ShardPhase {
  'solveId'?: (string);
  'sequence'?: (number);
  'rho'?: (number | string);
  'rhoDual'?: (number | string);
  'alpha'?: (number | string);
  'ghostTrades'?: (Buffer | Uint8Array | string);
}

/**
 * Run one phase: the current values of the shard's ghost trades, and the step's parameters.
 */
export interface ShardPhase__Output {
  'solveId': (string);
  'sequence': (number);
  'rho': (number);
  'rhoDual': (number);
  'alpha': (number);
  'ghostTrades': (Buffer);
}
