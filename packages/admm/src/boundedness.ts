import type { MarketArrays } from "./problem.js";

/** Outcome of the boundedness check. */
export interface Boundedness {
  bounded: boolean;
  /** Why not, in words; empty when bounded. */
  reason: string;
}

const MAX_NODES = 5000;

/**
 * Decides, before iterating, whether the market's optimum is unbounded (docs/market-model.md with infinite
 * bounds): power can then flow without limit along trades whose bounds are infinite (n sells to m
 * without limit when p̄_n = ∞ and p̲_m = −∞), and the objective falls without limit when such a
 * flow pays — from a linear-cost agent that can produce without limit (a = 0, p̄ = ∞) to one that
 * can consume without limit (a = 0, p̲ = −∞) whose value b exceeds the producer's b plus the trade
 * costs on the way, or around a cycle whose trade costs are negative. A shortest-path search
 * (Bellman–Ford) over the agents with unlimited trades decides it; markets with more than 5 000
 * such agents are not checked (the engine then ends MAX_ITER_REACHED with growing trades).
 */
export function checkBoundedness(m: MarketArrays, agentName: (n: number) => string = (n) => `#${n}`): Boundedness {
  const { tradeStart, lo, hi } = m;
  // Most markets have no unlimited trade: one pass over the bounds says so.
  let any = false;
  for (let k = 0; k < lo.length; k++) {
    if (hi[k] === Infinity || lo[k] === -Infinity) {
      any = true;
      break;
    }
  }
  if (!any) return { bounded: true, reason: "" };
  const nodes: number[] = [];
  const index = new Int32Array(m.nAgents).fill(-1);
  for (let n = 0; n < m.nAgents; n++) {
    for (let k = tradeStart[n]; k < tradeStart[n + 1]; k++) {
      if (hi[k] === Infinity || lo[k] === -Infinity) {
        index[n] = nodes.length;
        nodes.push(n);
        break;
      }
    }
  }
  if (nodes.length === 0) return { bounded: true, reason: "" };
  if (nodes.length > MAX_NODES) return { bounded: true, reason: "" };
  // Edges n → m with cost c⁺ of n's trade + c⁻ of m's mirror trade, for unlimited sales n → m.
  const from: number[] = [];
  const to: number[] = [];
  const cost: number[] = [];
  for (const n of nodes) {
    for (let k = m.tradeStart[n]; k < m.tradeStart[n + 1]; k++) {
      if (m.hi[k] !== Infinity) continue;
      from.push(index[n]);
      to.push(index[m.partner[k]]);
      cost.push(m.costSell[k] + m.costBuy[m.mirror[k]]);
    }
  }
  const V = nodes.length;
  // Potentials: the cheapest delivered cost of unlimited power at each node (sources: a = 0, p̄ = ∞).
  const dist = new Float64Array(V).fill(Infinity);
  const pred = new Int32Array(V).fill(-1);
  for (let i = 0; i < V; i++) {
    const n = nodes[i];
    if (m.a[n] === 0 && m.pMax[n] === Infinity) dist[i] = m.b[n];
  }
  // Cycles of unlimited trades with negative cost are found by relaxing from every node at 0.
  const cyc = new Float64Array(V);
  let cycleAt = -1;
  for (let pass = 0; pass <= V && cycleAt < 0; pass++) {
    let changed = false;
    for (let e = 0; e < from.length; e++) {
      const d = cyc[from[e]] + cost[e];
      if (d < cyc[to[e]] - 1e-12 * (1 + Math.abs(d))) {
        cyc[to[e]] = d;
        changed = true;
        if (pass === V) cycleAt = to[e];
      }
    }
    if (!changed) break;
  }
  if (cycleAt >= 0) {
    return {
      bounded: false,
      reason: `unbounded: trades without limits around a cycle through ${agentName(nodes[cycleAt])} cost less than nothing, so power would circulate without end`,
    };
  }
  for (let pass = 0; pass < V; pass++) {
    let changed = false;
    for (let e = 0; e < from.length; e++) {
      const d = dist[from[e]] + cost[e];
      if (d < dist[to[e]]) {
        dist[to[e]] = d;
        pred[to[e]] = from[e];
        changed = true;
      }
    }
    if (!changed) break;
  }
  for (let i = 0; i < V; i++) {
    const t = nodes[i];
    if (!(m.a[t] === 0 && m.pMin[t] === -Infinity)) continue;
    if (dist[i] < m.b[t] - 1e-12 * (1 + Math.abs(m.b[t]))) {
      let s = i;
      for (let guard = 0; pred[s] >= 0 && guard < V; guard++) s = pred[s];
      return {
        bounded: false,
        reason:
          `unbounded: ${agentName(nodes[s])} can sell without limit at ${fmt(m.b[nodes[s]])} and ${agentName(t)} can buy without limit ` +
          `at ${fmt(m.b[t])}; with trade costs the power delivered costs ${fmt(dist[i])}, so the trade would grow without end — bound one of them`,
      };
    }
  }
  return { bounded: true, reason: "" };
}

function fmt(x: number): string {
  return String(Number(x.toPrecision(6)));
}
