import {
  GRID_PROFILE_FIELDS,
  gridProfile,
  maxFinalSoc,
  profileAt,
  resolvedHorizon,
  resolveStorage,
} from "./horizon-profiles.js";
import type { Storage } from "./types.js";
import { checkNumber, type ValidationContext } from "./validation-context.js";
import type { MarketLimits } from "./validation-issues.js";

/** Largest number of periods of a horizon (a year of 5-minute periods). */
export const MAX_PERIODS = 105_120;

/**
 * The limit on agents × periods (default: maxPairs — the engine's work grows with pairs × periods,
 * and a period agent costs no more than a pair of one period).
 */
export function agentPeriodLimit(limits: MarketLimits): number {
  return limits.maxAgentPeriods ?? Math.max(limits.maxAgents, limits.maxPairs);
}

/** The limit on pairs × periods (default: maxPairs). */
export function pairPeriodLimit(limits: MarketLimits): number {
  return limits.maxPairPeriods ?? limits.maxPairs;
}

function fmt(x: number): string {
  return Number.isFinite(x) ? String(Number(x.toPrecision(10))) : String(x);
}

/**
 * Checks the multi-period parts of a market (docs/multi-period.md): the horizon (periods an
 * integer ≥ 1, periodHours > 0), every profile (T values, numbers as their scalar allows, power
 * bounds not inverted in any period, costQuadratic ≥ 0), every storage (capacities ≥ 0,
 * efficiencies in (0, 1], soc bounds in order, initial SoC within them, a final SoC the battery can
 * reach by charging at full power in every period, throughput cost ≥ 0), grid and unit-fee
 * profiles, and the size: agents × periods against the limits. Returns whether the horizon itself
 * is valid (T known).
 */
export function checkHorizon(ctx: ValidationContext, limits: MarketLimits): boolean {
  const { market, issues } = ctx;
  const h = market.horizon;
  if (h) {
    let ok = true;
    if (!(typeof h.periods === "number" && Number.isInteger(h.periods) && h.periods >= 1)) {
      issues.add("horizon.periods", `must be an integer ≥ 1 (the number of periods), got ${h.periods}`);
      ok = false;
    } else if (h.periods > MAX_PERIODS) {
      issues.add("horizon.periods", `${h.periods} periods, over the limit of ${MAX_PERIODS}`);
      ok = false;
    }
    if (checkNumber(ctx, "horizon.periodHours", h.periodHours) && !(h.periodHours > 0)) {
      issues.add(
        "horizon.periodHours",
        `must be > 0 (the length of a period in hours, e.g. 0.25 for quarter-hours), got ${h.periodHours}`,
      );
      ok = false;
    }
    if (h.startTime && Number.isNaN(Date.parse(h.startTime)))
      issues.add(
        "horizon.startTime",
        `must be an RFC 3339 time (e.g. "2026-06-21T00:00:00Z"), got ${JSON.stringify(h.startTime)}`,
      );
    if (!ok) return false;
  }
  const { periods: T, periodHours: dt } = resolvedHorizon(market);
  const what = h ? `the horizon has ${T} period${T === 1 ? "" : "s"}` : "the market has 1 period (set horizon.periods)";
  const agentsCount = market.agents.length + (ctx.hasGrid ? 2 : 0);
  const agentLimit = agentPeriodLimit(limits);
  if (T > 1 && agentsCount * T > agentLimit) {
    issues.add(
      "horizon.periods",
      `${agentsCount} agents × ${T} periods = ${agentsCount * T} period agents, over the limit of ${agentLimit}`,
    );
    return false;
  }
  const checkProfile = (
    path: string,
    p: number[] | undefined | null,
    allow: { negInf?: boolean; posInf?: boolean },
    min?: number,
  ): boolean => {
    if (!p || p.length === 0) return true;
    if (p.length !== T) {
      issues.add(path, `has ${p.length} values, ${what}`);
      return false;
    }
    let ok = true;
    for (let t = 0; t < p.length && !issues.full; t++) {
      if (!checkNumber(ctx, `${path}[${t}]`, p[t], allow)) ok = false;
      else if (min !== undefined && p[t] < min) {
        issues.add(`${path}[${t}]`, `must be ≥ ${min}, got ${p[t]}`);
        ok = false;
      }
    }
    return ok;
  };
  market.agents.forEach((a, i) => {
    if (issues.full) return;
    const pre = `agents[${i}]`;
    const ok = {
      costQuadratic: checkProfile(`${pre}.costQuadraticProfile`, a.costQuadraticProfile, {}, 0),
      costLinear: checkProfile(`${pre}.costLinearProfile`, a.costLinearProfile, {}),
      powerMin: checkProfile(`${pre}.powerMinProfile`, a.powerMinProfile, { negInf: true }),
      powerMax: checkProfile(`${pre}.powerMaxProfile`, a.powerMaxProfile, { posInf: true }),
    };
    const anyBoundProfile = (a.powerMinProfile?.length ?? 0) > 0 || (a.powerMaxProfile?.length ?? 0) > 0;
    if (ok.powerMin && ok.powerMax && anyBoundProfile && !Number.isNaN(a.powerMin) && !Number.isNaN(a.powerMax)) {
      for (let t = 0; t < T; t++) {
        const lo = profileAt(a.powerMinProfile, a.powerMin, t);
        const hi = profileAt(a.powerMaxProfile, a.powerMax, t);
        if (lo > hi) {
          const path =
            (a.powerMinProfile?.length ?? 0) > 0 ? `${pre}.powerMinProfile[${t}]` : `${pre}.powerMaxProfile[${t}]`;
          issues.add(path, `powerMin must not exceed powerMax in period ${t} (${lo} > ${hi})`);
          break;
        }
      }
    }
    if (a.storage) checkStorage(ctx, `${pre}.storage`, a.storage, T, dt, h !== null && h !== undefined);
  });
  const g = market.grid;
  if (g) {
    const ok = GRID_PROFILE_FIELDS.map((f) =>
      checkProfile(
        `grid.${f}Profile`,
        gridProfile(g, f),
        f.endsWith("Max") ? { posInf: true } : {},
        f.endsWith("Max") ? 0 : undefined,
      ),
    );
    if (ok[0] && ok[1] && ((g.importPriceProfile?.length ?? 0) > 0 || (g.exportPriceProfile?.length ?? 0) > 0)) {
      for (let t = 0; t < T; t++) {
        const imp = profileAt(g.importPriceProfile, g.importPrice, t);
        const exp = profileAt(g.exportPriceProfile, g.exportPrice, t);
        if (exp > imp) {
          issues.add(
            (g.exportPriceProfile?.length ?? 0) > 0 ? `grid.exportPriceProfile[${t}]` : `grid.importPriceProfile[${t}]`,
            `exportPrice must not exceed importPrice in period ${t} (${exp} > ${imp}): the community could buy from the grid and sell back to it at a profit`,
          );
          break;
        }
      }
    }
  }
  const c = market.charges;
  if (c && (c.unitFeeProfile?.length ?? 0) > 0) {
    checkProfile("charges.unitFeeProfile", c.unitFeeProfile, {}, 0);
    if (c.targetRevenue !== undefined && c.targetRevenue !== null) {
      issues.add(
        "charges.unitFeeProfile",
        "cannot be combined with targetRevenue: cost recovery searches one unit fee for every period",
      );
    }
  }
  return true;
}

