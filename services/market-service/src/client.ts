import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";
import type {
  ListSolutionsRequestInput,
  ListSolutionsResponse,
  ListSolutionTradesRequestInput,
  ListSolutionTradesResponse,
  MarketServiceClient,
  NetworkChargeReport,
  Solution,
  SolutionView,
  SolveEvent,
  SolveMarketRequestInput,
  SolveProgress,
} from "@peermarket/model";
import { healthProto, marketServiceClientConstructor } from "./proto.js";
import { clientTlsCredentials, type ClientTlsOptions } from "./tls.js";

/** Per-call options. */
export interface ClientCallOptions {
  /** Absolute deadline (Date or ms since the epoch). */
  deadline?: Date | number;
  /** Relative deadline in ms (used when `deadline` is not given). */
  timeoutMs?: number;
  /** Cancels the call when aborted. */
  signal?: AbortSignal;
}

/** Options of StreamSolveMarket. */
export interface StreamCallOptions extends ClientCallOptions {
  /** Receives each progress event, in order. */
  onProgress?: (progress: SolveProgress) => void;
}

/** Serving status of the standard health service. */
export type HealthStatus = "UNKNOWN" | "SERVING" | "NOT_SERVING" | "SERVICE_UNKNOWN";

/** Options of the client. */
export interface MarketClientOptions {
  /** Largest message sent or received (default 64 MiB). */
  maxMessageBytes?: number;
  /** Channel credentials (insecure by default; see `tls`). */
  credentials?: grpc.ChannelCredentials;
  /** Connect over TLS (ignored when `credentials` is given): trusted CA, client certificate, server name. */
  tls?: ClientTlsOptions;
  /** Bearer token sent with every MarketService call (`authorization: Bearer <token>`). */
  token?: string;
  /** Extra grpc-js channel options (e.g. `"grpc.use_local_subchannel_pool": 1` for a connection of its own). */
  channelOptions?: grpc.ChannelOptions;
}

/** A unary method of a grpc-js client, called with metadata and options. */
type UnaryMethod<Req, Res> = (
  request: Req,
  metadata: grpc.Metadata,
  options: grpc.CallOptions,
  callback: grpc.requestCallback<Res>,
) => grpc.ClientUnaryCall;

/** grpc.health.v1.Health/Check as a unary method. */
type HealthCheck = UnaryMethod<{ service: string }, { status: HealthStatus }>;

let healthClientConstructor: grpc.ServiceClientConstructor | undefined;
function healthConstructor(): grpc.ServiceClientConstructor {
  if (!healthClientConstructor) {
    const definition = protoLoader.loadSync(healthProto.file, {
      includeDirs: [healthProto.root],
      enums: String,
      defaults: true,
    });
    const root = grpc.loadPackageDefinition(definition) as unknown as {
      grpc: { health: { v1: { Health: grpc.ServiceClientConstructor } } };
    };
    healthClientConstructor = root.grpc.health.v1.Health;
  }
  return healthClientConstructor;
}

/**
 * A typed promise-based client of peermarket.v1.MarketService (and of the standard health service
 * of the same server). Failed calls reject with grpc-js's ServiceError (`code`, `details`,
 * `metadata`); `rpcStatus(err.metadata)` decodes the google.rpc.Status of the `grpc-status-details-bin`
 * trailer and `fieldViolations(err.metadata)` lists the fields it names.
 */
export class MarketClient {
  /** The underlying grpc-js client (typed by the generated MarketServiceClient). */
  readonly raw: MarketServiceClient;
  private readonly health: grpc.Client;
  private readonly token: string | undefined;

  /** @throws TlsConfigError when a TLS file cannot be read. */
  constructor(address: string, options: MarketClientOptions = {}) {
    const max = options.maxMessageBytes ?? 64 * 1024 * 1024;
    const channelOptions: grpc.ChannelOptions = {
      ...options.channelOptions,
      "grpc.max_receive_message_length": max,
      "grpc.max_send_message_length": max,
    };
    if (options.tls?.serverName) channelOptions["grpc.ssl_target_name_override"] = options.tls.serverName;
    const credentials =
      options.credentials ?? (options.tls ? clientTlsCredentials(options.tls) : grpc.credentials.createInsecure());
    this.token = options.token;
    const Market = marketServiceClientConstructor();
    this.raw = new Market(address, credentials, channelOptions);
    const Health = healthConstructor();
    this.health = new Health(address, credentials, { channelOverride: this.raw.getChannel() });
  }

  /** Metadata of a MarketService call: the bearer token, if any. */
  private metadata(): grpc.Metadata {
    const metadata = new grpc.Metadata();
    if (this.token !== undefined) metadata.set("authorization", `Bearer ${this.token}`);
    return metadata;
  }

