import { fileURLToPath } from "node:url";
import { join } from "node:path";

/** Directory holding `peermarket/v1/*.proto`: the include root for protoc, proto-loader and protobufjs. */
export const protoRoot = fileURLToPath(new URL(".", import.meta.url));

/** The proto files of the API, relative to `protoRoot`. */
export const protoFiles = [
  "peermarket/v1/market.proto",
  "peermarket/v1/solution.proto",
  "peermarket/v1/network_charges.proto",
  "peermarket/v1/mechanisms.proto",
  "peermarket/v1/market_service.proto",
  "peermarket/v1/negotiation.proto",
];

/** Absolute paths of the proto files. */
export const protoPaths = protoFiles.map((f) => join(protoRoot, f));
