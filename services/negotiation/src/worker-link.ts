import type * as grpc from "@grpc/grpc-js";
import type { ShardCommand, ShardPhaseResult, ShardWorkerMessage } from "@peermarket/model";
import { endWithStatus } from "./server-support.js";

/** The coordinator's end of one shard worker's Serve stream. */
export class WorkerLink {
  readonly id: number;
  /** Its name (from its hello), and the peer address. */
  name = "";
  readonly peer: string;
  /** Assigned to a running solve. */
  busy = false;
  private alive = true;
  private whyGone = "";
  private waiting: {
    solveId: string;
    seq: number;
    resolve: (r: ShardPhaseResult) => void;
    reject: (e: Error) => void;
  } | null = null;
  private readonly ready: (link: WorkerLink) => void;
  private readonly gone: (link: WorkerLink) => void;

  /** `onReady` is called when the worker has said hello, `onGone` when its stream is over. */
  constructor(
    id: number,
    private readonly call: grpc.ServerDuplexStream<ShardWorkerMessage, ShardCommand>,
    onReady: (link: WorkerLink) => void,
    onGone: (link: WorkerLink) => void,
  ) {
    this.id = id;
    this.peer = call.getPeer();
    this.ready = onReady;
    this.gone = onGone;
    call.on("data", (m: ShardWorkerMessage) => this.receive(m));
    call.on("end", () => this.lost("disconnected: the worker closed its stream"));
    call.on("error", (e: Error) => this.lost(`disconnected: ${e.message}`));
    call.on("cancelled", () => this.lost("disconnected"));
    call.on("close", () => this.lost("disconnected"));
  }

  /** Whether the stream is still open. */
  get connected(): boolean {
    return this.alive;
  }

  /** A name for messages: the worker's own, or its peer address. */
  get label(): string {
    return this.name ? `${this.name} (${this.peer})` : this.peer;
  }

  private receive(m: ShardWorkerMessage): void {
    if (m.hello) {
      if (this.name !== "") return;
      this.name = m.hello.name || `worker ${this.id}`;
      this.ready(this);
    } else if (m.result) {
      const w = this.waiting;
      if (w && m.result.solveId === w.solveId && m.result.sequence === w.seq) {
        this.waiting = null;
        w.resolve(m.result);
      }
    }
  }

  private lost(reason: string): void {
    if (!this.alive) return;
    this.alive = false;
    this.whyGone = reason;
    const w = this.waiting;
    this.waiting = null;
    w?.reject(new Error(reason));
    this.gone(this);
  }

  /** Sends a command; false when the stream is gone. */
  send(cmd: ShardCommand): boolean {
    if (!this.alive) return false;
    this.call.write(cmd);
    return true;
  }

  /** The result of phase `seq` of `solveId`: resolves when it arrives, rejects when the worker is lost. */
  result(solveId: string, seq: number): Promise<ShardPhaseResult> {
    if (!this.alive) return Promise.reject(new Error(this.whyGone || "disconnected"));
    return new Promise((resolve, reject) => {
      this.waiting?.reject(new Error(`phase ${this.waiting.seq} was never answered`));
      this.waiting = { solveId, seq, resolve, reject };
    });
  }

  /** Ends the worker's stream with `code` (it stops), e.g. after a timeout. */
  close(code: grpc.status, details: string): void {
    if (!this.alive) return;
    endWithStatus(this.call as grpc.ServerDuplexStream<unknown, unknown>, code, details);
    this.lost(details);
  }

  /** Ends the stream normally: the worker exits with success. */
  finish(): void {
    if (!this.alive) return;
    this.call.end();
    this.lost("finished");
  }
}
