// Original file: peermarket/v1/negotiation.proto

import type { PeerAgent as _peermarket_v1_PeerAgent, PeerAgent__Output as _peermarket_v1_PeerAgent__Output } from '../../peermarket/v1/PeerAgent.js';

/**
 * The first message of a Join stream: the agents this process speaks for.
 */
export interface Registration {
  'agents'?: (_peermarket_v1_PeerAgent)[];
  /**
   * Free-form name of the peer software, for the coordinator's logs.
   */
  'client'?: (string);
}

/**
 * The first message of a Join stream: the agents this process speaks for.
 */
export interface Registration__Output {
  'agents': (_peermarket_v1_PeerAgent__Output)[];
  /**
   * Free-form name of the peer software, for the coordinator's logs.
   */
  'client': (string);
}
