import type { MarketArrays } from "./problem.js";
import type { SolutionArrays } from "./status.js";

/** Σ_n ½ a_n p_n² + b_n p_n + Σ_k c⁺_k max(p_k, 0) + c⁻_k max(−p_k, 0), in a fixed order. */
export function objective(m: MarketArrays, s: SolutionArrays): number {
  let f = 0;
  for (let n = 0; n < m.nAgents; n++) {
    const p = s.agentPower[n];
    f += 0.5 * m.a[n] * p * p + m.b[n] * p;
  }
  for (let k = 0; k < s.trade.length; k++) {
    const t = s.trade[k];
    if (t > 0) f += m.costSell[k] * t;
    else if (t < 0) f -= m.costBuy[k] * t;
  }
  return f;
}
