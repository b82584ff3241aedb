import { xorshift32 as xorshift } from "@peermarket/admm";
export { xorshift };
import { makeGrid, makeAgent, makeMarket, type Agent, type Market, type TradePair } from "@peermarket/model";

/** A log-uniform number in [lo, hi]. */
function logUniform(r: () => number, lo: number, hi: number): number {
  return lo * (hi / lo) ** r();
}

/** One badly scaled market of a class. */
export interface RobustnessCase {
  /** Class name (the rows of RELIABILITY.md, "Numerical robustness"). */
  cls: string;
  seed: number;
  market: Market;
}

/** Producers and consumers with costs a and b log-uniform in [1e-6, 1e3], bounds 1–100 MW, complete graph. */
export function costSpread(seed: number, n = 30): Market {
  const r = xorshift(seed);
  const agents: Agent[] = [];
  for (let i = 0; i < n; i++) {
    const a = logUniform(r, 1e-6, 1e3);
    const b = logUniform(r, 1e-6, 1e3);
    const cap = 1 + 99 * r();
    agents.push(
      i % 2 === 0
        ? makeAgent(`g${i}`, { costQuadratic: a, costLinear: b, powerMax: cap })
        : makeAgent(`d${i}`, { costQuadratic: a, costLinear: b, powerMin: -cap }),
    );
  }
  return makeMarket({ name: `cost-spread-${seed}`, agents });
}

/** Rooftop units in kW (bounds ~1e-3 MW) next to GW plants and loads (~1e3 MW), with a grid, complete graph. */
export function kwNextToGw(seed: number, n = 30): Market {
  const r = xorshift(seed);
  const agents: Agent[] = [];
  for (let i = 0; i < n; i++) {
    const big = r() < 0.3;
    const cap = big ? 500 + 1500 * r() : 1e-3 * (1 + 9 * r());
    const a = big ? 0.01 + 0.05 * r() : 100 + 1e4 * r(); // €/MW²h: small units have steep curves per MW
    const b = 10 + 80 * r();
    const kind = r();
    if (kind < 0.4) agents.push(makeAgent(`g${i}`, { costQuadratic: a, costLinear: b, powerMax: cap }));
    else if (kind < 0.8) agents.push(makeAgent(`d${i}`, { costQuadratic: a, costLinear: 40 + b, powerMin: -cap }));
    else agents.push(makeAgent(`p${i}`, { costQuadratic: a, costLinear: 30 + b / 2, powerMin: -cap, powerMax: cap }));
  }
  return makeMarket({ name: `kw-gw-${seed}`, agents, grid: makeGrid({ bus: "", importPrice: 120, exportPrice: 15 }) });
}

/** Bounds of 1e12 MW (or none at all, with `infinite`), costs that put the optimum at 1–100 MW. */
export function hugeBounds(seed: number, infinite: boolean, n = 30): Market {
  const r = xorshift(seed);
  const far = infinite ? Infinity : 1e12;
  const agents: Agent[] = [];
  for (let i = 0; i < n; i++) {
    const a = 0.1 + r();
    const kind = r();
    if (kind < 0.45) agents.push(makeAgent(`g${i}`, { costQuadratic: a, costLinear: 10 + 30 * r(), powerMax: far }));
    else if (kind < 0.9)
      agents.push(makeAgent(`d${i}`, { costQuadratic: a, costLinear: 60 + 40 * r(), powerMin: -far }));
    else
      agents.push(makeAgent(`p${i}`, { costQuadratic: a, costLinear: 40 + 20 * r(), powerMin: -far, powerMax: far }));
  }
  return makeMarket({ name: `${infinite ? "infinite" : "huge"}-bounds-${seed}`, agents });
}

/**
 * `n` identical producers and `n` identical consumers (same a, b, bounds): the trade split is
 * degenerate. With `partners` > 0 an explicit graph gives each agent that many random partners
 * of the other side (and a grid); with 0 the graph is complete.
 */
