import { existsSync } from "node:fs";
import { bundledCaseNames, readBundledCase } from "./bundled.js";
import { loadScenario, loadScenarioText } from "./load.js";
import { applyLoadsAsBuyers, parseLoadsAsBuyers } from "./loads-as-buyers.js";
import type { Market, SolverSettings } from "./types.js";

/**
 * The flags every `peermarket` command shares: one parser (node:util parseArgs specs), one
 * settings vocabulary, one usage error. The command line and the negotiation commands import
 * them from here, so that `--adaptive-rho on` means the same everywhere.
 */

/** A bad flag or argument: one line on stderr, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** Exit codes of every `peermarket` command. */
export const EXIT_CODES = { ok: 0, internal: 1, badInput: 2, notSolved: 3, verificationFailed: 4 } as const;

/** A number given to a flag; NaN, empty, trailing garbage or out of range is a usage error naming the flag. */
export function numberFlag(
  flag: string,
  value: string | undefined,
  options: boolean | { integer?: boolean; min?: number } = {},
): number | undefined {
  if (value === undefined) return undefined;
  const o = typeof options === "boolean" ? { integer: options } : options;
  const v = value.trim() === "" ? Number.NaN : Number(value);
  if (!Number.isFinite(v) || (o.integer && !Number.isInteger(v)) || (o.min !== undefined && v < o.min)) {
    const what = o.integer ? "an integer" : "a number";
    throw new UsageError(`--${flag}: expected ${what}${o.min !== undefined ? ` ≥ ${o.min}` : ""}, got "${value}"`);
  }
  return v;
}

/** A yes/no flag value: true|false|on|off|yes|no|1|0 (any case). */
export function booleanFlag(flag: string, value: string | undefined): boolean | undefined {
  if (value === undefined) return undefined;
  if (/^(true|on|yes|1)$/i.test(value)) return true;
  if (/^(false|off|no|0)$/i.test(value)) return false;
  throw new UsageError(`--${flag}: expected true or false (on/off, yes/no, 1/0), got "${value}"`);
}

/** parseArgs specs of the solver settings flags (OSQP names), shared by every command that solves. */
export const settingsFlagOptions = {
  rho: { type: "string" },
  "eps-abs": { type: "string" },
  "eps-rel": { type: "string" },
  "max-iter": { type: "string" },
  "time-limit": { type: "string" },
  alpha: { type: "string" },
  "adaptive-rho": { type: "string" },
  "check-termination": { type: "string" },
  polish: { type: "string" },
} as const;

/** The usage lines of the settings flags. */
export const SETTINGS_FLAGS_USAGE = `  --rho R  --eps-abs E  --eps-rel E  --max-iter N  --time-limit S  --alpha A
  --adaptive-rho true|false  --check-termination N  --polish on|off`;

type FlagValues = Record<string, string | boolean | string[] | undefined>;

/** SolverSettings from the settings flags (and `--workers` when the command has it); unset flags stay unset. */
export function settingsFromFlags(v: FlagValues): SolverSettings {
  const s: SolverSettings = { warmStartSolutionId: "" };
  const num = (flag: string, integer = false) => numberFlag(flag, v[flag] as string | undefined, { integer });
  const put = <K extends keyof SolverSettings>(key: K, value: SolverSettings[K] | undefined) => {
    if (value !== undefined) s[key] = value;
  };
  put("rho", num("rho"));
  put("epsAbs", num("eps-abs"));
  put("epsRel", num("eps-rel"));
  put("maxIter", num("max-iter", true));
  put("timeLimitS", num("time-limit"));
  put("alpha", num("alpha"));
  put("checkTermination", num("check-termination", true));
  put("workers", num("workers", true));
  put("adaptiveRho", booleanFlag("adaptive-rho", v["adaptive-rho"] as string | undefined));
  put("polish", booleanFlag("polish", v.polish as string | undefined));
  return s;
}

/** parseArgs specs of the flags that shape a scenario as it is read. */
export const scenarioFlagOptions = {
  "loads-as-buyers": { type: "string" },
} as const;

/** The usage lines of the scenario flags. */
export const SCENARIO_FLAGS_USAGE = `  --loads-as-buyers VOLL | linear:B:A
                         turn the network's bus loads (MATPOWER Pd, MW) into buyer agents
                         load<bus> consuming up to Pd: at a value of lost load VOLL
                         (currency/MWh), or on a linear demand curve worth B for the first
                         MW and B − A at full load (docs/loads-as-buyers.md)`;

/**
 * Reads a scenario: a .json file (proto3 JSON of Market), a MATPOWER .m case, or the name of a
 * bundled case (case39b_31a, case14, …); with `--loads-as-buyers`, the network's loads become
 * buyer agents.
 */
export function readScenarioFlags(arg: string | undefined, v: FlagValues = {}): Market {
  if (!arg)
    throw new UsageError("missing the scenario: give a .json scenario, a MATPOWER .m case, or a bundled case name");
  let market: Market;
  if (existsSync(arg)) market = loadScenario(arg);
  else if (bundledCaseNames().includes(arg)) market = loadScenarioText(readBundledCase(arg), `${arg}.m`);
  else throw new UsageError(`${arg}: no such file (bundled cases: ${bundledCaseNames().join(", ")})`);
  return applyLoadsFlag(market, v);
}

/** Applies `--loads-as-buyers` (when given) to a market that has its network. */
export function applyLoadsFlag(market: Market, v: FlagValues): Market {
  const spec = v["loads-as-buyers"] as string | undefined;
  if (spec === undefined) return market;
  let demand;
  try {
    demand = parseLoadsAsBuyers(spec);
  } catch (e) {
    throw new UsageError(`--loads-as-buyers: ${(e as Error).message}`);
  }
  return applyLoadsAsBuyers(market, demand);
}

/** Who can sell (powerMax > 0) and who can buy (powerMin < 0) in a market, before any grid. */
export function tradingSides(market: Market): { sellers: number; buyers: number } {
  let sellers = 0;
  let buyers = 0;
  for (const a of market.agents) {
    const max = a.powerMaxProfile && a.powerMaxProfile.length > 0 ? Math.max(...a.powerMaxProfile) : a.powerMax;
    const min = a.powerMinProfile && a.powerMinProfile.length > 0 ? Math.min(...a.powerMinProfile) : a.powerMin;
    if (max > 0 || a.storage) sellers++;
    if (min < 0 || a.storage) buyers++;
  }
  if (market.grid) {
    sellers++;
    buyers++;
  }
  return { sellers, buyers };
}

/**
 * A warning for a market in which nobody can trade (no seller, or no buyer), or null. MATPOWER
 * cases list their loads on the buses, not as agents: say how to make them buyers.
 */
export function nothingToTradeWarning(market: Market): string | null {
  if (market.agents.length === 0 && !market.grid) return "the market has no agents: nothing can trade";
  const { sellers, buyers } = tradingSides(market);
  if (sellers > 0 && buyers > 0) return null;
  const fromCase = market.network && market.agents.every((a) => /^gen\d+$/.test(a.id));
  return (
    `nothing can trade: ${sellers} agent${sellers === 1 ? "" : "s"} can sell and ${buyers} can buy` +
    (fromCase && buyers === 0
      ? " (a MATPOWER case's loads are bus demands, not agents: add --loads-as-buyers VOLL or --loads-as-buyers linear:B:A to make them buyers)"
      : "")
  );
}
