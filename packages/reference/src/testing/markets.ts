import { mulberry32 as rng } from "@peermarket/admm";
export { rng };
import { buildMarketArrays, canTrade, type MarketArrays } from "@peermarket/admm";

/** One agent of a hand-built market. */
export interface AgentSpec {
  a: number;
  b: number;
  pMin: number;
  pMax: number;
}

/** One pair of a hand-built market with the costs each side bears (default 0). */
export interface PairSpec {
  first: number;
  second: number;
  sellFirst?: number;
  buyFirst?: number;
  sellSecond?: number;
  buySecond?: number;
}

/** Builds a market from agent and pair lists; also returns each pair's directed trade indices. */
export function handMarket(
  agents: AgentSpec[],
  pairs: PairSpec[],
): { m: MarketArrays; first: Int32Array; second: Int32Array } {
  const built = buildMarketArrays(
    {
      a: Float64Array.from(agents, (x) => x.a),
      b: Float64Array.from(agents, (x) => x.b),
      pMin: Float64Array.from(agents, (x) => x.pMin),
      pMax: Float64Array.from(agents, (x) => x.pMax),
    },
    {
      first: Int32Array.from(pairs, (p) => p.first),
      second: Int32Array.from(pairs, (p) => p.second),
      sellFirst: Float64Array.from(pairs, (p) => p.sellFirst ?? 0),
      buyFirst: Float64Array.from(pairs, (p) => p.buyFirst ?? 0),
      sellSecond: Float64Array.from(pairs, (p) => p.sellSecond ?? 0),
      buySecond: Float64Array.from(pairs, (p) => p.buySecond ?? 0),
    },
  );
  return { m: built.arrays, first: built.tradeOfFirst, second: built.tradeOfSecond };
}

/** Options of `randomMarketArrays`. */
export interface RandomMarketArraysOptions {
  /** Every a_n = 0. */
  linear?: boolean;
  /** Multiplier of the random a_n in [0.01, 0.11) (ignored when linear). */
  aScale?: number;
  /** Add asymmetric per-side preference costs (c⁺ ≠ c⁻) in [0, 5). Default true. */
  preferences?: boolean;
}

/**
 * A random market in the engine's arrays (not the API's Market: that is `randomMarket` of
 * @peermarket/market's tests) of producers, consumers and prosumers (every third agent) on the complete
 * trading graph, keeping only the pairs that can trade.
 */
export function randomMarketArrays(nAgents: number, seed: number, opts: RandomMarketArraysOptions = {}): MarketArrays {
  const r = rng(seed);
  const agents: AgentSpec[] = [];
  for (let i = 0; i < nAgents; i++) {
    const a = opts.linear ? 0 : (0.01 + 0.1 * r()) * (opts.aScale ?? 1);
    if (i % 3 === 2) agents.push({ a, b: 30 + 40 * r(), pMin: -(5 + 20 * r()), pMax: 5 + 20 * r() });
    else if (i % 2 === 0) agents.push({ a, b: 20 + 40 * r(), pMin: 0, pMax: 10 + 90 * r() });
    else agents.push({ a, b: 40 + 60 * r(), pMin: -(10 + 90 * r()), pMax: 0 });
  }
  const pairs: PairSpec[] = [];
  const prefs = opts.preferences ?? true;
  for (let i = 0; i < nAgents; i++) {
    for (let j = i + 1; j < nAgents; j++) {
      if (!canTrade(agents[i].pMin, agents[i].pMax, agents[j].pMin, agents[j].pMax)) continue;
      const cost = (): number => (prefs ? 5 * r() : 0);
      pairs.push({ first: i, second: j, sellFirst: cost(), buyFirst: cost(), sellSecond: cost(), buySecond: cost() });
    }
  }
  return handMarket(agents, pairs).m;
}

/** Producers (even indices) and consumers (odd), every producer paired with every consumer. */
export function producerConsumerMarket(nAgents: number, seed: number, linear = false): MarketArrays {
  const r = rng(seed);
  const agents: AgentSpec[] = [];
  for (let i = 0; i < nAgents; i++) {
    const a = linear ? 0 : 0.01 + 0.1 * r();
    if (i % 2 === 0) agents.push({ a, b: 20 + 40 * r(), pMin: 0, pMax: 10 + 90 * r() });
    else agents.push({ a, b: 40 + 60 * r(), pMin: -(10 + 90 * r()), pMax: 0 });
  }
  const pairs: PairSpec[] = [];
  for (let i = 0; i < nAgents; i += 2) for (let j = 1; j < nAgents; j += 2) pairs.push({ first: i, second: j });
  return handMarket(agents, pairs).m;
}

/** The same market with every a_n replaced by `a`. */
export function withQuadratic(m: MarketArrays, a: number): MarketArrays {
  return { ...m, a: new Float64Array(m.nAgents).fill(a) };
}
