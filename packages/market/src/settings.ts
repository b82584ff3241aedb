import type { AdmmSettings } from "@peermarket/admm";
import type { SolverSettings } from "@peermarket/model";

/**
 * The engine settings of a request's SolverSettings (proto names, OSQP vocabulary). Unset fields
 * keep the engine's defaults; range checks happen in the engine and name the setting
 * (`alpha must be in (0, 2)`). `workers` is handled by the caller.
 */
export function engineSettings(s: SolverSettings | null | undefined): Partial<AdmmSettings> {
  const out: Partial<AdmmSettings> = {};
  if (!s) return out;
  if (s.rho !== undefined && s.rho !== null) out.rho = s.rho;
  if (s.epsAbs !== undefined && s.epsAbs !== null) out.epsAbs = s.epsAbs;
  if (s.epsRel !== undefined && s.epsRel !== null) out.epsRel = s.epsRel;
  if (s.maxIter !== undefined && s.maxIter !== null) out.maxIter = s.maxIter;
  if (s.timeLimitS !== undefined && s.timeLimitS !== null) out.timeLimit = s.timeLimitS;
  if (s.adaptiveRho !== undefined && s.adaptiveRho !== null) out.adaptiveRho = s.adaptiveRho;
  if (s.alpha !== undefined && s.alpha !== null) out.alpha = s.alpha;
  if (s.checkTermination !== undefined && s.checkTermination !== null) out.checkTermination = s.checkTermination;
  if (s.polish !== undefined && s.polish !== null) out.polish = s.polish;
  return out;
}
