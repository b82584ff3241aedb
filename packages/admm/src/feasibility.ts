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
 * its trade within [lo, hi]), decided by one maximum flow (Hoffman's circulation theorem). A greedy
 * construction of such trades (`greedyFeasible`) is tried first: when it succeeds the market is
 * feasible and the flow graph is never built (the common case of dense markets).
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
  if (greedyFeasible(m)) return { feasible: true, reason: "", agents: [] };
  return maxFlowFeasibility(m, agentName);
}

/**
 * A cheap sufficient test: builds, greedily, trades within their bounds that give every agent a
 * net power within its bounds, and reports whether it succeeded (the market is then feasible; when
 * it fails, the maximum flow decides). First every must-consume agent (pMax < 0) buys what it must
 * from its partners in CSR order, each partner selling at most up to its own pMax; then every
 * must-run agent (pMin > 0) still short sells what it must to partners that can still buy (down to
 * their pMin). The second step keeps what the first achieved: its sellers only move up to their
 * pMin, its buyers only down, never below their pMin. On complete or dense markets whose
 * partners can take the forced power this succeeds without building the flow graph. The point
 * found is checked against the bounds with a slack for rounding (the net powers are float sums of
 * the trades) of 1e-12 of the forced power, far below the maximum flow's tolerance (1e-9 of it), so
 * it never accepts a market the maximum flow would reject. With `witness` (one entry per directed
 * trade) the trades found are written there (meaningful only when it returns true).
 */
export function greedyFeasible(m: MarketArrays, witness?: Float64Array): boolean {
  const N = m.nAgents;
  const pMin = m.pMin;
  const pMax = m.pMax;
  const start = m.tradeStart;
  const partner = m.partner;
  const mirror = m.mirror;
  const lo = m.lo;
  const hi = m.hi;
  let forced = 0;
  let mustSell = false;
  for (let n = 0; n < N; n++) {
    const L = pMin[n];
    const U = pMax[n];
    if (L > U) return false;
    if (L > 0) {
      if (!(L < Infinity)) return false;
      forced += L;
      mustSell = true;
    } else if (U < 0) {
      if (!(U > -Infinity)) return false;
      forced -= U;
    }
  }
  // Net power of every agent at the trades built so far.
  const p = new Float64Array(N);
  // The trades themselves (p_nm per directed trade), needed only when the second step may reuse a
  // pair of the first, or to return them in `witness` (zeroed here).
  const flow = witness ? witness.fill(0) : mustSell ? new Float64Array(partner.length) : null;
  for (let n = 0; n < N; n++) {
    const U = pMax[n];
    if (!(U < 0)) continue;
    let d = p[n] - U; // still to buy
    for (let k = start[n], e = start[n + 1]; k < e && d > 0; k++) {
      const j = partner[k];
      const room = pMax[j] - p[j];
      if (!(room > 0)) continue;
      const f = flow === null ? 0 : flow[k];
      const x = Math.min(d, room, f - lo[k]);
      if (!(x > 0)) continue;
      if (flow !== null) {
        flow[k] = f - x;
        flow[mirror[k]] += x;
      }
      p[n] -= x;
      p[j] += x;
      d -= x;
    }
    if (d > 0) return false;
  }
  if (mustSell && flow !== null) {
    for (let n = 0; n < N; n++) {
      const L = pMin[n];
      if (!(L > 0)) continue;
      let d = L - p[n]; // still to sell
      for (let k = start[n], e = start[n + 1]; k < e && d > 0; k++) {
        const j = partner[k];
        const room = p[j] - pMin[j];
        if (!(room > 0)) continue;
        const f = flow[k];
        const x = Math.min(d, room, hi[k] - f);
        if (!(x > 0)) continue;
        flow[k] = f + x;
        flow[mirror[k]] -= x;
        p[n] += x;
        p[j] -= x;
        d -= x;
      }
      if (d > 0) return false;
    }
  }
  // The point found, checked: net powers within [pMin, pMax] and trades within [lo, hi], summing
  // the violations (rounding only) against the slack.
  let violation = 0;
  for (let n = 0; n < N; n++) {
    const v = p[n];
    if (v > pMax[n]) violation += v - pMax[n];
    else if (v < pMin[n]) violation += pMin[n] - v;
    else if (!(v === v)) return false;
  }
  if (flow !== null) {
    for (let k = 0; k < flow.length; k++) {
      const f = flow[k];
      if (f > hi[k]) violation += f - hi[k];
      else if (f < lo[k]) violation += lo[k] - f;
    }
  }
  return violation <= 1e-12 * Math.max(1, forced);
}

/** The exact decision by one maximum flow, with the reason and the agents when infeasible. */
export function maxFlowFeasibility(m: MarketArrays, agentName: (n: number) => string): Feasibility {
  const N = m.nAgents;
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
