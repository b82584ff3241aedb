/**
 * The physical schedule every pricing rule settles (docs/mechanisms.md, "Schedule"): members ×
 * periods net power, the grid's import and export price per period, and the period length Δ.
 * A single-period market is T = 1, Δ = 1 h.
 */
export interface Schedule {
  /** Member ids (the market's agents without the grid). */
  members: string[];
  /** Number of periods T. */
  periods: number;
  /** Δ, hours per period. */
  periodHours: number;
  /** Net power of member n in period t at [n·T + t], MW (> 0 supplies, < 0 consumes). */
  power: Float64Array;
  /** λ⁺_t, the import (retail) price, €/MWh, per period. */
  importPrice: Float64Array;
  /** λ⁻_t, the export (feed-in) price, €/MWh, per period. */
  exportPrice: Float64Array;
}

/** The pricing rules of docs/mechanisms.md. */
export type MechanismId = "grid_only" | "bill_sharing" | "mid_market" | "supply_demand_ratio" | "bilateral";

export const MECHANISMS: readonly MechanismId[] = [
  "grid_only",
  "bill_sharing",
  "mid_market",
  "supply_demand_ratio",
  "bilateral",
];

export const MECHANISM_LABEL: Record<MechanismId, string> = {
  grid_only: "grid only",
  bill_sharing: "bill sharing",
  mid_market: "mid-market rate",
  supply_demand_ratio: "supply-demand ratio",
  bilateral: "bilateral",
};

/**
 * The energy money of one rule: what each member pays per period (negative: receives) and what
 * the grid pays (negative: receives). Budget balance: Σ_n payment[n,t] + gridPayment[t] = 0.
 */
export interface Settlement {
  mechanism: MechanismId;
  /** € paid by member n in period t at [n·T + t]. */
  payment: Float64Array;
  /** € paid by the grid in period t (negative when the community pays it). */
  gridPayment: Float64Array;
  /** Average price paid by the period's net buyers (their payments / their demand), €/MWh; NaN with no demand. */
  buyPrice: Float64Array;
  /** Average price received by the period's net sellers (their receipts / their supply), €/MWh; NaN with no supply. */
  sellPrice: Float64Array;
}

/** Supply S_t and demand D_t of the members in period t, MW. */
export function supplyDemand(s: Schedule, t: number): { supply: number; demand: number } {
  let supply = 0;
  let demand = 0;
  const T = s.periods;
  for (let n = 0; n < s.members.length; n++) {
    const p = s.power[n * T + t];
    if (p > 0) supply += p;
    else if (p < 0) demand -= p;
  }
  return { supply, demand };
}

/** Checks a schedule's shape; throws a RangeError naming the problem. */
export function checkSchedule(s: Schedule): void {
  const T = s.periods;
  if (!Number.isInteger(T) || T < 1) throw new RangeError(`schedule: periods must be an integer ≥ 1, got ${T}`);
  if (!(s.periodHours > 0) || !Number.isFinite(s.periodHours))
    throw new RangeError(`schedule: periodHours must be > 0, got ${s.periodHours}`);
  if (s.power.length !== s.members.length * T)
    throw new RangeError(
      `schedule: power needs members × periods = ${s.members.length * T} values, got ${s.power.length}`,
    );
  if (s.importPrice.length !== T || s.exportPrice.length !== T)
    throw new RangeError(`schedule: one import and one export price per period expected`);
  for (let t = 0; t < T; t++) {
    if (!Number.isFinite(s.importPrice[t]) || !Number.isFinite(s.exportPrice[t]))
      throw new RangeError(`schedule: period ${t}: grid prices must be finite`);
    if (s.importPrice[t] < s.exportPrice[t]) {
      throw new RangeError(
        `schedule: period ${t}: import price ${s.importPrice[t]} below export price ${s.exportPrice[t]}`,
      );
    }
  }
  for (let i = 0; i < s.power.length; i++)
    if (!Number.isFinite(s.power[i])) throw new RangeError(`schedule: power[${i}] is not finite`);
}

/** Average buy and sell prices of a settlement from its payments (see Settlement). */
export function averagePrices(s: Schedule, payment: Float64Array, t: number): { buy: number; sell: number } {
  const T = s.periods;
  let paidByBuyers = 0;
  let receivedBySellers = 0;
  const { supply, demand } = supplyDemand(s, t);
  for (let n = 0; n < s.members.length; n++) {
    const p = s.power[n * T + t];
    if (p < 0) paidByBuyers += payment[n * T + t];
    else if (p > 0) receivedBySellers -= payment[n * T + t];
  }
  const dt = s.periodHours;
  return {
    buy: demand > 0 ? paidByBuyers / (demand * dt) : NaN,
    sell: supply > 0 ? receivedBySellers / (supply * dt) : NaN,
  };
}
