import type { Agent, Grid, Market, NetworkCharges, Storage } from "./types.js";

/** The periods of a market: T periods of Δ hours (one period of one hour without a horizon). */
export interface ResolvedHorizon {
  periods: number;
  periodHours: number;
  startTime: string;
}

/** T and Δ of a market (defaults 1 and 1 when `horizon` is unset). */
export function resolvedHorizon(market: Market): ResolvedHorizon {
  const h = market.horizon;
  if (!h) return { periods: 1, periodHours: 1, startTime: "" };
  return { periods: h.periods, periodHours: h.periodHours, startTime: h.startTime ?? "" };
}

function given(p: number[] | undefined | null): boolean {
  return p !== undefined && p !== null && p.length > 0;
}

function agentHasProfiles(a: Agent): boolean {
  return (
    given(a.costQuadraticProfile) || given(a.costLinearProfile) || given(a.powerMinProfile) || given(a.powerMaxProfile)
  );
}

function gridHasProfiles(g: Grid): boolean {
  return (
    given(g.importPriceProfile) || given(g.exportPriceProfile) || given(g.importMaxProfile) || given(g.exportMaxProfile)
  );
}

/**
 * Whether a market is multi-period: it has a horizon, a storage, or any per-period profile.
 * Other markets are single-period markets and take the single-period path unchanged.
 */
export function isMultiPeriod(market: Market): boolean {
  if (market.horizon) return true;
  for (const a of market.agents) if (a.storage || agentHasProfiles(a)) return true;
  if (market.grid && gridHasProfiles(market.grid)) return true;
  if (market.charges && given(market.charges.unitFeeProfile)) return true;
  return false;
}

/** The value of a profile in period t, or the scalar when the profile is not given. */
export function profileAt(profile: number[] | undefined | null, scalar: number, t: number): number {
  return profile && profile.length > 0 ? profile[t] : scalar;
}

/** A storage's parameters with the defaults of the API filled in. */
export interface ResolvedStorage {
  energyCapacity: number;
  chargeMax: number;
  dischargeMax: number;
  chargeEfficiency: number;
  dischargeEfficiency: number;
  socInitial: number;
  socFinalMin: number;
  socMin: number;
  socMax: number;
  throughputCost: number;
}

function opt(v: number | undefined | null, d: number): number {
  return v === undefined || v === null ? d : v;
}

/** Fills a storage's defaults: efficiencies 1, soc_max = energy_capacity, soc_final_min = soc_initial. */
export function resolveStorage(s: Storage): ResolvedStorage {
  return {
    energyCapacity: s.energyCapacity,
    chargeMax: s.chargeMax,
    dischargeMax: s.dischargeMax,
    chargeEfficiency: opt(s.chargeEfficiency, 1),
    dischargeEfficiency: opt(s.dischargeEfficiency, 1),
    socInitial: s.socInitial,
    socFinalMin: opt(s.socFinalMin, s.socInitial),
    socMin: s.socMin,
    socMax: opt(s.socMax, s.energyCapacity),
    throughputCost: s.throughputCost,
  };
}

/**
 * The largest stored energy reachable at the end of the horizon: charging at full power in every
 * period, E_t = min(soc_max, E_{t−1} + Δ·η_c·charge_max), from soc_initial.
 */
export function maxFinalSoc(s: ResolvedStorage, periods: number, periodHours: number): number {
  let e = s.socInitial;
  const step = periodHours * s.chargeEfficiency * s.chargeMax;
  for (let t = 0; t < periods; t++) e = Math.min(s.socMax, e + step);
  return e;
}

/** Agent profile fields, as named in proto3 JSON and in profile CSV columns. */
export const AGENT_PROFILE_FIELDS = ["costQuadratic", "costLinear", "powerMin", "powerMax"] as const;
export type AgentProfileField = (typeof AGENT_PROFILE_FIELDS)[number];
export const GRID_PROFILE_FIELDS = ["importPrice", "exportPrice", "importMax", "exportMax"] as const;
export type GridProfileField = (typeof GRID_PROFILE_FIELDS)[number];

/** The profile of an agent field (`powerMax` → `powerMaxProfile`). */
export function agentProfile(a: Agent, f: AgentProfileField): number[] | undefined {
  return a[`${f}Profile`];
}

/** The profile of a grid field. */
export function gridProfile(g: Grid, f: GridProfileField): number[] | undefined {
  return g[`${f}Profile`];
}

/** The time-of-use unit fees, or undefined. */
export function unitFeeProfile(c: NetworkCharges | null | undefined): number[] | undefined {
  return c?.unitFeeProfile && c.unitFeeProfile.length > 0 ? c.unitFeeProfile : undefined;
}
