import { writeFileSync } from "node:fs";
import { marketToJson } from "@peermarket/model";
import { EXIT } from "./errors.js";
import { applyMarketFlags, marketOptions, parseScenarioCommand, readScenario } from "./scenario-options.js";

export const EXPORT_USAGE = `Usage: peermarket export <scenario.json|case.m|bundled-case> [--out FILE] [options]

Writes a scenario as the proto3 JSON of peermarket.v1.Market: the file \`peermarket solve\`,
the service (SolveMarketRequest.market) and any proto3 JSON reader (Python's
google.protobuf.json_format.Parse) take. A MATPOWER case keeps its network inline.

  --out FILE             write to FILE instead of stdout
  --loads-as-buyers VOLL | linear:B:A   make the network's loads buyer agents (peermarket solve --help)
  --network CASE  --charges DESIGN  --unit-fee U  --seller-share S  --target-revenue R   (as for solve)
`;

const options = {
  out: { type: "string" },
  help: { type: "boolean", short: "h" },
  ...marketOptions,
} as const;

/** `peermarket export`. */
export function exportCommand(argv: string[]): number {
  const parsed = parseScenarioCommand(argv, options, EXPORT_USAGE);
  if (!parsed) return EXIT.ok;
  const market = applyMarketFlags(readScenario(parsed.scenario), parsed.values);
  const text = JSON.stringify(marketToJson(market), null, 2) + "\n";
  if (parsed.values.out !== undefined) {
    writeFileSync(parsed.values.out, text);
    process.stderr.write(`wrote ${parsed.values.out}: ${market.agents.length} agents\n`);
  } else process.stdout.write(text);
  return EXIT.ok;
}
