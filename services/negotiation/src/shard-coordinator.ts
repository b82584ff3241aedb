import * as grpc from "@grpc/grpc-js";
import type { ShardCommand, ShardServiceHandlers, ShardWorkerMessage } from "@peermarket/model";
import { DEFAULT_MAX_MESSAGE_BYTES, shardClientConstructor } from "./proto.js";
import { type ServerSecurity, serverCredentials, tokenProblem } from "./security.js";
import { bind, endWithStatus, formatAddress, shutdown } from "./server-support.js";
import { WorkerLink } from "./worker-link.js";

/** Options of a shard coordinator's server. */
export interface ShardCoordinatorOptions extends ServerSecurity {
  /** Bind address (default 127.0.0.1) and port (default 0: a free one). */
  host?: string;
  port?: number;
  maxMessageBytes?: number;
  /** Called on connections and losses of workers. */
  onEvent?: (event: string, fields: Record<string, unknown>) => void;
}

/**
 * The coordinator's ShardService: remote shard workers dial in (`peermarket worker --coordinator
 * host:port`) and wait for assignments; `solveDistributed` lends them shards of a market.
 */
export class ShardCoordinator {
  readonly address: string;
  readonly port: number;
  readonly tls: boolean;
  private readonly links = new Set<WorkerLink>();
  private readonly waiters = new Set<() => void>();
  private nextId = 1;
  private closed = false;

  private constructor(
    private readonly server: grpc.Server,
    address: string,
    port: number,
    tls: boolean,
  ) {
    this.address = address;
    this.port = port;
    this.tls = tls;
  }

  /** Starts the ShardService on `host:port`. @throws TlsConfigError for unusable TLS files. */
  static async start(options: ShardCoordinatorOptions = {}): Promise<ShardCoordinator> {
    const host = options.host ?? "127.0.0.1";
    const max = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
    const { credentials, tls } = serverCredentials(options);
    const server = new grpc.Server({ "grpc.max_receive_message_length": max, "grpc.max_send_message_length": max });
    let self: ShardCoordinator | null = null;
    const pending: grpc.ServerDuplexStream<ShardWorkerMessage, ShardCommand>[] = [];
    const handlers: ShardServiceHandlers = {
      Serve: (call) => {
        const problem = tokenProblem(call.metadata, options.tokens);
        if (problem !== null) {
          endWithStatus(call as grpc.ServerDuplexStream<unknown, unknown>, grpc.status.UNAUTHENTICATED, problem);
          return;
        }
        if (self) self.accept(call, options.onEvent);
        else pending.push(call);
      },
    };
    server.addService(shardClientConstructor().service, handlers);
    const port = await bind(server, formatAddress(host, options.port ?? 0), credentials);
    const coordinator = new ShardCoordinator(server, formatAddress(host, port), port, tls);
    self = coordinator;
    for (const call of pending) coordinator.accept(call, options.onEvent);
    return coordinator;
  }

  private accept(
    call: grpc.ServerDuplexStream<ShardWorkerMessage, ShardCommand>,
    onEvent: ShardCoordinatorOptions["onEvent"],
  ): void {
    if (this.closed) {
      endWithStatus(
        call as grpc.ServerDuplexStream<unknown, unknown>,
        grpc.status.UNAVAILABLE,
        "the coordinator is shutting down",
      );
      return;
    }
    new WorkerLink(
      this.nextId++,
      call,
      (l) => {
        this.links.add(l);
        onEvent?.("worker-connected", { worker: l.label });
        for (const w of [...this.waiters]) w();
      },
      (l) => {
        if (this.links.delete(l)) onEvent?.("worker-gone", { worker: l.label });
      },
    );
  }

  /** Connected workers not serving a solve. */
  idle(): WorkerLink[] {
    return [...this.links].filter((l) => l.connected && !l.busy);
  }

  /** Resolves when `n` idle workers are connected; rejects after `timeoutMs`. */
  waitForWorkers(n: number, timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (this.idle().length < n) return;
        this.waiters.delete(check);
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(
          new Error(
            `${this.idle().length} of ${n} shard workers connected to ${this.address} within ${timeoutMs / 1000} s`,
          ),
        );
      }, timeoutMs);
      this.waiters.add(check);
      check();
    });
  }

  /** Takes `n` idle workers for a solve (give them back with `giveBack`). @throws Error when fewer are connected. */
  borrow(n: number): WorkerLink[] {
    const idle = this.idle();
    if (idle.length < n)
      throw new Error(`the solve needs ${n} remote shard workers, ${idle.length} are connected and idle`);
    const taken = idle.slice(0, n);
    for (const l of taken) l.busy = true;
    return taken;
  }

  /** Returns workers after a solve. */
  giveBack(links: WorkerLink[]): void {
    for (const l of links) l.busy = false;
  }

  /** Ends every worker's stream normally (they exit with success) and stops the server. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const l of [...this.links]) l.finish();
    await shutdown(this.server);
  }
}
