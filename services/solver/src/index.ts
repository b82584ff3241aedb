/**
 * @peermarket/solver — the gRPC service of peermarket: MarketService over a Piscina solver pool
 * and a SQLite solution store, with health checking and server reflection; its client, the
 * `peermarket serve` command, the demo and the load benchmark.
 */
export { startServer, formatAddress, type RunningServer, type StartOptions } from "./server.js";
export { serveCommand } from "./main.js";
export { demo, type DemoOptions, type DemoResult } from "./demo.js";
export { runLoadBenchmark, type LoadBenchmarkOptions, type LoadBenchmarkResult, type LoadLevelResult, type MemoryResult } from "./bench-load.js";
export { MarketClient, type ClientCallOptions, type StreamCallOptions, type HealthStatus, type MarketClientOptions } from "./client.js";
export { FIELD_VIOLATIONS_KEY, fieldViolations } from "./status-error.js";
export { ConfigError, SERVE_USAGE, configFromEnv, defaultConfig, parseServeArgs, type ServiceConfig } from "./config.js";
export { jsonLogger, silentLogger, type Logger, type LogFields } from "./logger.js";
export { MARKET_SERVICE_NAME, LOADER_OPTIONS } from "./proto.js";
export { case39bMarket, CASE39B_NAME } from "./case39b.js";
export type * from "./messages.js";
export type { FieldViolation } from "./task.js";
