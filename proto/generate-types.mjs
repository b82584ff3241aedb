#!/usr/bin/env node
/**
 * Generates the TypeScript types of the peermarket.v1 API from the .proto files of this buf module
 * into packages/model/src/gen/ (never edited by hand), with @grpc/proto-loader's
 * proto-loader-gen-types and the options the service and its clients load the protos with
 * (services/market-service/src/proto.ts LOADER_OPTIONS): lowerCamelCase fields, longs as numbers,
 * enums as their names, defaults filled, virtual oneof fields. For each message `Foo` it emits the
 * permissive input form `Foo` and the output form `Foo__Output`; for each service the typed grpc-js
 * client, handler and definition interfaces.
 *
 *   node proto/generate-types.mjs           regenerate packages/model/src/gen/
 *   node proto/generate-types.mjs --check   regenerate into a temporary directory and compare
 *                                           (exit 1 and list the differences if gen/ is stale)
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { protoFiles, protoRoot } from "./index.js";

const repo = fileURLToPath(new URL("..", import.meta.url));
const modelDir = join(repo, "packages", "model");
const genDir = join(modelDir, "src", "gen");

/** The options of proto-loader-gen-types; they must describe the objects LOADER_OPTIONS produces. */
export const GENERATOR_OPTIONS = [
  "--keepCase=false",
  "--longs=Number",
  "--enums=String",
  "--defaults",
  "--oneofs",
  "--includeComments",
  "--grpcLib=@grpc/grpc-js",
  // The packages are ES modules resolved as NodeNext: relative imports name the emitted .js file.
  "--importFileExtension=.js",
];

const NOTICE = `# Generated code: do not edit

Every file under this directory is generated from \`proto/peermarket/v1/*.proto\` by
\`node proto/generate-types.mjs\` (proto-loader-gen-types with the options of the service's
proto-loader). Edit the .proto files and regenerate; \`node proto/generate-types.mjs --check\`
(run by the model package's tests) fails when this directory is stale.
`;

/** Every .proto file under peermarket/ in the module, relative to protoRoot. */
function moduleFiles(dir = join(protoRoot, "peermarket")) {
  return listFiles(dir, protoRoot).filter((f) => f.endsWith(".proto"));
}

/**
 * Runs the generator into `outDir` (emptied first), over the module's files, or over `files`
 * (relative to the include root `root`) of another copy of the protos.
 */
export function generate(outDir, { root = protoRoot, files = protoFiles } = {}) {
  if (root === protoRoot) {
    const listed = [...files].sort();
    const found = moduleFiles();
    if (listed.join("\n") !== found.join("\n")) {
      throw new Error(
        `proto/index.js protoFiles (${listed.join(", ")}) differ from the module's files (${found.join(", ")})`,
      );
    }
  }
  const bin = createRequire(join(modelDir, "package.json")).resolve(
    "@grpc/proto-loader/build/bin/proto-loader-gen-types.js",
  );
  rmSync(outDir, { recursive: true, force: true });
  // Run from the include root so each file's "Original file" comment is the module-relative path.
  execFileSync(process.execPath, [bin, ...GENERATOR_OPTIONS, "-I", ".", "-O", outDir, ...files], {
    cwd: root,
    stdio: ["ignore", "inherit", "inherit"],
  });
  writeFileSync(join(outDir, "README.md"), NOTICE);
}

/** Relative paths of the files under `dir`. */
function listFiles(dir, base = dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...listFiles(path, base));
    else out.push(relative(base, path));
  }
  return out;
}

/** The differences between `expected` (fresh output) and `actual` (the committed gen/), as lines. */
export function compare(expected, actual) {
  const a = new Set(listFiles(expected));
  const b = new Set(listFiles(actual));
  const problems = [];
  for (const f of a) {
    if (!b.has(f)) problems.push(`missing: ${f}`);
    else if (readFileSync(join(expected, f), "utf8") !== readFileSync(join(actual, f), "utf8")) {
      problems.push(`stale: ${f}`);
    }
  }
  for (const f of b) if (!a.has(f)) problems.push(`not generated: ${f}`);
  return problems;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  if (process.argv.includes("--check")) {
    const scratch = mkdtempSync(join(tmpdir(), "peermarket-gen-"));
    try {
      generate(join(scratch, "gen"));
      const problems = compare(join(scratch, "gen"), genDir);
      if (problems.length > 0) {
        console.error(`${relative(repo, genDir)} is not what proto/ generates:\n  ${problems.join("\n  ")}`);
        console.error("Regenerate it with `node proto/generate-types.mjs`.");
        process.exit(1);
      }
      console.log(`${relative(repo, genDir)} is current (${listFiles(genDir).length} files)`);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  } else {
    generate(genDir);
    console.log(`generated ${relative(repo, genDir)} (${listFiles(genDir).length} files)`);
  }
}
