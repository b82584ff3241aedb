// Original file: peermarket/v1/negotiation.proto


export interface DroppedAgent {
  'agentId'?: (string);
  /**
   * "disconnected", "missed 5 rounds", "did not join within 60 s", or the peer's fault message.
   */
  'reason'?: (string);
  'epoch'?: (number);
  'round'?: (number);
}

export interface DroppedAgent__Output {
  'agentId': (string);
  /**
   * "disconnected", "missed 5 rounds", "did not join within 60 s", or the peer's fault message.
   */
  'reason': (string);
  'epoch': (number);
  'round': (number);
}
