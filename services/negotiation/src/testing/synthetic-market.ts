import { mulberry32 as rng } from "@peermarket/admm";
export { rng };
import { type Agent, makeGrid, type Market } from "@peermarket/model";

/** Options of `syntheticMarket`. */
export interface SyntheticMarketOptions {
  producers: number;
  consumers: number;
  /** Prosumers (trade both ways with everyone). */
  prosumers?: number;
  seed?: number;
  /** Add a grid (import 95, export 5). */
  grid?: boolean;
}

/**
 * A market on a complete trading graph of producers, consumers and prosumers with random
 * quadratic costs: producers × consumers pairs (plus the prosumers' pairs), so 100 producers and
 * 1000 consumers make 100 000 pairs, 200 000 directed trades.
 */
export function syntheticMarket(o: SyntheticMarketOptions): Market {
  const r = rng(o.seed ?? 1);
  const agents: Agent[] = [];
  const agent = (id: string, a: number, b: number, pMin: number, pMax: number): Agent => ({
    id,
    bus: "",
    zone: "",
    costQuadratic: a,
    costLinear: b,
    powerMin: pMin,
    powerMax: pMax,
    attributes: {},
    location: null,
    costQuadraticProfile: [],
    costLinearProfile: [],
    powerMinProfile: [],
    powerMaxProfile: [],
    storage: null,
  });
  for (let i = 0; i < o.producers; i++) agents.push(agent(`p${i}`, 0.01 + 0.1 * r(), 10 + 40 * r(), 0, 10 + 90 * r()));
  for (let i = 0; i < o.consumers; i++) agents.push(agent(`c${i}`, 0.01 + 0.1 * r(), 30 + 50 * r(), -5 - 45 * r(), 0));
  for (let i = 0; i < (o.prosumers ?? 0); i++)
    agents.push(agent(`x${i}`, 0.05 + 0.1 * r(), 20 + 40 * r(), -5 - 20 * r(), 5 + 20 * r()));
  return {
    name: `synthetic-${o.producers}x${o.consumers}`,
    agents,
    tradingGraph: "TRADING_GRAPH_COMPLETE",
    pairs: [],
    preferences: [],
    network: null,
    charges: null,
    grid: o.grid ? makeGrid({ bus: "", importPrice: 95, exportPrice: 5 }) : null,
    horizon: null,
  };
}
