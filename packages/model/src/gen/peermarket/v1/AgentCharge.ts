// Original file: peermarket/v1/network_charges.proto


/**
 * What one agent paid.
 */
export interface AgentCharge {
  'agentId'?: (string);
  'zone'?: (string);
  'charge'?: (number | string);
  'volumeSold'?: (number | string);
  'volumeBought'?: (number | string);
}

/**
 * What one agent paid.
 */
export interface AgentCharge__Output {
  'agentId': (string);
  'zone': (string);
  'charge': (number);
  'volumeSold': (number);
  'volumeBought': (number);
}
