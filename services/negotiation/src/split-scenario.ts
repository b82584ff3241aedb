import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type Market, marketToJson } from "@peermarket/model";

/** A file name for an agent id (characters outside [A-Za-z0-9._-] become _). */
export function agentFileName(id: string): string {
  return `${id.replace(/[^A-Za-z0-9._-]/g, "_")}.json`;
}

/** The coordinator's part of a full scenario: agent ids, buses and zones, graph, grid, network, charges. */
export function publicPart(market: Market): Market {
  return {
    ...market,
    agents: market.agents.map((a) => ({
      id: a.id,
      bus: a.bus,
      zone: a.zone,
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
    })),
    preferences: [],
  };
}

/**
 * Splits a full scenario into what a negotiation's parties hold: `market.json` for the
 * coordinator (agent ids, buses and zones, the graph, grid, network and charges; no costs, bounds
 * or preferences) and `agents/<id>.json` for each agent (its Agent with costs, and its
 * preferences when it has any). Returns the paths written.
 */
export function splitScenario(market: Market, dir: string): { market: string; agents: string[] } {
  const agentsDir = join(dir, "agents");
  mkdirSync(agentsDir, { recursive: true });
  const publicMarket = publicPart(market);
  const marketPath = join(dir, "market.json");
  writeFileSync(marketPath, JSON.stringify(marketToJson(publicMarket), null, 2) + "\n");
  const paths: string[] = [];
  const names = new Set<string>();
  for (const a of market.agents) {
    const prefs = market.preferences.filter((p) => p.agentId === a.id);
    const doc = marketToJson({
      name: "",
      agents: [a],
      tradingGraph: "TRADING_GRAPH_UNSPECIFIED",
      pairs: [],
      preferences: prefs,
      network: null,
      charges: null,
      grid: null,
      horizon: null,
    });
    let name = agentFileName(a.id);
    for (let i = 2; names.has(name); i++) name = agentFileName(`${a.id}-${i}`);
    names.add(name);
    const path = join(agentsDir, name);
    const body = prefs.length > 0 ? doc : (doc.agents as unknown[])[0];
    writeFileSync(path, JSON.stringify(body, null, 2) + "\n");
    paths.push(path);
  }
  return { market: marketPath, agents: paths };
}
