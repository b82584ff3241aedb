import { dirname, relative } from "node:path";
import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";
import { protoFiles, protoRoot } from "@peermarket/proto";
import { protoPath as healthProtoPath } from "grpc-health-check";
import type {
  MarketServiceDefinition,
  MarketServiceProto,
  Solution,
  SolutionInput,
  SolveMarketRequest,
  SolveMarketRequestInput,
} from "@peermarket/model";

/** Full name of the API's service. */
export const MARKET_SERVICE_NAME = "peermarket.v1.MarketService";

/** How the service and its clients map messages to objects: lowerCamelCase, enum names, defaults, oneof names. */
export const LOADER_OPTIONS: protoLoader.Options = {
  keepCase: false,
  enums: String,
  longs: Number,
  defaults: true,
  oneofs: true,
  includeDirs: [protoRoot],
};

let marketDefinition: protoLoader.PackageDefinition | undefined;

/** The package definition of `peermarket.v1` (loaded once). */
export function marketPackageDefinition(): protoLoader.PackageDefinition {
  marketDefinition ??= protoLoader.loadSync(protoFiles, LOADER_OPTIONS);
  return marketDefinition;
}

/**
 * The loaded `peermarket.v1` package, typed by the types generated from the same .proto files with
 * the same options (packages/model/src/gen): grpc-js returns an untyped GrpcObject, this is the one
 * place that says what it holds.
 */
function marketPackage(): MarketServiceProto["peermarket"]["v1"] {
  const root = grpc.loadPackageDefinition(marketPackageDefinition()) as unknown as MarketServiceProto;
  return root.peermarket.v1;
}

/** The constructor of the typed grpc-js client of MarketService; `.service` is its definition. */
export function marketServiceClientConstructor(): MarketServiceProto["peermarket"]["v1"]["MarketService"] {
  return marketPackage().MarketService;
}

/** The MarketService definition for `server.addService`. */
export function marketServiceDefinition(): MarketServiceDefinition {
  return marketServiceClientConstructor().service;
}

/** Include root and file of the standard health-checking proto (grpc.health.v1). */
export const healthProto = {
  root: dirname(dirname(dirname(healthProtoPath))),
  file: relative(dirname(dirname(dirname(healthProtoPath))), healthProtoPath),
};

/** Binary protobuf encoding of the messages the store keeps. */
export interface MessageCodec {
  encodeRequest(request: SolveMarketRequestInput): Buffer;
  decodeRequest(bytes: Uint8Array): SolveMarketRequest;
  encodeSolution(solution: SolutionInput): Buffer;
  decodeSolution(bytes: Uint8Array): Solution;
}

/** The codec of the API's own serializers (what grpc-js sends on the wire), or of another definition's. */
export function messageCodec(service: MarketServiceDefinition = marketServiceDefinition()): MessageCodec {
  const solve = service.SolveMarket;
  const get = service.GetSolution;
  const asBuffer = (bytes: Uint8Array): Buffer => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return {
    encodeRequest: (request) => solve.requestSerialize(request),
    decodeRequest: (bytes) => solve.requestDeserialize(asBuffer(bytes)),
    encodeSolution: (solution) => get.responseSerialize(solution),
    decodeSolution: (bytes) => get.responseDeserialize(asBuffer(bytes)),
  };
}
