export * from "./types.js";
export * from "./matpower-types.js";
export * from "./expanded-types.js";
export * from "./scenario-error.js";
export * from "./scenario-json.js";
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
export { expandMarket, type ExpandOptions } from "./expand.js";
export { combineCosts, checkConvexity } from "./convexity.js";
export { marketFingerprint } from "./fingerprint.js";
export { findTrade } from "./preferences-fold.js";
export { makeAgent, makeMarket, makePreference } from "./fixtures.js";
export { preferenceUnitCost, type PartnerView } from "./preference-cost.js";
