import { type SolveOutcome, verifyOutcome } from "@peermarket/market";
import type { SolveStatus } from "@peermarket/model";
import { certify } from "@peermarket/reference";
import { solverCertificateTolerances } from "@peermarket/market";
import { nonFiniteNumbers } from "./finite.js";
import { knownNonFiniteIssue, knownUncertifiedIssue } from "./known-issues.js";
import { FuzzFailure } from "./runner.js";

/** Statuses a solve may end with (SOLVE_STATUS_UNSPECIFIED never). */
export const KNOWN_STATUSES: ReadonlySet<SolveStatus> = new Set<SolveStatus>([
  "SOLVE_STATUS_SOLVED",
  "SOLVE_STATUS_SOLVED_INACCURATE",
  "SOLVE_STATUS_MAX_ITER_REACHED",
  "SOLVE_STATUS_TIME_LIMIT_REACHED",
  "SOLVE_STATUS_PRIMAL_INFEASIBLE",
  "SOLVE_STATUS_DUAL_INFEASIBLE",
  "SOLVE_STATUS_CANCELLED",
  "SOLVE_STATUS_NUMERICAL_ERROR",
]);

/**
 * Judges a solve: throws a FuzzFailure when the Solution holds a non-finite number, has no real
 * status, or is SOLVED without passing the KKT certificate at the tolerances its own stopping
 * rule promises (`verifyOutcome`'s defaults, `solverCertificateTolerances`; reference skipped).
 * Returns a label: the status without its prefix; for SOLVED, also whether certify's stricter
 * data-scaled default (1e-6 of the power and price scales, "certify-default") fails, so those
 * disagreements can be counted. A failure that is a known defect (known-issues.ts) is labelled
 * `KNOWN <id>` instead, unless strict.
 */
export async function judgeOutcome(outcome: SolveOutcome): Promise<string> {
  const s = outcome.solution;
  if (!KNOWN_STATUSES.has(s.status)) throw new FuzzFailure(`status ${s.status} (${s.statusMessage})`);
  const bad = nonFiniteNumbers(s);
  if (bad.length > 0) {
    const known = knownNonFiniteIssue(s);
    if (known) return `KNOWN ${known.id}`;
    throw new FuzzFailure(`${s.status}: non-finite numbers in the Solution: ${bad.join(", ")} (${s.statusMessage})`);
  }
  const label = s.status.replace("SOLVE_STATUS_", "");
  if (s.status !== "SOLVE_STATUS_SOLVED") return label;
  const tol = solverCertificateTolerances(outcome);
  const v = await verifyOutcome(outcome, { timeLimit: 0 });
  if (!v.certificatePassed) {
    const known = knownUncertifiedIssue(outcome, tol);
    if (known) return `KNOWN ${known.id}`;
    throw new FuzzFailure(
      `SOLVED but the certificate fails at tolerances primal ${tol.primal}, dual ${tol.dual}: reciprocity ${v.maxReciprocityViolation}, ` +
        `bounds ${v.maxBoundViolation}, price ${v.maxPriceViolation} (agent ${v.worstAgentId}); ` +
        `${s.iterations} iterations, residuals ${s.primalResidual} / ${s.dualResidual}, rho ${s.rho}`,
    );
  }
  return certify(outcome.expanded.arrays, outcome.result.solution).passed ? label : `${label} (fails certify-default)`;
}
