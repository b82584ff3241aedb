// Original file: peermarket/v1/negotiation.proto


/**
 * One trade of an agent: with whom, the bounds of its own trade p_nm (both agents' power bounds
 * intersected) and the per-unit network charge of the agent's share when it sells and when it buys.
 */
export interface TradeTerms {
  'partnerId'?: (string);
  'tradeMin'?: (number | string);
  'tradeMax'?: (number | string);
  'chargeSell'?: (number | string);
  'chargeBuy'?: (number | string);
}

/**
 * One trade of an agent: with whom, the bounds of its own trade p_nm (both agents' power bounds
 * intersected) and the per-unit network charge of the agent's share when it sells and when it buys.
 */
export interface TradeTerms__Output {
  'partnerId': (string);
  'tradeMin': (number);
  'tradeMax': (number);
  'chargeSell': (number);
  'chargeBuy': (number);
}
