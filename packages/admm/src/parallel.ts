import { availableParallelism } from "node:os";
import type { AdmmResult, AdmmSolver, SolveOptions } from "./solver.js";
import { type PhaseExecutor, runningShardTeam, type ShardTeam, shardTeam } from "./team.js";

/** `team` attached to the solver's arrays for phases on `workers` threads (the calling thread and up to workers − 1 of the team). */
export function attachSolver(team: ShardTeam, solver: AdmmSolver, workers: number): PhaseExecutor {
  return team.attach(solver.problem, solver.iterate, Math.min(workers, team.threads + 1), solver.horizon);
}

/**
 * Solves on `workers` threads: the calling thread and workers − 1 resident shard workers of this
 * thread's team (capped at the machine's parallelism), sharing the solver's arrays. Results are
 * bit-identical to the single-threaded solve. With workers ≤ 1, or a market without trades, it is
 * `solver.solve`. The solver must be set up with `{ shared: true }`.
 *
 * A team already running (and large enough) takes part from the first iteration. Otherwise the
 * workers are started only once the first iteration (and the polishing try there) has not ended
 * the solve, so a market that polishes at iteration 1 (the peer generator's) never pays their
 * start (40–80 ms) or their memory, and then only once the time they would save is worth their
 * start: `startPays`, from the iterations until the next polishing try (where the solve may end)
 * and those already run. Meanwhile this thread goes on iterating, yielding to the event loop
 * between iterations (which starting them needs), and the team joins at the next iteration once
 * ready (docs/admm.md, "Threads: when they pay"). `report.teamFrom` is set to the first iteration
 * the team ran (−1: none).
 */
export async function solveParallel(
  solver: AdmmSolver,
  workers: number,
  options: SolveOptions = {},
  report: { teamFrom: number } = { teamFrom: -1 },
): Promise<AdmmResult> {
  report.teamFrom = -1;
  if (!(workers > 1) || solver.problem.partner.length === 0) return solver.solve(options);
  if (!solver.shared) throw new Error("solveParallel needs a solver set up with { shared: true }");
  const opts: SolveOptions = { ...options };
  let team: ShardTeam | null = null;
  const attach = (t: ShardTeam, from: number) => {
    opts.executor = attachSolver(t, solver, workers);
    team = t;
    report.teamFrom = from;
  };
  const running = runningShardTeam(workers - 1);
  if (running !== null) attach(running, 0);
  const m = solver.problem;
  const threads = Math.min(workers, availableParallelism());
  const saving =
    predictedIterationSeconds(m.partner.length, m.nAgents, 1) -
    predictedIterationSeconds(m.partner.length, m.nAgents, threads);
  try {
    const steps = solver.steps(opts);
    let step = steps.next();
    let starting = team !== null;
    let ready: ShardTeam | null = null;
    let failed = false;
    while (!step.done) {
      if (!starting && step.value >= 1 && startPays(step.value, solver.nextPolishTry, saving)) {
        starting = true;
        shardTeam(workers - 1).then(
          (t) => {
            ready = t;
          },
          () => {
            failed = true; // go on alone
          },
        );
      }
      if (starting && team === null && !failed) {
        if (ready === null) await new Promise<void>((resolve) => setImmediate(resolve));
        const t = ready as ShardTeam | null;
        if (t !== null) attach(t, step.value + 1);
      }
      step = steps.next();
    }
    return step.value;
  } finally {
    (team as ShardTeam | null)?.detach();
  }
}

/**
 * Whether starting the shard team at iteration `iter` pays, by the cost model below: the time it
 * would save per iteration (`saving`, seconds) over the iterations still expected must exceed its
 * start (`THREAD_COSTS.teamStartS`). Expected: those until the next polishing try `nextTry` (where
 * the solve may end; ∞ without polishing), and at least as many as have run — so that a long solve
 * starts the team once it has run long enough for the start to have paid (as in renting skis until
 * the rent reaches the price: never more than the start's cost lost on a solve that then ends).
 * A 10 000-member community, exact at iteration 31 after its try at 1, would start it at
 * iteration 1 to have it join near iteration 20, slower than one thread (docs/admm.md).
 */
export function startPays(iter: number, nextTry: number, saving: number): boolean {
  return saving > 0 && Math.max(nextTry - iter, iter) * saving >= THREAD_COSTS.teamStartS;
}

