import { test } from "node:test";
import assert from "node:assert/strict";
import { availableParallelism } from "node:os";
import { ConfigError, configFromEnv, defaultConfig, parseServeArgs } from "./config.js";

test("defaults: loopback 50051, ./data/peermarket.db, one worker per core", () => {
  const c = defaultConfig();
  assert.equal(c.host, "127.0.0.1");
  assert.equal(c.port, 50051);
  assert.equal(c.storePath, "./data/peermarket.db");
  assert.equal(c.workers, availableParallelism());
});

test("environment variables override the defaults", () => {
  const c = configFromEnv({
    PEERMARKET_HOST: "0.0.0.0",
    PEERMARKET_PORT: "6000",
    PEERMARKET_STORE: "/tmp/x.db",
    PEERMARKET_WORKERS: "3",
    PEERMARKET_QUEUE: "7",
    PEERMARKET_MAX_MESSAGE_BYTES: "2048",
  });
  assert.deepEqual(
    {
      host: c.host,
      port: c.port,
      storePath: c.storePath,
      workers: c.workers,
      queue: c.queue,
      maxMessageBytes: c.maxMessageBytes,
    },
    { host: "0.0.0.0", port: 6000, storePath: "/tmp/x.db", workers: 3, queue: 7, maxMessageBytes: 2048 },
  );
});

test("flags override the environment", () => {
  const { config, help } = parseServeArgs(
    ["--port", "0", "--store", "a.db", "--workers=2", "--queue", "0", "--host", "::1"],
    {
      PEERMARKET_PORT: "6000",
      PEERMARKET_WORKERS: "5",
    },
  );
  assert.equal(help, false);
  assert.equal(config.port, 0);
  assert.equal(config.storePath, "a.db");
  assert.equal(config.workers, 2);
  assert.equal(config.queue, 0);
  assert.equal(config.host, "::1");
});

test("--help is reported", () => {
  assert.equal(parseServeArgs(["-h"], {}).help, true);
});

test("unusable values name the flag or variable", () => {
  assert.throws(
    () => parseServeArgs(["--port", "70000"], {}),
    (e: unknown) =>
      e instanceof ConfigError && /--port: expected an integer in \[0, 65535\], got "70000"/.test(e.message),
  );
  assert.throws(() => parseServeArgs(["--workers", "0"], {}), /--workers: expected an integer in \[1, 1024\]/);
  assert.throws(() => parseServeArgs(["--queue", "1.5"], {}), /--queue/);
  assert.throws(() => configFromEnv({ PEERMARKET_PORT: "abc" }), /PEERMARKET_PORT: expected an integer/);
  assert.throws(() => configFromEnv({ PEERMARKET_HOST: " " }), /PEERMARKET_HOST: must not be empty/);
  assert.throws(
    () => parseServeArgs(["--bogus"], {}),
    (e: unknown) => e instanceof ConfigError && /bogus/.test(e.message),
  );
  assert.throws(() => parseServeArgs(["stray"], {}), ConfigError);
});

test("limits, TLS and auth settings: flags and variables", () => {
  const { config } = parseServeArgs(
    [
      "--max-solves-per-client",
      "3",
      "--max-time-limit-s",
      "2.5",
      "--store-max-bytes",
      "1048576",
      "--tls-cert",
      "c.pem",
      "--tls-key",
      "k.pem",
      "--auth-file",
      "t.json",
    ],
    { PEERMARKET_TLS_CA: "ca.pem" },
  );
  assert.deepEqual(
    [
      config.maxSolvesPerClient,
      config.maxTimeLimitS,
      config.storeMaxBytes,
      config.tlsCert,
      config.tlsKey,
      config.tlsCa,
      config.authFile,
    ],
    [3, 2.5, 1048576, "c.pem", "k.pem", "ca.pem", "t.json"],
  );
  const d = defaultConfig();
  assert.deepEqual(
    [d.maxSolvesPerClient, d.maxTimeLimitS, d.storeMaxBytes, d.tlsCert, d.authFile],
    [32, 300, 0, "", ""],
  );
  assert.throws(
    () => parseServeArgs(["--max-time-limit-s=-1"], {}),
    /--max-time-limit-s: expected a number ≥ 0, got "-1"/,
  );
  assert.throws(
    () => parseServeArgs(["--max-solves-per-client", "x"], {}),
    /--max-solves-per-client: expected an integer/,
  );
});
