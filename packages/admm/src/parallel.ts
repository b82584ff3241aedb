import type { AdmmResult, AdmmSolver, SolveOptions } from "./solver.js";
import { shardTeam } from "./team.js";

/**
 * Solves on `workers` threads: the calling thread and workers − 1 resident shard workers of this
 * thread's team (started on first use, capped at the machine's parallelism), sharing the solver's
 * arrays. Results are bit-identical to the single-threaded solve. With workers ≤ 1, or a market
 * without trades, it is `solver.solve`. The solver must be set up with `{ shared: true }`.
 */
export async function solveParallel(
  solver: AdmmSolver,
  workers: number,
  options: SolveOptions = {},
): Promise<AdmmResult> {
  if (!(workers > 1) || solver.problem.partner.length === 0) return solver.solve(options);
  if (!solver.shared) throw new Error("solveParallel needs a solver set up with { shared: true }");
  const team = await shardTeam(workers - 1);
  const executor = team.attach(solver.problem, solver.iterate, Math.min(workers, team.threads + 1), solver.horizon);
  try {
    return solver.solve({ ...options, executor });
  } finally {
    team.detach();
  }
}
