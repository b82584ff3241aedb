import { parseArgs } from "node:util";
import type { ServiceError } from "@grpc/grpc-js";
import { toProtoJson } from "@peermarket/model";
import { loadAgentFiles, portfolioIssues } from "./agent-files.js";
import {
  clientSecurity,
  clientSecurityOptions,
  coordinatorAddress,
  EXIT,
  guarded,
  numberFlag,
  UsageError,
} from "./command-support.js";
import { runPeer } from "./peer-client.js";
import { PeerPortfolio } from "./peer-portfolio.js";
import { settlementTable } from "./settlement-table.js";

/** Usage of `peermarket agent`. */
export const AGENT_USAGE = `Usage: peermarket agent --coordinator HOST:PORT --agent FILE [--agent FILE ...] [options]

Takes part in a negotiation as one or more peer agents (an aggregator's portfolio): registers their
ids, buses, bounds, locations and attributes — never their costs or preferences — and answers every
round with their exact local solves. Prints the settlement (its agents' trades, prices and bills).

An agent file is the proto3 JSON of one peermarket.v1.Agent, or of a Market holding only "agents"
and their "preferences".

Options:
  --coordinator HOST:PORT   the coordinator's NegotiationService
  --agent FILE              an agent file (repeat for several)
  --json                    print the settlement (a Solution, proto3 JSON) and nothing else
  --connect-timeout-s S     wait this long for the coordinator (default 30)
  --tls                     use TLS, trusting the system's CAs; --tls-ca FILE trusts FILE instead
  --tls-cert F --tls-key F  a client certificate, for a coordinator that requires one
  --tls-server-name NAME    check the coordinator's certificate against NAME
  --token-file FILE         send the first token of FILE as "authorization: Bearer" (or PEERMARKET_TOKEN)
  --inject-delay-ms N       fault drill: answer every round N ms late
  --inject-silence-after N  fault drill: stop answering after N rounds (stay connected)
`;

/** `peermarket agent` (AGENT_USAGE); resolves with the exit code. */
export function agentCommand(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  return guarded("agent", async () => {
    const { values: v } = parseArgs({
      args: argv,
      options: {
        coordinator: { type: "string" },
        agent: { type: "string", multiple: true },
        json: { type: "boolean" },
        "connect-timeout-s": { type: "string" },
        "inject-delay-ms": { type: "string" },
        "inject-silence-after": { type: "string" },
        help: { type: "boolean", short: "h" },
        ...clientSecurityOptions,
      },
      strict: true,
    });
    if (v.help) {
      process.stdout.write(AGENT_USAGE);
      return EXIT.ok;
    }
    const coordinator = coordinatorAddress(v.coordinator);
    const files = v.agent ?? [];
    if (files.length === 0) throw new UsageError("missing --agent FILE");
    const own = loadAgentFiles(files);
    const issues = portfolioIssues(own);
    if (issues.length > 0)
      throw new UsageError(
        `${files.join(", ")}: ${issues[0]}${issues.length > 1 ? ` (and ${issues.length - 1} more)` : ""}`,
      );
    const portfolio = new PeerPortfolio(own.agents, own.preferences);
    const json = v.json === true;
    const ids = own.agents.map((a) => a.id).join(", ");
    if (!json) process.stderr.write(`peermarket agent: ${ids} joining ${coordinator}\n`);
    const peer = runPeer({
      coordinator,
      portfolio,
      security: clientSecurity(v, env),
      connectTimeoutMs: 1000 * (numberFlag("connect-timeout-s", v["connect-timeout-s"], { min: 0 }) ?? 30),
      injectDelayMs: numberFlag("inject-delay-ms", v["inject-delay-ms"], { min: 0 }),
      injectSilenceAfterRounds: numberFlag("inject-silence-after", v["inject-silence-after"], {
        integer: true,
        min: 0,
      }),
      onWelcome: (w) => {
        if (!json)
          process.stderr.write(
            `peermarket agent: epoch ${w.epoch} of market ${JSON.stringify(w.marketName)}: ${w.agents.map((a) => `${a.agentId} ${a.trades.length} trades`).join(", ")}\n`,
          );
      },
    });
    const stop = (): void => peer.stop();
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
    try {
      const outcome = await peer.done;
      if (json) process.stdout.write(JSON.stringify(toProtoJson("Solution", outcome.solution)) + "\n");
      else process.stdout.write(settlementTable(outcome));
      return outcome.solution.status === "SOLVE_STATUS_SOLVED" ? EXIT.ok : EXIT.notSolved;
    } catch (err) {
      const e = err as Partial<ServiceError> & Error;
      process.stderr.write(`peermarket agent: ${e.details ?? e.message}\n`);
      return EXIT.internal;
    } finally {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
    }
  });
}
