import { AuthConfigError } from "./auth.js";
import { ConfigError, SERVE_USAGE, parseServeArgs } from "./config.js";
import { StoreOpenError } from "./store.js";
import { TlsConfigError } from "./tls.js";
import { startServer, type RunningServer } from "./server.js";
import { howToCall } from "./usage-hint.js";

/**
 * `peermarket serve [options]` (SERVE_USAGE): starts the service, prints how to call it, and runs until SIGTERM or SIGINT, then shuts down
 * gracefully (a second signal exits at once). Resolves with the process exit code.
 */
export async function serveCommand(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let parsed;
  try {
    parsed = parseServeArgs(argv, env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`${err.message}\n\n${SERVE_USAGE}`);
    return 2;
  }
  if (parsed.help) {
    process.stdout.write(SERVE_USAGE);
    return 0;
  }
  const { config } = parsed;
  let server: RunningServer;
  try {
    server = await startServer(config);
  } catch (err) {
    const configuration =
      err instanceof StoreOpenError || err instanceof AuthConfigError || err instanceof TlsConfigError;
    process.stderr.write(
      `peermarket serve: ${configuration ? "" : `cannot start on ${config.host}:${config.port}: `}${(err as Error).message}\n`,
    );
    return 1;
  }
  process.stdout.write(
    `peermarket service listening on ${server.address} (store ${server.store.path}, ${config.workers} workers, queue ${config.queue})\n` +
      `${howToCall(server.host, server.port)}\nStop with Ctrl-C or SIGTERM.\n`,
  );
  return new Promise<number>((resolve) => {
    let stopping = false;
    const onSignal = (signal: NodeJS.Signals): void => {
      if (stopping) {
        process.stderr.write(`peermarket serve: ${signal} again, exiting without waiting\n`);
        process.exit(130);
      }
      stopping = true;
      process.stderr.write(
        `peermarket serve: ${signal}, shutting down (running solves get ${config.shutdownGraceMs} ms)\n`,
      );
      server.close().then(
        () => {
          process.off("SIGINT", onSignal);
          process.off("SIGTERM", onSignal);
          resolve(0);
        },
        (err: unknown) => {
          process.stderr.write(`peermarket serve: shutdown failed: ${(err as Error).message}\n`);
          resolve(1);
        },
      );
    };
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
  });
}
