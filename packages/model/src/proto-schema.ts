import { isAbsolute, join } from "node:path";
import protobuf from "protobufjs";
import { protoPaths, protoRoot } from "@peermarket/proto";

let cachedRoot: protobuf.Root | undefined;

/**
 * The reflected `peermarket.v1` schema, loaded once from the project's .proto files. Field names
 * keep their original snake_case (`jsonName` gives the proto3 JSON name); imports such as
 * `peermarket/v1/market.proto` resolve against `protoRoot`.
 */
export function peermarketRoot(): protobuf.Root {
  if (cachedRoot) return cachedRoot;
  const root = new protobuf.Root();
  root.resolvePath = (_origin: string, target: string) => (isAbsolute(target) ? target : join(protoRoot, target));
  root.loadSync(protoPaths, { keepCase: true });
  root.resolveAll();
  cachedRoot = root;
  return root;
}

/** A message type of `peermarket.v1` by its short name (`Market`, `Agent`, ...). */
export function peermarketType(name: string): protobuf.Type {
  return peermarketRoot().lookupType(`peermarket.v1.${name}`);
}

/**
 * The proto3 JSON name of a field: its `json_name` option, else protoc's lowerCamelCase
 * (underscores removed, the letter after each underscore upper-cased: `x_km` → `xKm`).
 */
export function jsonName(protoName: string, options?: { [key: string]: unknown }): string {
  const explicit = options?.["json_name"];
  if (typeof explicit === "string") return explicit;
  let out = "";
  let upper = false;
  for (const ch of protoName) {
    if (ch === "_") upper = true;
    else if (upper) {
      out += ch.toUpperCase();
      upper = false;
    } else out += ch;
  }
  return out;
}

/** Whether a field is a proto3 `optional` scalar (explicit presence through a synthetic oneof). */
export function isProto3Optional(field: protobuf.Field): boolean {
  return field.options?.["proto3_optional"] === true;
}

/** The real (non-synthetic) oneof a field belongs to, or null. */
export function realOneof(field: protobuf.Field): protobuf.OneOf | null {
  return field.partOf && !isProto3Optional(field) ? field.partOf : null;
}
