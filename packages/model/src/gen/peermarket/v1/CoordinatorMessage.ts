// Original file: peermarket/v1/negotiation.proto

import type { Registered as _peermarket_v1_Registered, Registered__Output as _peermarket_v1_Registered__Output } from '../../peermarket/v1/Registered.js';
import type { Welcome as _peermarket_v1_Welcome, Welcome__Output as _peermarket_v1_Welcome__Output } from '../../peermarket/v1/Welcome.js';
import type { Round as _peermarket_v1_Round, Round__Output as _peermarket_v1_Round__Output } from '../../peermarket/v1/Round.js';
import type { Settlement as _peermarket_v1_Settlement, Settlement__Output as _peermarket_v1_Settlement__Output } from '../../peermarket/v1/Settlement.js';

/**
 * A message of the coordinator on a Join stream.
 */
export interface CoordinatorMessage {
  'registered'?: (_peermarket_v1_Registered | null);
  'welcome'?: (_peermarket_v1_Welcome | null);
  'round'?: (_peermarket_v1_Round | null);
  'settlement'?: (_peermarket_v1_Settlement | null);
  'message'?: "registered"|"welcome"|"round"|"settlement";
}

/**
 * A message of the coordinator on a Join stream.
 */
export interface CoordinatorMessage__Output {
  'registered'?: (_peermarket_v1_Registered__Output | null);
  'welcome'?: (_peermarket_v1_Welcome__Output | null);
  'round'?: (_peermarket_v1_Round__Output | null);
  'settlement'?: (_peermarket_v1_Settlement__Output | null);
  'message'?: "registered"|"welcome"|"round"|"settlement";
}
