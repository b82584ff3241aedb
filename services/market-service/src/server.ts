import * as grpc from "@grpc/grpc-js";
import { HealthImplementation } from "grpc-health-check";
import { compareMechanismsHandler, getComparisonHandler } from "./compare-call.js";
import { loadAuthFile, type TokenTable } from "./auth.js";
import { ClientLimiter } from "./client-limiter.js";
import { defaultConfig, type ServiceConfig } from "./config.js";
import { jsonLogger, type Logger } from "./logger.js";
import { SolverPool } from "./pool.js";
import { MARKET_SERVICE_NAME, marketServiceDefinition, messageCodec } from "./proto.js";
import { addReflection, REFLECTION_V1, REFLECTION_V1ALPHA } from "./reflection.js";
import { markInterrupted } from "./recovery.js";
import { marketRequestDeserializer, refuseDuplicateCredentials, smallRequestDeserializer } from "./request-boundary.js";
import { type MarketServiceImplementation, marketServiceImplementation, RAW_REQUEST_METHODS } from "./service.js";
import { SolutionStore } from "./store.js";
import { StopReason } from "./task.js";
import { isLoopback, serverCredentials } from "./tls.js";
import { requestBudget, type RequestBudget } from "./wire.js";

/** How to start the service: any configuration field (defaults otherwise) and where to log. */
export interface StartOptions extends Partial<ServiceConfig> {
  /** Structured logger; JSON lines on stderr by default. */
  logger?: Logger;
  /** Worker module of the solver pool (the compiled solve-worker by default). */
  workerFile?: string;
}

/** A running service. */
export interface RunningServer {
  /** The address it listens on ("127.0.0.1:50051"), with the port actually bound. */
  readonly address: string;
  readonly host: string;
  readonly port: number;
  readonly config: ServiceConfig;
  readonly store: SolutionStore;
  /** Whether it serves TLS, and whether it authenticates callers by token. */
  readonly tls: boolean;
  readonly authenticated: boolean;
  /** Ids of the solves found interrupted at start-up (stored as CANCELLED). */
  readonly interrupted: readonly string[];
  /**
   * Graceful shutdown: stops accepting calls, reports NOT_SERVING, lets running solves finish for
   * `shutdownGraceMs` and then cancels them, waits for the calls to end, stops the workers and
   * closes the store. Idempotent.
   */
  close(): Promise<void>;
}

/**
 * The MarketService definition as this server uses it: SolveMarket and StreamSolveMarket receive
 * their request as the encoded bytes (a solver thread decodes them; the event loop only outlines
 * them), the other methods' requests are checked on the wire before they are decoded (bad bytes
 * are the client's INVALID_ARGUMENT, see request-boundary.ts), and a Buffer response is sent as
 * already encoded.
 */
function serverDefinition(definition: grpc.ServiceDefinition, budget: RequestBudget): grpc.ServiceDefinition {
  const out: Record<string, grpc.MethodDefinition<unknown, unknown>> = {};
  for (const [name, method] of Object.entries(definition)) {
    const serialize = method.responseSerialize;
    const raw = (RAW_REQUEST_METHODS as readonly string[]).includes(name);
    const checked =
      marketRequestDeserializer(name, method.requestDeserialize, raw, budget) ??
      smallRequestDeserializer(name, method.requestDeserialize);
    out[name] = {
      ...method,
      requestDeserialize: checked ?? (raw ? (bytes: Buffer) => bytes : method.requestDeserialize),
      responseSerialize: (value: unknown) => (Buffer.isBuffer(value) ? value : serialize(value)),
    };
  }
  return out;
}

/** host:port, with brackets for an IPv6 host. */
export function formatAddress(host: string, port: number): string {
  return host.includes(":") && !host.startsWith("[") ? `[${host}]:${port}` : `${host}:${port}`;
}

function bind(server: grpc.Server, address: string, credentials: grpc.ServerCredentials): Promise<number> {
  return new Promise((resolve, reject) => {
    server.bindAsync(address, credentials, (err, port) => (err ? reject(err) : resolve(port)));
  });
}

/**
 * Starts the peermarket gRPC service in this process: MarketService, grpc.health.v1 (SERVING for ""
 * and peermarket.v1.MarketService) and server reflection, over a Piscina solver pool and the
 * SQLite store. Port 0 binds a free port. Plaintext and without authentication unless TLS files
 * and an auth file are configured; health and reflection never ask for a token. Solves the store
 * recorded as running (the previous process died) are stored as interrupted first.
 * @throws StoreOpenError, AuthConfigError or TlsConfigError with a message naming the file.
 */
