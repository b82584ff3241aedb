#!/usr/bin/env node
// Builds descriptors/peermarket.binpb: the FileDescriptorSet the service serves by reflection,
// compiled by `buf build` (a protoc-compatible compiler) from the .proto files, so that every
// reflection client (buf curl, grpcurl, Postman, Python's descriptor_pool) accepts it.
//   node scripts/build-descriptors.mjs [OUT]     (default: descriptors/peermarket.binpb)
// A test (descriptors.test.ts) checks that the committed file is what this script builds now.
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const out = process.argv[2] ?? join(here, "..", "descriptors", "peermarket.binpb");

/** Every .proto file of the set, as [path in the set, source file]. */
export function sources() {
  const protoRoot = dirname(require.resolve("@peermarket/proto"));
  const files = [];
  const walk = (dir, rel) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(dir, e.name), rel ? `${rel}/${e.name}` : e.name);
      else if (e.name.endsWith(".proto")) files.push([rel ? `${rel}/${e.name}` : e.name, join(dir, e.name)]);
    }
  };
  walk(join(protoRoot, "peermarket"), "peermarket");
  try {
    walk(join(protoRoot, "google"), "google");
  } catch {
    // no google/ protos
  }
  const health = dirname(require.resolve("grpc-health-check/package.json"));
  files.push(["grpc/health/v1/health.proto", join(health, "proto", "health", "v1", "health.proto")]);
  const reflection = join(
    dirname(require.resolve("@grpc/reflection/package.json")),
    "build",
    "proto",
    "grpc",
    "reflection",
  );
  files.push(["grpc/reflection/v1/reflection.proto", join(reflection, "v1", "reflection.proto")]);
  files.push(["grpc/reflection/v1alpha/reflection.proto", join(reflection, "v1alpha", "reflection.proto")]);
  return files.sort((a, b) => a[0].localeCompare(b[0]));
}

const stage = mkdtempSync(join(tmpdir(), "peermarket-descriptors-"));
try {
  for (const [rel, src] of sources()) {
    mkdirSync(dirname(join(stage, rel)), { recursive: true });
    copyFileSync(src, join(stage, rel));
  }
  writeFileSync(join(stage, "buf.yaml"), "version: v2\n");
  const buf = join(dirname(require.resolve("@bufbuild/buf/package.json")), "bin", "buf");
  mkdirSync(dirname(out), { recursive: true });
  execFileSync(buf, ["build", stage, "--as-file-descriptor-set", "-o", out], {
    stdio: ["ignore", "inherit", "inherit"],
  });
} finally {
  rmSync(stage, { recursive: true, force: true });
}
