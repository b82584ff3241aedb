import type { HorizonArrays } from "./horizon.js";
import type { MarketArrays } from "./problem.js";
import type { SolutionArrays } from "./status.js";

/**
 * Σ_n ½ a_n g_n² + b_n g_n + Σ_k c⁺_k max(p_k, 0) + c⁻_k max(−p_k, 0), in a fixed order, with g_n
 * the agent's own power: its net power p_n, less its storage's discharge plus its charge in a
 * multi-period market. With a horizon (docs/multi-period.md) the storages' throughput cost
 * Σ throughput·(c_t + d_t) is added and the total, per hour in the engine, is multiplied by Δ:
 * money over the horizon.
 */
export function objective(m: MarketArrays, s: SolutionArrays, H?: HorizonArrays | null): number {
  let f = 0;
  const c = H ? s.charge : undefined;
  const d = H ? s.discharge : undefined;
  for (let n = 0; n < m.nAgents; n++) {
    let p = s.agentPower[n];
    if (c && d) p += c[n] - d[n];
    f += 0.5 * m.a[n] * p * p + m.b[n] * p;
  }
  for (let k = 0; k < s.trade.length; k++) {
    const t = s.trade[k];
    if (t > 0) f += m.costSell[k] * t;
    else if (t < 0) f -= m.costBuy[k] * t;
  }
  if (!H) return f;
  if (c && d) {
    const st = H.storage;
    for (let q = 0; q < st.count; q++) {
      const w = st.throughputCost[q];
      if (w === 0) continue;
      for (let t = 0; t < H.periods; t++) {
        const i = st.first[q] + t;
        f += w * (c[i] + d[i]);
      }
    }
  }
  return f * H.periodHours;
}
