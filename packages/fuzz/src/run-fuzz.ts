#!/usr/bin/env node
/**
 * `npm run fuzz -w @peermarket/fuzz -- [--seed N] [--runs N] [--target a,b] [--path P] [--strict]`
 * (or from the root, `FUZZ_SEED=N FUZZ_RUNS=N FUZZ_TARGET=a,b npm run fuzz`): fuzzes every target
 * (or the named ones) with `runs` inputs each (default 10 000) from `seed` (default: random),
 * printing the seed, the counts per outcome and any failure with the command that replays it.
 * Flags override the environment. Exit status 1 when a target failed, 2 for bad arguments.
 */
import { parseArgs } from "node:util";
import { setStrict } from "./known-issues.js";
import { formatRun, runTarget } from "./runner.js";
import { ALL_TARGETS } from "./targets/index.js";

const USAGE =
  "usage: npm run fuzz -w @peermarket/fuzz -- [--seed N] [--runs N (default 10000)] [--target name,name] [--path P] [--strict]\n" +
  "   or: FUZZ_SEED=N FUZZ_RUNS=N FUZZ_TARGET=name,name FUZZ_STRICT=1 npm run fuzz";

function fail(message: string): never {
  console.error(`fuzz: ${message}\n${USAGE}\ntargets: ${ALL_TARGETS.map((t) => t.name).join(", ")}`);
  process.exit(2);
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        seed: { type: "string" },
        runs: { type: "string" },
        target: { type: "string" },
        path: { type: "string" },
        strict: { type: "boolean" },
      },
    }));
  } catch (e) {
    fail((e as Error).message);
  }
  const env = process.env;
  const seedText = values.seed ?? env.FUZZ_SEED;
  const seed = seedText !== undefined ? Number(seedText) : (Date.now() ^ (Math.random() * 0x7fffffff)) | 0;
  if (!Number.isInteger(seed)) fail(`the seed must be an integer, got ${seedText}`);
  const runsText = values.runs ?? env.FUZZ_RUNS;
  const runs = runsText !== undefined ? Number(runsText) : 10_000;
  if (!(Number.isInteger(runs) && runs >= 1)) fail(`the number of runs must be an integer ≥ 1, got ${runsText}`);
  const names = (values.target ?? env.FUZZ_TARGET)?.split(",").map((s) => s.trim()) ?? ALL_TARGETS.map((t) => t.name);
  const strict =
    values.strict === true || (env.FUZZ_STRICT !== undefined && env.FUZZ_STRICT !== "" && env.FUZZ_STRICT !== "0");
  const targets = names.map(
    (n) => ALL_TARGETS.find((t) => t.name === n) ?? fail(`unknown target ${JSON.stringify(n)}`),
  );
  setStrict(strict);
  console.log(
    `fuzz: seed ${seed}, ${runs} inputs per target, targets ${names.join(", ")}${strict ? ", strict (known issues fail)" : ""}`,
  );
  let failed = 0;
  let total = 0;
  for (const target of targets) {
    console.log(`\n${target.name}: ${target.description}`);
    const run = await runTarget(target, {
      seed,
      numRuns: runs,
      path: values.path ?? env.FUZZ_PATH,
      onInput: (n) => {
        if (process.stdout.isTTY && n % 500 === 0) process.stdout.write(`\r  ${n} / ${runs}`);
      },
    });
    if (process.stdout.isTTY) process.stdout.write("\r");
    console.log(formatRun(run));
    total += run.runs;
    if (run.failed) failed++;
  }
  console.log(`\nfuzz: ${total} inputs, ${targets.length - failed} of ${targets.length} targets passed, seed ${seed}`);
  process.exit(failed > 0 ? 1 : 0);
}

await main();
