import type { HorizonArrays, MarketArrays, SolutionArrays } from "@peermarket/admm";
import type { Verification } from "@peermarket/model";
import type {
  EquilibriumCertificate,
  MultiPeriodSolutionArrays,
  solveReferenceMultiPeriod,
} from "@peermarket/reference";
import type { SolveOutcome } from "./solve.js";

/**
 * The reference solvers (HiGHS as WebAssembly, javascript-lp-solver), loaded on the first
 * verification: a solve that is not verified does not load them.
 */
const reference = () => import("@peermarket/reference");

/** Options of `verifyOutcome`. */
export interface VerifyOptions {
  /** Seconds allowed to the reference solve (default 60); 0 skips the reference and only certifies. */
  timeLimit?: number;
  /** Tolerances of the certificate; by default `solverCertificateTolerances`. */
  primalTolerance?: number;
  dualTolerance?: number;
}

/** Safety factor over the tolerances propagated from the stopping rule. */
export const CERTIFICATE_FACTOR = 10;

/**
 * Certificate tolerances that follow from the engine's own stopping rule (primal residual
 * r ≤ ε_p, dual residual s ≤ ε_d), propagated to the reported solution:
 *
 * - the reported trade is t_k = (p_k − p_mirror)/2 = p_k − r_k/2, so an agent's reported power
 *   is its local power (which its local solve keeps within bounds) minus Σ_k r_k/2: its bound
 *   violation is at most deg_n·ε_p/2;
 * - the local prices λ_k + ρ(z_k − p_k) differ from the reported λ_k by at most ρ·ε_p/2 plus the
 *   dual residual, and the marginal cost at the reported power differs from the local one by
 *   a_n·deg_n·ε_p/2.
 *
 * So primal = F·max(1, maxDeg/2)·ε_p and dual = F·(ε_d + (ρ/2 + max_n a_n·deg_n/2)·ε_p).
 */
export function solverCertificateTolerances(outcome: SolveOutcome): { primal: number; dual: number } {
  return certificateTolerances(outcome.expanded.arrays, outcome.result.info);
}

/** What `certificateTolerances` needs of a solve: its final stopping thresholds ε_p, ε_d and ρ. */
export interface StoppingThresholds {
  epsPrimal: number;
  epsDual: number;
  rho: number;
}

/**
 * The tolerances of `solverCertificateTolerances` for the market arrays `m` and the stopping
 * thresholds of a solve (the one function every certificate of the pipeline takes them from, also
 * for stored solutions).
 */
export function certificateTolerances(m: MarketArrays, info: StoppingThresholds): { primal: number; dual: number } {
  let maxDegree = 1;
  let curvature = 0;
  for (let n = 0; n < m.nAgents; n++) {
    const deg = m.tradeStart[n + 1] - m.tradeStart[n];
    maxDegree = Math.max(maxDegree, deg);
    curvature = Math.max(curvature, (m.a[n] * deg) / 2);
  }
  const epsP = Math.max(info.epsPrimal, 1e-12);
  return {
    primal: CERTIFICATE_FACTOR * Math.max(1, maxDegree / 2) * epsP,
    dual: CERTIFICATE_FACTOR * Math.max(info.epsDual + (info.rho / 2 + curvature) * epsP, 1e-12),
  };
}

/**
 * Checks a solve against an independent answer (docs/verification.md): the centralized optimum of the same
 * problem by HiGHS (objective gap and agent powers) and a KKT certificate of the reported solution.
 */
