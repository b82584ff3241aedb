import type { SolutionArrays } from "@peermarket/admm";
import type { Verification } from "@peermarket/model";
import { certify, solveReference } from "@peermarket/reference";
import type { SolveOutcome } from "./solve.js";

/** Options of `verifyOutcome`. */
export interface VerifyOptions {
  /** Seconds allowed to the reference solve (default 60); 0 skips the reference and only certifies. */
  timeLimit?: number;
  /** Tolerances of the certificate; by default a multiple of the solve's own tolerances. */
  primalTolerance?: number;
  dualTolerance?: number;
}

/**
 * Factor between the solve's residual tolerances and the certificate's: the reported powers sum
 * an agent's trades, so their bound violation is up to half the sum of its pairs' residuals, and
 * the price conditions hold up to the dual residual plus ρ times the primal one.
 */
const CERTIFICATE_FACTOR = 10;

/**
 * Checks a solve against an independent answer (DESIGN §5): the centralized optimum of the same
 * problem by HiGHS (objective gap and agent powers) and a KKT certificate of the reported solution.
 */
export async function verifyOutcome(outcome: SolveOutcome, options: VerifyOptions = {}): Promise<Verification> {
  const m = outcome.expanded.arrays;
  const info = outcome.result.info;
  const sol: SolutionArrays = outcome.result.solution;
  let maxDegree = 1;
  for (let n = 0; n < m.nAgents; n++) maxDegree = Math.max(maxDegree, m.tradeStart[n + 1] - m.tradeStart[n]);
  const primal = options.primalTolerance ?? CERTIFICATE_FACTOR * Math.max(info.epsPrimal, 1e-9) * Math.sqrt(maxDegree);
  const dual = options.dualTolerance ?? CERTIFICATE_FACTOR * Math.max(info.epsDual + info.rho * info.epsPrimal, 1e-9);
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
