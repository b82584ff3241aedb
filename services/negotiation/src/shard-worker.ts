import { hostname } from "node:os";
import * as grpc from "@grpc/grpc-js";
import type { ShardCommand, ShardWorkerMessage } from "@peermarket/model";
import { channelOptions, DEFAULT_MAX_MESSAGE_BYTES, shardClientConstructor } from "./proto.js";
import { type ClientSecurity, clientCredentials, tokenMetadata } from "./security.js";
import { ShardState } from "./shard-state.js";
import { assertLittleEndian } from "./wire.js";

/** Options of a remote shard worker. */
export interface ShardWorkerOptions {
  /** host:port of the coordinator's ShardService. */
  coordinator: string;
  security?: ClientSecurity;
  /** Name reported to the coordinator (default host:pid). */
  name?: string;
  /** How long to wait for the coordinator to accept the connection (default 30 000 ms). */
  connectTimeoutMs?: number;
  maxMessageBytes?: number;
  /** Fault drill: wait this many ms before answering each phase. */
  injectDelayMs?: number;
  /** Called after each phase (phase count so far). */
  onPhase?: (phases: number) => void;
}

/** How a worker's service ended. */
export interface ShardWorkerSummary {
  phases: number;
  solves: number;
}

/**
 * Serves shards to a coordinator until it ends the stream: resolves with what was done when the
 * coordinator finishes normally; rejects with the gRPC error otherwise (refused token, shard
 * taken back, coordinator gone).
 */
export function runShardWorker(options: ShardWorkerOptions): { done: Promise<ShardWorkerSummary>; stop(): void } {
  assertLittleEndian();
  const max = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
  const { credentials, options: tlsOptions } = clientCredentials(options.security ?? {});
  const Client = shardClientConstructor();
  const client = new Client(options.coordinator, credentials, { ...channelOptions(max), ...tlsOptions });
  let call: grpc.ClientDuplexStream<ShardWorkerMessage, ShardCommand> | null = null;
  let stopped = false;
  const done = new Promise<ShardWorkerSummary>((resolve, reject) => {
    const deadline = Date.now() + (options.connectTimeoutMs ?? 30_000);
    client.waitForReady(deadline, (err) => {
      if (err) {
        client.close();
        reject(new Error(`cannot reach the coordinator at ${options.coordinator}: ${err.message}`));
        return;
      }
      if (stopped) {
        client.close();
        resolve({ phases: 0, solves: 0 });
        return;
      }
      const shards = new Map<string, ShardState>();
      let phases = 0;
      let solves = 0;
      let chain = Promise.resolve();
      const stream = client.Serve(tokenMetadata(options.security?.token));
      call = stream;
      const handle = async (cmd: ShardCommand): Promise<void> => {
        if (cmd.assignment) {
          shards.set(cmd.assignment.solveId, new ShardState(cmd.assignment));
          solves++;
        } else if (cmd.phase) {
          const shard = shards.get(cmd.phase.solveId);
          if (!shard)
            throw new Error(
              `phase ${cmd.phase.sequence} of solve ${cmd.phase.solveId}, which was never assigned to this worker`,
            );
          const result = shard.runPhase(cmd.phase);
          phases++;
          if (options.injectDelayMs) await new Promise((r) => setTimeout(r, options.injectDelayMs));
          stream.write({ result });
          options.onPhase?.(phases);
        } else if (cmd.release) {
          shards.delete(cmd.release.solveId);
        }
      };
      stream.on("data", (cmd: ShardCommand) => {
        // In order, one at a time (a delayed answer must not be overtaken).
        chain = chain
          .then(() => handle(cmd))
          .catch((err: unknown) => {
            stream.cancel();
            reject(err);
          });
      });
      stream.on("error", (err: grpc.ServiceError) => {
        client.close();
        if (stopped && err.code === grpc.status.CANCELLED) resolve({ phases, solves });
        else reject(err);
      });
      stream.on("status", (status: grpc.StatusObject) => {
        if (status.code !== grpc.status.OK) return;
        client.close();
        resolve({ phases, solves });
      });
      stream.write({ hello: { name: options.name ?? `${hostname()}:${process.pid}` } });
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
