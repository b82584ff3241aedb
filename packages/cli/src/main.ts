import { readFileSync } from "node:fs";

// Each command's modules are imported when the command runs, so that `solve` does not load the
// gRPC client, the charts, HiGHS or the negotiation code it does not use, and `--help` loads
// nothing but this module. Even the exit codes and error classes (errors.js: the model and the
// engine) are imported only when a command needs them.

/** Commands that never start the engine's shard threads: no team to close after them. */
const WITHOUT_ENGINE = new Set([
  undefined,
  "help",
  "--help",
  "-h",
  "--version",
  "-v",
  "cases",
  "export",
  "python-client",
]);

export const USAGE = `Usage: peermarket <command> [options]

Peer-to-peer electricity markets: multi-bilateral economic dispatch by consensus ADMM.

Commands:
  solve <scenario>     clear a market: dispatch, trades and prices (--json for proto3 JSON)
  charges <scenario>   the DSO report: network charges and line loadings; --sweep for a fee sweep
  compare <scenario>   community pricing rules side by side: bills, savings, who would leave, the core
  serve                run the gRPC service (MarketService, health, reflection, SQLite store)
  demo                 start the service, solve case39b_31a through gRPC, print the results, stop
  bench [suites]       run the benchmarks (quick by default; --full)
  coordinator <scenario>
                       host a negotiation (--negotiate) or spread a market over remote workers (--workers-remote N)
  agent                take part in a negotiation as peer agents that keep their costs (--coordinator, --agent FILE)
  worker               serve shards of large markets to a coordinator (--coordinator HOST:PORT)
  cases                the bundled MATPOWER cases: what each holds and what it is for
  export <scenario>    write a scenario or bundled case as scenario JSON (proto3 JSON of Market)
  python-client DIR    write a ready Python client of the service (python3-grpcio and python3-protobuf, no protoc)

A scenario is a proto3 JSON file of peermarket.v1.Market, a MATPOWER case (.m), or a bundled case name.
Run \`peermarket <command> --help\` for the options of a command.
`;

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string };
  return pkg.version;
}

/** The `peermarket` command; resolves with the exit code. */
export async function main(argv: string[]): Promise<number> {
  try {
    return await run(argv);
  } finally {
    // Resident shard threads (large solves) must not keep the process alive once the command is done.
    if (!WITHOUT_ENGINE.has(argv[0])) await (await import("@peermarket/admm")).closeShardTeam();
  }
}

async function run(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case "solve":
        return await (await import("./solve-command.js")).solveCommand(rest);
      case "charges":
        return await (await import("./charges-command.js")).chargesCommand(rest);
      case "compare":
        return await (await import("./compare-command.js")).compareCommand(rest);
      case "serve": {
        const { serveCommand } = await import("@peermarket/market-service");
        return await serveCommand(rest);
      }
      case "demo":
        return await (await import("./demo-command.js")).demoCommand(rest);
      case "bench": {
        const { benchCommand } = await import("@peermarket/benchmarks");
        return await benchCommand(rest);
      }
      case "coordinator": {
        const { coordinatorCommand } = await import("@peermarket/negotiation");
        return await coordinatorCommand(rest);
      }
      case "agent": {
        const { agentCommand } = await import("@peermarket/negotiation");
        return await agentCommand(rest);
      }
      case "worker": {
        const { workerCommand } = await import("@peermarket/negotiation");
        return await workerCommand(rest);
      }
      case "cases":
        return (await import("./cases-command.js")).casesCommand(rest);
      case "export":
        return (await import("./export-command.js")).exportCommand(rest);
      case "python-client":
        return await (await import("./python-client-command.js")).pythonClientCommand(rest);
      case "--version":
      case "-v":
        process.stdout.write(version() + "\n");
        return 0;
      case undefined:
      case "help":
      case "--help":
      case "-h":
        process.stdout.write(USAGE);
        return command === undefined ? (await import("./errors.js")).EXIT.badInput : 0;
      default:
        process.stderr.write(`peermarket: unknown command "${command}"\n\n${USAGE}`);
        return (await import("./errors.js")).EXIT.badInput;
    }
  } catch (err) {
    const { EXIT, grpcStatusName, inputError } = await import("./errors.js");
    const message = inputError(err);
    if (message === null) {
      // A service that failed or could not be reached (UNAVAILABLE, DEADLINE_EXCEEDED, INTERNAL…):
      // one line naming the gRPC status, exit 1. Anything else is a bug: surface it with its stack.
      const grpcErr = err as { code?: number; details?: string };
      if (typeof grpcErr?.code !== "number" || typeof grpcErr.details !== "string") throw err;
      process.stderr.write(
        `peermarket ${command}: the service answered ${grpcStatusName(grpcErr.code)}: ${grpcErr.details.split("\n")[0]}\n`,
      );
      return EXIT.internal;
    }
    process.stderr.write(`peermarket ${command}: ${message.split("\n")[0]}\n`);
    return EXIT.badInput;
  }
}
