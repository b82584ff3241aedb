import { AdmmSolver } from "@peermarket/admm";
import { engineBytes, syntheticCommunity } from "../synthetic.js";
import { timedSolve } from "../timed-solve.js";

/** Parameters of one scaling measurement. */
export interface ScalingJobParams {
  members: number;
  seed: number;
  preferences: boolean;
  /** eps_abs = eps_rel. */
  eps: number;
  /** Thread counts to solve with, each from a cold start. */
  threads: number[];
  maxIter: number;
  /** settings.polish (default: the engine's, on). */
  polish?: boolean;
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
  runs: {
    threads: number;
    status: string;
    iterations: number;
    solveS: number;
    perIterationS: number;
    rho: number;
    objective: number;
    hash: string;
  }[];
}

/**
 * Draws a community, sets up a shared solver (no copy of the arrays) and solves it cold with each
 * thread count. Meant to run alone in a child process, whose peak RSS is then the market's.
 */
export async function scalingJob(p: ScalingJobParams): Promise<ScalingJobResult> {
  let t = performance.now();
  const c = syntheticCommunity({ members: p.members, seed: p.seed, preferences: p.preferences, shared: true });
  const generateS = (performance.now() - t) / 1000;
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
  const runs: ScalingJobResult["runs"] = [];
  for (const threads of p.threads) {
    solver.reset();
    const { result: _result, ...run } = await timedSolve(solver, threads);
    runs.push(run);
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
    runs,
  };
}
