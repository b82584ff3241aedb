import { resolveNetworkCase } from "./bundled.js";
import { BUS_I, type MatpowerCase } from "./matpower-types.js";
import { ScenarioError } from "./scenario-error.js";
import type { SolverSettings } from "./types.js";
import { checkNumber, type ValidationContext } from "./validation-context.js";
import type { ValidationIssue } from "./validation-issues.js";

/** Checks the grid: finite prices with exportPrice ≤ importPrice, limits ≥ 0 (Infinity allowed). */
export function checkGrid(ctx: ValidationContext): void {
  const g = ctx.market.grid;
  if (!g) return;
  const imp = checkNumber(ctx, "grid.importPrice", g.importPrice);
  const exp = checkNumber(ctx, "grid.exportPrice", g.exportPrice);
  if (imp && exp && g.exportPrice > g.importPrice) {
    ctx.issues.add(
      "grid.exportPrice",
      `must not exceed importPrice (${g.exportPrice} > ${g.importPrice}): the community could buy from the grid and sell back to it at a profit`,
    );
  }
  for (const f of ["importMax", "exportMax"] as const) {
    const v = g[f];
    if (v === undefined || v === null) continue;
    if (checkNumber(ctx, `grid.${f}`, v, { posInf: true }) && v < 0)
      ctx.issues.add(`grid.${f}`, `must be ≥ 0 (or unset: no limit), got ${v}`);
  }
}

/** The values of peermarket.v1.ChargeDesign. */
const CHARGE_DESIGNS: readonly string[] = [
  "CHARGE_DESIGN_UNSPECIFIED",
  "CHARGE_DESIGN_NONE",
  "CHARGE_DESIGN_UNIFORM",
  "CHARGE_DESIGN_ELECTRICAL_DISTANCE",
  "CHARGE_DESIGN_ZONAL",
];

/**
 * Checks the network charges: a known design, unitFee ≥ 0, sellerShare in [0, 1], targetRevenue ≥ 0 and only with
 * a charge design, zone distances ≥ 0 between named zones, each zone pair once; the electrical
 * distance design needs a network.
 */
export function checkCharges(ctx: ValidationContext): void {
  const c = ctx.market.charges;
  if (!c) return;
  const { issues } = ctx;
  const design: unknown = c.design;
  if (design !== undefined && design !== null && !CHARGE_DESIGNS.includes(design as string)) {
    issues.add("charges.design", `unknown value ${JSON.stringify(design)} (expected ${CHARGE_DESIGNS.join(", ")})`);
  }
  if (checkNumber(ctx, "charges.unitFee", c.unitFee) && c.unitFee < 0)
    issues.add("charges.unitFee", `must be ≥ 0, got ${c.unitFee}`);
  if (
    c.sellerShare !== undefined &&
    c.sellerShare !== null &&
    checkNumber(ctx, "charges.sellerShare", c.sellerShare) &&
    (c.sellerShare < 0 || c.sellerShare > 1)
  ) {
    issues.add(
      "charges.sellerShare",
      `must be between 0 and 1 (the seller's share of each charge), got ${c.sellerShare}`,
    );
  }
  if (
    c.targetRevenue !== undefined &&
    c.targetRevenue !== null &&
    checkNumber(ctx, "charges.targetRevenue", c.targetRevenue)
  ) {
    if (c.targetRevenue < 0) issues.add("charges.targetRevenue", `must be ≥ 0, got ${c.targetRevenue}`);
    else if (c.design === "CHARGE_DESIGN_NONE" || c.design === "CHARGE_DESIGN_UNSPECIFIED") {
      issues.add("charges.targetRevenue", `needs a charge design to find the fee for (design is ${c.design})`);
    }
  }
  if (c.design === "CHARGE_DESIGN_ELECTRICAL_DISTANCE" && !ctx.market.network) {
    issues.add(
      "charges.design",
      "CHARGE_DESIGN_ELECTRICAL_DISTANCE needs a network (Market.network) to compute distances on",
    );
  }
  const seen = new Map<string, number>();
  (c.zoneDistances ?? []).forEach((z, i) => {
    const p = `charges.zoneDistances[${i}]`;
    if (z.zoneA === "") issues.add(`${p}.zoneA`, "must name a zone");
    if (z.zoneB === "") issues.add(`${p}.zoneB`, "must name a zone");
    if (checkNumber(ctx, `${p}.distance`, z.distance) && z.distance < 0)
      issues.add(`${p}.distance`, `must be ≥ 0, got ${z.distance}`);
    const key = JSON.stringify([z.zoneA, z.zoneB].sort());
    const first = seen.get(key);
    if (first !== undefined)
      issues.add(
        p,
        `zones ${JSON.stringify(z.zoneA)} and ${JSON.stringify(z.zoneB)} are given twice (first in zoneDistances[${first}])`,
      );
    else seen.set(key, i);
  });
}

