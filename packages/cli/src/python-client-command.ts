import { copyFileSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { EXIT, UsageError } from "./errors.js";

export const PYTHON_CLIENT_USAGE = `Usage: peermarket python-client DIR

Writes a ready Python client of the service to DIR, with nothing to generate:
  DIR/peermarket_client.py   MarketClient: every RPC as a method (solve_market, get_solution, …);
                             message classes built at run time from the descriptors
  DIR/peermarket.binpb       the FileDescriptorSet the service serves by reflection
  DIR/solve.py               python3 DIR/solve.py HOST:PORT SCENARIO.json [--json]
It needs Python's grpcio and protobuf (Debian: apt install python3-grpcio python3-protobuf), no
protoc. Write a scenario with: peermarket export case39b_31a --out case39b_31a.json
`;

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

/** The FileDescriptorSet the service serves (built by services/market-service/scripts/build-descriptors.mjs). */
export function descriptorSetPath(): string {
  return join(dirname(require.resolve("@peermarket/market-service")), "..", "descriptors", "peermarket.binpb");
}

/** `peermarket python-client DIR`. */
export async function pythonClientCommand(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: { help: { type: "boolean", short: "h" } },
      allowPositionals: true,
      strict: true,
    });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  if (parsed.values.help) {
    process.stdout.write(PYTHON_CLIENT_USAGE);
    return EXIT.ok;
  }
  if (parsed.positionals.length !== 1) throw new UsageError("expected one directory: peermarket python-client DIR");
  const dir = resolve(parsed.positionals[0]);
  mkdirSync(dir, { recursive: true });
  const python = join(here, "..", "python");
  copyFileSync(join(python, "peermarket_client.py"), join(dir, "peermarket_client.py"));
  copyFileSync(join(python, "solve.py"), join(dir, "solve.py"));
  copyFileSync(descriptorSetPath(), join(dir, "peermarket.binpb"));
  process.stdout.write(
    `wrote ${join(dir, "peermarket_client.py")}, ${join(dir, "solve.py")} and ${join(dir, "peermarket.binpb")}\n` +
      `  peermarket export case39b_31a --out case39b_31a.json\n` +
      `  python3 ${join(dir, "solve.py")} 127.0.0.1:50051 case39b_31a.json\n`,
  );
  return EXIT.ok;
}
