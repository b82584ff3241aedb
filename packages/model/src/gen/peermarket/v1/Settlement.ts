// Original file: peermarket/v1/negotiation.proto

import type { Solution as _peermarket_v1_Solution, Solution__Output as _peermarket_v1_Solution__Output } from '../../peermarket/v1/Solution.js';
import type { DroppedAgent as _peermarket_v1_DroppedAgent, DroppedAgent__Output as _peermarket_v1_DroppedAgent__Output } from '../../peermarket/v1/DroppedAgent.js';

/**
 * The end of the negotiation: the Solution restricted to the peer's agents and their trades.
 */
export interface Settlement {
  'solution'?: (_peermarket_v1_Solution | null);
  'dropped'?: (_peermarket_v1_DroppedAgent)[];
}

/**
 * The end of the negotiation: the Solution restricted to the peer's agents and their trades.
 */
export interface Settlement__Output {
  'solution': (_peermarket_v1_Solution__Output | null);
  'dropped': (_peermarket_v1_DroppedAgent__Output)[];
}
