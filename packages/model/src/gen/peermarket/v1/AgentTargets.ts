// Original file: peermarket/v1/negotiation.proto


export interface AgentTargets {
  'agentId'?: (string);
  'targets'?: (number | string)[];
  'prices'?: (number | string)[];
}

export interface AgentTargets__Output {
  'agentId': (string);
  'targets': (number)[];
  'prices': (number)[];
}
