// Original file: peermarket/v1/negotiation.proto

import type { Registration as _peermarket_v1_Registration, Registration__Output as _peermarket_v1_Registration__Output } from '../../peermarket/v1/Registration.js';
import type { Proposal as _peermarket_v1_Proposal, Proposal__Output as _peermarket_v1_Proposal__Output } from '../../peermarket/v1/Proposal.js';
import type { PeerFault as _peermarket_v1_PeerFault, PeerFault__Output as _peermarket_v1_PeerFault__Output } from '../../peermarket/v1/PeerFault.js';

/**
 * A message of a peer on its Join stream.
 */
export interface PeerMessage {
  'registration'?: (_peermarket_v1_Registration | null);
  'proposal'?: (_peermarket_v1_Proposal | null);
  'fault'?: (_peermarket_v1_PeerFault | null);
  'message'?: "registration"|"proposal"|"fault";
}

/**
 * A message of a peer on its Join stream.
 */
export interface PeerMessage__Output {
  'registration'?: (_peermarket_v1_Registration__Output | null);
  'proposal'?: (_peermarket_v1_Proposal__Output | null);
  'fault'?: (_peermarket_v1_PeerFault__Output | null);
  'message'?: "registration"|"proposal"|"fault";
}
