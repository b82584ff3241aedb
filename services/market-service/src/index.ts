/**
 * @peermarket/market-service — the gRPC service of peermarket: MarketService over a Piscina solver pool
 * and a SQLite solution store, with health checking, server reflection, TLS and bearer-token
 * roles; its client, the `peermarket serve` command, the demo, the load benchmark and the load test.
 */
export { startServer, formatAddress, type RunningServer, type StartOptions } from "./server.js";
export { serveCommand } from "./main.js";
export { demo, type DemoOptions, type DemoResult } from "./demo.js";
export {
  runLoadBenchmark,
  type LoadBenchmarkOptions,
  type LoadBenchmarkResult,
  type LoadLevelResult,
  type MemoryResult,
} from "./bench-load.js";
export { runLoadTest, type LoadTestOptions, type LoadTestResult, type KindResult } from "./load-test.js";
export {
  MarketClient,
  type ClientCallOptions,
  type StreamCallOptions,
  type HealthStatus,
  type MarketClientOptions,
} from "./client.js";
export {
  clientTlsCredentials,
  serverCredentials,
  TlsConfigError,
  type ClientTlsOptions,
  type ServerTlsFiles,
} from "./tls.js";
export { AuthConfigError, TokenTable, loadAuthFile, type Principal, type Role } from "./auth.js";
export { STATUS_DETAILS_KEY, fieldViolations, rpcStatus, type RpcStatus, type StatusDetails } from "./status-error.js";
export {
  ConfigError,
  SERVE_USAGE,
  configFromEnv,
  defaultConfig,
  parseServeArgs,
  type ServiceConfig,
} from "./config.js";
export { jsonLogger, silentLogger, type Logger, type LogFields } from "./logger.js";
export { MARKET_SERVICE_NAME, LOADER_OPTIONS } from "./proto.js";
export { SolutionStore, StoreOpenError } from "./store.js";
export { INTERRUPTED_MESSAGE } from "./recovery.js";
export { certifyStoredSolution, StoredSolutionMismatch, type StoredCertificate } from "./certify-stored.js";
export { FAULT_ENV } from "./fault.js";
export { case39bMarket, CASE39B_NAME } from "./case39b.js";
// The messages of the API (generated from proto/, see @peermarket/model).
export type {
  GetNetworkChargesRequest,
  GetSolutionRequest,
  ListSolutionsRequest,
  ListSolutionsResponse,
  Market,
  MarketServiceClient,
  MarketServiceHandlers,
  NetworkChargeReport,
  Solution,
  SolutionView,
  SolveEvent,
  SolveMarketRequest,
  SolveMarketRequestInput,
  SolveProgress,
  SolverSettings,
} from "@peermarket/model";
export type { FieldViolation } from "./task.js";
