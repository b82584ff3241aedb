export { solveMarket, solveThreads, PARALLEL_MIN_TRADES, type SolveMarketOptions, type SolveOutcome } from "./solve.js";
export { networkChargeReport } from "./charges-report.js";
export {
  type Iterate,
  WarmStartMismatchError,
  encodeIterate,
  decodeIterate,
  iterateFromTrades,
  iterateToTrades,
} from "./iterate.js";
export { engineSettings } from "./settings.js";
export { buildSolution, solveStatus, TradeRows } from "./solution.js";
export { networkContext, resolvedCharges, type NetworkContext } from "./network-context.js";
export { networkRevenue } from "./cost-recovery.js";
export { sweepFees, type SweepPoint, type SweepOptions } from "./sweep.js";
export {
  verifyOutcome,
  solverCertificateTolerances,
  certificateTolerances,
  certifyMultiPeriod,
  CERTIFICATE_FACTOR,
  type StoppingThresholds,
  type VerifyOptions,
} from "./verify.js";
export { buildHorizonSolution, periodStartTime, SIMULTANEOUS_TOLERANCE } from "./horizon-solution.js";
export { engineAgentName } from "./horizon-charges.js";
export {
  prepareMarket,
  priceMarket,
  tradeCharges,
  tradeCosts,
  NonConvexMarketError,
  type PreparedMarket,
  type PricedMarket,
  type PrepareOptions,
  type TradeCharges,
  type TradeCosts,
} from "./pipeline.js";
export { horizonSolutionArrays, type HorizonSolutionArrays } from "./horizon-stored.js";
