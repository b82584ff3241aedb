// Original file: peermarket/v1/negotiation.proto

import type { ShardWorkerHello as _peermarket_v1_ShardWorkerHello, ShardWorkerHello__Output as _peermarket_v1_ShardWorkerHello__Output } from '../../peermarket/v1/ShardWorkerHello.js';
import type { ShardPhaseResult as _peermarket_v1_ShardPhaseResult, ShardPhaseResult__Output as _peermarket_v1_ShardPhaseResult__Output } from '../../peermarket/v1/ShardPhaseResult.js';

/**
 * A message of a shard worker on its Serve stream.
 */
export interface ShardWorkerMessage {
  'hello'?: (_peermarket_v1_ShardWorkerHello | null);
  'result'?: (_peermarket_v1_ShardPhaseResult | null);
  'message'?: "hello"|"result";
}

/**
 * A message of a shard worker on its Serve stream.
 */
export interface ShardWorkerMessage__Output {
  'hello'?: (_peermarket_v1_ShardWorkerHello__Output | null);
  'result'?: (_peermarket_v1_ShardPhaseResult__Output | null);
  'message'?: "hello"|"result";
}
