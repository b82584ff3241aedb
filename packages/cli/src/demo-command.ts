import { parseArgs } from "node:util";
import { numberFlag } from "@peermarket/model";
import { EXIT, UsageError } from "./errors.js";

export const DEMO_USAGE = `Usage: peermarket demo [--workers N] [--community FILE|none] [--time-limit S]

Starts the gRPC service on a free loopback port with a temporary SQLite store, clears the bundled
case39b_31a through a gRPC client with live progress, prints the trades, prices and the DSO
report of the same market with electrical-distance charges. Then clears a day-long community
(examples/community-day.json: 96 quarter-hours, 40 homes, PV, 10 batteries, time-of-use tariff
and fees) with StreamSolveMarket (eps 1e-4) and prints the community hour by hour, one battery's
schedule, and two members' trades and bills; then stops and removes the store.

  --workers N          solver threads of the service (default 2)
  --community FILE     the multi-period market to clear (proto3 JSON of Market; default the
                       bundled examples/community-day.json); "none" skips it
  --time-limit S       time limit of the community solve in seconds (default 90)
`;

/** `peermarket demo`. */
export async function demoCommand(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        workers: { type: "string" },
        community: { type: "string" },
        "time-limit": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
    }));
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  if (values.help) {
    process.stdout.write(DEMO_USAGE);
    return EXIT.ok;
  }
  const workers = numberFlag("workers", values.workers, { integer: true, min: 1 });
  const communityTimeLimitS = numberFlag("time-limit", values["time-limit"], { min: 0 });
  const community = values.community === "none" ? null : values.community;
  const { demo } = await import("@peermarket/market-service");
  await demo({ workers, community, communityTimeLimitS });
  return EXIT.ok;
}
