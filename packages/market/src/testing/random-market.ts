import { xorshift32 as rng } from "@peermarket/admm";
export { rng };
import { type Agent, makeAgent, makeGrid, type Market, type Preference, type TradePair } from "@peermarket/model";

/** What a random test market contains. */
export interface RandomMarketOptions {
  agents: number;
  /** Share of agents with a linear cost (a = 0). */
  linearShare?: number;
  /** With a retailer grid. */
  grid?: boolean;
  /** Explicit sparse graph: this many random partners per agent (0: complete graph). */
  partners?: number;
  /** Add preferences of every kind (explicit, attribute value, numeric attribute, distance, all partners). */
  preferences?: boolean;
  /** Some producers must run (pMin > 0), kept feasible by a grid with an export limit. */
  mustRun?: boolean;
}

/**
 * A random market in the API's shape: producers, consumers and prosumers, quadratic and linear
 * costs, an optional grid, preferences of every kind, a complete or a sparse explicit graph.
 */
export function randomMarket(seed: number, o: RandomMarketOptions): Market {
  const r = rng(seed);
  const agents: Agent[] = [];
  const techs = ["solar", "wind", "gas"];
  for (let i = 0; i < o.agents; i++) {
    const t = r();
    const linear = r() < (o.linearShare ?? 0.15);
    const a = linear ? 0 : 0.01 + 0.2 * r();
    const base = {
      ...makeAgent(`a${i}`),
      costQuadratic: a,
      location: { xKm: 10 * r(), yKm: 10 * r() },
    };
    if (t < 0.4) {
      const must = o.mustRun && r() < 0.3;
      agents.push({
        ...base,
        costLinear: 10 + 40 * r(),
        powerMin: must ? 1 + 3 * r() : 0,
        powerMax: 5 + 60 * r(),
        attributes: { technology: techs[Math.floor(r() * 3)], co2_intensity: String(Math.round(500 * r())) },
      });
    } else if (t < 0.8) {
      agents.push({ ...base, costLinear: 30 + 60 * r(), powerMin: -(5 + 60 * r()), powerMax: 0, attributes: {} });
    } else {
      agents.push({
        ...base,
        costQuadratic: linear ? 0 : a,
        costLinear: 20 + 50 * r(),
        powerMin: -(2 + 20 * r()),
        powerMax: 2 + 20 * r(),
        attributes: { technology: "solar" },
      });
    }
  }
  const preferences: Preference[] = [];
  if (o.preferences && o.agents >= 2) {
    const pref = (p: Partial<Preference>): Preference => ({
      agentId: "",
      partnerId: "",
      attributeKey: "",
      attributeValue: "",
      cost: 0,
      costPerKm: 0,
      ...p,
    });
    for (let i = 0; i < o.agents; i++) {
      const k = r();
      const id = `a${i}`;
      if (k < 0.15)
        preferences.push(
          pref({ agentId: id, partnerId: `a${(i + 1 + Math.floor(r() * (o.agents - 1))) % o.agents}`, cost: 5 * r() }),
        );
      else if (k < 0.3)
        preferences.push(pref({ agentId: id, attributeKey: "technology", attributeValue: "gas", cost: 3 + 5 * r() }));
      else if (k < 0.4) preferences.push(pref({ agentId: id, attributeKey: "co2_intensity", cost: 0.01 * r() }));
      else if (k < 0.55) preferences.push(pref({ agentId: id, costPerKm: 0.3 * r() }));
      else if (k < 0.6) preferences.push(pref({ agentId: id, cost: 1 + r() }));
    }
  }
  let pairs: TradePair[] = [];
  if (o.partners && o.partners > 0) {
    const seen = new Set<string>();
    for (let i = 0; i < o.agents; i++) {
      for (let d = 0; d < o.partners; d++) {
        const j = Math.floor(r() * o.agents);
        if (j === i) continue;
        const key = i < j ? `${i}-${j}` : `${j}-${i}`;
        if (seen.has(key)) continue;
        seen.add(key);
        pairs.push({ agentId: `a${i}`, partnerId: `a${j}` });
      }
    }
  } else pairs = [];
  const grid =
    o.grid || o.mustRun
      ? makeGrid({
          bus: "",
          importPrice: 95,
          exportPrice: 5,
          importMax: o.mustRun ? 1e3 : undefined,
          exportMax: o.mustRun ? 1e4 : undefined,
        })
      : null;
  return {
    name: `random-${seed}`,
    agents,
    tradingGraph: o.partners && o.partners > 0 ? "TRADING_GRAPH_EXPLICIT" : "TRADING_GRAPH_COMPLETE",
    pairs,
    preferences,
    network: null,
    charges: null,
    grid,
    horizon: null,
  };
}