export function identicalAgents(seed: number, n: number, partners: number): Market {
  const r = xorshift(seed);
  const agents: Agent[] = [];
  for (let i = 0; i < n; i++) agents.push(makeAgent(`g${i}`, { costQuadratic: 0.5, costLinear: 20, powerMax: 10 }));
  for (let i = 0; i < n; i++) agents.push(makeAgent(`d${i}`, { costQuadratic: 0.5, costLinear: 60, powerMin: -10 }));
  if (partners === 0) return makeMarket({ name: `identical-${2 * n}-complete`, agents });
  const seen = new Set<string>();
  const pairs: TradePair[] = [];
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < partners; k++) {
      const j = Math.floor(r() * n);
      const key = `${i}-${j}`;
      if (seen.has(key)) continue;
      seen.add(key);
      pairs.push({ agentId: `g${i}`, partnerId: `d${j}` });
    }
  }
  return makeMarket({
    name: `identical-${2 * n}-sparse`,
    agents,
    tradingGraph: "TRADING_GRAPH_EXPLICIT",
    pairs,
    grid: makeGrid({ bus: "", importPrice: 80, exportPrice: 5 }),
  });
}

/** Zero-cost agents (a = b = 0: free producers, indifferent consumers, free storage) among ordinary ones, with a grid. */
export function zeroCost(seed: number, n = 20): Market {
  const r = xorshift(seed);
  const agents: Agent[] = [];
  for (let i = 0; i < n; i++) {
    const zero = r() < 0.5;
    const a = zero ? 0 : 0.05 + r();
    const kind = r();
    const cap = 1 + 20 * r();
    if (kind < 0.4)
      agents.push(makeAgent(`g${i}`, { costQuadratic: a, costLinear: zero ? 0 : 10 + 30 * r(), powerMax: cap }));
    else if (kind < 0.8)
      agents.push(makeAgent(`d${i}`, { costQuadratic: a, costLinear: zero ? 0 : 50 + 40 * r(), powerMin: -cap }));
    else
      agents.push(makeAgent(`s${i}`, { costQuadratic: a, costLinear: zero ? 0 : 30, powerMin: -cap, powerMax: cap }));
  }
  return makeMarket({
    name: `zero-cost-${seed}`,
    agents,
    grid: makeGrid({ bus: "", importPrice: 100, exportPrice: 10 }),
  });
}

/** Only zero-cost agents (a = b = 0) and a grid: every dispatch is optimal, the prices are set by the grid alone. */
export function allZeroCost(seed: number, n = 12): Market {
  const r = xorshift(seed);
  const agents: Agent[] = [];
  for (let i = 0; i < n; i++) {
    const cap = 1 + 5 * r();
    const kind = i % 3;
    agents.push(
      makeAgent(
        `z${i}`,
        kind === 0 ? { powerMax: cap } : kind === 1 ? { powerMin: -cap } : { powerMin: -cap, powerMax: cap },
      ),
    );
  }
  return makeMarket({
    name: `all-zero-cost-${seed}`,
    agents,
    grid: makeGrid({ bus: "", importPrice: 20, exportPrice: 1e-3 }),
  });
}

/**
 * The market in other units: powers × P, prices × Λ/P, so every cost × Λ (a' = a·Λ/P², b' = b·Λ/P,
 * bounds × P, grid prices × Λ/P). Its optimum is the original one mapped: p' = P·p, λ' = λ·Λ/P.
 */
export function rescaled(m: Market, P: number, L: number): Market {
  return {
    ...m,
    agents: m.agents.map((a) => ({
      ...a,
      costQuadratic: (a.costQuadratic * L) / (P * P),
      costLinear: (a.costLinear * L) / P,
      powerMin: a.powerMin * P,
      powerMax: a.powerMax * P,
    })),
    grid: m.grid
      ? { ...m.grid, importPrice: (m.grid.importPrice * L) / P, exportPrice: (m.grid.exportPrice * L) / P }
      : m.grid,
  };
}

/** The classes measured in RELIABILITY.md and tested in robustness.test.ts, a few seeds each. */
export function robustnessCases(): RobustnessCase[] {
  const out: RobustnessCase[] = [];
  for (const seed of [1, 2, 3]) {
    out.push({ cls: "costs 1e-6…1e3", seed, market: costSpread(seed) });
    out.push({ cls: "kW next to GW", seed, market: kwNextToGw(seed) });
    out.push({ cls: "bounds 1e12", seed, market: hugeBounds(seed, false) });
    out.push({ cls: "infinite bounds", seed, market: hugeBounds(seed, true) });
    out.push({ cls: "zero-cost agents", seed, market: zeroCost(seed) });
    out.push({ cls: "only zero-cost agents", seed, market: allZeroCost(seed) });
  }
  out.push({ cls: "identical agents", seed: 1, market: identicalAgents(1, 1000, 4) });
  out.push({ cls: "identical agents", seed: 2, market: identicalAgents(2, 2500, 3) });
  out.push({ cls: "identical agents", seed: 3, market: identicalAgents(3, 100, 0) });
  return out;
}
