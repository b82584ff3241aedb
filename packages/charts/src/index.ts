export { toCsv, type Cell } from "./csv.js";
export { lineChart, type LineChart, type Series } from "./svg.js";
export { linearTicks, logTicks, formatTick } from "./ticks.js";
