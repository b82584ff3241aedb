import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { silentLogger, startServer } from "@peermarket/market-service";

const bin = fileURLToPath(new URL("../bin/peermarket.js", import.meta.url));

/** Runs the command asynchronously (the service runs in this process's event loop). */
function run(
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

test("solve --server clears through a running service, with a bearer token", async () => {
  const dir = mkdtempSync(join(tmpdir(), "pm-cli-remote-"));
  const authFile = join(dir, "tokens.json");
  writeFileSync(
    authFile,
    JSON.stringify({
      tokens: [{ name: "ops", token: "a-long-enough-secret-token", role: "aggregator", tenant: "t1" }],
    }),
  );
  const server = await startServer({
    port: 0,
    storePath: join(dir, "store.db"),
    authFile,
    workers: 1,
    logger: silentLogger,
  });
  try {
    const env = { ...process.env, PEERMARKET_TOKEN: "" };
    const ok = await run(
      ["solve", "case39b_31a", "--server", server.address, "--token", "a-long-enough-secret-token", "--json"],
      env,
    );
    assert.equal(ok.code, 0, ok.stderr);
    const s = JSON.parse(ok.stdout);
    assert.equal(s.status, "SOLVE_STATUS_SOLVED");
    assert.match(s.id, /^sol_/, "a stored solution");
    for (const t of s.trades.filter((x: { power?: number }) => (x.power ?? 0) > 1e-6))
      assert.ok(Math.abs(t.price - 57.23) <= 0.01);
    const anonymous = await run(["solve", "case39b_31a", "--server", server.address, "--json"], env);
    assert.equal(anonymous.code, 2);
    assert.match(anonymous.stderr, /needs a valid token/);
    assert.equal(anonymous.stderr.trim().split("\n").length, 1);
  } finally {
    await server.close();
  }
});
