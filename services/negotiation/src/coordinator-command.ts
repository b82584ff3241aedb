import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { scenarioFlagOptions, type Solution, toProtoJson } from "@peermarket/model";
import {
  EXIT,
  guarded,
  numberFlag,
  readScenario,
  serverSecurity,
  serverSecurityOptions,
  settingsOf,
  settingsOptions,
  UsageError,
} from "./command-support.js";
import { solveDistributed } from "./distributed-solve.js";
import { NegotiationCoordinator } from "./negotiation-coordinator.js";
import { isLoopback } from "./server-support.js";
import { ShardCoordinator } from "./shard-coordinator.js";
import { splitScenario } from "./split-scenario.js";

/** Default port of a coordinator (the MarketService uses 50051). */
export const DEFAULT_COORDINATOR_PORT = 50061;

/** Usage of `peermarket coordinator`. */
export const COORDINATOR_USAGE = `Usage: peermarket coordinator <scenario> (--workers-remote N | --negotiate | --split DIR) [options]

--workers-remote N   clear the scenario on this machine's threads and N remote shard workers
                     (peermarket worker --coordinator HOST:PORT); bit-identical to peermarket solve
--negotiate          clear a market of peer agents that keep their costs (peermarket agent): the
                     scenario names the agents, graph, grid, network and charges, with no costs,
                     bounds or preferences
--split DIR          write DIR/market.json (the coordinator's part of a full scenario) and
                     DIR/agents/<id>.json (each agent's part), then exit

Options:
  --host H                 bind address (default 127.0.0.1: this machine only)
  --port N                 port (default ${DEFAULT_COORDINATOR_PORT}; 0: any free port, printed)
  --json                   print the Solution (proto3 JSON) and nothing else on stdout
  --out FILE               also write the Solution (proto3 JSON) to FILE
  --rho, --eps-abs, --eps-rel, --max-iter, --time-limit, --alpha, --adaptive-rho, --check-termination
                           solver settings, as for peermarket solve (a negotiation starts at ρ = 1 unless --rho)
  --loads-as-buyers VOLL|linear:B:A
                           make the network's bus loads buyer agents, as for peermarket solve
  --tls-cert F --tls-key F serve TLS; with --tls-ca F, require client certificates signed by F
  --token-file FILE        accept only callers sending one of FILE's tokens (one per line) as a bearer token
 remote shards:
  --local-threads K        threads of this machine's own shards (default 1; 0: all agents remote)
  --wait-s S               wait this long for the workers to connect (default 300)
  --phase-timeout-ms N     take a shard back when its worker has not answered a phase within N ms (default 10000)
 negotiation:
  --join-timeout-s S       start without the agents that have not joined after S seconds (default 300)
  --round-timeout-ms N     a round waits N ms for the proposals (default 10000)
  --max-missed-rounds N    reuse a silent agent's last proposal for up to N rounds in a row, then drop it (default 5)
`;

function summary(s: Solution, extra: string[]): string {
  const lines = [
    `status ${s.status.replace("SOLVE_STATUS_", "")} after ${s.iterations} iterations, ${s.solveTimeS.toFixed(3)} s (${((1000 * s.solveTimeS) / Math.max(1, s.iterations)).toFixed(3)} ms per iteration)`,
    `residuals primal ${s.primalResidual.toExponential(2)}, dual ${s.dualResidual.toExponential(2)}; ${s.agents.length} agents, ${s.pairCount} pairs, ${s.trades.filter((t) => t.power > 0).length} trades carrying power`,
    Number.isFinite(s.objective)
      ? `objective ${s.objective}`
      : "objective unknown to the coordinator (the agents keep their costs)",
  ];
  if (s.statusMessage) lines.push(s.statusMessage);
  return [...lines, ...extra].join("\n") + "\n";
}