export async function startServer(options: StartOptions = {}): Promise<RunningServer> {
  const { logger = jsonLogger(), workerFile, ...overrides } = options;
  const config: ServiceConfig = {
    ...defaultConfig(),
    ...Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined)),
  };
  const tokens: TokenTable | null = config.authFile ? loadAuthFile(config.authFile) : null;
  const credentials = serverCredentials(config);
  const store = new SolutionStore(config.storePath, { maxBytes: config.storeMaxBytes });
  const codec = messageCodec();
  let interrupted: string[];
  try {
    interrupted = markInterrupted(store, codec, logger);
  } catch (err) {
    store.close();
    throw err;
  }
  const pool = new SolverPool({
    workers: config.workers,
    queue: config.queue,
    workerFile,
    resourceLimits: { maxOldGenerationSizeMb: config.workerHeapMb },
  });
  const server = new grpc.Server({
    "grpc.max_receive_message_length": config.maxMessageBytes,
    "grpc.max_send_message_length": config.maxMessageBytes,
  });
  let port: number;
  try {
    await pool.warmUp();
    const implementation: MarketServiceImplementation = {
      ...marketServiceImplementation({
        store,
        pool,
        codec,
        logger,
        limits: {
          maxAgents: config.maxAgents,
          maxPairs: config.maxPairs,
          maxTimeLimitS: config.maxTimeLimitS,
          maxMessageBytes: config.maxMessageBytes,
        },
        clients: new ClientLimiter(config.maxSolvesPerClient),
        tokens,
      }),
      CompareMechanisms: compareMechanismsHandler({
        logger,
        store,
        tokens,
        maxAgents: config.maxAgents,
        maxTimeLimitS: config.maxTimeLimitS,
      }),
      GetComparison: getComparisonHandler({ logger, store, tokens }),
    };
    server.addService(
      serverDefinition(
        marketServiceDefinition(),
        requestBudget({ maxAgents: config.maxAgents, maxPairs: config.maxPairs }),
      ),
      implementation,
    );
    const health = new HealthImplementation({ "": "SERVING", [MARKET_SERVICE_NAME]: "SERVING" });
    health.addToServer(server);
    addReflection(server, [MARKET_SERVICE_NAME, "grpc.health.v1.Health", REFLECTION_V1, REFLECTION_V1ALPHA]);
    port = await bind(server, formatAddress(config.host, config.port), credentials.credentials);
    if (!refuseDuplicateCredentials(server) && tokens !== null) {
      logger.warn("credentials", {
        message: "cannot see the raw HTTP/2 headers: a call with two authorization headers would act with the first",
      });
    }

    let closing: Promise<void> | undefined;
    const close = (): Promise<void> => {
      closing ??= (async () => {
        health.setStatus("", "NOT_SERVING");
        health.setStatus(MARKET_SERVICE_NAME, "NOT_SERVING");
        const started = Date.now();
        const cancelTimer = setTimeout(() => pool.stopAll(StopReason.shutdown), config.shutdownGraceMs);
        // Calls that outlive the cancellation (a client not reading its stream) are cut off.
        const forceTimer = setTimeout(() => server.forceShutdown(), config.shutdownGraceMs + 5_000);
        await new Promise<void>((resolve) => server.tryShutdown(() => resolve()));
        clearTimeout(cancelTimer);
        clearTimeout(forceTimer);
        await pool.close();
        store.close();
        logger.info("stopped", { address: formatAddress(config.host, port), shutdownMs: Date.now() - started });
      })();
      return closing;
    };
    const address = formatAddress(config.host, port);
    if (!isLoopback(config.host) && !credentials.tls) {
      logger.warn("insecure", {
        message: `listening on ${address}, beyond this machine, without TLS: markets, costs${tokens ? " and bearer tokens" : ""} travel in clear; use --tls-cert and --tls-key`,
      });
    }
    if (!isLoopback(config.host) && tokens === null) {
      logger.warn("unauthenticated", {
        message: `listening on ${address} without --auth-file: every caller may solve and read every solution`,
      });
    }
    logger.info("listening", {
      address,
      store: store.path,
      workers: config.workers,
      queue: config.queue,
      tls: credentials.tls,
      clientCertificates: credentials.clientCertificates,
      tokens: tokens?.size ?? 0,
    });
    return {
      address,
      host: config.host,
      port,
      config,
      store,
      tls: credentials.tls,
      authenticated: tokens !== null,
      interrupted,
      close,
    };
  } catch (err) {
    server.forceShutdown();
    await pool.close();
    store.close();
    throw err;
  }
}