/**
 * The cost model of the thread rule (docs/admm.md, "Threads"), measured on this engine with the
 * `workers` and `floor` benchmark suites (benchmarks/RESULTS.md):
 * - one iteration on one thread costs about `nsPerTrade` per directed trade plus `nsPerAgent` per
 *   agent (the local solve's fixed part);
 * - on k threads, each does 1/k of that (the threads share the phase's chunks, taking over each
 *   other's when done with their own, see `ShardTeam.attach`) times `imbalance` (what is left:
 *   the last chunks, contention for memory), plus `shareS`, `shareNsPerTrade` per directed trade
 *   up to `shareTradesCap` (a market that fits in a core's caches: its iterate moving between the
 *   cores), and one barrier per iteration, `barrierS` when no team runs yet (a running team
 *   measured its own at start, `ShardTeam.barrierSeconds`);
 * - starting the resident workers costs `teamStartS` once per process, which a solve only repays
 *   when the time it saves over `amortiseIterations` iterations exceeds it.
 * The per-trade cost is the lower end of what was measured (a fast machine): erring low only
 * keeps a market on one thread a little longer.
 */
export const THREAD_COSTS = Object.freeze({
  nsPerTrade: 20,
  nsPerAgent: 60,
  imbalance: 1.1,
  barrierS: 5e-6,
  /**
   * Per iteration on k > 1 threads, beyond the barrier: the chunk claims and the iterate's cache
   * lines moving between the cores (the workers suite: 2 threads at 382 directed trades took
   * 3.4 µs more than half the 1-thread time, with a 1.1 µs barrier).
   */
  shareS: 2e-6,
  /**
   * Per directed trade and iteration on k > 1 threads, up to `shareTradesCap` trades: a market
   * small enough to stay in one core's caches sees its iterate move between the cores at every
   * iteration (the workers suite: 2 threads took 7.4–8.7 ns per directed trade more than half the
   * 1-thread time from 1 540 to 8 442 trades, and 76–117 µs in all at 17 274–52 098 trades).
   */
  shareNsPerTrade: 8,
  shareTradesCap: 10_000,
  teamStartS: 0.08,
  amortiseIterations: 100,
  /** Threads are used only when the model predicts at least this speed-up. */
  minSpeedup: 1.25,
});

/** Predicted time of one iteration on `threads` threads (seconds) by the model of `THREAD_COSTS`. */
export function predictedIterationSeconds(
  trades: number,
  agents: number,
  threads: number,
  barrierS: number = THREAD_COSTS.barrierS,
): number {
  const c = THREAD_COSTS;
  const one = 1e-9 * (c.nsPerTrade * trades + c.nsPerAgent * agents);
  if (threads <= 1) return one;
  const share = c.shareS + 1e-9 * c.shareNsPerTrade * Math.min(trades, c.shareTradesCap);
  return (one / threads) * c.imbalance + barrierS + share;
}

/**
 * How many threads a solve of a market with `trades` directed trades (and `agents` agents; default
 * trades / 8, a typical community's degree) should use when `requested` are allowed: the largest
 * count ≤ requested (and ≤ the machine's cores) whose predicted time per iteration is at least
 * `minSpeedup` times better than one thread's, counting the barrier (measured by the running
 * team, else the default) and, if no team runs yet, its start-up cost spread over
 * `amortiseIterations` iterations. 1 when threads do not pay.
 */
export function parallelThreads(
  trades: number,
  requested: number,
  agents: number = Math.ceil(trades / 8),
  teamBarrierS: number | null = runningBarrierSeconds(),
): number {
  if (!(requested > 1) || !(trades > 0)) return 1;
  const c = THREAD_COSTS;
  const max = Math.min(Math.floor(requested), availableParallelism());
  const one = predictedIterationSeconds(trades, agents, 1);
  const warm = teamBarrierS !== null && Number.isFinite(teamBarrierS);
  const barrier = warm ? Math.max(teamBarrierS, 0) : c.barrierS;
  for (let k = max; k > 1; k--) {
    const tk = predictedIterationSeconds(trades, agents, k, barrier);
    if (one < c.minSpeedup * tk) continue;
    if (!warm && c.amortiseIterations * (one - tk) < c.teamStartS) continue;
    return k;
  }
  return 1;
}

/**
 * The fewest directed trades from which `parallelThreads` uses 2 threads (agents = trades / 8):
 * with a running team (`warm`, barrier `barrierS`) or when the team must first be started.
 */
export function parallelMinTrades(warm: boolean, barrierS: number = THREAD_COSTS.barrierS): number {
  let lo = 1;
  let hi = 1 << 30;
  const uses = (t: number) => parallelThreads(t, 2, Math.ceil(t / 8), warm ? barrierS : null) > 1;
  if (!uses(hi)) return Infinity;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (uses(mid)) hi = mid;
    else lo = mid;
  }
  return hi;
}

function runningBarrierSeconds(): number | null {
  const team = runningShardTeam();
  return team === null ? null : team.barrierSeconds;
}
