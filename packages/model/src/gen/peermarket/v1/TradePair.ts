// Original file: peermarket/v1/market.proto


/**
 * An undirected pair of agents that may trade.
 */
export interface TradePair {
  'agentId'?: (string);
  'partnerId'?: (string);
}

/**
 * An undirected pair of agents that may trade.
 */
export interface TradePair__Output {
  'agentId': (string);
  'partnerId': (string);
}
