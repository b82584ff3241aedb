import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { test } from "node:test";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = fileURLToPath(new URL("../../../", import.meta.url));

interface Checker {
  publishedImportProblems(root: string): string[];
}

async function checker(): Promise<Checker> {
  return (await import(pathToFileURL(join(root, "scripts/check-published-imports.mjs")).href)) as Checker;
}

function write(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
}

test("the code the packages publish (their exports, mains and bins, transitively) loads no test-only code", async () => {
  const { publishedImportProblems } = await checker();
  assert.deepEqual(publishedImportProblems(root), []);
});

test("the check finds a test module, a testing export and a test-only package reached from an entry point", async () => {
  const { publishedImportProblems } = await checker();
  const dir = mkdtempSync(join(tmpdir(), "published-"));
  try {
    const pkg = (name: string, extra: object = {}) =>
      JSON.stringify({ name, type: "module", exports: { ".": { default: "./dist/index.js" } }, ...extra });
    write(join(dir, "packages/a/package.json"), pkg("@t/a"));
    write(join(dir, "packages/a/dist/index.js"), 'export * from "./inner.js";\n');
    write(join(dir, "packages/a/dist/inner.js"), 'import { x } from "./testing/x.js";\nexport const y = x;\n');
    write(join(dir, "packages/a/dist/testing/x.js"), 'import "selfsigned";\nexport const x = 1;\n');
    write(join(dir, "packages/a/dist/unreached.js"), 'import "./testing/x.js";\n');
    write(join(dir, "packages/b/package.json"), pkg("@t/b", { bin: { b: "bin/b.js" } }));
    write(join(dir, "packages/b/dist/index.js"), "export const b = 1;\n");
    write(join(dir, "packages/b/bin/b.js"), 'const w = new URL("../dist/worker.js", import.meta.url);\n');
    write(join(dir, "packages/b/dist/worker.js"), 'import { x } from "@t/a/testing";\nawait import("selfsigned");\n');
    const problems = publishedImportProblems(dir).sort();
    assert.deepEqual(problems, [
      "packages/a/dist/inner.js -> ./testing/x.js: a test module",
      "packages/b/dist/worker.js -> @t/a/testing: a testing export",
      "packages/b/dist/worker.js -> selfsigned: a package only tests may use",
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("selfsigned is a development dependency: no workspace package needs it at run time", () => {
  const lock = JSON.parse(readFileSync(join(root, "package-lock.json"), "utf8")) as {
    packages: Record<
      string,
      { dependencies?: Record<string, string>; devDependencies?: Record<string, string>; dev?: boolean }
    >;
  };
  const own = JSON.parse(readFileSync(join(root, "services/market-service/package.json"), "utf8"));
  assert.ok(own.devDependencies?.selfsigned, "a devDependency of @peermarket/market-service");
  for (const [path, entry] of Object.entries(lock.packages)) {
    if (path.includes("node_modules/")) continue;
    assert.equal(entry.dependencies?.selfsigned, undefined, `${path || "the root"} depends on selfsigned`);
  }
  assert.equal(lock.packages["node_modules/selfsigned"]?.dev, true, "installed as a dev package only");
});
