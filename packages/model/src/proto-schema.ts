import protobuf from "protobufjs";
import { PEERMARKET_SCHEMA } from "./gen/schema.js";

let cachedRoot: protobuf.Root | undefined;

/**
 * The reflected `peermarket.v1` schema, loaded once. Field names keep their original snake_case
 * (`jsonName` gives the proto3 JSON name). It is the project's .proto files as parsed by
 * protobufjs, generated as JSON (`gen/schema.ts`, `node proto/generate-types.mjs`): loading that
 * takes about 15 ms against 50 ms to parse the .proto text, at every command's and the service's
 * start.
 */
export function peermarketRoot(): protobuf.Root {
  if (cachedRoot) return cachedRoot;
  const root = protobuf.Root.fromJSON(PEERMARKET_SCHEMA as protobuf.INamespace);
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
