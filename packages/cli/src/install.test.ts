import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const cliDir = fileURLToPath(new URL("..", import.meta.url));

test("a global install (npm install -g of the package folder, as npm link) runs `peermarket solve case39b_31a --json` from another directory", () => {
  const prefix = mkdtempSync(join(tmpdir(), "pm-global-"));
  const elsewhere = mkdtempSync(join(tmpdir(), "pm-elsewhere-"));
  try {
    const npm = process.platform === "win32" ? "npm.cmd" : "npm";
    const install = spawnSync(
      npm,
      ["install", "-g", "--prefix", prefix, "--no-audit", "--no-fund", "--offline", cliDir],
      { encoding: "utf8", timeout: 120_000 },
    );
    assert.equal(install.status, 0, `npm install -g failed: ${install.stderr}`);
    const r = spawnSync(join(prefix, "bin", "peermarket"), ["solve", "case39b_31a", "--json"], {
      cwd: elsewhere,
      encoding: "utf8",
      timeout: 60_000,
      env: { ...process.env, PATH: `${join(prefix, "bin")}:${process.env.PATH}` },
    });
    assert.equal(r.status, 0, r.stderr);
    const s = JSON.parse(r.stdout) as { status: string; agents: unknown[] };
    assert.equal(s.status, "SOLVE_STATUS_SOLVED");
    assert.equal(s.agents.length, 31);
    const cases = spawnSync(join(prefix, "bin", "peermarket"), ["cases"], {
      cwd: elsewhere,
      encoding: "utf8",
      timeout: 60_000,
    });
    assert.equal(cases.status, 0, cases.stderr);
    assert.match(cases.stdout, /case39b_31a/);
  } finally {
    rmSync(prefix, { recursive: true, force: true });
    rmSync(elsewhere, { recursive: true, force: true });
  }
});
