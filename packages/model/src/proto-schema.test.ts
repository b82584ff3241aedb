import { test } from "node:test";
import assert from "node:assert/strict";
import { isAbsolute, join } from "node:path";
import protobuf from "protobufjs";
import { protoPaths, protoRoot } from "@peermarket/proto";
import { jsonName, peermarketRoot, peermarketType } from "./proto-schema.js";

test("the schema loaded from its generated JSON is the .proto files' schema", () => {
  // Parsed from the .proto text, as the generator does (snake_case kept).
  const parsed = new protobuf.Root();
  parsed.resolvePath = (_origin: string, target: string) => (isAbsolute(target) ? target : join(protoRoot, target));
  parsed.loadSync(protoPaths, { keepCase: true });
  parsed.resolveAll();
  const json = (r: protobuf.Root) => JSON.stringify(r.toJSON({ keepComments: false }));
  assert.equal(json(peermarketRoot()), json(parsed));
  // What the JSON codecs read from it: json names, explicit presence, enums resolved.
  const agent = peermarketType("Agent");
  const fields = Object.values(agent.fields);
  assert.ok(fields.length > 5);
  for (const f of fields) {
    const twin = (parsed.lookupType("peermarket.v1.Agent") as protobuf.Type).fields[f.name];
    assert.equal(jsonName(f.name, f.options), jsonName(twin.name, twin.options));
    assert.equal(JSON.stringify(f.options ?? null), JSON.stringify(twin.options ?? null));
    assert.equal(f.resolvedType?.fullName ?? null, twin.resolvedType?.fullName ?? null);
  }
});
