// Original file: peermarket/v1/negotiation.proto

import type { ShardAssignment as _peermarket_v1_ShardAssignment, ShardAssignment__Output as _peermarket_v1_ShardAssignment__Output } from '../../peermarket/v1/ShardAssignment.js';
import type { ShardPhase as _peermarket_v1_ShardPhase, ShardPhase__Output as _peermarket_v1_ShardPhase__Output } from '../../peermarket/v1/ShardPhase.js';
import type { ShardRelease as _peermarket_v1_ShardRelease, ShardRelease__Output as _peermarket_v1_ShardRelease__Output } from '../../peermarket/v1/ShardRelease.js';

/**
 * A command of the coordinator to a shard worker.
 */
export interface ShardCommand {
  'assignment'?: (_peermarket_v1_ShardAssignment | null);
  'phase'?: (_peermarket_v1_ShardPhase | null);
  'release'?: (_peermarket_v1_ShardRelease | null);
  'command'?: "assignment"|"phase"|"release";
}

/**
 * A command of the coordinator to a shard worker.
 */
export interface ShardCommand__Output {
  'assignment'?: (_peermarket_v1_ShardAssignment__Output | null);
  'phase'?: (_peermarket_v1_ShardPhase__Output | null);
  'release'?: (_peermarket_v1_ShardRelease__Output | null);
  'command'?: "assignment"|"phase"|"release";
}
