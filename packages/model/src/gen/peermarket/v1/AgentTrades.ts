// Original file: peermarket/v1/negotiation.proto


export interface AgentTrades {
  'agentId'?: (string);
  'trades'?: (number | string)[];
}

export interface AgentTrades__Output {
  'agentId': (string);
  'trades': (number)[];
}
