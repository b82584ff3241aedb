#!/usr/bin/env node
// Bundles the compiled command line (dist/main.js and every module it imports from the workspace
// packages) into dist/bundle/ with esbuild: ES modules, code splitting, so that each command's
// dynamic import() stays a lazily loaded chunk. Loading a few large files instead of a few hundred
// small ones is what makes `peermarket` start fast (Node's module loader costs more than parsing).
//
// Run after `tsc -b` (the package's `build` script does both); with --if-stale, only when the
// bundle is missing or older than its inputs. bin/peermarket.js runs the bundle when
// dist/bundle/manifest.json exists and no input has changed since (bin/bundle-entry.js), otherwise
// dist/main.js.
//
// Pure-JavaScript third-party packages are bundled too (protobufjs alone is some 50 modules); the
// others stay external (EXTERNAL below). Every bundled workspace module keeps its own location:
// `import.meta.url` is rewritten to the URL of the module's original file, so that files found
// relative to it (worker scripts started by URL, bundled cases, proto descriptors, the Python
// client files, createRequire) resolve as in dist/. The bundle is therefore not relocatable on its
// own: it is a start-up cache of dist/.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, relative, resolve, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { isBuiltin } from "node:module";
import { build } from "esbuild";
import { bundleEntry } from "../bin/bundle-entry.js";

const pkgDir = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const outdir = resolve(pkgDir, "dist/bundle");
const entry = resolve(pkgDir, "dist/main.js");
const manifestName = "manifest.json";
const scriptName = relative(pkgDir, fileURLToPath(import.meta.url));

/**
 * Third-party packages loaded from node_modules as they are: native and WebAssembly modules, the
 * gRPC stack (its packages load .proto files of their own), piscina (it starts its worker file from
 * its own directory). Every other package is bundled; the build fails if a bundled one refers to
 * its own location (`__dirname`, `__filename`, `import.meta.url`), as that would break in a chunk.
 */
const EXTERNAL = new Set([
  "piscina",
  "highs",
  "better-sqlite3",
  "@grpc/grpc-js",
  "@grpc/proto-loader",
  "@grpc/reflection",
  "grpc-health-check",
]);

/** The package name of a bare specifier: `@scope/name/sub` → `@scope/name`, `name/sub` → `name`. */
function packageName(specifier) {
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
}

const keepModuleUrls = {
  name: "keep-module-urls",
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.kind === "entry-point") return undefined;
      if (isBuiltin(args.path) || EXTERNAL.has(packageName(args.path))) return { path: args.path, external: true };
      return undefined;
    });
    b.onLoad({ filter: /\.m?js$/ }, (args) => {
      const text = readFileSync(args.path, "utf8");
      if (args.path.split(sep).includes("node_modules")) {
        const self = /\b__dirname\b|\b__filename\b|\bimport\.meta\.url\b/.exec(text);
        if (self) throw new Error(`${args.path} uses ${self[0]}: add its package to EXTERNAL in ${scriptName}`);
        return undefined;
      }
      if (!text.includes("import.meta.url")) return { contents: text, loader: "js" };
      // Every output file lies directly in outdir, so one path relative to it serves every chunk.
      const rel = relative(outdir, args.path).split(sep).join("/");
      const original = `new URL(${JSON.stringify(rel)}, import.meta.url).href`;
      return { contents: text.replaceAll("import.meta.url", `(${original})`), loader: "js" };
    });
  },
};

/** The file whose modification time stands for `input`'s (see `watch` below). */
function stampOf(input) {
  const parts = input.split(sep);
  const nm = parts.lastIndexOf("node_modules");
  if (nm >= 0) {
    const lock = parts
      .slice(0, nm + 1)
      .concat(".package-lock.json")
      .join(sep);
    return existsSync(lock) ? lock : input;
  }
  for (let dir = dirname(input); dir !== dirname(dir); dir = dirname(dir)) {
    if (!existsSync(resolve(dir, "package.json"))) continue;
    const info = resolve(dir, "dist/.tsbuildinfo");
    return input.startsWith(resolve(dir, "dist") + sep) && existsSync(info) ? info : input;
  }
  return input;
}

// --if-stale: nothing to do when the bundle is there and up to date (the bin's own test).
if (process.argv.includes("--if-stale") && bundleEntry(pathToFileURL(`${outdir}${sep}`), undefined) !== null)
  process.exit(0);

const started = Date.now();
const result = await build({
  entryPoints: { main: entry },
  outdir,
  absWorkingDir: pkgDir,
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  chunkNames: "[name]-[hash]",
  sourcemap: "linked",
  metafile: true,
  write: false,
  // CommonJS packages bundled into ES modules call require() for Node's built-in modules (and
  // protobufjs finds optional modules through an indirect require): give every chunk one.
  banner: {
    js: 'import { createRequire as __pmCreateRequire } from "node:module";\nconst require = __pmCreateRequire(import.meta.url);',
  },
  logLevel: "warning",
  plugins: [keepModuleUrls],
});
const inputs = Object.keys(result.metafile.inputs).map((p) => resolve(pkgDir, p));

// Written so that a command starting meanwhile never sees half a bundle: the manifest goes first
// (the bin then runs dist/main.js), every file is written under a temporary name and renamed, the
// chunks before the entry, the manifest last. Chunks are named by their content hash; those of
// earlier builds are removed only an hour after they were replaced, so that a process still
// running from an earlier bundle (`peermarket serve`) can load its remaining chunks.
mkdirSync(outdir, { recursive: true });
rmSync(resolve(outdir, manifestName), { force: true });
const entryOut = resolve(outdir, "main.js");
const files = result.outputFiles.sort(
  (a, b) => Number(a.path.startsWith(entryOut)) - Number(b.path.startsWith(entryOut)),
);
for (const file of files) writeAtomically(file.path, file.contents);
const current = new Set(files.map((f) => basename(f.path)));
for (const name of readdirSync(outdir)) {
  const path = resolve(outdir, name);
  if (!current.has(name) && name !== manifestName && statSync(path).mtimeMs < started - 3_600_000) rmSync(path);
}

// The bin compares the modification times of `watch` with `builtMs`: a later `tsc -b` or
// `npm install` makes the bundle stale, and the bin then runs dist/main.js until the bundle is
// built again. Stating every input costs milliseconds; a few files stand for them: a workspace
// package's compiled modules change only with its dist/.tsbuildinfo (tsc writes it after them),
// an installed package only with its node_modules/.package-lock.json (npm rewrites it on install).
const watch = new Set();
for (const input of inputs) watch.add(stampOf(input));
// File times come from the kernel's coarse clock, which may lag Date.now() by a few milliseconds:
// a stamp written up to 20 ms before the build started counts as written after it.
const manifest = { builtMs: started - 20, watch: [...watch].map((p) => relative(outdir, p).split(sep).join("/")) };
writeAtomically(resolve(outdir, manifestName), `${JSON.stringify(manifest)}\n`);

const js = files.filter((f) => f.path.endsWith(".js"));
const bytes = js.reduce((s, f) => s + f.contents.length, 0);
process.stdout.write(
  `bundle: ${inputs.length} modules → ${js.length} files, ${(bytes / 1024).toFixed(0)} KiB in ${relative(pkgDir, outdir)}/ (${watch.size} stamps; ${Date.now() - started} ms)\n`,
);

function writeAtomically(path, contents) {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, contents);
  renameSync(tmp, path);
}
