import { parseArgs } from "node:util";
import type { ServiceError } from "@grpc/grpc-js";
import {
  clientSecurity,
  clientSecurityOptions,
  coordinatorAddress,
  EXIT,
  guarded,
  numberFlag,
} from "./command-support.js";
import { runShardWorker } from "./shard-worker.js";

/** Usage of `peermarket worker`. */
export const WORKER_USAGE = `Usage: peermarket worker --coordinator HOST:PORT [options]

Serves shards of large markets to a coordinator (peermarket coordinator --workers-remote N): runs
the engine's per-iteration phase on the agents it is given, until the coordinator ends the stream.

Options:
  --coordinator HOST:PORT   the coordinator's ShardService
  --name NAME               name shown in the coordinator's reports (default host:pid)
  --connect-timeout-s S     wait this long for the coordinator (default 30)
  --tls, --tls-ca FILE, --tls-cert FILE, --tls-key FILE, --tls-server-name NAME, --token-file FILE
                            as for peermarket agent
  --inject-delay-ms N       fault drill: answer every phase N ms late
`;

/** `peermarket worker` (WORKER_USAGE); resolves with the exit code. */
export function workerCommand(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  return guarded("worker", async () => {
    const { values: v } = parseArgs({
      args: argv,
      options: {
        coordinator: { type: "string" },
        name: { type: "string" },
        "connect-timeout-s": { type: "string" },
        "inject-delay-ms": { type: "string" },
        help: { type: "boolean", short: "h" },
        ...clientSecurityOptions,
      },
      strict: true,
    });
    if (v.help) {
      process.stdout.write(WORKER_USAGE);
      return EXIT.ok;
    }
    const coordinator = coordinatorAddress(v.coordinator);
    const worker = runShardWorker({
      coordinator,
      name: v.name,
      security: clientSecurity(v, env),
      connectTimeoutMs: 1000 * (numberFlag("connect-timeout-s", v["connect-timeout-s"], { min: 0 }) ?? 30),
      injectDelayMs: numberFlag("inject-delay-ms", v["inject-delay-ms"], { min: 0 }),
    });
    process.stderr.write(`peermarket worker: serving shards to ${coordinator}\n`);
    const stop = (): void => worker.stop();
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
    try {
      const s = await worker.done;
      process.stderr.write(
        `peermarket worker: done, ${s.phases} phases of ${s.solves} solve${s.solves === 1 ? "" : "s"}\n`,
      );
      return EXIT.ok;
    } catch (err) {
      const e = err as Partial<ServiceError> & Error;
      process.stderr.write(`peermarket worker: ${e.details ?? e.message}\n`);
      return EXIT.internal;
    } finally {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
    }
  });
}
