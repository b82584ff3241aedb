import assert from "node:assert/strict";
import type { SolveOutcome } from "@peermarket/market";
import type { Market, Solution } from "@peermarket/model";
import { certify } from "@peermarket/reference";
import { prepareDistributedMarket } from "../distributed-solve.js";

/**
 * The market with every non-zero cost coefficient and preference cost nudged by a relative 1e-7
 * or so, so that each has a full mantissa: a value like 2 or 64 has six zero bytes and would be
 * "found" in any run of zeros, while a nudged one is found only if it was really sent.
 */
export function distinctive(market: Market): Market {
  let i = 0;
  const nudge = (c: number): number => (c === 0 ? 0 : c * (1 + 1e-7 * Math.SQRT2 * (1 + (i++ % 97) / 7)));
  return {
    ...market,
    agents: market.agents.map((a) => ({
      ...a,
      costQuadratic: nudge(a.costQuadratic),
      costLinear: nudge(a.costLinear),
    })),
    preferences: market.preferences.map((p) => ({ ...p, cost: nudge(p.cost), costPerKm: nudge(p.costPerKm) })),
  };
}

/** The cost coefficients and preference costs of a market: what must never reach a coordinator. */
export function privateNumbers(market: Market): number[] {
  const values = new Set<number>();
  for (const a of market.agents) {
    values.add(a.costQuadratic);
    values.add(a.costLinear);
  }
  for (const p of market.preferences) {
    if (p.cost !== 0) values.add(p.cost);
    if (p.costPerKm !== 0) values.add(p.costPerKm);
  }
  return [...values];
}

/** A market without some agents (and their preferences and explicit pairs). */
export function without(market: Market, ids: string[]): Market {
  const gone = new Set(ids);
  return {
    ...market,
    agents: market.agents.filter((a) => !gone.has(a.id)),
    preferences: market.preferences.filter((p) => !gone.has(p.agentId) && !gone.has(p.partnerId)),
    pairs: market.pairs.filter((p) => !gone.has(p.agentId) && !gone.has(p.partnerId)),
  };
}

/**
 * The negotiated dispatch equals the in-process one within `tol` (relative to the largest agent
 * power) — every agent's power — and passes the KKT certificate of the full market (costs known
 * here, in the test): prices need not be unique (an agent at a bound), the certificate checks they
 * are consistent with every agent's marginal cost and trade costs.
 */
export function assertSameDispatch(negotiated: Solution, reference: SolveOutcome, tol: number): void {
  const ref = reference.solution;
  assert.equal(negotiated.status, "SOLVE_STATUS_SOLVED");
  const scale = Math.max(1, ...ref.agents.map((a) => Math.abs(a.power)));
  const byId = new Map(negotiated.agents.map((a) => [a.id, a]));
  assert.equal(negotiated.agents.length, ref.agents.length);
  for (const a of ref.agents) {
    const n = byId.get(a.id);
    assert.ok(n, `agent ${a.id} in the negotiated solution`);
    assert.ok(
      Math.abs(n.power - a.power) <= tol * scale,
      `${a.id}: power ${n.power} negotiated, ${a.power} in-process`,
    );
  }
  const x = reference.expanded;
  const { expanded: full } = prepareDistributedMarket(x.market);
  const m = full.arrays;
  const trades = new Map(negotiated.trades.map((t) => [`${t.sellerId}\u0000${t.buyerId}`, t]));
  const trade = new Float64Array(m.partner.length);
  const price = new Float64Array(m.partner.length);
  for (let n = 0; n < m.nAgents; n++) {
    for (let k = m.tradeStart[n]; k < m.tradeStart[n + 1]; k++) {
      const me = full.agentIds[n];
      const other = full.agentIds[m.partner[k]];
      const sells = trades.get(`${me}\u0000${other}`);
      const buys = trades.get(`${other}\u0000${me}`);
      const t = sells ?? buys;
      assert.ok(t, `trade ${me}–${other} in the negotiated solution`);
      trade[k] = sells ? t.power : -t.power;
      price[k] = t.price;
    }
  }
  const agentPower = Float64Array.from(full.agentIds, (id) => byId.get(id)!.power);
  const certificate = certify(m, { agentPower, trade, price });
  assert.ok(
    certificate.passed,
    `certificate: ${JSON.stringify({ ...certificate, agentPriceViolation: undefined, worstAgent: full.agentIds[certificate.worstAgent] })}`,
  );
}
