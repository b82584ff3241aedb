#!/usr/bin/env node
// Runs every compiled test file (dist/**/*.test.js) of the current package with node's test runner.
// Node 20's `node --test` does not expand globs, so the files are listed here; finding none is a failure.
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { spawnSync } from "node:child_process";

function find(dir, out) {
  let entries;
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of entries) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) find(path, out);
    else if (name.endsWith(".test.js")) out.push(path);
  }
  return out;
}

const filter = process.argv.slice(2);
let files = find("dist", []).sort();
if (filter.length > 0) files = files.filter((f) => filter.some((s) => f.includes(s)));
if (files.length === 0) {
  console.error(
    `run-tests: no test files under ${join(process.cwd(), "dist")} — build first, or the package has no tests`,
  );
  process.exit(1);
}
const result = spawnSync(process.execPath, ["--test", "--enable-source-maps", ...files], { stdio: "inherit" });
process.exit(result.status ?? 1);
