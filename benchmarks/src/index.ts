export { benchCommand, runSuites, BENCH_USAGE, benchmarksDir } from "./cli.js";
export { suites } from "./suites/index.js";
export type { Suite, SuiteContext, SuiteResult } from "./suite.js";
export { machineInfo, median, timeIt, type MachineInfo } from "./machine.js";
export {
  syntheticCommunity,
  communityColumns,
  communityArrays,
  engineBytes,
  type Community,
  type CommunityColumns,
  type CommunityOptions,
} from "./synthetic.js";