function checkStorage(
  ctx: ValidationContext,
  pre: string,
  s: Storage,
  T: number,
  dt: number,
  hasHorizon: boolean,
): void {
  const { issues } = ctx;
  let ok = true;
  for (const f of ["energyCapacity", "chargeMax", "dischargeMax", "socInitial", "socMin", "throughputCost"] as const) {
    if (!checkNumber(ctx, `${pre}.${f}`, s[f])) ok = false;
    else if (s[f] < 0) {
      issues.add(`${pre}.${f}`, `must be ≥ 0, got ${s[f]}`);
      ok = false;
    }
  }
  for (const f of ["socFinalMin", "socMax"] as const) {
    const v = s[f];
    if (v === undefined || v === null) continue;
    if (!checkNumber(ctx, `${pre}.${f}`, v)) ok = false;
    else if (v < 0) {
      issues.add(`${pre}.${f}`, `must be ≥ 0, got ${v}`);
      ok = false;
    }
  }
  for (const f of ["chargeEfficiency", "dischargeEfficiency"] as const) {
    const v = s[f];
    if (v === undefined || v === null) continue;
    if (!checkNumber(ctx, `${pre}.${f}`, v)) ok = false;
    else if (!(v > 0 && v <= 1)) {
      issues.add(`${pre}.${f}`, `must be in (0, 1], got ${v}`);
      ok = false;
    }
  }
  if (!ok) return;
  const r = resolveStorage(s);
  if (s.socMax !== undefined && s.socMax !== null && s.socMax > r.energyCapacity) {
    issues.add(`${pre}.socMax`, `must not exceed energyCapacity (${fmt(s.socMax)} > ${fmt(r.energyCapacity)})`);
    return;
  }
  if (r.socMin > r.socMax) {
    issues.add(
      `${pre}.socMin`,
      `must not exceed socMax (${fmt(r.socMin)} > ${fmt(r.socMax)}${s.socMax === undefined || s.socMax === null ? ", energyCapacity" : ""})`,
    );
    return;
  }
  if (r.socInitial < r.socMin || r.socInitial > r.socMax) {
    issues.add(
      `${pre}.socInitial`,
      `must be within [socMin, socMax] = [${fmt(r.socMin)}, ${fmt(r.socMax)}], got ${fmt(r.socInitial)}`,
    );
    return;
  }
  if (r.socFinalMin > r.socMax) {
    issues.add(`${pre}.socFinalMin`, `must not exceed socMax (${fmt(r.socFinalMin)} > ${fmt(r.socMax)})`);
    return;
  }
  const reach = maxFinalSoc(r, T, dt);
  if (r.socFinalMin > reach * (1 + 1e-12) + 1e-12) {
    issues.add(
      `${pre}.socFinalMin`,
      `cannot be reached: charging at full power (${fmt(r.chargeMax)} MW, efficiency ${fmt(r.chargeEfficiency)}) in every one of the ${T} periods of ` +
        `${fmt(dt)} h from socInitial ${fmt(r.socInitial)} stores at most ${fmt(reach)} MWh, not ${fmt(r.socFinalMin)}` +
        (hasHorizon ? "" : " (the market has no horizon: one period of one hour)"),
    );
  }
}
