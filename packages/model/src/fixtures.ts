import { readBundledCase } from "./bundled.js";
import type { Agent, Grid, Market, NetworkCharges, Preference } from "./types.js";

/** An agent with proto3 defaults, overridden by `fields` (for tests and examples). */
export function makeAgent(id: string, fields: Partial<Agent> = {}): Agent {
  return {
    id,
    bus: "",
    zone: "",
    costQuadratic: 0,
    costLinear: 0,
    powerMin: 0,
    powerMax: 0,
    location: null,
    attributes: {},
    costQuadraticProfile: [],
    costLinearProfile: [],
    powerMinProfile: [],
    powerMaxProfile: [],
    storage: null,
    ...fields,
  };
}

/** A market with proto3 defaults, overridden by `fields`. */
export function makeMarket(fields: Partial<Market> = {}): Market {
  return {
    name: "",
    agents: [],
    tradingGraph: "TRADING_GRAPH_UNSPECIFIED",
    pairs: [],
    preferences: [],
    network: null,
    charges: null,
    grid: null,
    horizon: null,
    ...fields,
  };
}

/** A grid connection with proto3 defaults (no profiles, no import/export limits), overridden by `fields`. */
export function makeGrid(fields: Partial<Grid> = {}): Grid {
  return {
    bus: "",
    importPrice: 0,
    exportPrice: 0,
    importPriceProfile: [],
    exportPriceProfile: [],
    importMaxProfile: [],
    exportMaxProfile: [],
    ...fields,
  };
}

/** Network charges with proto3 defaults (no design, no time-of-use fees), overridden by `fields`. */
export function makeCharges(fields: Partial<NetworkCharges> = {}): NetworkCharges {
  return { design: "CHARGE_DESIGN_UNSPECIFIED", unitFee: 0, zoneDistances: [], unitFeeProfile: [], ...fields };
}

/** A preference with proto3 defaults, overridden by `fields`. */
export function makePreference(agentId: string, fields: Partial<Preference> = {}): Preference {
  return { agentId, partnerId: "", attributeKey: "", attributeValue: "", cost: 0, costPerKm: 0, ...fields };
}

/** The MATPOWER text of a bundled case with every branch rated `rate` MVA (rateA), e.g. to see line loadings. */
export function ratedBundledCase(name: string, rate: number): string {
  let inBranch = false;
  return readBundledCase(name)
    .split("\n")
    .map((line) => {
      if (/^mpc\.branch\s*=/.test(line)) inBranch = true;
      else if (inBranch && /^\s*\];/.test(line)) inBranch = false;
      else if (inBranch && /^\s*\d/.test(line)) {
        const f = line.trim().replace(/;$/, "").split(/\s+/);
        f[5] = String(rate);
        return `\t${f.join("\t")};`;
      }
      return line;
    })
    .join("\n");
}
