import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as grpc from "@grpc/grpc-js";
import { jsonLogger, MarketClient, type RunningServer, startServer } from "@peermarket/market-service";

/** The reply to one raw call: the status code and details, and the reply bytes when OK. */
export interface RawReply {
  code: grpc.status;
  details: string;
  bytes: Buffer | null;
}

/** Path of the unary solve method. */
export const SOLVE_PATH = "/peermarket.v1.MarketService/SolveMarket";

/**
 * The service in this process (loopback, port 0, a temporary store, one worker, solves capped at
 * `maxTimeLimitS` seconds) with a raw grpc-js client that sends payloads as they are (identity
 * serializers) and a MarketClient for health checks. Keeps the last log lines (for INTERNAL errors).
 */
export class GrpcHarness {
  private server: RunningServer | null = null;
  private raw: grpc.Client | null = null;
  private client: MarketClient | null = null;
  private dir = "";
  /** The service's most recent log lines (JSON), newest last. */
  readonly logs: string[] = [];

  constructor(private readonly maxTimeLimitS = 2) {}

  async open(): Promise<void> {
    this.dir = mkdtempSync(join(tmpdir(), "peermarket-fuzz-"));
    this.server = await startServer({
      host: "127.0.0.1",
      port: 0,
      storePath: join(this.dir, "store.db"),
      workers: 1,
      maxTimeLimitS: this.maxTimeLimitS,
      logger: jsonLogger((line) => {
        this.logs.push(line);
        if (this.logs.length > 50) this.logs.shift();
      }),
    });
    this.raw = new grpc.Client(this.server.address, grpc.credentials.createInsecure());
    this.client = new MarketClient(this.server.address);
    await this.client.waitForReady(10_000);
  }

  /** Sends `payload` as the SolveMarketRequest of a unary SolveMarket call. */
  call(payload: Uint8Array, timeoutMs: number): Promise<RawReply> {
    const raw = this.raw;
    if (!raw) throw new Error("GrpcHarness.call before open");
    return new Promise((resolve) => {
      raw.makeUnaryRequest<Buffer, Buffer>(
        SOLVE_PATH,
        (b) => b,
        (b) => b,
        Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength),
        new grpc.Metadata(),
        { deadline: Date.now() + timeoutMs },
        (err, reply) => {
          if (err) resolve({ code: err.code, details: err.details, bytes: null });
          else resolve({ code: grpc.status.OK, details: "", bytes: reply ?? Buffer.alloc(0) });
        },
      );
    });
  }

  /** The health status of the whole server (service ""). */
  async health(): Promise<string> {
    if (!this.client) throw new Error("GrpcHarness.health before open");
    return this.client.checkHealth("", { timeoutMs: 10_000 });
  }

  async close(): Promise<void> {
    this.raw?.close();
    this.client?.close();
    await this.server?.close();
    this.raw = this.client = this.server = null;
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
  }
}
