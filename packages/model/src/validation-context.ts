import type { IssueList } from "./validation-issues.js";
import type { Market } from "./types.js";

/** Ids of the two grid agents added when `Market.grid` is set. */
export const GRID_IMPORT_ID = "grid_import";
export const GRID_EXPORT_ID = "grid_export";

/** What the checks of one market share. */
export interface ValidationContext {
  market: Market;
  issues: IssueList;
  /** Agent id → index of its first occurrence in market.agents. */
  index: Map<string, number>;
  /** Whether a grid is set (then "grid_import" and "grid_export" are valid partner ids). */
  hasGrid: boolean;
  /** Set by checkPairs: the explicit pairs' keys (see PairKeys). */
  pairKeys?: PairKeys;
}

/**
 * The explicit pairs resolved to agent indices, one key per pair in the order of Market.pairs:
 * min·stride + max with stride = agents + 2 (the grid agents are agents and agents + 1), −1 for
 * an invalid pair; `increasing` when the keys are strictly increasing (then no two are equal).
 */
export interface PairKeys {
  keys: Float64Array;
  stride: number;
  increasing: boolean;
}

/** Whether `id` names an agent of the market or, with a grid, a grid agent. */
export function isKnownAgent(ctx: ValidationContext, id: string): boolean {
  return ctx.index.has(id) || (ctx.hasGrid && (id === GRID_IMPORT_ID || id === GRID_EXPORT_ID));
}

/**
 * Checks that a number is not NaN, is finite unless an infinity of the allowed sign is permitted,
 * and is within ±1e100 when finite. Returns whether it passed.
 */
export function checkNumber(
  ctx: ValidationContext,
  path: string,
  v: number,
  allow: { negInf?: boolean; posInf?: boolean } = {},
): boolean {
  if (typeof v !== "number" || Number.isNaN(v)) {
    ctx.issues.add(path, `must be a number, got ${typeof v === "number" ? "NaN" : JSON.stringify(v)}`);
    return false;
  }
  if (v === Infinity && !allow.posInf) {
    ctx.issues.add(
      path,
      `must be finite, got Infinity${allow.negInf ? " (only -Infinity, no bound, is allowed here)" : ""}`,
    );
    return false;
  }
  if (v === -Infinity && !allow.negInf) {
    ctx.issues.add(
      path,
      `must be finite, got -Infinity${allow.posInf ? " (only Infinity, no bound, is allowed here)" : ""}`,
    );
    return false;
  }
  if (Number.isFinite(v) && Math.abs(v) > 1e100) {
    ctx.issues.add(path, `must be within ±1e100 (larger numbers overflow the market's products), got ${v}`);
    return false;
  }
  return true;
}
