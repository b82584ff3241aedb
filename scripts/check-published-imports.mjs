#!/usr/bin/env node
// Checks that the code the workspace packages publish never loads test-only code.
//
// Published code: every module reachable from a workspace package's entry points (package.json
// "exports" other than "./testing", "main", "bin") through static imports, dynamic imports and
// `new URL("./x.js", import.meta.url)` (worker files), following @peermarket/* imports into the
// other workspace packages' exports. Test-only code: compiled test files (*.test.js), modules under
// a testing/ or test/ directory, a package's "./testing" export, and the packages only tests use
// (TEST_ONLY_PACKAGES). Run after `tsc -b`: `node scripts/check-published-imports.mjs` prints one
// line per offending import and exits 1, or exits 0 in silence.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** npm packages that only tests may load (they are devDependencies). */
export const TEST_ONLY_PACKAGES = ["selfsigned"];

const IMPORT = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|new URL\(\s*)["']([^"']+)["']/g;

/** Whether a path inside a package is test-only code. */
export function isTestModule(pathInPackage) {
  return /\.test\.js$/.test(pathInPackage) || /(^|\/)(testing|test)\//.test(pathInPackage);
}

function workspaces(root) {
  const out = new Map();
  for (const group of ["packages", "services", "benchmarks", "proto"]) {
    const dir = join(root, group);
    if (!existsSync(dir)) continue;
    const candidates = existsSync(join(dir, "package.json"))
      ? [dir]
      : readdirSync(dir)
          .map((d) => join(dir, d))
          .filter((d) => existsSync(join(d, "package.json")));
    for (const d of candidates) {
      const pkg = JSON.parse(readFileSync(join(d, "package.json"), "utf8"));
      if (pkg.name) out.set(pkg.name, { dir: d, pkg });
    }
  }
  return out;
}

function exportTarget(entry) {
  if (typeof entry === "string") return entry;
  if (entry && typeof entry === "object") return entry.default ?? entry.import ?? entry.node ?? null;
  return null;
}

/** The JS files a package publishes as entry points (its "./testing" export excluded). */
function entryPoints(ws) {
  const { dir, pkg } = ws;
  const files = [];
  const exp = pkg.exports;
  if (exp && typeof exp === "object" && !("default" in exp) && !("types" in exp)) {
    for (const [key, value] of Object.entries(exp)) {
      if (key === "./testing" || key.startsWith("./testing/")) continue;
      const t = exportTarget(value);
      if (t) files.push(resolve(dir, t));
    }
  } else if (exp) {
    const t = exportTarget(exp);
    if (t) files.push(resolve(dir, t));
  }
  if (typeof pkg.main === "string") files.push(resolve(dir, pkg.main));
  const bin = typeof pkg.bin === "string" ? [pkg.bin] : Object.values(pkg.bin ?? {});
  for (const b of bin) files.push(resolve(dir, b));
  return files.filter((f) => f.endsWith(".js") && existsSync(f));
}

/** Where an @peermarket/* specifier leads: the file, or a problem when it is a testing export. */
function resolveWorkspace(spec, all) {
  const m = /^(@[^/]+\/[^/]+)(\/.*)?$/.exec(spec);
  if (!m) return null;
  const ws = all.get(m[1]);
  if (!ws) return null;
  const sub = m[2] ? `.${m[2]}` : ".";
  if (sub === "./testing" || sub.startsWith("./testing/")) return { testing: true };
  const exp = ws.pkg.exports;
  let target = null;
  if (exp && typeof exp === "object" && !("default" in exp) && !("types" in exp)) target = exportTarget(exp[sub]);
  else if (sub === ".") target = exportTarget(exp) ?? ws.pkg.main ?? null;
  return target ? { file: resolve(ws.dir, target), ws } : null;
}

/** The offending imports of the published code under `root`, one line each ("file -> import: why"). */
export function publishedImportProblems(rootDir) {
  const root = resolve(rootDir);
  const all = workspaces(root);
  const packageOf = (file) => {
    for (const ws of all.values()) if (file.startsWith(`${ws.dir}/`)) return ws;
    return null;
  };
  const problems = [];
  const seen = new Set();
  const queue = [];
  for (const ws of all.values()) for (const f of entryPoints(ws)) queue.push(f);
  while (queue.length > 0) {
    const file = queue.pop();
    if (seen.has(file) || !existsSync(file) || statSync(file).isDirectory()) continue;
    seen.add(file);
    const ws = packageOf(file);
    const text = readFileSync(file, "utf8");
    const where = relative(root, file);
    for (const match of text.matchAll(IMPORT)) {
      const spec = match[1];
      if (spec.startsWith(".")) {
        if (!spec.endsWith(".js")) continue;
        const target = resolve(dirname(file), spec);
        if (ws && isTestModule(relative(ws.dir, target).replace(/^dist\//, "")))
          problems.push(`${where} -> ${spec}: a test module`);
        else queue.push(target);
        continue;
      }
      const name = spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : spec.split("/")[0];
      if (TEST_ONLY_PACKAGES.includes(name)) {
        problems.push(`${where} -> ${spec}: a package only tests may use`);
        continue;
      }
      const w = resolveWorkspace(spec, all);
      if (!w) continue;
      if (w.testing) problems.push(`${where} -> ${spec}: a testing export`);
      else queue.push(w.file);
    }
  }
  return problems;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = resolve(process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), ".."));
  const problems = publishedImportProblems(root);
  if (problems.length > 0) {
    console.error(`published code loads test-only code:\n${problems.join("\n")}`);
    process.exit(1);
  }
}
