import { readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { writeSolutionToDevNull } from "./cli-output.js";
import { fullCollection } from "./gc.js";

/**
 * Where the memory of `peermarket solve FILE --json > /dev/null` goes, stage by stage:
 * `node setup-memory-probe.js FILE` runs the command's in-process path (the same calls: read the
 * scenario, `solveMarket` without Trade objects and giving up the pair list, a full collection,
 * the Solution's proto3 JSON streamed from the trade rows to /dev/null as bytes; packages/cli/src/
 * solve-command.ts) and prints one JSON line: the directed trades
 * and, after each stage, the process's resident memory (VmRSS) and its peak so far (VmHWM), in
 * MiB. The modules are imported first, so the first stage is Node with the command's modules.
 */

interface Mark {
  stage: string;
  rssMB: number;
  peakMB: number;
}

const marks: Mark[] = [];

function mark(stage: string): void {
  const status = readFileSync("/proc/self/status", "utf8");
  const kb = (key: string) => Number(new RegExp(`${key}:\\s*(\\d+)`).exec(status)?.[1] ?? Number.NaN);
  marks.push({ stage, rssMB: kb("VmRSS") / 1024, peakMB: kb("VmHWM") / 1024 });
}

async function main(): Promise<void> {
  const file = process.argv[2];
  if (!file) throw new Error("usage: setup-memory-probe.js SCENARIO");
  const { solveMarket } = await import("@peermarket/market");
  const { readScenarioFlags } = await import("@peermarket/model");
  const { closeShardTeam } = await import("@peermarket/admm");
  mark("node and modules");
  const market = readScenarioFlags(file);
  mark("scenario read");
  let iterating = false;
  const outcome = await solveMarket(market, {
    defaultWorkers: availableParallelism(),
    tradeObjects: false,
    releasePairs: true,
    progressInterval: 1,
    check: (stage) => {
      if (stage === "setting up the engine") mark("set-up: expansion and engine problem");
    },
    onProgress: () => {
      if (iterating) return;
      iterating = true;
      mark("engine: iterate, first iteration");
    },
  });
  mark("solve end: polishing, solution arrays");
  // As the command does before a large output: a full collection (the engine's working arrays).
  fullCollection();
  // As the command writes to a file or /dev/null: UTF-8 bytes from one reused buffer.
  writeSolutionToDevNull(outcome.solution, outcome.tradeRows);
  mark("output: streamed JSON");
  await closeShardTeam();
  const line = {
    directedTrades: outcome.expanded.arrays.partner.length,
    status: outcome.solution.status,
    iterations: outcome.solution.iterations,
    marks,
  };
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`setup-memory-probe: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
