// Original file: peermarket/v1/negotiation.proto

import type { AgentTerms as _peermarket_v1_AgentTerms, AgentTerms__Output as _peermarket_v1_AgentTerms__Output } from '../../peermarket/v1/AgentTerms.js';
import type { PeerProfile as _peermarket_v1_PeerProfile, PeerProfile__Output as _peermarket_v1_PeerProfile__Output } from '../../peermarket/v1/PeerProfile.js';
import type { DroppedAgent as _peermarket_v1_DroppedAgent, DroppedAgent__Output as _peermarket_v1_DroppedAgent__Output } from '../../peermarket/v1/DroppedAgent.js';

/**
 * The terms of one epoch of the negotiation: for each agent of the peer, its trades.
 */
export interface Welcome {
  'epoch'?: (number);
  'marketName'?: (string);
  'agents'?: (_peermarket_v1_AgentTerms)[];
  /**
   * What the partners chose to publish (for the peer's own preferences).
   */
  'partners'?: (_peermarket_v1_PeerProfile)[];
  /**
   * Agents no longer in the market (dropped in an earlier epoch).
   */
  'dropped'?: (_peermarket_v1_DroppedAgent)[];
}

/**
 * The terms of one epoch of the negotiation: for each agent of the peer, its trades.
 */
export interface Welcome__Output {
  'epoch': (number);
  'marketName': (string);
  'agents': (_peermarket_v1_AgentTerms__Output)[];
  /**
   * What the partners chose to publish (for the peer's own preferences).
   */
  'partners': (_peermarket_v1_PeerProfile__Output)[];
  /**
   * Agents no longer in the market (dropped in an earlier epoch).
   */
  'dropped': (_peermarket_v1_DroppedAgent__Output)[];
}
