/** How a benchmark suite runs. */
export interface SuiteContext {
  /** quick: a few minutes in all; full: the figures of RESULTS.md at full size; smoke: the smallest sizes, checks it runs. */
  mode: "smoke" | "quick" | "full";
  /** Directory for CSV and SVG files. */
  outDir: string;
  /** Progress lines. */
  log: (line: string) => void;
}

/** What a suite produced: a markdown section for RESULTS.md and the files it wrote. */
export interface SuiteResult {
  name: string;
  markdown: string;
  files: string[];
  /** One-minute load average when the suite started and ended (set by `runSuites`): other processes' share of the cores. */
  loadAverage?: { start: number; end: number };
}

export interface Suite {
  name: string;
  description: string;
  run(ctx: SuiteContext): Promise<SuiteResult> | SuiteResult;
}
