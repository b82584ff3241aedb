// Original file: peermarket/v1/negotiation.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { CoordinatorMessage as _peermarket_v1_CoordinatorMessage, CoordinatorMessage__Output as _peermarket_v1_CoordinatorMessage__Output } from '../../peermarket/v1/CoordinatorMessage.js';
import type { PeerMessage as _peermarket_v1_PeerMessage, PeerMessage__Output as _peermarket_v1_PeerMessage__Output } from '../../peermarket/v1/PeerMessage.js';

/**
 * A coordinator clears a market with peer agents that keep their costs to themselves
 * (consensus ADMM, docs/admm.md). Each agent process (one agent, or an aggregator's portfolio)
 * opens one Join stream:
 * 
 * peer → coordinator: Registration, then one Proposal per Round (its local trades);
 * coordinator → peer: Registered, Welcome (its trades' partners, bounds and network charges),
 * one Round per iteration (targets v_nm, prices λ_nm, ρ), Settlement.
 * 
 * The coordinator never receives cost coefficients, marginal prices or preferences: a peer
 * adds its own preference costs to its local problem. When agents are dropped (a closed stream,
 * too many missed rounds) the market is re-cleared without them: a new epoch with a new Welcome.
 */
export interface NegotiationServiceClient extends grpc.Client {
  Join(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_peermarket_v1_PeerMessage, _peermarket_v1_CoordinatorMessage__Output>;
  Join(options?: grpc.CallOptions): grpc.ClientDuplexStream<_peermarket_v1_PeerMessage, _peermarket_v1_CoordinatorMessage__Output>;
  join(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_peermarket_v1_PeerMessage, _peermarket_v1_CoordinatorMessage__Output>;
  join(options?: grpc.CallOptions): grpc.ClientDuplexStream<_peermarket_v1_PeerMessage, _peermarket_v1_CoordinatorMessage__Output>;
  
}

/**
 * A coordinator clears a market with peer agents that keep their costs to themselves
 * (consensus ADMM, docs/admm.md). Each agent process (one agent, or an aggregator's portfolio)
 * opens one Join stream:
 * 
 * peer → coordinator: Registration, then one Proposal per Round (its local trades);
 * coordinator → peer: Registered, Welcome (its trades' partners, bounds and network charges),
 * one Round per iteration (targets v_nm, prices λ_nm, ρ), Settlement.
 * 
 * The coordinator never receives cost coefficients, marginal prices or preferences: a peer
 * adds its own preference costs to its local problem. When agents are dropped (a closed stream,
 * too many missed rounds) the market is re-cleared without them: a new epoch with a new Welcome.
 */
export interface NegotiationServiceHandlers extends grpc.UntypedServiceImplementation {
  Join: grpc.handleBidiStreamingCall<_peermarket_v1_PeerMessage__Output, _peermarket_v1_CoordinatorMessage>;
  
}

export interface NegotiationServiceDefinition extends grpc.ServiceDefinition {
  Join: MethodDefinition<_peermarket_v1_PeerMessage, _peermarket_v1_CoordinatorMessage, _peermarket_v1_PeerMessage__Output, _peermarket_v1_CoordinatorMessage__Output>
}
