#!/usr/bin/env node

/**
 * `node dist/main.js agent|worker|coordinator ...`: the package's three commands without the rest
 * of the `peermarket` command line (what `peermarket agent|worker|coordinator` runs), e.g. for
 * hosts that only run agents or workers.
 */
const [command, ...rest] = process.argv.slice(2);
const commands: Record<string, () => Promise<(argv: string[]) => Promise<number>>> = {
  agent: async () => (await import("./agent-command.js")).agentCommand,
  worker: async () => (await import("./worker-command.js")).workerCommand,
  coordinator: async () => (await import("./coordinator-command.js")).coordinatorCommand,
};
const load = command === undefined ? undefined : commands[command];
if (!load) {
  process.stderr.write(`usage: main.js agent|worker|coordinator [options] (--help for each)\n`);
  process.exitCode = 2;
} else {
  load()
    .then((run) => run(rest))
    .then(
      (code) => {
        process.exitCode = code;
      },
      (err: unknown) => {
        process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
        process.exitCode = 1;
      },
    );
}
