import { availableParallelism } from "node:os";
import type { AdmmSettings } from "@peermarket/admm";
import { solveMarket } from "@peermarket/market";
import { type Market, MarketValidationError, type SolverSettings } from "@peermarket/model";
import { COALITION_SETTINGS, type CoalitionValue, CoalitionValuer, SEARCH_SETTINGS } from "./coalitions.js";
import {
  bilateralSettlement,
  type Community,
  communityOf,
  gridOnly,
  type GridOnly,
  memberCosts,
  scheduleOf,
} from "./community.js";
import { billSharing, budgetImbalance, midMarket, supplyDemandRatio } from "./rules.js";
import { MECHANISM_LABEL, type MechanismId, type Schedule, type Settlement } from "./schedule.js";
import { allCoalitionValuesParallel } from "./coalition-worker.js";
import { prepareStorageGridOnly, scheduleSlack } from "./storage.js";
import {
  allCoalitionValues,
  type CoalitionTable,
  type CoreResult,
  exactCore,
  jainIndex,
  searchCore,
} from "./stability.js";

/** One member: its schedule and the costs every rule shares, and its outside option. */
export interface MemberRow {
  id: string;
  /** Net power in the cleared schedule (average over the periods), MW. */
  power: number;
  /** Δ·Σ f_n, €. */
  energyCost: number;
  /** Network charges and preference costs of its trades (with the grid's share on its grid trades), €. */
  networkCharges: number;
  preferenceCost: number;
  /** Grid only: its own best schedule alone with the grid, and its total cost there, €. */
  gridOnlyPower: number;
  gridOnlyCost: number;
}

/** One rule's table. Money in € over the horizon; a member's total cost = energy + trade costs + payment. */
export interface MechanismResult {
  mechanism: MechanismId;
  label: string;
  /** Per member: energy money paid under the rule (negative: received). */
  payment: number[];
  /** Per member: energy cost + network charges + preference cost + payment. */
  totalCost: number[];
  /** Per member: grid-only cost − total cost (> 0: better off than alone). */
  saving: number[];
  /** Per member: individually rational (saving ≥ −tolerance). */
  individuallyRational: boolean[];
  /** Members who would rather leave (not individually rational). */
  leavers: string[];
  /** Per period: payments per member [member][period], the grid's payment, average buy/sell prices €/MWh. */
  periods: { payment: number[][]; gridPayment: number[]; buyPrice: number[]; sellPrice: number[] };
  /** Largest |members' payments + the grid's| over the periods, €. */
  budgetImbalance: number;
  /** Jain's index of the savings (negative savings counted as 0; `clippedSavings` says how many). */
  jainIndex: number;
  clippedSavings: number;
  core: CoreResult | null;
}

export interface MechanismComparison {
  market: string;
  /** Status of the market's clearing (the schedule every rule settles). */
  status: string;
  periods: number;
  periodHours: number;
  members: MemberRow[];
  mechanisms: MechanismResult[];
  stability: {
    method: "exact" | "search" | "skipped";
    /** Coalitions cleared by the engine (singletons are exact and not counted), their iterations and seconds. */
    coalitionsCleared: number;
    coalitionIterations: number;
    coalitionSeconds: number;
    /** Largest duality gap of a coalition clearing, € (what the blocking tolerance is built from). */
    maxGap: number;
    /**
     * With storage: the sum over members of their certified regret bounds at the cleared schedule
     * (`scheduleSlack`), € — how far the unpolished clearing may be from an equilibrium; a
     * coalition's tolerance includes its members' share. 0 without storage.
     */
    scheduleSlack: number;
  };
  /** Seconds: clearing the market, then the whole comparison. */
  clearSeconds: number;
  totalSeconds: number;
  notes: string[];
}

