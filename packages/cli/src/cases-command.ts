import { parseArgs } from "node:util";
import { bundledCaseInfo, bundledCaseNames } from "@peermarket/model";
import { EXIT, UsageError } from "./errors.js";
import { table } from "./format.js";

export const CASES_USAGE = `Usage: peermarket cases [--json]

Lists the bundled MATPOWER cases: what each holds and what it is for. A case's in-service
generators are the agents of its market (a generator with a negative PMIN is a buyer); its bus
loads (Pd) are not agents, so a grid case alone has sellers and nobody to sell to: use it as the
network of a JSON scenario (--network CASE), or turn its loads into buyers with
--loads-as-buyers VOLL (or linear:B:A) on solve, charges, export and coordinator.

  --json    the same as a JSON array
`;

/** `peermarket cases`. */
export function casesCommand(argv: string[]): number {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { json: { type: "boolean" }, help: { type: "boolean", short: "h" } },
      strict: true,
    }));
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  if (values.help) {
    process.stdout.write(CASES_USAGE);
    return EXIT.ok;
  }
  const infos = bundledCaseNames().map(bundledCaseInfo);
  if (values.json) {
    process.stdout.write(JSON.stringify(infos, null, 2) + "\n");
    return EXIT.ok;
  }
  process.stdout.write(
    table(
      ["case", "buses", "branches", "agents (gens)", "sellers", "buyers", "loads", "load MW"],
      infos.map((c) => [c.name, c.buses, c.branches, c.gens, c.sellers, c.buyers, c.loads, c.loadMw.toFixed(1)]),
    ) +
      "\n" +
      infos.map((c) => `${c.name.padEnd(12)} ${c.purpose}`).join("\n") +
      "\n\nAgents are the in-service generators (sellers: PMAX > 0, buyers: PMIN < 0). Loads are bus demands, not agents:\n" +
      "add --loads-as-buyers VOLL (or linear:B:A) to make them buyers (peermarket solve --help).\n",
  );
  return EXIT.ok;
}
