// Original file: peermarket/v1/negotiation.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { ShardCommand as _peermarket_v1_ShardCommand, ShardCommand__Output as _peermarket_v1_ShardCommand__Output } from '../../peermarket/v1/ShardCommand.js';
import type { ShardWorkerMessage as _peermarket_v1_ShardWorkerMessage, ShardWorkerMessage__Output as _peermarket_v1_ShardWorkerMessage__Output } from '../../peermarket/v1/ShardWorkerMessage.js';

/**
 * A coordinator spreads the agents of one large market over remote shard workers: each runs the
 * engine's per-iteration phase (consensus and price update, exact local solves) on a contiguous
 * range of agents. A worker dials the coordinator and answers its commands on one Serve stream.
 */
export interface ShardServiceClient extends grpc.Client {
  Serve(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_peermarket_v1_ShardWorkerMessage, _peermarket_v1_ShardCommand__Output>;
  Serve(options?: grpc.CallOptions): grpc.ClientDuplexStream<_peermarket_v1_ShardWorkerMessage, _peermarket_v1_ShardCommand__Output>;
  serve(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_peermarket_v1_ShardWorkerMessage, _peermarket_v1_ShardCommand__Output>;
  serve(options?: grpc.CallOptions): grpc.ClientDuplexStream<_peermarket_v1_ShardWorkerMessage, _peermarket_v1_ShardCommand__Output>;
  
}

/**
 * A coordinator spreads the agents of one large market over remote shard workers: each runs the
 * engine's per-iteration phase (consensus and price update, exact local solves) on a contiguous
 * range of agents. A worker dials the coordinator and answers its commands on one Serve stream.
 */
export interface ShardServiceHandlers extends grpc.UntypedServiceImplementation {
  Serve: grpc.handleBidiStreamingCall<_peermarket_v1_ShardWorkerMessage__Output, _peermarket_v1_ShardCommand>;
  
}

export interface ShardServiceDefinition extends grpc.ServiceDefinition {
  Serve: MethodDefinition<_peermarket_v1_ShardWorkerMessage, _peermarket_v1_ShardCommand, _peermarket_v1_ShardWorkerMessage__Output, _peermarket_v1_ShardCommand__Output>
}
