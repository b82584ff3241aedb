import { availableParallelism } from "node:os";
import { parseArgs } from "node:util";

/** Everything the service can be configured with. */
export interface ServiceConfig {
  /** Bind address; loopback by default. */
  host: string;
  /** TCP port; 0 picks a free one. */
  port: number;
  /** SQLite file of the solution store (its directory is created). */
  storePath: string;
  /** Worker threads solving markets. */
  workers: number;
  /** Solves that may wait for a worker; beyond them a solve is refused with RESOURCE_EXHAUSTED. */
  queue: number;
  /** Largest message received or sent, in bytes. */
  maxMessageBytes: number;
  /** Largest market accepted: agents (grid agents included) and pairs of the trading graph. */
  maxAgents: number;
  maxPairs: number;
  /** On shutdown, running solves may finish during this many ms before they are cancelled. */
  shutdownGraceMs: number;
  /** Solves one client (token, or IP address without authentication) may have running or queued; 0: no limit. */
  maxSolvesPerClient: number;
  /** Server-side cap of settings.timeLimitS, in seconds (applied when unset too); 0: no cap. */
  maxTimeLimitS: number;
  /** Largest size of the store's database file in bytes; 0: no cap (the disk is the limit). */
  storeMaxBytes: number;
  /** PEM certificate chain and private key of the server: TLS when both are set ("" for plaintext). */
  tlsCert: string;
  tlsKey: string;
  /** PEM CA certificates: when set, clients must present a certificate signed by one of them. */
  tlsCa: string;
  /** JSON file of bearer tokens with roles and tenants ("" serves without authentication). */
  authFile: string;
  /**
   * Heap limit of each solver thread, in MiB: a thread over it is ended and its request fails,
   * instead of the process running out of memory.
   */
  workerHeapMb: number;
}

/** A flag or environment variable with a value the service cannot use. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

/** Environment variable of each setting. */
export const CONFIG_ENV: Record<keyof ServiceConfig, string> = {
  host: "PEERMARKET_HOST",
  port: "PEERMARKET_PORT",
  storePath: "PEERMARKET_STORE",
  workers: "PEERMARKET_WORKERS",
  queue: "PEERMARKET_QUEUE",
  maxMessageBytes: "PEERMARKET_MAX_MESSAGE_BYTES",
  maxAgents: "PEERMARKET_MAX_AGENTS",
  maxPairs: "PEERMARKET_MAX_PAIRS",
  shutdownGraceMs: "PEERMARKET_SHUTDOWN_GRACE_MS",
  maxSolvesPerClient: "PEERMARKET_MAX_SOLVES_PER_CLIENT",
  maxTimeLimitS: "PEERMARKET_MAX_TIME_LIMIT_S",
  storeMaxBytes: "PEERMARKET_STORE_MAX_BYTES",
  tlsCert: "PEERMARKET_TLS_CERT",
  tlsKey: "PEERMARKET_TLS_KEY",
  tlsCa: "PEERMARKET_TLS_CA",
  authFile: "PEERMARKET_AUTH_FILE",
  workerHeapMb: "PEERMARKET_WORKER_HEAP_MB",
};

/** Command-line flag of each setting. */
export const CONFIG_FLAGS: Record<keyof ServiceConfig, string> = {
  host: "host",
  port: "port",
  storePath: "store",
  workers: "workers",
  queue: "queue",
  maxMessageBytes: "max-message-bytes",
  maxAgents: "max-agents",
  maxPairs: "max-pairs",
  shutdownGraceMs: "shutdown-grace-ms",
  maxSolvesPerClient: "max-solves-per-client",
  maxTimeLimitS: "max-time-limit-s",
  storeMaxBytes: "store-max-bytes",
  tlsCert: "tls-cert",
  tlsKey: "tls-key",
  tlsCa: "tls-ca",
  authFile: "auth-file",
  workerHeapMb: "worker-heap-mb",
};

/** The defaults: loopback:50051, ./data/peermarket.db, one worker per core. */
export function defaultConfig(): ServiceConfig {
  return {
    host: "127.0.0.1",
    port: 50051,
    storePath: "./data/peermarket.db",
    workers: availableParallelism(),
    queue: 64,
    maxMessageBytes: 64 * 1024 * 1024,
    maxAgents: 5_000,
    maxPairs: 2_000_000,
    shutdownGraceMs: 10_000,
    maxSolvesPerClient: 32,
    maxTimeLimitS: 300,
    storeMaxBytes: 0,
    tlsCert: "",
    tlsKey: "",
    tlsCa: "",
    authFile: "",
    workerHeapMb: 2048,
  };
}

const INTEGER_LIMITS: Partial<Record<keyof ServiceConfig, [number, number]>> = {
  port: [0, 65535],
  workers: [1, 1024],
  queue: [0, 1_000_000],
  maxMessageBytes: [1024, 2 ** 31 - 1],
  maxAgents: [2, 10_000_000],
  maxPairs: [1, 1_000_000_000],
  shutdownGraceMs: [0, 3_600_000],
  maxSolvesPerClient: [0, 1_000_000],
  storeMaxBytes: [0, Number.MAX_SAFE_INTEGER],
  workerHeapMb: [64, 1_048_576],
};

