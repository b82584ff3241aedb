/**
 * @peermarket/fuzz — property-based fuzzing of peermarket (fast-check): the model (JSON values,
 * strings, mutated scenarios, mutated MATPOWER cases), the engine and pipeline (random valid
 * markets, judged by finiteness, status and KKT certificate) and the gRPC boundary (random and
 * mutated SolveMarket payloads against the in-process service), with a runner shared by
 * `npm test` (fixed seed, bounded runs) and `npm run fuzz` (10 000 inputs per target).
 */
export {
  type FuzzTarget,
  type FuzzRun,
  type RunOptions,
  FuzzFailure,
  runTarget,
  formatRun,
  showValue,
} from "./runner.js";
export { ALL_TARGETS } from "./targets/index.js";
export { validMarketArbitrary, type ValidMarketOptions } from "./market-arbitrary.js";
export { judgeOutcome, KNOWN_STATUSES } from "./judge.js";
export { solverCertificateTolerances, CERTIFICATE_FACTOR } from "@peermarket/market";
export {
  KNOWN_ISSUES,
  type KnownIssue,
  knownNonFiniteIssue,
  knownUncertifiedIssue,
  setStrict,
  tradeResolution,
} from "./known-issues.js";
export { nonFiniteNumbers } from "./finite.js";
export { checkScenarioText, expectModelError } from "./model-check.js";
