import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runSuites } from "./cli.js";
import { firstTouchMicros, machineInfo } from "./machine.js";
import { updateResultsMd } from "./results-md.js";
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

test("the results stamp gives the machine's cost of mapping fresh memory, measured", () => {
  const us = firstTouchMicros();
  assert.ok(Number.isFinite(us) && us > 0, `${us} µs per page`);
  const dir = mkdtempSync(join(tmpdir(), "bench-stamp-"));
  const path = join(dir, "RESULTS.md");
  const machine = { ...machineInfo(), firstTouchUs: 10.8 };
  updateResultsMd(path, [{ name: "x", markdown: "| a |\n|---|\n| 1 |", files: [] }], machine, "npm run bench -- x");
  const text = readFileSync(path, "utf8");
  assert.match(text, /first write to fresh memory 10\.8 µs per 4 KiB page \(2\.8 ms per MiB\)/);
  assert.match(text, /<!-- suite:x -->[\s\S]*\| 1 \|[\s\S]*<!-- \/suite:x -->/);
});
