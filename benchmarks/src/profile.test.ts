import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { formatProfile, summarizeProfile, threadProfiles } from "./profile.js";

test("a CPU profile is summarised as self time per function, largest first, call sites merged", () => {
  const dir = mkdtempSync(join(tmpdir(), "profile-test-"));
  try {
    const frame = (functionName: string, lineNumber: number) => ({
      functionName,
      url: "file:///x/kernel.js",
      lineNumber,
    });
    const profile = {
      nodes: [
        { id: 1, callFrame: { functionName: "(root)", url: "", lineNumber: -1 } },
        { id: 2, callFrame: frame("phase", 23) },
        { id: 3, callFrame: frame("solveLocal", 99) },
        { id: 4, callFrame: frame("phase", 23) }, // a second call site of phase
      ],
      // Sample i lasts until sample i + 1: phase 3 ms + 1 ms, solveLocal 2 ms, the last sample has no duration.
      samples: [2, 3, 4, 2],
      timeDeltas: [0, 3000, 2000, 1000],
    };
    const path = join(dir, "CPU.20260101.000000.123.0.001.cpuprofile");
    writeFileSync(path, JSON.stringify(profile));
    writeFileSync(join(dir, "CPU.20260101.000000.123.2.002.cpuprofile"), JSON.stringify(profile));
    const entries = summarizeProfile(path);
    assert.equal(entries[0].function, "phase (kernel.js:24)");
    assert.equal(entries[0].milliseconds, 4);
    assert.equal(entries[1].function, "solveLocal (kernel.js:100)");
    assert.ok(Math.abs(entries[0].share - 4 / 6) < 1e-12);
    assert.equal(formatProfile(entries), "phase (kernel.js:24) 67%, solveLocal (kernel.js:100) 33%");
    assert.deepEqual(
      threadProfiles(dir).map((p) => p.thread),
      [0, 2],
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
