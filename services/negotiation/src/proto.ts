import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";
import type { NegotiationServiceProto } from "@peermarket/model";
import { protoRoot } from "@peermarket/proto";

/** The file of the negotiation and shard services, relative to the proto root. */
export const NEGOTIATION_PROTO = "peermarket/v1/negotiation.proto";
export const NEGOTIATION_SERVICE_NAME = "peermarket.v1.NegotiationService";
export const SHARD_SERVICE_NAME = "peermarket.v1.ShardService";

/** Objects as the MarketService maps them: lowerCamelCase, enum names, defaults, oneof names. */
const LOADER_OPTIONS: protoLoader.Options = {
  keepCase: false,
  enums: String,
  longs: Number,
  defaults: true,
  oneofs: true,
  includeDirs: [protoRoot],
};

let definition: protoLoader.PackageDefinition | undefined;

/**
 * The loaded `peermarket.v1` package, typed by the types generated from the same .proto file with
 * the same options (packages/model/src/gen): grpc-js returns an untyped GrpcObject, this is the one
 * place that says what it holds.
 */
function v1(): NegotiationServiceProto["peermarket"]["v1"] {
  definition ??= protoLoader.loadSync(NEGOTIATION_PROTO, LOADER_OPTIONS);
  const root = grpc.loadPackageDefinition(definition) as unknown as NegotiationServiceProto;
  return root.peermarket.v1;
}

/** The typed grpc-js client constructor of NegotiationService (`.service` is its definition). */
export function negotiationClientConstructor(): NegotiationServiceProto["peermarket"]["v1"]["NegotiationService"] {
  return v1().NegotiationService;
}

/** The typed grpc-js client constructor of ShardService. */
export function shardClientConstructor(): NegotiationServiceProto["peermarket"]["v1"]["ShardService"] {
  return v1().ShardService;
}

/**
 * A service definition whose request decoder also hands every received message, as the bytes
 * that crossed the wire and decoded, to `onReceive` (to audit what a coordinator is told).
 */
export function observedDefinition(
  service: grpc.ServiceDefinition,
  onReceive: ((method: string, bytes: Buffer, message: unknown) => void) | undefined,
): grpc.ServiceDefinition {
  if (!onReceive) return service;
  const out: Record<string, grpc.MethodDefinition<unknown, unknown>> = {};
  for (const [name, method] of Object.entries(service)) {
    out[name] = {
      ...method,
      requestDeserialize: (bytes: Buffer) => {
        const message = method.requestDeserialize(bytes);
        onReceive(method.path, Buffer.from(bytes), message);
        return message;
      },
    };
  }
  return out;
}

/** Channel options shared by the peers and workers: large messages, keepalive to notice a dead coordinator. */
export function channelOptions(maxMessageBytes: number): grpc.ChannelOptions {
  return {
    "grpc.max_receive_message_length": maxMessageBytes,
    "grpc.max_send_message_length": maxMessageBytes,
    "grpc.keepalive_time_ms": 10_000,
    "grpc.keepalive_timeout_ms": 5_000,
    "grpc.keepalive_permit_without_calls": 1,
    // Shard messages are megabytes: a 64 KB HTTP/2 window would cost a round trip per 64 KB.
    "grpc-node.flow_control_window": 64 * 1024 * 1024,
  };
}

/** Default largest message: a shard assignment of a few million trades. */
export const DEFAULT_MAX_MESSAGE_BYTES = 512 * 1024 * 1024;