/**
 * Resolves the network (inline MATPOWER text or bundled case) and checks that the buses named by
 * agents and the grid are in it. Returns the parsed case, or null (no network, or it failed).
 */
export function checkNetwork(ctx: ValidationContext): MatpowerCase | null {
  const net = ctx.market.network;
  if (!net) return null;
  let c: MatpowerCase | null;
  try {
    c = resolveNetworkCase(net, "network");
  } catch (e) {
    if (!(e instanceof ScenarioError)) throw e;
    const where = e.line !== undefined ? `line ${e.line}, column ${e.column}: ` : "";
    ctx.issues.add(e.path || "network.matpower", `${where}${e.detail}`);
    return null;
  }
  if (!c) {
    ctx.issues.add("network", "set matpower (the text of a MATPOWER case) or bundledCase (the name of a bundled case)");
    return null;
  }
  const buses = new Set(c.bus.map((r) => String(r[BUS_I])));
  const label = c.name ? `the network ${c.name}` : "the network";
  ctx.market.agents.forEach((a, i) => {
    if (a.bus !== "" && !buses.has(a.bus))
      ctx.issues.add(`agents[${i}].bus`, `bus ${JSON.stringify(a.bus)} is not in ${label}`);
  });
  const g = ctx.market.grid;
  if (g && g.bus !== "" && !buses.has(g.bus))
    ctx.issues.add("grid.bus", `bus ${JSON.stringify(g.bus)} is not in ${label}`);
  return c;
}

/**
 * Checks solver settings as a request gives them (unset fields keep the engine's defaults) and
 * returns an issue per invalid setting, at its proto3 JSON name (`timeLimitS`): the same ranges the
 * engine enforces, checked where the request is read so that a bad setting is the client's error,
 * never a silent replacement. rho finite ≥ 0 (0: chosen from the market) and ≤ 1e100; epsAbs,
 * epsRel finite ≥ 0, not both 0; maxIter, checkTermination integers ≥ 1; timeLimitS finite ≥ 0
 * (0: none); alpha in (0, 2); workers an integer ≥ 0 (0: the default).
 */
export function validateSolverSettings(settings: Partial<SolverSettings> | null | undefined): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  if (!settings) return issues;
  const given = (v: unknown): v is number => v !== undefined && v !== null;
  const nonNegative = (name: keyof SolverSettings, what: string) => {
    const v = settings[name];
    if (given(v) && !(typeof v === "number" && Number.isFinite(v) && v >= 0))
      issues.push({ path: name, message: `must be a finite number ≥ 0${what}, got ${String(v)}` });
  };
  const atLeast = (name: keyof SolverSettings, min: number, what: string) => {
    const v = settings[name];
    if (given(v) && !(Number.isInteger(v) && (v as number) >= min))
      issues.push({ path: name, message: `must be an integer ≥ ${min}${what}, got ${String(v)}` });
  };
  nonNegative("rho", " (0: chosen from the market's costs)");
  if (given(settings.rho) && settings.rho > 1e100)
    issues.push({ path: "rho", message: `must be at most 1e100, got ${settings.rho}` });
  nonNegative("epsAbs", "");
  nonNegative("epsRel", "");
  if (settings.epsAbs === 0 && settings.epsRel === 0)
    issues.push({ path: "epsRel", message: "epsAbs and epsRel cannot both be 0" });
  atLeast("maxIter", 1, "");
  atLeast("checkTermination", 1, "");
  nonNegative("timeLimitS", " (0: no limit)");
  if (given(settings.alpha) && !(settings.alpha > 0 && settings.alpha < 2))
    issues.push({ path: "alpha", message: `must be in (0, 2), got ${String(settings.alpha)}` });
  if (
    settings.adaptiveRho !== undefined &&
    settings.adaptiveRho !== null &&
    typeof settings.adaptiveRho !== "boolean"
  ) {
    issues.push({ path: "adaptiveRho", message: "must be a boolean" });
  }
  if (settings.polish !== undefined && settings.polish !== null && typeof settings.polish !== "boolean") {
    issues.push({ path: "polish", message: "must be a boolean" });
  }
  atLeast("workers", 0, " (0: the default)");
  return issues;
}
