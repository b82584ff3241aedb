/** Whether a target was met. */
export type Verdict = "met" | "missed" | "not measured";

/** One row of a suite's target table. */
export interface TargetRow {
  target: string;
  measured: string;
  verdict: Verdict;
  /** By how much it is missed and why, or what the figure rests on. */
  note: string;
}

/** The verdict of `value ≤ limit` (not measured when the value is missing or not finite). */
export function atMost(value: number | undefined, limit: number): Verdict {
  if (value === undefined || !Number.isFinite(value)) return "not measured";
  return value <= limit ? "met" : "missed";
}

/** The verdict of `value ≥ limit`. */
export function atLeast(value: number | undefined, limit: number): Verdict {
  if (value === undefined || !Number.isFinite(value)) return "not measured";
  return value >= limit ? "met" : "missed";
}

/** "missed by 3.2× (3.2 s for ≤ 1 s)"-style ratio text of a measured value against its limit. */
export function missRatio(value: number, limit: number, higherIsBetter = false): string {
  const r = higherIsBetter ? limit / value : value / limit;
  return `${r.toFixed(r < 10 ? 2 : 0)}× off`;
}

/** The markdown table of a suite's targets. */
export function targetTable(rows: readonly TargetRow[]): string {
  const out = ["| target | measured | verdict | by how much, why |", "|---|---|---|---|"];
  const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");
  for (const r of rows) out.push(`| ${cell(r.target)} | ${cell(r.measured)} | **${r.verdict}** | ${cell(r.note)} |`);
  return out.join("\n");
}
