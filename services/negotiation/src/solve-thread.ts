import { parentPort, workerData } from "node:worker_threads";
import {
  AdmmSolver,
  type IterateArrays,
  type MarketArrays,
  PARTIALS,
  phase,
  type PhaseExecutor,
  ShardTeam,
} from "@peermarket/admm";
import { L_DONE, L_FAIL, L_STOP, type SolveThreadData, type SolveThreadMessage } from "./link-protocol.js";

/**
 * The solve thread: runs the engine's solve loop (AdmmSolver.solve, unchanged) with an executor
 * whose phase is split between this thread (the local shards) and the network side of the
 * coordinator (remote shards or peer agents), which it waits for once per iteration.
 */
const data = workerData as SolveThreadData;
const port = parentPort!;
const post = (m: SolveThreadMessage): void => port.postMessage(m);

/** The agents [0, end) as a market of their own (same trade numbering), for a shard team. */
function prefixView(
  m: MarketArrays,
  it: IterateArrays,
  end: number,
): { problem: MarketArrays; iterate: IterateArrays } {
  return {
    problem: {
      ...m,
      nAgents: end,
      a: m.a.subarray(0, end),
      b: m.b.subarray(0, end),
      pMin: m.pMin.subarray(0, end),
      pMax: m.pMax.subarray(0, end),
      tradeStart: m.tradeStart.subarray(0, end + 1),
    },
    iterate: { ...it, mu: it.mu.subarray(0, end) },
  };
}

async function main(): Promise<void> {
  const solver = new AdmmSolver(data.problem, data.settings, { check: false, shared: true });
  if (data.warmStart) solver.warmStart(data.warmStart);
  const m = solver.problem;
  const it = solver.iterate;
  post({ type: "iterate", iterate: it });
  const { control, partials, local } = data;
  let team: ShardTeam | null = null;
  let teamExecutor: PhaseExecutor | null = null;
  if (local.threads > 1 && local.agentEnd > 0) {
    team = await ShardTeam.start(local.threads - 1);
    const view = prefixView(m, it, local.agentEnd);
    teamExecutor = team.attach(view.problem, view.iterate, local.threads);
  }
  let seq = 0;
  const executor: PhaseExecutor = {
    slots: data.slots,
    partials,
    // `costs`: false when every trade cost of the market is zero (the solver knows it): the phases
    // then skip reading them, with the same results (kernel.ts, `phase`).
    run(cur, rho, rhoDual, alpha, costs = true) {
      seq++;
      post({ type: "phase", seq, cur, rho, rhoDual, alpha, costs });
      if (teamExecutor) {
        teamExecutor.run(cur, rho, rhoDual, alpha, costs);
        partials.set(teamExecutor.partials.subarray(0, local.threads * PARTIALS), 0);
      } else if (local.threads === 1) {
        phase(
          m,
          m.mirror,
          it,
          cur === 0 ? it.p0 : it.p1,
          cur === 0 ? it.p1 : it.p0,
          0,
          local.agentEnd,
          rho,
          rhoDual,
          alpha,
          partials,
          0,
          null,
          costs,
        );
      }
      for (;;) {
        if (Atomics.load(control, L_FAIL) !== 0)
          throw new Error("the coordinator's network side failed during a phase");
        const done = Atomics.load(control, L_DONE);
        if (done === seq) break;
        Atomics.wait(control, L_DONE, done, 1000);
      }
    },
  };
  try {
    const ids = data.agentIds;
    const result = solver.solve({
      executor,
      progressInterval: data.progressInterval,
      shouldStop: () => Atomics.load(control, L_STOP) !== 0,
      agentName: ids ? (n) => `"${ids[n]}"` : undefined,
      onProgress: (p) => post({ type: "progress", ...p }),
    });
    post({ type: "result", result });
  } finally {
    if (team) {
      team.detach();
      await team.close();
    }
  }
}

main().catch((err: unknown) =>
  post({ type: "error", message: err instanceof Error ? (err.stack ?? err.message) : String(err) }),
);
