import { existsSync, readFileSync } from "node:fs";
import { parseArgs, type ParseArgsConfig } from "node:util";
import {
  makeCharges,
  bundledCaseNames,
  type ChargeDesign,
  type Market,
  numberFlag,
  applyLoadsFlag,
  readScenarioFlags,
  scenarioFlagOptions,
  settingsFlagOptions,
  settingsFromFlags,
} from "@peermarket/model";
import { UsageError } from "./errors.js";

/** parseArgs option specs shared by `solve` and `charges`. */
export const marketOptions = {
  ...scenarioFlagOptions,
  network: { type: "string" },
  charges: { type: "string" },
  "unit-fee": { type: "string" },
  "seller-share": { type: "string" },
  "target-revenue": { type: "string" },
} as const;

export const settingsOptions = {
  ...settingsFlagOptions,
  workers: { type: "string" },
} as const;

const DESIGNS: Record<string, ChargeDesign> = {
  none: "CHARGE_DESIGN_NONE",
  uniform: "CHARGE_DESIGN_UNIFORM",
  unique: "CHARGE_DESIGN_UNIFORM",
  distance: "CHARGE_DESIGN_ELECTRICAL_DISTANCE",
  electrical: "CHARGE_DESIGN_ELECTRICAL_DISTANCE",
  zonal: "CHARGE_DESIGN_ZONAL",
};

/** The charge design named on the command line (uniform, distance, zonal, none). */
export function designOf(name: string, flag = "--charges"): ChargeDesign {
  const d = DESIGNS[name.toLowerCase()];
  if (!d) throw new UsageError(`${flag}: unknown design "${name}"; use uniform, distance, zonal or none`);
  return d;
}

/** A number given to a flag (the shared parser of every command). */
export { numberFlag };

/** Reads a scenario (a .json file, a MATPOWER .m case, or a bundled case name); applyMarketFlags does the rest. */
export function readScenario(arg: string | undefined): Market {
  return readScenarioFlags(arg);
}

/** Applies --network, --loads-as-buyers, --charges, --unit-fee, --seller-share, --target-revenue to a market. */
export function applyMarketFlags(market: Market, v: Record<string, string | boolean | undefined>): Market {
  const out: Market = { ...market };
  const net = v.network as string | undefined;
  if (net !== undefined) {
    if (existsSync(net)) out.network = { matpower: readFileSync(net, "utf8"), source: "matpower" };
    else if (bundledCaseNames().includes(net)) out.network = { bundledCase: net, source: "bundledCase" };
    else
      throw new UsageError(
        `--network: "${net}" is neither a file nor a bundled case (${bundledCaseNames().join(", ")})`,
      );
  }
  const withLoads = applyLoadsFlag(out, v);
  out.agents = withLoads.agents;
  const design = v.charges as string | undefined;
  const fee = numberFlag("unit-fee", v["unit-fee"] as string | undefined);
  const share = numberFlag("seller-share", v["seller-share"] as string | undefined);
  const target = numberFlag("target-revenue", v["target-revenue"] as string | undefined);
  if (design !== undefined || fee !== undefined || share !== undefined || target !== undefined) {
    const base = out.charges ?? makeCharges();
    out.charges = {
      ...base,
      design: design !== undefined ? designOf(design) : base.design,
      unitFee: fee ?? base.unitFee,
      sellerShare: share ?? base.sellerShare,
      targetRevenue: target ?? base.targetRevenue,
    };
    if (out.charges.design === "CHARGE_DESIGN_UNSPECIFIED" && (fee !== undefined || target !== undefined)) {
      throw new UsageError("--unit-fee and --target-revenue need a design: add --charges uniform|distance|zonal");
    }
  }
  return out;
}

/** SolverSettings from the settings flags (the shared parser of every command). */
export { settingsFromFlags };

/**
 * Parses the flags of a command that takes one scenario: the parsed values and the scenario
 * argument, or null when --help was asked (the usage is then printed). Bad flags are UsageErrors.
 */
export function parseScenarioCommand<O extends NonNullable<ParseArgsConfig["options"]>>(
  argv: string[],
  options: O,
  usage: string,
): {
  values: ReturnType<typeof parseArgs<{ options: O; allowPositionals: true; strict: true }>>["values"];
  scenario: string | undefined;
} | null {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  if ((parsed.values as Record<string, unknown>).help) {
    process.stdout.write(usage);
    return null;
  }
  if (parsed.positionals.length > 1)
    throw new UsageError(`expected one scenario, got ${parsed.positionals.length}: ${parsed.positionals.join(" ")}`);
  return { values: parsed.values, scenario: parsed.positionals[0] };
}
