import type { MarketArrays } from "@peermarket/admm";

/**
 * The market objective at a point: Σ_n ½ a_n p_n² + b_n p_n + Σ_k c⁺_k max(p_k, 0) + c⁻_k max(−p_k, 0)
 * (docs/market-model.md), with `agentPower` per agent and `trade` per directed trade.
 */
export function marketObjective(m: MarketArrays, agentPower: ArrayLike<number>, trade: ArrayLike<number>): number {
  if (agentPower.length !== m.nAgents)
    throw new Error(`marketObjective: agentPower has ${agentPower.length} entries, the market has ${m.nAgents} agents`);
  if (trade.length !== m.partner.length)
    throw new Error(
      `marketObjective: trade has ${trade.length} entries, the market has ${m.partner.length} directed trades`,
    );
  let total = 0;
  for (let n = 0; n < m.nAgents; n++) {
    const p = agentPower[n];
    total += 0.5 * m.a[n] * p * p + m.b[n] * p;
  }
  for (let k = 0; k < trade.length; k++) {
    const x = trade[k];
    if (x > 0) total += m.costSell[k] * x;
    else if (x < 0) total -= m.costBuy[k] * x;
  }
  return total;
}