export async function verifyOutcome(outcome: SolveOutcome, options: VerifyOptions = {}): Promise<Verification> {
  const m = outcome.expanded.arrays;
  const info = outcome.result.info;
  const sol: SolutionArrays = outcome.result.solution;
  const horizon = outcome.expanded.horizon;
  if (horizon && horizon.arrays.storage.count > 0) return verifyStorageMarket(outcome, options);
  // A multi-period market without storage is the single-period market of its period agents; the
  // engine's objective is in money over the horizon, the reference's per hour: × Δ.
  const dt = horizon?.periodHours ?? 1;
  const tol = solverCertificateTolerances(outcome);
  const primal = options.primalTolerance ?? tol.primal;
  const dual = options.dualTolerance ?? tol.dual;
  const { certify, solveReference } = await reference();
  const cert = certify(m, sol, { primal, dual, active: primal });
  const v: Verification = {
    referenceObjective: 0,
    objectiveGap: 0,
    maxPowerDifference: 0,
    referenceSolver: "",
    maxReciprocityViolation: cert.maxReciprocityViolation,
    maxBoundViolation: Math.max(cert.maxBoundViolation, cert.maxBalanceViolation),
    maxPriceViolation: cert.maxPriceViolation,
    worstAgentId:
      cert.worstAgent >= 0 && cert.maxPriceViolation > 0
        ? outcome.expanded.agentIds[cert.worstAgent] +
          (horizon && horizon.periods > 1 ? ` (period ${cert.worstAgent % horizon.periods})` : "")
        : "",
    certificatePassed: cert.passed,
    referenceMessage: "",
    maxRegret: 0,
    worstRegretAgentId: "",
    maxSocViolation: 0,
  };
  const timeLimit = options.timeLimit ?? 60;
  if (timeLimit <= 0) {
    v.referenceMessage = "reference skipped";
    return v;
  }
  if (info.status === "PRIMAL_INFEASIBLE") {
    v.referenceMessage = "the market is infeasible";
    return v;
  }
  const ref = await solveReference(m, { timeLimit });
  if (!ref.optimal) {
    v.referenceMessage = `${ref.solver}: ${ref.status}`;
    return v;
  }
  v.referenceSolver = ref.solver;
  v.referenceObjective = ref.objective * dt;
  v.objectiveGap = Math.abs(info.objective - v.referenceObjective) / Math.max(1, Math.abs(v.referenceObjective));
  let dp = 0;
  for (let n = 0; n < m.nAgents; n++)
    if (m.a[n] > 0) dp = Math.max(dp, Math.abs(sol.agentPower[n] - ref.agentPower[n]));
  v.maxPowerDifference = dp;
  return v;
}

/**
 * Verification of a multi-period market with storage (docs/multi-period.md). Its periods are
 * coupled by the batteries' state of charge, so the reference is the multi-period QP solved by
 * HiGHS (objective gap, own-power differences), and the certificate is the equilibrium certificate
 * of @peermarket/reference: primal feasibility (reciprocity, trade, own-power, charge and discharge
 * bounds, the state-of-charge chain and its final minimum) and every agent's regret — its cost at
 * the solution minus the cost of its best response to the solution's prices, € over the horizon.
 *
 * Tolerances follow from the stopping rule as for one period (`solverCertificateTolerances`): a
 * price off by at most `dual` on a volume of at most T·deg·P (P the largest trade), and powers off
 * by at most `primal` at prices of at most Λ, move an agent's cost by at most
 * Δ·T·deg·(dual·P + primal·Λ); that is the regret tolerance. SoC violations are compared with
 * primal·T·Δ (MWh).
 */
