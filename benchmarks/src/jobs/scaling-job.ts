import { type AdmmResult, AdmmSolver, solveParallel } from "@peermarket/admm";
import { certifiedAtScale } from "../certified.js";
import { fullCollection } from "../gc.js";
import { engineBytes, syntheticCommunity } from "../synthetic.js";
import { solutionHash } from "../timed-solve.js";

/** Parameters of one scaling measurement. */
export interface ScalingJobParams {
  members: number;
  seed: number;
  preferences: boolean;
  /** eps_abs = eps_rel. */
  eps: number;
  /** Thread counts to solve with (settings.polish as `polish`), each from a cold start, in this order. */
  threads: number[];
  maxIter: number;
  /** settings.polish of the `threads` runs (default: the engine's, on). */
  polish?: boolean;
  /** Thread counts to solve with afterwards with polishing off (ADMM alone), each from a cold start. */
  admmThreads?: number[];
  /** Check the first polished answer with the KKT certificate of packages/reference at 1e-9. */
  certify?: boolean;
}

/** One solve of a scaling measurement. */
export interface ScalingRun {
  threads: number;
  /** settings.polish of the solve. */
  polish: boolean;
  status: string;
  iterations: number;
  /** The engine's solve time (iterations, polishing tries, solution extraction), seconds. */
  solveS: number;
  /** Start of the solve to the end of its first iteration (the first solve of a process: cold JIT), seconds. */
  firstIterationS: number;
  /** Steady-state seconds per iteration from the progress reports (first 10 iterations excluded when there are enough; polishing tries included). */
  perIterationS: number;
  rho: number;
  objective: number;
  /** SHA-256 of the solution's trades and prices: equal hashes mean bit-identical solutions. */
  hash: string;
  polished: boolean;
  polishIteration: number;
  polishTries: number;
  /** Seconds in polishing tries (included in solveS). */
  polishTimeS: number;
  /** The process's peak RSS after this solve, MB. */
  rssMB: number;
  /** KKT certificate at 1e-9 of the data's power and price scales (the first polished run only, when asked). */
  certified?: boolean;
  /** Largest certificate violation relative to the power or price scale. */
  worst?: number;
}

/** One size of the scaling suite. */
export interface ScalingJobResult {
  members: number;
  agents: number;
  pairs: number;
  trades: number;
  degreeMin: number;
  degreeMean: number;
  degreeMax: number;
  generateS: number;
  setupS: number;
  feasibilityS: number;
  bytesPerTrade: number;
  engineMB: number;
  /** Peak RSS after set-up, before the first solve, MB. */
  setupRssMB: number;
  runs: ScalingRun[];
}

const rssMB = (): number => process.resourceUsage().maxRSS / 1024;

/**
 * Solves from the solver's current iterate on `threads` threads, timed (progress reported every
 * iteration). `handOver`: the solution is the iterate's own buffers, as `solveMarket` takes it
 * (packages/market), not copies; only for the solver's last solve.
 */
async function timed(
  solver: AdmmSolver,
  threads: number,
  handOver: boolean,
): Promise<{ run: ScalingRun; result: AdmmResult }> {
  const marks: [number, number][] = [];
  const result = await solveParallel(solver, threads, {
    progressInterval: 1,
    onProgress: (p) => marks.push([p.iteration, p.elapsed]),
    handOver,
  });
  marks.pop(); // the final report includes the solution extraction
  const info = result.info;
  let perIterationS = info.iterations > 0 ? info.solveTime / info.iterations : Number.NaN;
  const from = marks.length > 20 ? 10 : marks.length >= 3 ? 1 : 0;
  if (marks.length - from >= 2) {
    const [i0, e0] = marks[from];
    const [i1, e1] = marks[marks.length - 1];
    if (i1 > i0) perIterationS = (e1 - e0) / (i1 - i0);
  }
  const first = marks.find(([i]) => i === 1);
  return {
    result,
    run: {
      threads,
      polish: solver.settings.polish,
      status: info.status,
      iterations: info.iterations,
      solveS: info.solveTime,
      firstIterationS: first ? first[1] : info.solveTime,
      perIterationS,
      rho: info.rho,
      objective: info.objective,
      hash: solutionHash(result),
      polished: info.polished,
      polishIteration: info.polishIteration,
      polishTries: info.polishTries,
      polishTimeS: info.polishTime,
      rssMB: rssMB(),
    },
  };
}

/**
 * Draws a community, sets up a shared solver (no copy of the arrays) and solves it cold with each
 * thread count, then (when asked) with polishing off on the same solver. Meant to run alone in a
 * child process, whose peak RSS is then the market's.
 */
export async function scalingJob(p: ScalingJobParams): Promise<ScalingJobResult> {
  let t = performance.now();
  const c = syntheticCommunity({ members: p.members, seed: p.seed, preferences: p.preferences, shared: true });
  const generateS = (performance.now() - t) / 1000;
  // The generator's temporary arrays collected before the engine allocates (the peak RSS is then
  // the market's and the engine's, not whatever garbage the collector had not yet reclaimed).
  fullCollection();
  t = performance.now();
  const solver = new AdmmSolver(
    c.arrays,
    { epsAbs: p.eps, epsRel: p.eps, maxIter: p.maxIter, ...(p.polish === undefined ? {} : { polish: p.polish }) },
    { shared: true, check: p.members <= 100_000 },
  );
  const setupS = (performance.now() - t) / 1000;
  t = performance.now();
  const feasible = solver.checkFeasibility();
  const feasibilityS = (performance.now() - t) / 1000;
  if (!feasible.feasible)
    throw new Error(`synthetic community of ${p.members} members is infeasible: ${feasible.reason}`);
  const setupRssMB = rssMB();
  const runs: ScalingRun[] = [];
  let certified = false;
  const admmRuns = p.admmThreads?.length ?? 0;
  for (const [i, threads] of p.threads.entries()) {
    solver.reset();
    // The last solve hands the iterate over, as the product does: its peak RSS is then the
    // market's, not the market's plus two copies of the trades and prices (at 1 000 000 members,
    // 265 MiB).
    const { run, result } = await timed(solver, threads, admmRuns === 0 && i === p.threads.length - 1);
    if (p.certify && run.polished && !certified) {
      const cert = certifiedAtScale(solver.problem, result.solution);
      run.certified = cert.certified;
      run.worst = cert.worst;
      certified = true;
    }
    runs.push(run);
  }
  if (p.admmThreads && admmRuns > 0) {
    solver.settings.polish = false;
    for (const [i, threads] of p.admmThreads.entries()) {
      solver.reset();
      runs.push((await timed(solver, threads, i === admmRuns - 1)).run);
    }
  }
  const bytes = engineBytes(solver);
  return {
    members: c.members,
    agents: c.agents,
    pairs: c.pairs,
    trades: c.trades,
    degreeMin: c.degreeMin,
    degreeMean: c.degreeMean,
    degreeMax: c.degreeMax,
    generateS,
    setupS,
    feasibilityS,
    bytesPerTrade: bytes / c.trades,
    engineMB: bytes / 2 ** 20,
    setupRssMB,
    runs,
  };
}
