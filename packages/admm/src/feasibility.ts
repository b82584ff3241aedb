import type { MarketArrays } from "./problem.js";
import { FlowGraph } from "./maxflow.js";

/** Outcome of the feasibility check. */
export interface Feasibility {
  feasible: boolean;
  /** Why not, in words; empty when feasible. */
  reason: string;
  /** Must-run or must-consume agents whose forced power cannot be routed to partners. */
  agents: number[];
}

/**
 * Decides exactly whether some trades within bounds give every agent a net power within its
 * bounds (DESIGN §1), before iterating. When 0 lies within every agent's bounds, zero trades are
 * feasible. Otherwise — must-run producers (pMin > 0) or must-consume consumers (pMax < 0) — it is a
 * circulation with lower bounds through a hub (hub → n carries p_n ∈ [pMin, pMax], each pair carries
 * its trade within [lo, hi]), decided by one maximum flow (Hoffman's circulation theorem).
 */
export function checkFeasibility(m: MarketArrays, agentName: (n: number) => string = (n) => `#${n}`): Feasibility {
  const N = m.nAgents;
  let needed = false;
  for (let n = 0; n < N; n++) {
    if (m.pMin[n] > 0 || m.pMax[n] < 0) {
      needed = true;
      break;
    }
  }
  if (!needed) return { feasible: true, reason: "", agents: [] };
  const hub = N;
  const S = N + 1;
  const T = N + 2;
  const nPairs = m.partner.length / 2;
  const g = new FlowGraph(N + 3, 2 * nPairs + 3 * N + 2);
  const excess = new Float64Array(N + 1);
  for (let n = 0; n < N; n++) {
    const L = m.pMin[n];
    const U = m.pMax[n];
    if (L > 0) {
      // hub → n with flow in [L, U]: forced L, free U − L.
      g.addEdge(hub, n, U - L);
      excess[n] += L;
      excess[hub] -= L;
    } else if (U < 0) {
      // n → hub with flow in [−U, −L].
      g.addEdge(n, hub, U - L);
      excess[hub] += -U;
      excess[n] -= -U;
    } else {
      g.addEdge(hub, n, U);
      g.addEdge(n, hub, -L);
    }
    for (let k = m.tradeStart[n]; k < m.tradeStart[n + 1]; k++) {
      const j = m.mirror[k];
      if (j < k) continue; // each pair once
      const p = m.partner[k];
      // Trade k carries p_nm ∈ [lo, hi] from n to p.
      g.addEdge(n, p, m.hi[k]);
      g.addEdge(p, n, -m.lo[k]);
    }
  }
  let required = 0;
  const arcOf = new Int32Array(N + 1).fill(-1);
  for (let v = 0; v <= N; v++) {
    if (excess[v] > 0) {
      arcOf[v] = g.addEdge(S, v, excess[v]);
      required += excess[v];
    } else if (excess[v] < 0) arcOf[v] = g.addEdge(v, T, -excess[v]);
  }
  const flow = g.maxFlow(S, T, required);
  const tol = 1e-9 * Math.max(1, required);
  if (flow >= required - tol) return { feasible: true, reason: "", agents: [] };
  // Agents whose forced power could not all be routed: their source or sink arc is unsaturated.
  const stuck: number[] = [];
  let mustSell = 0;
  let mustBuy = 0;
  const slack = 1e-9 * Math.max(1, required);
  for (let n = 0; n < N; n++) {
    if (!(g.residual(arcOf[n]) > slack)) continue;
    if (m.pMin[n] > 0) {
      stuck.push(n);
      mustSell += m.pMin[n];
    } else if (m.pMax[n] < 0) {
      stuck.push(n);
      mustBuy += -m.pMax[n];
    }
  }
  const names = stuck.slice(0, 5).map(agentName).join(", ") + (stuck.length > 5 ? `, … (${stuck.length} agents)` : "");
  const need: string[] = [];
  if (mustSell > 0) need.push(`sell at least ${fmt(mustSell)}`);
  if (mustBuy > 0) need.push(`buy at least ${fmt(mustBuy)}`);
  const reason =
    `infeasible: ${names} must ${need.join(" and ")} in total, but the partners they can trade with ` +
    `can absorb only ${fmt(Math.max(0, flow))} of the ${fmt(required)} that must be traded`;
  return { feasible: false, reason, agents: stuck };
}

function fmt(x: number): string {
  return Number.isFinite(x) ? String(Number(x.toPrecision(6))) : String(x);
}