async function verifyStorageMarket(outcome: SolveOutcome, options: VerifyOptions): Promise<Verification> {
  const x = outcome.expanded;
  const h = x.horizon!;
  const H = h.arrays;
  const m = x.arrays;
  const info = outcome.result.info;
  const sol: SolutionArrays = outcome.result.solution;
  const tol = solverCertificateTolerances(outcome);
  const primal = options.primalTolerance ?? tol.primal;
  const dual = options.dualTolerance ?? tol.dual;
  const { cert, passed } = await certifyMultiPeriod(
    m,
    H,
    { trade: sol.trade, price: sol.price, charge: sol.charge, discharge: sol.discharge },
    { primal, dual },
  );
  const worst = cert.worstAgent >= 0 && cert.maxRegret > 0 ? h.agentIds[cert.worstAgent] : "";
  const v: Verification = {
    referenceObjective: 0,
    objectiveGap: 0,
    maxPowerDifference: 0,
    referenceSolver: "",
    maxReciprocityViolation: cert.maxReciprocityViolation,
    maxBoundViolation: cert.maxBoundViolation,
    maxPriceViolation: cert.maxPriceAsymmetry,
    worstAgentId: worst,
    certificatePassed: passed,
    referenceMessage: "",
    maxRegret: cert.maxRegret,
    worstRegretAgentId: worst,
    maxSocViolation: cert.maxSocViolation,
  };
  const timeLimit = options.timeLimit ?? 60;
  if (timeLimit <= 0) {
    v.referenceMessage = "reference skipped";
    return v;
  }
  if (info.status === "PRIMAL_INFEASIBLE") {
    v.referenceMessage = "the market is infeasible";
    return v;
  }
  let ref: Awaited<ReturnType<typeof solveReferenceMultiPeriod>>;
  try {
    ref = await (await reference()).solveReferenceMultiPeriod(m, H, { timeLimit });
  } catch (e) {
    v.referenceMessage = `multi-period reference: ${e instanceof Error ? e.message : String(e)}`;
    return v;
  }
  if (!ref.optimal) {
    v.referenceMessage = `${ref.solver}: ${ref.status}`;
    return v;
  }
  v.referenceSolver = ref.solver;
  v.referenceObjective = ref.objective;
  v.objectiveGap = Math.abs(info.objective - ref.objective) / Math.max(1, Math.abs(ref.objective));
  const charge = sol.charge ?? new Float64Array(m.nAgents);
  const discharge = sol.discharge ?? new Float64Array(m.nAgents);
  let dp = 0;
  for (let n = 0; n < m.nAgents; n++) {
    if (!(m.a[n] > 0)) continue;
    const g = sol.agentPower[n] - discharge[n] + charge[n];
    dp = Math.max(dp, Math.abs(g - ref.ownPower[n]));
  }
  v.maxPowerDifference = dp;
  return v;
}

/**
 * The equilibrium certificate of a multi-period solution in the engine's layout with the
 * tolerances `verifyOutcome` uses (see `verifyStorageMarket`): `primal` and `dual` from
 * `certificateTolerances`, regret Δ·T·deg·F·(dual·P + primal·Λ) (P the largest trade, Λ the
 * largest price), state-of-charge violations within primal·max(1, T·Δ) MWh.
 */
export async function certifyMultiPeriod(
  m: MarketArrays,
  H: HorizonArrays,
  sol: MultiPeriodSolutionArrays,
  tol: { primal: number; dual: number },
): Promise<{ cert: EquilibriumCertificate; passed: boolean; regretTolerance: number; socTolerance: number }> {
  const { primal, dual } = tol;
  let maxDegree = 1;
  for (let n = 0; n < m.nAgents; n++) maxDegree = Math.max(maxDegree, m.tradeStart[n + 1] - m.tradeStart[n]);
  let P = 0;
  let L = 0;
  for (let k = 0; k < sol.trade.length; k++) {
    P = Math.max(P, Math.abs(sol.trade[k]));
    L = Math.max(L, Math.abs(sol.price[k]));
  }
  const regret =
    CERTIFICATE_FACTOR * H.periodHours * H.periods * maxDegree * (dual * Math.max(P, 1e-9) + primal * Math.max(L, 1));
  const cert = await (await reference()).certifyEquilibrium(m, H, sol, { primal, dual, regret });
  const socTolerance = primal * Math.max(1, H.periods * H.periodHours);
  return { cert, passed: cert.passed && cert.maxSocViolation <= socTolerance, regretTolerance: regret, socTolerance };
}