export interface CompareOptions {
  /** Settings of the market's clearing; unset tolerances default to eps_abs 1e-9, eps_rel 1e-8 (with storage: 1e-6, 1e-5 and a 600 s time limit). */
  settings?: SolverSettings | null;
  /** Engine settings of the coalition clearings: exact test (default COALITION_SETTINGS) and search (default SEARCH_SETTINGS). */
  coalitionSettings?: Partial<AdmmSettings>;
  searchSettings?: Partial<AdmmSettings>;
  /** Exact enumeration up to this many members (default 16, at most 16); a search beyond. */
  exactLimit?: number;
  /** Coalitions cleared per rule by the search (default 60), and its wall-clock limit per rule in seconds (default 60). */
  searchBudget?: number;
  searchTimeLimitS?: number;
  seed?: number;
  /** Skip the core test (individual rationality is always checked). */
  skipCore?: boolean;
  onProgress?: (done: number, total: number) => void;
  /**
   * Threads of the exact core test (default: the cores, from PARALLEL_MIN_MEMBERS members; one
   * below, where starting threads costs more than it saves). The result does not depend on it.
   */
  threads?: number;
  /** HiGHS's time limit per storage member's grid-only problem, seconds (default 60). */
  gridOnlyTimeLimitS?: number;
  /** A table of every coalition's value computed beforehand (exact test only). */
  table?: { table: CoalitionTable; cleared: number; iterations: number; seconds: number; maxGap: number };
}

/** From this many members the exact core test runs on several threads by default. */
export const PARALLEL_MIN_MEMBERS = 11;

/** Clears the market and compares the pricing rules on its schedule (docs/mechanisms.md). */
export async function compareMechanisms(market: Market, options: CompareOptions = {}): Promise<MechanismComparison> {
  const t0 = performance.now();
  if (!market.grid) {
    throw new MarketValidationError([
      {
        path: "grid",
        message: "comparing pricing rules needs a grid (the members' outside option): add `grid` to the market",
      },
    ]);
  }
  const settings: SolverSettings = { warmStartSolutionId: "", ...(options.settings ?? {}) };
  // Storage markets are not polished and converge slowly: 1e-9 is out of reach in reasonable time,
  // so they default to 1e-6 / 1e-5 and a 600 s limit; the members' certified regrets at the schedule
  // (`scheduleSlack`) say how far from an equilibrium that leaves the bilateral outcome.
  const withStorage = market.agents.some((a) => a.storage);
  settings.epsAbs ??= withStorage ? 1e-6 : 1e-9;
  settings.epsRel ??= withStorage ? 1e-5 : 1e-8;
  settings.maxIter ??= 100_000;
  if (withStorage) settings.timeLimitS ??= 600;
  const outcome = await solveMarket(market, { settings });
  const clearSeconds = (performance.now() - t0) / 1000;
  const sol = outcome.result.solution;
  const c = communityOf(outcome.expanded, sol.trade, sol.price, sol.charge, sol.discharge);
  const n = c.members.length;
  const fallbacks = c.horizon ? await prepareStorageGridOnly(c, { timeLimitS: options.gridOnlyTimeLimitS }) : [];
  const cleared =
    outcome.solution.status === "SOLVE_STATUS_SOLVED" || outcome.solution.status === "SOLVE_STATUS_SOLVED_INACCURATE";
  // Without a cleared schedule there is nothing to test coalitions against.
  if (!cleared) options = { ...options, skipCore: true };
  const limit = Math.min(options.exactLimit ?? 16, 16);
  const threads = options.threads ?? (n >= PARALLEL_MIN_MEMBERS ? availableParallelism() : 1);
  let table = options.table;
  if (!table && !options.skipCore && n <= limit && threads > 1 && n >= 2 && c.gridImport >= 0) {
    table = await allCoalitionValuesParallel(c, options.coalitionSettings ?? COALITION_SETTINGS, threads);
  }
  const r = compareCommunity(c, { ...options, table }, outcome.solution.status.replace(/^SOLVE_STATUS_/, ""));
  r.market = market.name;
  if (fallbacks.length > 0) {
    r.notes.push(
      `grid only of ${fallbacks.length} storage member(s) was cleared by the engine (eps_abs 1e-10, eps_rel 1e-9) because HiGHS stopped short: ${fallbacks.join("; ")} — their values carry the certified gap in "largest duality gap"`,
    );
  }
  r.clearSeconds = clearSeconds;
  r.totalSeconds = (performance.now() - t0) / 1000;
  if (outcome.solution.status !== "SOLVE_STATUS_SOLVED") {
    r.notes.unshift(
      cleared
        ? `the market's clearing is ${outcome.solution.status}: the schedule (and the bilateral prices) are not exact`
        : `the market's clearing did not converge (${outcome.solution.status}, ${outcome.result.info.iterations} iterations): the schedule below is the engine's last iterate, NOT the market's optimum; the bills are what the rules would charge for it, and the core test is skipped`,
    );
  }
  return r;
}

