/** One problem of a market, at a proto3 JSON field path (`agents[3].powerMin`, `grid.exportPrice`). */
export interface ValidationIssue {
  path: string;
  message: string;
}

/** Size limits of a market, to refuse before allocating what cannot fit. */
export interface MarketLimits {
  maxAgents: number;
  /** Pairs of the trading graph that can trade (both directions of a pair count once). */
  maxPairs: number;
  /** Multi-period markets: agents × periods (default: the larger of maxAgents and maxPairs). */
  maxAgentPeriods?: number;
  /** Multi-period markets: pairs × periods (default: maxPairs). */
  maxPairPeriods?: number;
}

/** Default limits: 2 million agents, 25 million pairs (50 million directed trades). */
export const defaultLimits: Readonly<MarketLimits> = Object.freeze({ maxAgents: 2_000_000, maxPairs: 25_000_000 });

/** At most this many issues are reported. */
export const MAX_ISSUES = 100;

/** A market that failed validation. The message is the first issue (`path: message`) and how many more there are. */
export class MarketValidationError extends Error {
  readonly issues: ValidationIssue[];

  constructor(issues: ValidationIssue[]) {
    const first = issues[0];
    const head = first ? (first.path ? `${first.path}: ${first.message}` : first.message) : "invalid market";
    super(issues.length > 1 ? `${head} (and ${issues.length - 1} more)` : head);
    this.name = "MarketValidationError";
    this.issues = issues;
  }
}

/** Collects issues up to MAX_ISSUES. */
export class IssueList {
  readonly list: ValidationIssue[] = [];

  constructor(private readonly cap = MAX_ISSUES) {}

  /** Whether the list is full (further checks can stop). */
  get full(): boolean {
    return this.list.length >= this.cap;
  }

  add(path: string, message: string): void {
    if (!this.full) this.list.push({ path, message });
  }
}
