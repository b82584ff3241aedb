import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parallelMinTrades } from "@peermarket/admm";

// The bundle (dist/bundle, scripts/bundle.mjs) must behave exactly as the compiled modules of dist/:
// the same output byte for byte (but for the measured times), the same exit codes and messages.

const cliDir = fileURLToPath(new URL("..", import.meta.url));
const bin = join(cliDir, "bin/peermarket.js");
const bundleDir = new URL("../dist/bundle/", import.meta.url);

type BundleEntry = (dir: URL, mode: string | undefined) => string | null;
const { bundleEntry } = (await import(new URL("../bin/bundle-entry.js", import.meta.url).href)) as {
  bundleEntry: BundleEntry;
};

/** Builds the bundle unless it is there and up to date (a `tsc -b` since makes it stale). */
function ensureBundle(): void {
  if (bundleEntry(bundleDir, undefined) !== null) return;
  const r = spawnSync(process.execPath, [join(cliDir, "scripts/bundle.mjs")], { encoding: "utf8", timeout: 120_000 });
  assert.equal(r.status, 0, `the bundle did not build: ${r.stderr}`);
}

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** The command run from the bundle ("1") or from dist/main.js ("0"). */
function run(build: "1" | "0", args: string[], env: Record<string, string> = {}, cwd?: string): Run {
  const r = spawnSync(process.execPath, [bin, ...args], {
    encoding: "utf8",
    timeout: 180_000,
    maxBuffer: 256 << 20,
    cwd,
    env: { ...process.env, ...env, PEERMARKET_BUNDLE: build },
  });
  assert.equal(r.signal, null, `peermarket ${args.join(" ")} did not exit; stderr: ${r.stderr}`);
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** Output without the fields and lines that hold measured times. */
function untimed(text: string): string {
  return text
    .replace(/^\s*"(solveTimeS|setupTimeS|createTime|polishTimeS)": .*\n/gm, "")
    .replace(/^setup \/ solve time: .*\n/gm, "")
    .replace(/^(solution polishing: .*tr(?:y|ies), )[^)]*\)/gm, "$1_)");
}

function assertSameRun(args: string[], check?: (r: Run) => void): void {
  const bundled = run("1", args);
  const compiled = run("0", args);
  assert.equal(bundled.code, compiled.code, `exit code of ${args.join(" ")}: ${bundled.stderr}`);
  assert.equal(untimed(bundled.stdout), untimed(compiled.stdout), `stdout of ${args.join(" ")}`);
  assert.equal(bundled.stderr, compiled.stderr, `stderr of ${args.join(" ")}`);
  check?.(bundled);
}

test("bundleEntry: the bundle while every watched file is older than the build, else dist/main.js", () => {
  const dir = mkdtempSync(join(tmpdir(), "pm-bundle-"));
  try {
    const url = new URL(`file://${dir}/bundle/`);
    mkdirSync(join(dir, "bundle"));
    writeFileSync(join(dir, "stamp"), "");
    const built = Date.now() + 60_000;
    assert.equal(bundleEntry(url, undefined), null, "no manifest: no bundle");
    writeFileSync(join(dir, "bundle/manifest.json"), JSON.stringify({ builtMs: built, watch: ["../stamp"] }));
    assert.equal(bundleEntry(url, undefined), new URL("main.js", url).href);
    assert.equal(bundleEntry(url, "0"), null, "PEERMARKET_BUNDLE=0");
    // A stamp written after the build (tsc -b, npm install) makes the bundle stale.
    const later = new Date(built + 1000);
    utimesSync(join(dir, "stamp"), later, later);
    assert.equal(bundleEntry(url, undefined), null, "stale");
    assert.equal(bundleEntry(url, "1"), new URL("main.js", url).href, "PEERMARKET_BUNDLE=1 runs a stale bundle");
    rmSync(join(dir, "stamp"));
    assert.equal(bundleEntry(url, undefined), null, "a watched file that is gone");
    writeFileSync(join(dir, "bundle/manifest.json"), "{");
    assert.equal(bundleEntry(url, "1"), null, "a broken manifest");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the bundle: its manifest watches the packages' build stamps, and it is used when up to date", () => {
  ensureBundle();
  const manifest = JSON.parse(readFileSync(new URL("manifest.json", bundleDir), "utf8")) as { watch: string[] };
  for (const p of ["admm", "market", "model", "cli"])
    assert.ok(
      manifest.watch.some((w) => w.endsWith(p === "cli" ? "../.tsbuildinfo" : `/${p}/dist/.tsbuildinfo`)),
      `${p} in ${manifest.watch.join(", ")}`,
    );
  // Each command is a chunk of its own, loaded when the command runs.
  const files = readdirSync(bundleDir);
  for (const command of ["solve-command", "charges-command", "cases-command"])
    assert.ok(
      files.some((f) => f.startsWith(`${command}-`) && f.endsWith(".js")),
      `${command} chunk`,
    );
  // --help loads nothing but the entry (and esbuild's helpers): not the engine, not protobufjs.
  const main = readFileSync(new URL("main.js", bundleDir), "utf8");
  for (const m of main.matchAll(/^import .* from "\.\/(chunk-[A-Z0-9]+\.js)";$/gm)) {
    const chunk = readFileSync(new URL(m[1], bundleDir), "utf8");
    assert.ok(chunk.length < 10_000, `main.js imports ${m[1]} statically (${chunk.length} bytes)`);
  }
});

test("bundled and compiled builds print the same: solve --json, tables, --verify, charges, cases, export, help, bad input", () => {
  ensureBundle();
  assertSameRun(["solve", "case39b_31a", "--json"], (r) => {
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).status, "SOLVE_STATUS_SOLVED");
  });
  assertSameRun(["solve", "case39b_31a"], (r) => assert.match(r.stdout, /status:\s+solved/));
  // HiGHS (WebAssembly) is loaded from node_modules when --verify asks for it.
  assertSameRun(["solve", "case39b_31a", "--verify"], (r) => assert.match(r.stdout, /certificate:\s+passed/));
  assertSameRun(["charges", "case39b_31a", "--charges", "distance", "--unit-fee", "10", "--json"], (r) =>
    assert.equal(r.code, 0, r.stderr),
  );
  // The bundled MATPOWER cases are found next to the model package's modules.
  assertSameRun(["cases"], (r) => assert.match(r.stdout, /case39b_31a/));
  assertSameRun(["export", "case39b_31a"], (r) => assert.equal(JSON.parse(r.stdout).name, "case39b_31a"));
  assertSameRun(["--help"], (r) => assert.match(r.stdout, /^Usage: peermarket/));
  assertSameRun(["--version"], (r) => assert.match(r.stdout, /^\d+\.\d+\.\d+\n$/));
  assertSameRun([], (r) => assert.equal(r.code, 2));
  assertSameRun(["no-such-command"], (r) => assert.equal(r.code, 2));
  // Usage errors are recognised across the bundle's chunks: one line, exit 2.
  assertSameRun(["solve", "case39b_31a", "--rho", "x"], (r) => {
    assert.equal(r.code, 2);
    assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
  });
  assertSameRun(["solve", join(tmpdir(), "no-such-scenario.json")], (r) => assert.equal(r.code, 2));
});

