import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { MarketClient } from "./client.js";

const SERVE = fileURLToPath(new URL("./serve.js", import.meta.url));

test("`serve` prints how to call it, serves, and shuts down cleanly on SIGTERM", async () => {
  const dir = mkdtempSync(join(tmpdir(), "peermarket-serve-"));
  const store = join(dir, "nested", "peermarket.db");
  const child = spawn(process.execPath, [SERVE, "--port", "0", "--store", store, "--workers", "1"], {
    env: { ...process.env, PEERMARKET_HOST: "127.0.0.1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  try {
    const address = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no address printed; stdout: ${stdout} stderr: ${stderr}`)),
        15_000,
      );
      child.stdout.on("data", () => {
        const m = /listening on (127\.0\.0\.1:\d+)/.exec(stdout);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      });
    });
    assert.match(
      stdout,
      /buf curl --protocol grpc --http2-prior-knowledge http:\/\/127\.0\.0\.1:\d+\/peermarket\.v1\.MarketService\/ListSolutions/,
    );
    assert.match(stdout, /peermarket python-client pyclient/);
    assert.match(stdout, /python3 pyclient\/solve\.py 127\.0\.0\.1:\d+ case39b_31a\.json/);
    assert.match(stdout, /grpc\.health\.v1\.Health\/Check/);
    const client = new MarketClient(address);
    assert.equal(await client.checkHealth(), "SERVING");
    client.close();
    assert.ok(existsSync(store));
    child.kill("SIGTERM");
    assert.equal(await exited, 0);
    const lines = stderr
      .trim()
      .split("\n")
      .filter((l) => l.startsWith("{"))
      .map((l) => JSON.parse(l) as { msg: string });
    assert.deepEqual(
      lines.map((l) => l.msg).filter((m) => m !== "request"),
      ["listening", "stopped"],
    );
  } finally {
    if (child.exitCode === null) child.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  }
});

test("`serve` refuses unusable flags with the flag's name and exit code 2", async () => {
  const child = spawn(process.execPath, [SERVE, "--port", "99999"], { stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.on("exit", (c) => resolve(c)));
  assert.equal(code, 2);
  assert.match(stderr, /--port: expected an integer in \[0, 65535\], got "99999"/);
  assert.match(stderr, /Usage: peermarket serve/);
});
