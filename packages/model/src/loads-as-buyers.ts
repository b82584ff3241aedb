import { resolveNetworkCase } from "./bundled.js";
import { BUS_AREA, BUS_I, PD } from "./matpower-types.js";
import { ScenarioError } from "./scenario-error.js";
import type { Agent, Market } from "./types.js";

/**
 * How bus loads become buyers (docs/loads-as-buyers.md): a value of lost load (every MWh up to
 * Pd is worth `voll`), or a linear demand curve (worth `first` for the first MWh and `first −
 * drop` at full load Pd).
 */
export type LoadDemand = { kind: "voll"; voll: number } | { kind: "linear"; first: number; drop: number };

/** Parses `VOLL` (a number) or `linear:B:A`. Throws an Error with a one-line reason. */
export function parseLoadsAsBuyers(spec: string): LoadDemand {
  const num = (s: string) => (s.trim() === "" ? Number.NaN : Number(s));
  const linear = /^linear:([^:]*):([^:]*)$/i.exec(spec.trim());
  if (linear) {
    const first = num(linear[1]);
    const drop = num(linear[2]);
    if (!Number.isFinite(first) || !Number.isFinite(drop) || drop < 0) {
      throw new Error(
        `expected linear:B:A with numbers B and A ≥ 0 (value of the first MWh, and its drop at full load), got "${spec}"`,
      );
    }
    return { kind: "linear", first, drop };
  }
  const voll = num(spec);
  if (!Number.isFinite(voll))
    throw new Error(`expected a value of lost load (a number, e.g. 1000) or linear:B:A, got "${spec}"`);
  return { kind: "voll", voll };
}

/**
 * The market with one buyer agent per bus of its network with a positive load Pd (MW): id
 * `load<bus>`, at that bus, in its area's zone, consuming up to Pd (powerMin = −Pd, powerMax =
 * 0). Its cost ½·a·p² + b·p has b = VOLL and a = 0 (a value of lost load), or b = B and a = A/Pd
 * (a marginal value B − A·d/Pd at consumption d). Buses with Pd ≤ 0 are skipped. Throws a
 * ScenarioError when the market has no network or an id is taken.
 */
export function applyLoadsAsBuyers(market: Market, demand: LoadDemand): Market {
  const c = market.network ? resolveNetworkCase(market.network) : null;
  if (!c)
    throw new ScenarioError(
      "has no network: loads as buyers need a MATPOWER case (a .m scenario, a bundled case, or --network)",
      { path: "network" },
    );
  const taken = new Set(market.agents.map((a) => a.id));
  const loads: Agent[] = [];
  for (const row of c.bus) {
    const pd = row[PD];
    if (!(pd > 0)) continue;
    const id = `load${row[BUS_I]}`;
    if (taken.has(id))
      throw new ScenarioError(`an agent is already called "${id}": rename it to turn the loads into buyers`, {
        path: "agents",
      });
    loads.push({
      id,
      bus: String(row[BUS_I]),
      zone: String(row[BUS_AREA]),
      costQuadratic: demand.kind === "voll" ? 0 : demand.drop / pd,
      costLinear: demand.kind === "voll" ? demand.voll : demand.first,
      powerMin: -pd,
      powerMax: 0,
      location: null,
      attributes: { kind: "load" },
      costQuadraticProfile: [],
      costLinearProfile: [],
      powerMinProfile: [],
      powerMaxProfile: [],
      storage: null,
    });
  }
  return { ...market, agents: [...market.agents, ...loads] };
}
