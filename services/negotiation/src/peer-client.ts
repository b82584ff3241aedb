import * as grpc from "@grpc/grpc-js";
import type { Solution } from "@peermarket/model";
import type { CoordinatorMessage, DroppedAgent, PeerMessage, Round, Welcome } from "@peermarket/model";
import type { PeerPortfolio } from "./peer-portfolio.js";
import { channelOptions, DEFAULT_MAX_MESSAGE_BYTES, negotiationClientConstructor } from "./proto.js";
import { type ClientSecurity, clientCredentials, tokenMetadata } from "./security.js";

/** Options of a peer (one agent or a portfolio) taking part in a negotiation. */
export interface PeerOptions {
  /** host:port of the coordinator's NegotiationService. */
  coordinator: string;
  portfolio: PeerPortfolio;
  security?: ClientSecurity;
  /** How long to wait for the coordinator to accept the connection (default 30 000 ms). */
  connectTimeoutMs?: number;
  maxMessageBytes?: number;
  /** Name of the peer software, for the coordinator's logs. */
  client?: string;
  /** Fault drills: wait this many ms before answering each round; stop answering (but stay connected) after this many rounds. */
  injectDelayMs?: number;
  injectSilenceAfterRounds?: number;
  onWelcome?: (w: Welcome) => void;
  onRound?: (r: Round) => void;
}

/** How a peer's negotiation ended. */
export interface PeerOutcome {
  /** The settlement: the Solution restricted to the peer's agents and trades, with their private figures filled in here. */
  solution: Solution;
  dropped: DroppedAgent[];
  rounds: number;
  epochs: number;
}

/**
 * Takes part in a negotiation: registers the portfolio's public data, answers every round with
 * the exact local solves of its agents, and resolves with the settlement. Rejects with the gRPC
 * error when the coordinator refuses or drops the peer, or with the reason the peer gave up (its
 * problem is not convex, a round does not fit its terms).
 */
export function runPeer(options: PeerOptions): { done: Promise<PeerOutcome>; stop(): void } {
  const max = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
  const { credentials, options: tlsOptions } = clientCredentials(options.security ?? {});
  const Client = negotiationClientConstructor();
  const client = new Client(options.coordinator, credentials, { ...channelOptions(max), ...tlsOptions });
  const portfolio = options.portfolio;
  let call: grpc.ClientDuplexStream<PeerMessage, CoordinatorMessage> | null = null;
  let stopped = false;
  const done = new Promise<PeerOutcome>((resolve, reject) => {
    client.waitForReady(Date.now() + (options.connectTimeoutMs ?? 30_000), (err) => {
      if (err || stopped) {
        client.close();
        reject(
          new Error(
            stopped
              ? "stopped before joining"
              : `cannot reach the coordinator at ${options.coordinator}: ${err!.message}`,
          ),
        );
        return;
      }
      const stream = client.Join(tokenMetadata(options.security?.token));
      call = stream;
      let rounds = 0;
      let epochs = 0;
      let settled: PeerOutcome | null = null;
      let failure: Error | null = null;
      const giveUp = (e: Error): void => {
        failure = e;
        stream.write({ fault: { message: e.message } });
        stream.end();
      };
      stream.on("data", (m: CoordinatorMessage) => {
        if (failure) return;
        try {
          if (m.welcome) {
            portfolio.welcome(m.welcome);
            epochs++;
            options.onWelcome?.(m.welcome);
          } else if (m.round) {
            const r = m.round;
            options.onRound?.(r);
            if (options.injectSilenceAfterRounds !== undefined && rounds >= options.injectSilenceAfterRounds) return;
            const proposal = portfolio.answer(r);
            rounds++;
            if (options.injectDelayMs) setTimeout(() => stream.write({ proposal }), options.injectDelayMs);
            else stream.write({ proposal });
          } else if (m.settlement) {
            const s = m.settlement;
            if (!s.solution) throw new Error("the coordinator's settlement holds no solution");
            settled = {
              solution: { ...s.solution, agents: portfolio.privateResults(s.solution) },
              dropped: s.dropped,
              rounds,
              epochs,
            };
          }
        } catch (e) {
          giveUp(e as Error);
        }
      });
      stream.on("error", (e: grpc.ServiceError) => {
        client.close();
        reject(failure ?? e);
      });
      stream.on("status", (s: grpc.StatusObject) => {
        if (s.code !== grpc.status.OK) return;
        client.close();
        if (settled) resolve(settled);
        else reject(failure ?? new Error("the coordinator ended the negotiation without a settlement"));
      });
      stream.write({ registration: { agents: portfolio.profiles(), client: options.client ?? "peermarket-agent" } });
    });
  });
  return {
    done,
    stop() {
      stopped = true;
      call?.cancel();
    },
  };
}