  private unary<Req, Res>(
    method: UnaryMethod<Req, Res>,
    request: Req,
    metadata: grpc.Metadata,
    options: ClientCallOptions = {},
  ): Promise<Res> {
    return new Promise<Res>((resolve, reject) => {
      const call = method(request, metadata, callOptions(options), (err, value) => {
        options.signal?.removeEventListener("abort", onAbort);
        if (err) reject(err);
        else if (value === undefined) reject(new Error("the call ended without a response"));
        else resolve(value);
      });
      const onAbort = (): void => call.cancel();
      if (options.signal?.aborted) call.cancel();
      else options.signal?.addEventListener("abort", onAbort, { once: true });
    });
  }

  /** Clears a market and returns its stored Solution. */
  solveMarket(request: SolveMarketRequestInput, options?: ClientCallOptions): Promise<Solution> {
    return this.unary<SolveMarketRequestInput, Solution>(
      (r, m, o, cb) => this.raw.solveMarket(r, m, o, cb),
      request,
      this.metadata(),
      options,
    );
  }

  /** Clears a market with progress events; resolves with the final Solution. */
  streamSolveMarket(request: SolveMarketRequestInput, options: StreamCallOptions = {}): Promise<Solution> {
    return new Promise<Solution>((resolve, reject) => {
      const call = this.raw.streamSolveMarket(request, this.metadata(), callOptions(options));
      let solution: Solution | undefined;
      const onAbort = (): void => call.cancel();
      call.on("data", (event: SolveEvent) => {
        if (event.progress) options.onProgress?.(event.progress);
        if (event.solution) solution = event.solution;
      });
      call.on("error", (err) => {
        options.signal?.removeEventListener("abort", onAbort);
        reject(err);
      });
      call.on("end", () => {
        options.signal?.removeEventListener("abort", onAbort);
        if (solution) resolve(solution);
        else reject(new Error("StreamSolveMarket ended without a solution"));
      });
      if (options.signal?.aborted) call.cancel();
      else options.signal?.addEventListener("abort", onAbort, { once: true });
    });
  }

  /** A stored solution (FULL view unless asked otherwise). */
  getSolution(id: string, view: SolutionView = "SOLUTION_VIEW_FULL", options?: ClientCallOptions): Promise<Solution> {
    return this.unary<{ id: string; view: SolutionView }, Solution>(
      (r, m, o, cb) => this.raw.getSolution(r, m, o, cb),
      { id, view },
      this.metadata(),
      options,
    );
  }

  /** One page of stored solutions, newest first. */
  listSolutions(request: ListSolutionsRequestInput = {}, options?: ClientCallOptions): Promise<ListSolutionsResponse> {
    return this.unary<ListSolutionsRequestInput, ListSolutionsResponse>(
      (r, m, o, cb) => this.raw.listSolutions(r, m, o, cb),
      request,
      this.metadata(),
      options,
    );
  }

  /** The DSO report of a stored solution. */
  getNetworkCharges(solutionId: string, options?: ClientCallOptions): Promise<NetworkChargeReport> {
    return this.unary<{ solutionId: string }, NetworkChargeReport>(
      (r, m, o, cb) => this.raw.getNetworkCharges(r, m, o, cb),
      { solutionId },
      this.metadata(),
      options,
    );
  }

  /**
   * One page of a stored solution's trades (every pair, in order): for solutions too large for one
   * message, whose replies list only the trades that carry power (`tradesTruncated`).
   */
  listSolutionTrades(
    request: ListSolutionTradesRequestInput,
    options?: ClientCallOptions,
  ): Promise<ListSolutionTradesResponse> {
    return this.unary<ListSolutionTradesRequestInput, ListSolutionTradesResponse>(
      (r, m, o, cb) => this.raw.listSolutionTrades(r, m, o, cb),
      request,
      this.metadata(),
      options,
    );
  }

  /** grpc.health.v1.Health/Check for a service ("" for the server as a whole). */
  async checkHealth(service = "", options?: ClientCallOptions): Promise<HealthStatus> {
    // grpc.health.v1 is not generated here: its client is grpc-js's generic one.
    const check = (this.health as unknown as { check: HealthCheck }).check.bind(this.health);
    const response = await this.unary(check, { service }, new grpc.Metadata(), options);
    return response.status;
  }

  /** Resolves once the channel is connected, or rejects after `timeoutMs`. */
  waitForReady(timeoutMs = 5000): Promise<void> {
    return new Promise((resolve, reject) => {
      this.raw.waitForReady(Date.now() + timeoutMs, (err) => (err ? reject(err) : resolve()));
    });
  }

  /** Closes the channel. */
  close(): void {
    this.health.close();
    this.raw.close();
  }
}

function callOptions(options: ClientCallOptions): grpc.CallOptions {
  if (options.deadline !== undefined) return { deadline: options.deadline };
  if (options.timeoutMs !== undefined) return { deadline: Date.now() + options.timeoutMs };
  return {};
}

export { fieldViolations, rpcStatus, STATUS_DETAILS_KEY, type RpcStatus, type StatusDetails } from "./status-error.js";
export type { ClientTlsOptions } from "./tls.js";
