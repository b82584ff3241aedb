// Original file: peermarket/v1/negotiation.proto

import type { AgentTargets as _peermarket_v1_AgentTargets, AgentTargets__Output as _peermarket_v1_AgentTargets__Output } from '../../peermarket/v1/AgentTargets.js';

/**
 * One iteration: per agent, the targets v_nm = z_nm + λ_nm/ρ of its trades and their prices λ_nm.
 */
export interface Round {
  'epoch'?: (number);
  'round'?: (number);
  'rho'?: (number | string);
  'agents'?: (_peermarket_v1_AgentTargets)[];
}

/**
 * One iteration: per agent, the targets v_nm = z_nm + λ_nm/ρ of its trades and their prices λ_nm.
 */
export interface Round__Output {
  'epoch': (number);
  'round': (number);
  'rho': (number);
  'agents': (_peermarket_v1_AgentTargets__Output)[];
}
