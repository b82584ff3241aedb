// Original file: peermarket/v1/negotiation.proto

import type { TradeTerms as _peermarket_v1_TradeTerms, TradeTerms__Output as _peermarket_v1_TradeTerms__Output } from '../../peermarket/v1/TradeTerms.js';

export interface AgentTerms {
  'agentId'?: (string);
  'trades'?: (_peermarket_v1_TradeTerms)[];
}

export interface AgentTerms__Output {
  'agentId': (string);
  'trades': (_peermarket_v1_TradeTerms__Output)[];
}
