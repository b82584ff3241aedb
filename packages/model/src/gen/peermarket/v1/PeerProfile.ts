// Original file: peermarket/v1/negotiation.proto

import type { Location as _peermarket_v1_Location, Location__Output as _peermarket_v1_Location__Output } from '../../peermarket/v1/Location.js';

export interface PeerProfile {
  'id'?: (string);
  'location'?: (_peermarket_v1_Location | null);
  'attributes'?: ({[key: string]: string});
}

export interface PeerProfile__Output {
  'id': (string);
  'location': (_peermarket_v1_Location__Output | null);
  'attributes': ({[key: string]: string});
}
