export * from "./types.js";
export * from "./matpower-types.js";
export * from "./expanded-types.js";
export * from "./scenario-error.js";
export * from "./scenario-json.js";
export { readMessage, ProtoJsonError } from "./proto-json-read.js";
export { StreamedRows, writeMessage } from "./proto-json-write.js";
export * from "./matpower.js";
export * from "./bundled.js";
export * from "./matpower-market.js";
export * from "./load.js";
export {
  validateMarket,
  defaultLimits,
  MarketValidationError,
  MAX_ISSUES,
  GRID_IMPORT_ID,
  GRID_EXPORT_ID,
  type MarketLimits,
  type ValidationIssue,
} from "./validate.js";
export { validateSolverSettings } from "./validate-settings.js";
export { MAX_EXPR_DEPTH } from "./matpower-expr.js";
export { expandMarket, type ExpandOptions } from "./expand.js";
export { combineCosts, checkConvexity } from "./convexity.js";
export { marketFingerprint } from "./fingerprint.js";
export { findTrade } from "./preferences-fold.js";
export { makeAgent, makeCharges, makeGrid, makeMarket, makePreference, ratedBundledCase } from "./fixtures.js";
export { preferenceUnitCost, type PartnerView } from "./preference-cost.js";
export * from "./command-flags.js";
export { applyLoadsAsBuyers, parseLoadsAsBuyers, type LoadDemand } from "./loads-as-buyers.js";
export {
  isMultiPeriod,
  resolvedHorizon,
  resolveStorage,
  maxFinalSoc,
  profileAt,
  type ResolvedHorizon,
  type ResolvedStorage,
} from "./horizon-profiles.js";
export { MAX_PERIODS } from "./validate-horizon.js";
export { loadProfilesCsv, ProfilesCsvError } from "./profiles-csv.js";
