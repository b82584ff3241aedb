import { solveMarket } from "@peermarket/market";
import { parseMarketJson } from "@peermarket/model";
import { multiPeriodCommunity, type MultiPeriodCommunityOptions } from "../multiperiod-community.js";

/** Parameters of one multi-period measurement. */
export interface MultiPeriodJobParams extends MultiPeriodCommunityOptions {
  /** eps_abs = eps_rel. */
  eps: number;
  workers: number;
  maxIter: number;
  /** settings.timeLimitS of the solve (0: none). */
  timeLimitS?: number;
  /** settings.polish (default: the engine's, on). */
  polish?: boolean;
}

/** What one multi-period solve measured. */
export interface MultiPeriodJobResult {
  members: number;
  periods: number;
  agents: number;
  pv: number;
  batteries: number;
  /** Pairs of the trading graph (after the model drops those that cannot trade), directed trades over all periods. */
  pairs: number;
  directedTrades: number;
  generateS: number;
  /** JSON text → Market (the scenario loader), seconds. */
  parseS: number;
  /** solveMarket, wall time: validation, expansion, solve, Solution. */
  solveMarketS: number;
  /** The Solution's own setup and solve times. */
  setupS: number;
  solveS: number;
  status: string;
  iterations: number;
  /** The solve ended by polishing (docs/polishing.md). */
  polished: boolean;
  /** Polishing tries and their time (part of solveS). */
  polishTries: number;
  polishTimeS: number;
  objective: number;
  rho: number;
  primalResidual: number;
  dualResidual: number;
  /** Batteries that charged and discharged in the same period (the relaxation's waste). */
  simultaneous: number;
}

/**
 * Draws a multi-period community, writes it as scenario text and parses it back (what a user's
 * file goes through), and clears it with `solveMarket` on `workers` threads. Meant to run alone in
 * a child process, whose peak RSS is then the market's.
 */
export async function multiPeriodJob(p: MultiPeriodJobParams): Promise<MultiPeriodJobResult> {
  let t = performance.now();
  const c = multiPeriodCommunity(p);
  const text = JSON.stringify(c.market);
  const generateS = (performance.now() - t) / 1000;
  t = performance.now();
  const market = parseMarketJson(text);
  const parseS = (performance.now() - t) / 1000;
  t = performance.now();
  const outcome = await solveMarket(market, {
    settings: {
      epsAbs: p.eps,
      epsRel: p.eps,
      maxIter: p.maxIter,
      workers: p.workers,
      timeLimitS: p.timeLimitS || undefined,
      ...(p.polish === undefined ? {} : { polish: p.polish }),
      warmStartSolutionId: "",
    },
  });
  const solveMarketS = (performance.now() - t) / 1000;
  const s = outcome.solution;
  // A pipeline without horizons would solve the period agents as one single-period market (no
  // state of charge linking the periods): refuse to report that as a multi-period result.
  if (s.periods !== p.periods)
    throw new Error(
      `the Solution has ${s.periods ?? "no"} periods for a market of ${p.periods}: solveMarket does not clear multi-period markets`,
    );
  const T = s.periods;
  const directedTrades = outcome.expanded.arrays.partner.length;
  return {
    members: c.members,
    periods: T,
    agents: c.agents,
    pv: c.pv,
    batteries: c.batteries,
    pairs: outcome.expanded.horizon?.pairCount ?? s.pairCount,
    directedTrades,
    generateS,
    parseS,
    solveMarketS,
    setupS: s.setupTimeS,
    solveS: s.solveTimeS,
    status: s.status.replace(/^SOLVE_STATUS_/, ""),
    iterations: s.iterations,
    polished: s.polished === true,
    polishTries: s.polishTries,
    polishTimeS: s.polishTimeS,
    objective: s.objective,
    rho: s.rho,
    primalResidual: s.primalResidual,
    dualResidual: s.dualResidual,
    simultaneous: s.agents.filter((a) => a.simultaneousChargeDischarge).length,
  };
}
