import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { type Cell, type LineChart, lineChart, toCsv } from "@peermarket/charts";

/** Writes `rows` as CSV into `dir/name` and returns the path. */
export function writeCsv(dir: string, name: string, rows: readonly Record<string, Cell>[]): string {
  const path = join(dir, name);
  writeFileSync(path, toCsv(rows));
  return path;
}

/** Writes a line chart as SVG into `dir/name` and returns the path. */
export function writeChart(dir: string, name: string, chart: LineChart): string {
  const path = join(dir, name);
  writeFileSync(path, lineChart(chart));
  return path;
}
