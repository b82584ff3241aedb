import { buildMarketArrays, canTrade } from "@peermarket/admm";
import type { Agent, ExpandedMarket } from "@peermarket/model";

/** An agent of a test market. */
export interface TestAgent {
  id: string;
  bus?: string;
  zone?: string;
  pMin: number;
  pMax: number;
}

/**
 * An ExpandedMarket over the given agents, trading on every pair that can trade (or on `pairs`),
 * with zero preference and charge parts. Agents named grid_import / grid_export are placed after
 * the market's agents, as the model does with a grid.
 */
export function testMarket(list: TestAgent[], pairs?: [number, number][]): ExpandedMarket {
  const n = list.length;
  const cols = {
    a: new Float64Array(n).fill(0.1),
    b: Float64Array.from(list, (g) => (g.pMax > 0 ? 20 : 60)),
    pMin: Float64Array.from(list, (g) => g.pMin),
    pMax: Float64Array.from(list, (g) => g.pMax),
  };
  const chosen: [number, number][] = [];
  if (pairs) chosen.push(...pairs);
  else
    for (let i = 0; i < n; i++)
      for (let j = i + 1; j < n; j++)
        if (canTrade(list[i].pMin, list[i].pMax, list[j].pMin, list[j].pMax)) chosen.push([i, j]);
  const built = buildMarketArrays(cols, {
    first: Int32Array.from(chosen, (p) => p[0]),
    second: Int32Array.from(chosen, (p) => p[1]),
  });
  const nt = built.arrays.partner.length;
  const marketAgents: Agent[] = list
    .filter((g) => g.id !== "grid_import" && g.id !== "grid_export")
    .map((g) => ({
      id: g.id,
      bus: g.bus ?? "",
      zone: g.zone ?? "",
      costQuadratic: 0.1,
      costLinear: 0,
      powerMin: g.pMin,
      powerMax: g.pMax,
      location: null,
      attributes: {},
      costQuadraticProfile: [],
      costLinearProfile: [],
      powerMinProfile: [],
      powerMaxProfile: [],
      storage: null,
    }));
  return {
    market: {
      name: "test",
      agents: marketAgents,
      tradingGraph: "TRADING_GRAPH_COMPLETE",
      pairs: [],
      preferences: [],
      network: null,
      charges: null,
      grid: null,
      horizon: null,
    },
    agentIds: list.map((g) => g.id),
    agentBus: list.map((g) => g.bus ?? ""),
    agentZone: list.map((g) => g.zone ?? ""),
    gridImport: list.findIndex((g) => g.id === "grid_import"),
    gridExport: list.findIndex((g) => g.id === "grid_export"),
    arrays: built.arrays,
    prefSell: new Float64Array(nt),
    prefBuy: new Float64Array(nt),
    chargeSell: new Float64Array(nt),
    chargeBuy: new Float64Array(nt),
    pairFirst: Int32Array.from(chosen, (p) => p[0]),
    pairSecond: Int32Array.from(chosen, (p) => p[1]),
    tradeOfFirst: built.tradeOfFirst,
    tradeOfSecond: built.tradeOfSecond,
    droppedPairs: 0,
    notes: [],
  };
}
