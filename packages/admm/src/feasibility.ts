import type { MarketArrays } from "./problem.js";
import type { HorizonArrays } from "./horizon.js";
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
 * bounds, before iterating. When 0 lies within every agent's bounds, zero trades are
 * feasible. Otherwise — must-run producers (pMin > 0) or must-consume consumers (pMax < 0) — it is a
 * circulation with lower bounds through a hub (hub → n carries p_n ∈ [pMin, pMax], each pair carries
 * its trade within [lo, hi]), decided by one maximum flow (Hoffman's circulation theorem).
 *
 * Multi-period markets (`horizon`): the periods are separate components of the same flow problem,
 * so one maximum flow decides every period (name period agents in `agentName`), with storage
 * agents' net power bounds extended by their charge and discharge limits; and a storage that cannot
 * reach its final state of charge by charging at full power in every period is reported first.
 * A battery that must end fuller than it starts also needs that energy from somewhere: in period t
 * it can charge at most min(charge_max, g̅_t + Σ_partners s̅_t), its own power bound plus what its
 * partners can sell it (each trade's bound, and at most the partner's largest net power); a battery
 * that cannot reach its final state of charge even so is reported (a necessary condition: the
 * partners' own obligations are not accounted for, the flow check below does that per period).
 */
export function checkFeasibility(
  m: MarketArrays,
  agentName: (n: number) => string = (n) => `#${n}`,
  horizon?: HorizonArrays | null,
): Feasibility {
  if (horizon && horizon.storage.count > 0) {
    const st = horizon.storage;
    // A battery that cannot reach its final state of charge even charging at full power.
    for (let q = 0; q < st.count; q++) {
      let e = st.socInitial[q];
      const step = horizon.periodHours * st.etaCharge[q] * st.chargeMax[q];
      for (let t = 0; t < horizon.periods; t++) e = Math.min(st.socMax[q], e + step);
      const need = st.socFinalMin[q];
      if (need > e * (1 + 1e-12) + 1e-12) {
        const n = st.first[q] + horizon.periods - 1;
        return {
          feasible: false,
          reason: `infeasible: the storage of ${agentName(n)} can store at most ${fmt(e)} MWh by the end of the horizon, charging at full power in every period, not the ${fmt(need)} MWh its final state of charge needs`,
          agents: [n],
        };
      }
    }
    const supply = storageSupplyShortfall(m, horizon, agentName);
    if (supply) return supply;
    // Per period, a storage agent's net power may reach [p̲ − charge_max, p̄ + discharge_max].
    const pMin = Float64Array.from(m.pMin);
    const pMax = Float64Array.from(m.pMax);
    for (let q = 0; q < st.count; q++) {
      for (let t = 0; t < horizon.periods; t++) {
        const i = st.first[q] + t;
        pMin[i] -= st.chargeMax[q];
        pMax[i] += st.dischargeMax[q];
      }
    }
    m = { ...m, pMin, pMax };
  }
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

/**
 * A battery that must end fuller than it starts but cannot buy (or produce) enough energy over the
 * horizon: in period t its charge is at most min(charge_max, max(0, g̅_t + Σ_k min(−lo_k, P̄_m))),
 * with g̅_t its own power bound, −lo_k the most trade k may buy and P̄_m the largest net power of
 * the partner in that period (its own bound plus its discharge limit when it has a battery).
 * Simulating the state of charge at those charges (capped at soc_max) gives the most it can hold
 * at the end; below soc_final_min the market is infeasible. Null when every battery can make it.
 */
function storageSupplyShortfall(
  m: MarketArrays,
  horizon: HorizonArrays,
  agentName: (n: number) => string,
): Feasibility | null {
  const st = horizon.storage;
  const T = horizon.periods;
  const dt = horizon.periodHours;
  for (let q = 0; q < st.count; q++) {
    const e0 = st.socInitial[q];
    const need = st.socFinalMin[q];
    if (!(need > e0)) continue;
    let e = e0;
    let bought = 0;
    for (let t = 0; t < T; t++) {
      const i = st.first[q] + t;
      let avail = m.pMax[i];
      for (let k = m.tradeStart[i]; k < m.tradeStart[i + 1]; k++) {
        const j = m.partner[k];
        const s = horizon.storageOf[j];
        const partnerMax = m.pMax[j] + (s >= 0 ? st.dischargeMax[s] : 0);
        avail += Math.max(0, Math.min(-m.lo[k], partnerMax));
      }
      const c = Math.min(st.chargeMax[q], Math.max(0, avail));
      bought += c;
      e = Math.min(st.socMax[q], e + dt * st.etaCharge[q] * c);
    }
    if (need > e * (1 + 1e-12) + 1e-12) {
      const n = st.first[q] + T - 1;
      return {
        feasible: false,
        reason:
          `infeasible: the storage of ${agentName(n)} must end the horizon with at least ${fmt(need)} MWh (it starts with ${fmt(e0)}), ` +
          `but its own power and what its partners can sell it allow it to charge at most ${fmt(dt * bought)} MWh over the horizon, ` +
          `reaching ${fmt(e)} MWh`,
        agents: [n],
      };
    }
  }
  return null;
}

function fmt(x: number): string {
  return Number.isFinite(x) ? String(Number(x.toPrecision(6))) : String(x);
}
