import type { SolutionArrays } from "@peermarket/admm";
import type { Verification } from "@peermarket/model";
import { certify, solveReference } from "@peermarket/reference";
import type { SolveOutcome } from "./solve.js";

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
  const m = outcome.expanded.arrays;
  const info = outcome.result.info;
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
 * Checks a solve against an independent answer (DESIGN §5): the centralized optimum of the same
 * problem by HiGHS (objective gap and agent powers) and a KKT certificate of the reported solution.
 */
export async function verifyOutcome(outcome: SolveOutcome, options: VerifyOptions = {}): Promise<Verification> {
  const m = outcome.expanded.arrays;
  const info = outcome.result.info;
  const sol: SolutionArrays = outcome.result.solution;
  const tol = solverCertificateTolerances(outcome);
  const primal = options.primalTolerance ?? tol.primal;
  const dual = options.dualTolerance ?? tol.dual;
  const cert = certify(m, sol, { primal, dual, active: primal });
  const v: Verification = {
    referenceObjective: 0,
    objectiveGap: 0,
    maxPowerDifference: 0,
    referenceSolver: "",
    maxReciprocityViolation: cert.maxReciprocityViolation,
    maxBoundViolation: Math.max(cert.maxBoundViolation, cert.maxBalanceViolation),
    maxPriceViolation: cert.maxPriceViolation,
    worstAgentId: cert.worstAgent >= 0 && cert.maxPriceViolation > 0 ? outcome.expanded.agentIds[cert.worstAgent] : "",
    certificatePassed: cert.passed,
    referenceMessage: "",
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
  v.referenceObjective = ref.objective;
  v.objectiveGap = Math.abs(info.objective - ref.objective) / Math.max(1, Math.abs(ref.objective));
  let dp = 0;
  for (let n = 0; n < m.nAgents; n++) if (m.a[n] > 0) dp = Math.max(dp, Math.abs(sol.agentPower[n] - ref.agentPower[n]));
  v.maxPowerDifference = dp;
  return v;
}