const IR_TOLERANCE = 1e-7;

/** The comparison on an already cleared community (T periods, no storage). */
export function compareCommunity(c: Community, options: CompareOptions = {}, status = "SOLVED"): MechanismComparison {
  const t0 = performance.now();
  const schedule = scheduleOf(c);
  const N = schedule.members.length;
  const shared = memberCosts(c);
  const alone = gridOnly(c);
  const notes: string[] = [];
  if (c.horizon) {
    notes.push(
      `${c.horizon.storage.count === 1 ? "1 member has" : `${c.horizon.storage.count} members have`} storage: their grid-only optimum is their own ${c.periods}-period problem with the grid, solved by HiGHS (exact to its tolerances); coalitions with storage are cleared by the engine over the horizon, with a lower bound from the storage members' relaxed state-of-charge chain (docs/mechanisms.md, "Storage")`,
    );
  }
  const members: MemberRow[] = schedule.members.map((id, i) => ({
    id,
    power:
      schedule.power.subarray(i * schedule.periods, (i + 1) * schedule.periods).reduce((u, v) => u + v, 0) /
      schedule.periods,
    energyCost: shared[i].energyCost,
    networkCharges: shared[i].networkCharges,
    preferenceCost: shared[i].preferenceCost,
    gridOnlyPower: alone[i].power,
    gridOnlyCost: alone[i].cost,
  }));
  const settlements: Settlement[] = [
    gridOnlySettlement(schedule, alone),
    billSharing(schedule),
    midMarket(schedule),
    supplyDemandRatio(schedule),
    bilateralSettlement(c, schedule),
  ];
  const standalone = alone.map((g) => g.cost);
  const results = settlements.map((st) => mechanismResult(schedule, st, shared, alone));

  // With storage the market's clearing is not polished: the members' certified regrets bound how far the schedule is from an equilibrium.
  const bilateralRow = results.find((m) => m.mechanism === "bilateral")!;
  const slack = c.horizon ? scheduleSlack(c, bilateralRow.totalCost) : null;
  let method: MechanismComparison["stability"]["method"] = "skipped";
  const limit = Math.min(options.exactLimit ?? 16, 16);
  const valuer = new CoalitionValuer(
    c,
    N <= limit ? (options.coalitionSettings ?? COALITION_SETTINGS) : (options.searchSettings ?? SEARCH_SETTINGS),
  );
  if (!options.skipCore && N > 0) {
    if (N <= limit) {
      method = "exact";
      let table: CoalitionTable;
      if (options.table) {
        table = options.table.table;
        valuer.cleared = options.table.cleared;
        valuer.iterations = options.table.iterations;
        valuer.seconds = options.table.seconds;
        valuer.maxGap = options.table.maxGap;
      } else table = allCoalitionValues(valuer, options.onProgress);
      for (const m of results) m.core = exactCore(table, schedule.members, m.totalCost, m.label, slack);
    } else {
      method = "search";
      const cache = new Map<string, CoalitionValue>();
      for (const m of results)
        m.core = searchCore(
          valuer,
          schedule.members,
          m.totalCost,
          standalone,
          m.label,
          cache,
          { budget: options.searchBudget, seed: options.seed, timeLimitS: options.searchTimeLimitS },
          slack,
        );
    }
  }
  const bilateral = results.find((m) => m.mechanism === "bilateral");
  if (bilateral?.core && bilateral.core.blockingCount > 0) {
    notes.push(
      "the bilateral outcome is blocked: with a convex market and an unlimited grid this cannot happen at the exact optimum — the grid's limits bind, or the clearing is inexact",
    );
  }
  return {
    market: "",
    status,
    periods: schedule.periods,
    periodHours: schedule.periodHours,
    members,
    mechanisms: results,
    stability: {
      method,
      coalitionsCleared: valuer.cleared,
      coalitionIterations: valuer.iterations,
      coalitionSeconds: valuer.seconds,
      maxGap: valuer.maxGap,
      scheduleSlack: slack ? slack.reduce((u, v) => u + v, 0) : 0,
    },
    clearSeconds: 0,
    totalSeconds: (performance.now() - t0) / 1000,
    notes,
  };
}

