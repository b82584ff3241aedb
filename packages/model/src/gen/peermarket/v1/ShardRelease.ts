// Original file: peermarket/v1/negotiation.proto


/**
 * The solve is over: drop the shard.
 */
export interface ShardRelease {
  'solveId'?: (string);
}

/**
 * The solve is over: drop the shard.
 */
export interface ShardRelease__Output {
  'solveId': (string);
}
