// Original file: peermarket/v1/negotiation.proto


/**
 * The peer cannot take part (e.g. its own preferences make its problem non-convex); it leaves.
 */
export interface PeerFault {
  'message'?: (string);
}

/**
 * The peer cannot take part (e.g. its own preferences make its problem non-convex); it leaves.
 */
export interface PeerFault__Output {
  'message': (string);
}
