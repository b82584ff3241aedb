import * as grpc from "@grpc/grpc-js";
import type { CoordinatorMessage, PeerAgent, PeerMessage, Proposal } from "@peermarket/model";
import { endWithStatus } from "./server-support.js";

/** The coordinator's end of one peer's Join stream (one agent, or a portfolio). */
export class PeerLink {
  readonly id: number;
  readonly peer: string;
  /** The agents it registered (empty until then), and its software name. */
  agents: PeerAgent[] = [];
  client = "";
  /** Why it left (a closed stream, or its own fault message); "" while connected. */
  whyGone = "";
  /** The newest proposal received, of any round. */
  latest: Proposal | null = null;
  private waiting: { epoch: number; round: number; resolve: (p: Proposal | null) => void } | null = null;

  constructor(
    id: number,
    private readonly call: grpc.ServerDuplexStream<PeerMessage, CoordinatorMessage>,
    private readonly onRegistration: (link: PeerLink) => void,
    private readonly onGone: (link: PeerLink) => void,
  ) {
    this.id = id;
    this.peer = call.getPeer();
    call.on("data", (m: PeerMessage) => this.receive(m));
    call.on("end", () => this.lost("disconnected: the peer closed its stream"));
    call.on("error", (e: Error) => this.lost(`disconnected: ${e.message}`));
    call.on("cancelled", () => this.lost("disconnected"));
    call.on("close", () => this.lost("disconnected"));
  }

  get connected(): boolean {
    return this.whyGone === "";
  }

  /** The ids of its agents. */
  get agentIds(): string[] {
    return this.agents.map((a) => a.id);
  }

  private receive(m: PeerMessage): void {
    if (m.registration) {
      if (this.agents.length > 0) {
        this.close(grpc.status.FAILED_PRECONDITION, "a peer registers once, with its first message");
        return;
      }
      this.agents = m.registration.agents;
      this.client = m.registration.client;
      this.onRegistration(this);
    } else if (m.proposal) {
      const p = m.proposal;
      const l = this.latest;
      if (!l || p.epoch > l.epoch || (p.epoch === l.epoch && p.round > l.round)) this.latest = p;
      const w = this.waiting;
      if (w && p.epoch === w.epoch && p.round === w.round) {
        this.waiting = null;
        w.resolve(p);
      }
    } else if (m.fault) {
      this.lost(`the peer gave up: ${m.fault.message}`);
      this.call.end();
    }
  }

  private lost(reason: string): void {
    if (this.whyGone !== "") return;
    this.whyGone = reason;
    const w = this.waiting;
    this.waiting = null;
    w?.resolve(null);
    this.onGone(this);
  }

  /** The proposal of a round: resolves when it arrives, or with null when the peer is gone. */
  proposal(epoch: number, round: number): Promise<Proposal | null> {
    if (this.latest && this.latest.epoch === epoch && this.latest.round === round) return Promise.resolve(this.latest);
    if (!this.connected) return Promise.resolve(null);
    return new Promise((resolve) => {
      this.waiting?.resolve(null);
      this.waiting = { epoch, round, resolve };
    });
  }

  /** Stops waiting for the current round (its deadline passed). */
  stopWaiting(): void {
    const w = this.waiting;
    this.waiting = null;
    w?.resolve(null);
  }

  send(m: CoordinatorMessage): void {
    if (this.connected) this.call.write(m);
  }

  /** Ends the peer's stream with an error status (it was refused or dropped). */
  close(code: grpc.status, details: string): void {
    if (!this.connected) return;
    endWithStatus(this.call as grpc.ServerDuplexStream<unknown, unknown>, code, details);
    this.lost(details);
  }

  /** Ends the stream normally, after the settlement. */
  finish(): void {
    if (!this.connected) return;
    this.call.end();
    this.lost("finished");
  }
}
