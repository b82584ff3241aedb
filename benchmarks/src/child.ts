import { closeShardTeam } from "@peermarket/admm";
import { scalingJob } from "./jobs/scaling-job.js";
import { multiPeriodJob } from "./jobs/multiperiod-job.js";
import { peerJob, peerStagesJob } from "./jobs/peer-job.js";

/**
 * Entry of a benchmark child process: `node child.js <job> <json parameters>`. Runs the job alone
 * in a fresh process and prints one JSON line on stdout: the job's result plus the process's peak
 * resident memory (`maxRssMB`, from `process.resourceUsage().maxRSS`).
 */
const jobs: Record<string, (params: never) => Promise<object>> = {
  scaling: scalingJob,
  multiperiod: multiPeriodJob,
  peer: peerJob,
  "peer-stages": peerStagesJob,
};

async function main(): Promise<void> {
  const [name, json] = process.argv.slice(2);
  const job = jobs[name];
  if (!job) throw new Error(`unknown benchmark job "${name}"; jobs: ${Object.keys(jobs).join(", ")}`);
  const result = await job(JSON.parse(json ?? "{}") as never);
  await closeShardTeam();
  const maxRssMB = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(JSON.stringify({ ...result, maxRssMB }) + "\n");
}

main().catch((err: unknown) => {
  process.stderr.write(`benchmark job failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
