import { parseArgs } from "node:util";
import { closeShardTeam } from "@peermarket/admm";
import { benchTable, runRemoteBench } from "./remote-bench.js";

/**
 * `npm run bench:remote -w @peermarket/negotiation [-- --producers 100 --consumers 1000 --workers 2 --local-threads 0,1 --json]`
 * Exit status 1 when a distributed result differs from the single-process one.
 */
const { values: v } = parseArgs({
  options: {
    producers: { type: "string", default: "100" },
    consumers: { type: "string", default: "1000" },
    workers: { type: "string", default: "2" },
    "local-threads": { type: "string", default: "0,1" },
    json: { type: "boolean" },
  },
});
const result = await runRemoteBench({
  producers: Number(v.producers),
  consumers: Number(v.consumers),
  workers: Number(v.workers),
  localThreads: v["local-threads"].split(",").map(Number),
  log: (line) => process.stderr.write(`${line}\n`),
});
await closeShardTeam();
process.stdout.write(v.json ? JSON.stringify(result, null, 2) + "\n" : benchTable(result));
process.exitCode = result.rows.every((r) => r.identical !== false) ? 0 : 1;
