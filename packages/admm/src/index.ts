export * from "./problem.js";
export * from "./build.js";
export * from "./settings.js";
export * from "./status.js";
export {
  solveLocal,
  solveLocalFrom,
  firstPrice,
  sanitizeCosts,
  costsZero,
  reserveLocalScratch,
  type LocalProblem,
} from "./local.js";
export {
  phase,
  coldIterate,
  consensusUpdate,
  localSolves,
  type IterateArrays,
  PARTIALS,
  R_PRIMAL,
  R_DUAL,
  R_PSCALE,
  R_DSCALE,
} from "./kernel.js";
export { checkFeasibility, type Feasibility } from "./feasibility.js";
export { checkBoundedness, type Boundedness } from "./boundedness.js";
export { AdmmSolver, type AdmmResult, type SolveOptions, type WarmStart } from "./solver.js";
export { objective } from "./objective.js";
export { initialRho } from "./rho.js";
export {
  attachSolver,
  solveParallel,
  parallelThreads,
  parallelMinTrades,
  startPays,
  predictedIterationSeconds,
  THREAD_COSTS,
} from "./parallel.js";
export { ShardTeam, shardTeam, closeShardTeam, runningShardTeam, type PhaseExecutor } from "./team.js";
export { shardBounds } from "./shards.js";
export { toSharedArrays, arraysShared, isShared } from "./shared.js";
export { xorshift32, mulberry32 } from "./random.js";
export { peerMarket, peerMarketColumns } from "./peer-market.js";
export { Polisher, type PolishResult } from "./polish.js";
export * from "./horizon.js";
export {
  solveStorageLocal,
  reserveStorageScratch,
  setStorageWindowing,
  setStorageActiveSet,
  setStorageFastPath,
  storageSolveStats,
  storageLocalKkt,
  storageLocalObjective,
  storageResponseCurve,
  type StorageLocalDetail,
  type StorageLocalKkt,
} from "./storage-local.js";
