export { toCsv, type Cell } from "./csv.js";
export { lineChart, type Band, type LineChart, type Series } from "./svg.js";
export { linearTicks, logTicks, formatTick } from "./ticks.js";
export {
  agentPeriodRows,
  tradePeriodRows,
  storagePeriodRows,
  periodRows,
  priceBandChart,
  socChart,
  gridPvChart,
  writeMultiPeriodOutputs,
  multiPeriodOptionsFromMarket,
  periodCount,
  periodTime,
  MULTI_PERIOD_FILES,
  AGENT_PERIOD_COLUMNS,
  PERIOD_COLUMNS,
  MAX_SOC_SERIES,
  type MultiPeriodSolutionJson,
  type MultiPeriodOptions,
  type AgentResultJson,
  type TradeJson,
  type PeriodResultJson,
  type JsonNumber,
} from "./multiperiod.js";
