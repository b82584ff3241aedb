import { readFileSync } from "node:fs";
import { bundledCaseNames } from "@peermarket/model";
import { chargesCommand } from "./charges-command.js";
import { EXIT, inputError } from "./errors.js";
import { solveCommand } from "./solve-command.js";

export const USAGE = `Usage: peermarket <command> [options]

Peer-to-peer electricity markets: multi-bilateral economic dispatch by consensus ADMM.

Commands:
  solve <scenario>     clear a market: dispatch, trades and prices (--json for proto3 JSON)
  charges <scenario>   the DSO report: network charges and line loadings; --sweep for a fee sweep
  serve                run the gRPC service (MarketService, health, reflection, SQLite store)
  demo                 start the service, solve case39b_31a through gRPC, print the results, stop
  bench [suites]       run the benchmarks (quick by default; --full)
  coordinator <scenario>
                       host a negotiation (--negotiate) or spread a market over remote workers (--workers-remote N)
  agent                take part in a negotiation as peer agents that keep their costs (--coordinator, --agent FILE)
  worker               serve shards of large markets to a coordinator (--coordinator HOST:PORT)
  cases                list the bundled cases

A scenario is a proto3 JSON file of peermarket.v1.Market, a MATPOWER case (.m), or a bundled case name.
Run \`peermarket <command> --help\` for the options of a command.
`;

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string };
  return pkg.version;
}

/** The `peermarket` command; resolves with the exit code. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case "solve":
        return await solveCommand(rest);
      case "charges":
        return await chargesCommand(rest);
      case "serve": {
        const { serveCommand } = await import("@peermarket/solver");
        return await serveCommand(rest);
      }
      case "demo": {
        const { demo } = await import("@peermarket/solver");
        await demo();
        return EXIT.ok;
      }
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
        process.stdout.write(bundledCaseNames().join("\n") + "\n");
        return EXIT.ok;
      case "--version":
      case "-v":
        process.stdout.write(version() + "\n");
        return EXIT.ok;
      case undefined:
      case "help":
      case "--help":
      case "-h":
        process.stdout.write(USAGE);
        return command === undefined ? EXIT.badInput : EXIT.ok;
      default:
        process.stderr.write(`peermarket: unknown command "${command}"\n\n${USAGE}`);
        return EXIT.badInput;
    }
  } catch (err) {
    const message = inputError(err);
    if (message === null) throw err;
    process.stderr.write(`peermarket ${command}: ${message.split("\n")[0]}\n`);
    return EXIT.badInput;
  }
}
