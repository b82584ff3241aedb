import { readBundledCase } from "./bundled.js";
import type { Agent, Market, Preference } from "./types.js";

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
    attributes: {},
    ...fields,
  };
}

/** A market with proto3 defaults, overridden by `fields`. */
export function makeMarket(fields: Partial<Market> = {}): Market {
  return { name: "", agents: [], tradingGraph: "TRADING_GRAPH_UNSPECIFIED", pairs: [], preferences: [], ...fields };
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
