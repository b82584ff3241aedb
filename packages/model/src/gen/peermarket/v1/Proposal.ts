// Original file: peermarket/v1/negotiation.proto

import type { AgentTrades as _peermarket_v1_AgentTrades, AgentTrades__Output as _peermarket_v1_AgentTrades__Output } from '../../peermarket/v1/AgentTrades.js';

/**
 * The answer to a Round: per agent, its new local trades in the order of its Welcome terms.
 */
export interface Proposal {
  'epoch'?: (number);
  'round'?: (number);
  'agents'?: (_peermarket_v1_AgentTrades)[];
}

/**
 * The answer to a Round: per agent, its new local trades in the order of its Welcome terms.
 */
export interface Proposal__Output {
  'epoch': (number);
  'round': (number);
  'agents': (_peermarket_v1_AgentTrades__Output)[];
}