/** Settings that take a non-negative decimal number rather than an integer. */
const DECIMAL_SETTINGS = new Set<keyof ServiceConfig>(["maxTimeLimitS"]);

function parseSetting(key: keyof ServiceConfig, raw: string, source: string): string | number {
  if (DECIMAL_SETTINGS.has(key)) {
    const value = Number(raw);
    if (raw.trim() === "" || !Number.isFinite(value) || value < 0)
      throw new ConfigError(`${source}: expected a number ≥ 0, got ${JSON.stringify(raw)}`);
    return value;
  }
  const limits = INTEGER_LIMITS[key];
  if (limits === undefined) {
    if (raw.trim() === "") throw new ConfigError(`${source}: must not be empty`);
    return raw;
  }
  const value = Number(raw);
  if (raw.trim() === "" || !Number.isInteger(value) || value < limits[0] || value > limits[1]) {
    throw new ConfigError(`${source}: expected an integer in [${limits[0]}, ${limits[1]}], got ${JSON.stringify(raw)}`);
  }
  return value;
}

/**
 * The configuration from environment variables (PEERMARKET_*) over the defaults.
 * @throws ConfigError naming the variable when a value is unusable.
 */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env): ServiceConfig {
  const config = defaultConfig() as unknown as Record<string, string | number>;
  for (const key of Object.keys(CONFIG_ENV) as (keyof ServiceConfig)[]) {
    const raw = env[CONFIG_ENV[key]];
    if (raw !== undefined) config[key] = parseSetting(key, raw, CONFIG_ENV[key]);
  }
  return config as unknown as ServiceConfig;
}

/** Usage of `peermarket serve`. */
export const SERVE_USAGE = `Usage: peermarket serve [options]

Starts the peermarket gRPC service (peermarket.v1.MarketService, health, reflection).

Options (environment variable in brackets):
  --host H                 bind address (default 127.0.0.1)            [PEERMARKET_HOST]
  --port N                 TCP port, 0 for any free port (default 50051) [PEERMARKET_PORT]
  --store PATH             SQLite solution store (default ./data/peermarket.db) [PEERMARKET_STORE]
  --workers N              solver worker threads (default: number of cores) [PEERMARKET_WORKERS]
  --queue N                solves waiting for a worker before RESOURCE_EXHAUSTED (default 64) [PEERMARKET_QUEUE]
  --max-message-bytes N    largest gRPC message (default 67108864)     [PEERMARKET_MAX_MESSAGE_BYTES]
  --max-agents N           largest market, in agents (default 5000)    [PEERMARKET_MAX_AGENTS]
  --max-pairs N            largest trading graph, in pairs (default 2000000) [PEERMARKET_MAX_PAIRS]
  --shutdown-grace-ms N    time running solves get to finish on SIGTERM (default 10000) [PEERMARKET_SHUTDOWN_GRACE_MS]
  --max-solves-per-client N  solves one client (token, else IP address) may have running or queued,
                           0 for no limit (default 32)                  [PEERMARKET_MAX_SOLVES_PER_CLIENT]
  --max-time-limit-s S     cap of settings.timeLimitS, also applied when unset; 0 for none (default 300) [PEERMARKET_MAX_TIME_LIMIT_S]
  --store-max-bytes N      cap of the store's size; beyond it solves get RESOURCE_EXHAUSTED (default 0: none) [PEERMARKET_STORE_MAX_BYTES]
  --tls-cert PATH          PEM certificate chain of the server (TLS, with --tls-key) [PEERMARKET_TLS_CERT]
  --tls-key PATH           PEM private key of the server                [PEERMARKET_TLS_KEY]
  --tls-ca PATH            PEM CA: clients must present a certificate it signed [PEERMARKET_TLS_CA]
  --auth-file PATH         bearer tokens with roles and tenants (JSON; see the README) [PEERMARKET_AUTH_FILE]
  --worker-heap-mb N       heap limit of each solver thread; a request over it fails alone (default 2048) [PEERMARKET_WORKER_HEAP_MB]
  -h, --help               show this help
`;

/** Result of parsing `peermarket serve` arguments. */
export interface ServeArgs {
  config: ServiceConfig;
  help: boolean;
}

/**
 * Parses `peermarket serve` flags over the environment over the defaults.
 * @throws ConfigError for an unknown flag or an unusable value.
 */
export function parseServeArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): ServeArgs {
  const options: Record<string, { type: "string" | "boolean"; short?: string }> = {
    help: { type: "boolean", short: "h" },
  };
  for (const flag of Object.values(CONFIG_FLAGS)) options[flag] = { type: "string" };
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({ args: argv, options, strict: true, allowPositionals: false }));
  } catch (err) {
    throw new ConfigError(`peermarket serve: ${(err as Error).message}`);
  }
  const config = configFromEnv(env) as unknown as Record<string, string | number>;
  for (const key of Object.keys(CONFIG_FLAGS) as (keyof ServiceConfig)[]) {
    const raw = values[CONFIG_FLAGS[key]];
    if (typeof raw === "string") config[key] = parseSetting(key, raw, `--${CONFIG_FLAGS[key]}`);
  }
  return { config: config as unknown as ServiceConfig, help: values.help === true };
}