test("python-client from the bundle writes the same files (found next to the compiled modules)", () => {
  ensureBundle();
  const dir = mkdtempSync(join(tmpdir(), "pm-bundle-py-"));
  try {
    const out = { "1": join(dir, "b"), "0": join(dir, "d") };
    for (const build of ["1", "0"] as const) {
      const r = run(build, ["python-client", out[build]]);
      assert.equal(r.code, 0, r.stderr);
    }
    const names = readdirSync(out["1"]).sort();
    assert.deepEqual(names, readdirSync(out["0"]).sort());
    assert.ok(names.includes("peermarket_client.py"), names.join(", "));
    for (const name of names)
      assert.ok(readFileSync(join(out["1"], name)).equals(readFileSync(join(out["0"], name))), name);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a market solved on the shard threads from the bundle: the worker starts and the output is the compiled build's", (t) => {
  if (availableParallelism() < 2) {
    t.skip("one core: the engine runs on one thread");
    return;
  }
  ensureBundle();
  // n sellers and n buyers, every pair may trade: 2·n² directed trades, above the threads' threshold.
  const n = Math.ceil(Math.sqrt(parallelMinTrades(false) / 2)) + 10;
  const agents = [];
  for (let i = 0; i < n; i++) {
    agents.push({ id: `s${i}`, costQuadratic: 0.1 + 0.01 * i, costLinear: 10 + 0.1 * i, powerMax: 10 });
    agents.push({ id: `b${i}`, costQuadratic: 0.2 + 0.01 * i, costLinear: 60 - 0.1 * i, powerMin: -10 });
  }
  const dir = mkdtempSync(join(tmpdir(), "pm-bundle-big-"));
  try {
    const file = join(dir, "big.json");
    writeFileSync(file, JSON.stringify({ name: "big", agents }));
    // Polishing off and a fixed iteration count: every iteration runs on both threads.
    const args = ["solve", file, "--json", "--workers", "2", "--polish", "off", "--max-iter", "30"];
    // NODE_DEBUG=worker: Node reports each worker thread it creates (piscina's, which loads the
    // engine's shard-worker module).
    const bundled = run("1", args, { NODE_DEBUG: "worker" });
    const compiled = run("0", args);
    assert.match(bundled.stderr, /^WORKER \d+: .*piscina[\\/]dist[\\/]worker\.js/m, "no shard thread started");
    assert.equal(bundled.code, compiled.code, bundled.stderr);
    const s = JSON.parse(bundled.stdout) as { iterations: number; trades: unknown[] };
    assert.equal(s.trades.length, n * n);
    assert.equal(s.iterations, 30);
    assert.equal(untimed(bundled.stdout), untimed(compiled.stdout));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