/** Grid only as a settlement: each member's payments to the grid at its own grid-only schedule, per period. */
function gridOnlySettlement(s: Schedule, alone: GridOnly[]): Settlement {
  const T = s.periods;
  const dt = s.periodHours;
  const payment = new Float64Array(alone.length * T);
  const gridPayment = new Float64Array(T);
  const buyPrice = new Float64Array(T);
  const sellPrice = new Float64Array(T);
  for (let t = 0; t < T; t++) {
    let demand = 0;
    let supply = 0;
    let paid = 0;
    let received = 0;
    alone.forEach((g, i) => {
      const pay = g.periodPayment[t];
      const p = g.periodPower[t];
      payment[i * T + t] = pay;
      gridPayment[t] -= pay;
      if (p < 0) {
        demand -= p;
        paid += pay;
      } else if (p > 0) {
        supply += p;
        received -= pay;
      }
    });
    buyPrice[t] = demand > 0 ? paid / (demand * dt) : NaN;
    sellPrice[t] = supply > 0 ? received / (supply * dt) : NaN;
  }
  return { mechanism: "grid_only", payment, gridPayment, buyPrice, sellPrice };
}

function mechanismResult(
  s: Schedule,
  st: Settlement,
  shared: ReturnType<typeof memberCosts>,
  alone: GridOnly[],
): MechanismResult {
  const T = s.periods;
  const N = s.members.length;
  const payment: number[] = [];
  const totalCost: number[] = [];
  const saving: number[] = [];
  const ir: boolean[] = [];
  const perPeriod: number[][] = [];
  for (let i = 0; i < N; i++) {
    let pay = 0;
    const row: number[] = [];
    for (let t = 0; t < T; t++) {
      pay += st.payment[i * T + t];
      row.push(st.payment[i * T + t]);
    }
    perPeriod.push(row);
    payment.push(pay);
    const total =
      st.mechanism === "grid_only"
        ? alone[i].cost
        : shared[i].energyCost + shared[i].networkCharges + shared[i].preferenceCost + pay;
    totalCost.push(total);
    const sv = alone[i].cost - total;
    saving.push(sv);
    ir.push(sv >= -IR_TOLERANCE * Math.max(1, Math.abs(alone[i].cost), Math.abs(total)));
  }
  const jain = jainIndex(saving);
  return {
    mechanism: st.mechanism,
    label: MECHANISM_LABEL[st.mechanism],
    payment,
    totalCost,
    saving,
    individuallyRational: ir,
    leavers: s.members.filter((_, i) => !ir[i]),
    periods: {
      payment: perPeriod,
      gridPayment: Array.from(st.gridPayment),
      buyPrice: Array.from(st.buyPrice),
      sellPrice: Array.from(st.sellPrice),
    },
    budgetImbalance: budgetImbalance(s, st),
    jainIndex: jain.index,
    clippedSavings: jain.clipped,
    core: null,
  };
}