/** `peermarket coordinator` (COORDINATOR_USAGE); resolves with the exit code. */
export function coordinatorCommand(argv: string[]): Promise<number> {
  return guarded("coordinator", async () => {
    const { values: v, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        "workers-remote": { type: "string" },
        negotiate: { type: "boolean" },
        split: { type: "string" },
        host: { type: "string" },
        port: { type: "string" },
        json: { type: "boolean" },
        out: { type: "string" },
        "local-threads": { type: "string" },
        "wait-s": { type: "string" },
        "phase-timeout-ms": { type: "string" },
        "join-timeout-s": { type: "string" },
        "round-timeout-ms": { type: "string" },
        "max-missed-rounds": { type: "string" },
        help: { type: "boolean", short: "h" },
        ...serverSecurityOptions,
        ...settingsOptions,
        ...scenarioFlagOptions,
      },
      strict: true,
    });
    if (v.help) {
      process.stdout.write(COORDINATOR_USAGE);
      return EXIT.ok;
    }
    if (positionals.length > 1)
      throw new UsageError(`one scenario expected, got ${positionals.length}: ${positionals.join(" ")}`);
    const modes = [v["workers-remote"] !== undefined, v.negotiate === true, v.split !== undefined].filter(
      Boolean,
    ).length;
    if (modes !== 1) throw new UsageError("give exactly one of --workers-remote N, --negotiate, --split DIR");
    // Every flag is checked whatever the mode: `--split` with a bad setting is a usage error too.
    const settings = settingsOf(v);
    const market = readScenario(positionals[0], v);
    if (v.split !== undefined) {
      const written = splitScenario(market, v.split);
      process.stdout.write(
        `wrote ${written.market} and ${written.agents.length} agent files under ${v.split}/agents\n`,
      );
      return EXIT.ok;
    }
    const host = v.host ?? "127.0.0.1";
    const port = numberFlag("port", v.port, { integer: true, min: 0 }) ?? DEFAULT_COORDINATOR_PORT;
    const security = serverSecurity(v);
    const json = v.json === true;
    const say = (line: string): void => {
      process.stderr.write(`peermarket coordinator: ${line}\n`);
    };
    if (!isLoopback(host)) {
      if (!security.tlsCert)
        say(
          `warning: listening on ${host} without --tls-cert/--tls-key: ${v.negotiate ? "terms, targets and trades" : "shard data, costs included,"} travel in clear`,
        );
      if (!security.tokens)
        say(`warning: listening on ${host} without --token-file: anyone who reaches the port may join`);
    }
    let solution: Solution;
    let extra: string[] = [];
    if (v["workers-remote"] !== undefined) {
      const remote = numberFlag("workers-remote", v["workers-remote"], { integer: true, min: 0 })!;
      const localThreads = numberFlag("local-threads", v["local-threads"], { integer: true, min: 0 }) ?? 1;
      if (remote + localThreads === 0) throw new UsageError("--workers-remote 0 needs --local-threads ≥ 1");
      const coordinator = await ShardCoordinator.start({
        host,
        port,
        ...security,
        onEvent: (e, f) => say(`${e} ${String(f.worker)}`),
      });
      try {
        say(
          `waiting for ${remote} shard worker${remote === 1 ? "" : "s"} on ${coordinator.address} (peermarket worker --coordinator ${coordinator.address})`,
        );
        await coordinator.waitForWorkers(remote, 1000 * (numberFlag("wait-s", v["wait-s"], { min: 0 }) ?? 300));
        const out = await solveDistributed(coordinator, market, {
          remoteWorkers: remote,
          localThreads,
          settings,
          phaseTimeoutMs: numberFlag("phase-timeout-ms", v["phase-timeout-ms"], { min: 1 }),
        });
        solution = out.solution;
        extra = out.placements.map(
          (p) => `shard ${p.shard}: agents ${p.agentBegin}–${p.agentEnd - 1}, ${p.trades} trades on ${p.where}`,
        );
      } finally {
        await coordinator.close();
      }
    } else {
      const coordinator = await NegotiationCoordinator.start({
        host,
        port,
        ...security,
        onEvent: (e, f) =>
          say(`${e} ${(f.agents as string[] | undefined)?.join(",") ?? ""}${f.reason ? ` (${String(f.reason)})` : ""}`),
      });
      try {
        say(
          `negotiating ${JSON.stringify(market.name)} with ${market.agents.length} agents on ${coordinator.address} (peermarket agent --coordinator ${coordinator.address} --agent FILE)`,
        );
        const out = await coordinator.negotiate(market, {
          settings,
          joinTimeoutMs: 1000 * (numberFlag("join-timeout-s", v["join-timeout-s"], { min: 0 }) ?? 300),
          roundTimeoutMs: numberFlag("round-timeout-ms", v["round-timeout-ms"], { min: 1 }),
          maxMissedRounds: numberFlag("max-missed-rounds", v["max-missed-rounds"], { integer: true, min: 0 }),
          onProgress: (p) =>
            say(
              `epoch ${p.epoch} round ${p.iteration}: primal ${p.primalResidual.toExponential(2)}, dual ${p.dualResidual.toExponential(2)}`,
            ),
          progressInterval: 25,
        });
        solution = out.solution;
        extra = [
          `${out.epochs} epoch${out.epochs === 1 ? "" : "s"}, ${out.rounds} rounds, ${out.staleRounds} with a reused proposal`,
        ];
      } finally {
        await coordinator.close();
      }
    }
    const doc = JSON.stringify(toProtoJson("Solution", solution, { emitDefaults: true }));
    if (v.out !== undefined) writeFileSync(v.out, doc + "\n");
    process.stdout.write(json ? doc + "\n" : summary(solution, extra));
    return solution.status === "SOLVE_STATUS_SOLVED" ? EXIT.ok : EXIT.notSolved;
  });
}
