import { createHash } from "node:crypto";
import { type AdmmResult, type AdmmSolver, solveParallel } from "@peermarket/admm";

/** What one timed solve measured. */
export interface TimedSolve {
  threads: number;
  status: string;
  iterations: number;
  /** The engine's solve time (feasibility check, iterations, solution extraction), seconds. */
  solveS: number;
  /** Steady-state seconds per iteration, from the progress reports (first 10 iterations excluded when there are enough). */
  perIterationS: number;
  rho: number;
  objective: number;
  /** SHA-256 of the solution's trades and prices: equal hashes mean bit-identical solutions. */
  hash: string;
}

/** SHA-256 of a solution's trade and price arrays (bit-exact). */
export function solutionHash(r: AdmmResult): string {
  const h = createHash("sha256");
  h.update(new Uint8Array(r.solution.trade.buffer, r.solution.trade.byteOffset, r.solution.trade.byteLength));
  h.update(new Uint8Array(r.solution.price.buffer, r.solution.price.byteOffset, r.solution.price.byteLength));
  return h.digest("hex");
}

/**
 * Solves on `threads` threads (resident shard workers beyond the first; the solver must be shared
 * for more than one) from the solver's current iterate, and times it. The steady-state time per
 * iteration comes from the elapsed times of the progress reports, so that it excludes the
 * feasibility check, the first iterations (JIT warm-up) and the solution extraction.
 */
export async function timedSolve(solver: AdmmSolver, threads: number): Promise<TimedSolve & { result: AdmmResult }> {
  const marks: [number, number][] = [];
  const interval = 10;
  const result = await solveParallel(solver, threads, {
    progressInterval: interval,
    onProgress: (p) => marks.push([p.iteration, p.elapsed]),
  });
  marks.pop(); // the final report includes the solution extraction
  const info = result.info;
  let perIterationS = info.iterations > 0 ? info.solveTime / info.iterations : Number.NaN;
  const from = marks.length >= 3 ? 1 : 0;
  if (marks.length - from >= 2) {
    const [i0, e0] = marks[from];
    const [i1, e1] = marks[marks.length - 1];
    if (i1 > i0) perIterationS = (e1 - e0) / (i1 - i0);
  }
  return {
    threads,
    status: info.status,
    iterations: info.iterations,
    solveS: info.solveTime,
    perIterationS,
    rho: info.rho,
    objective: info.objective,
    hash: solutionHash(result),
    result,
  };
}
