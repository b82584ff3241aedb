import { join } from "node:path";
import protobuf from "protobufjs";
import { protoFiles, protoRoot } from "@peermarket/proto";

let root: protobuf.Root | undefined;

/** The peermarket.v1 schema as protobufjs types (loaded once), for encoding requests and decoding replies byte for byte. */
export function peermarketRoot(): protobuf.Root {
  if (!root) {
    const r = new protobuf.Root();
    r.resolvePath = (_origin, target) => join(protoRoot, target);
    r.loadSync(protoFiles, { keepCase: false });
    r.resolveAll();
    root = r;
  }
  return root;
}

/** A message type of peermarket.v1 by name ("SolveMarketRequest"). */
export function messageType(name: string): protobuf.Type {
  return peermarketRoot().lookupType(`peermarket.v1.${name}`);
}

/** Binary protobuf of a request object (proto-loader shape: lowerCamelCase, enums by name, doubles may be NaN or infinite). */
export function encodeRequest(request: object): Uint8Array {
  const type = messageType("SolveMarketRequest");
  return type.encode(type.fromObject(request)).finish();
}

/** A Solution reply decoded to a plain object with every default present (enums by name). */
export function decodeSolution(bytes: Uint8Array): Record<string, unknown> {
  const type = messageType("Solution");
  return type.toObject(type.decode(bytes), {
    defaults: true,
    enums: String,
    longs: Number,
    arrays: true,
    objects: true,
  }) as Record<string, unknown>;
}
