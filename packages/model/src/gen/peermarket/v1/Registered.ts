// Original file: peermarket/v1/negotiation.proto


/**
 * The registration was accepted; the negotiation starts when the expected agents have joined.
 */
export interface Registered {
  'marketName'?: (string);
  'agentIds'?: (string)[];
}

/**
 * The registration was accepted; the negotiation starts when the expected agents have joined.
 */
export interface Registered__Output {
  'marketName': (string);
  'agentIds': (string)[];
}
