import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runSuites } from "./cli.js";
import { suites } from "./suites/index.js";

// Smoke run: every suite still runs at its smallest size and writes its files. No timing is asserted.
for (const suite of suites) {
  test(`benchmark suite ${suite.name} runs (smoke)`, async () => {
    const outDir = mkdtempSync(join(tmpdir(), `bench-${suite.name}-`));
    const [result] = await runSuites([suite], { mode: "smoke", outDir, log: () => {} });
    assert.equal(result.name, suite.name);
    assert.ok(result.markdown.includes("|"), "a markdown table");
    assert.ok(result.files.length > 0);
    for (const f of result.files) {
      assert.ok(existsSync(f), `${f} written`);
      const text = readFileSync(f, "utf8");
      if (f.endsWith(".csv")) assert.ok(text.split("\n").length > 2, `${f} has rows`);
      if (f.endsWith(".svg")) assert.match(text, /<polyline/);
    }
  });
}
