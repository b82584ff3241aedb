// Original file: peermarket/v1/negotiation.proto

import type { Location as _peermarket_v1_Location, Location__Output as _peermarket_v1_Location__Output } from '../../peermarket/v1/Location.js';

/**
 * What a peer agent tells the coordinator about itself: an Agent without its costs.
 */
export interface PeerAgent {
  'id'?: (string);
  'bus'?: (string);
  'zone'?: (string);
  'powerMin'?: (number | string);
  'powerMax'?: (number | string);
  'location'?: (_peermarket_v1_Location | null);
  'attributes'?: ({[key: string]: string});
}

/**
 * What a peer agent tells the coordinator about itself: an Agent without its costs.
 */
export interface PeerAgent__Output {
  'id': (string);
  'bus': (string);
  'zone': (string);
  'powerMin': (number);
  'powerMax': (number);
  'location': (_peermarket_v1_Location__Output | null);
  'attributes': ({[key: string]: string});
}
