import type { AdmmResult } from "@peermarket/admm";
import type { ExpandedMarket, Solution } from "@peermarket/model";
import type { DroppedAgent, PeerAgent, PeerProfile, Welcome } from "@peermarket/model";
import type { PeerLink } from "./peer-link.js";

/** A peer's share of an epoch: its agents' indices (in its registration's order) and its Welcome. */
export interface PeerTerms {
  link: PeerLink;
  agents: number[];
  welcome: Welcome;
}

/**
 * The terms of an epoch: for each peer, its agents' trades (partner, trade bounds, network-charge
 * shares) and the published profiles (location, attributes) of their partners; and the agents the
 * coordinator solves itself (the grid agents, whose prices are public).
 */
export function epochTerms(
  x: ExpandedMarket,
  links: PeerLink[],
  registered: ReadonlyMap<string, PeerAgent>,
  epoch: number,
  dropped: DroppedAgent[],
): { peers: PeerTerms[]; own: number[] } {
  const m = x.arrays;
  const index = new Map(x.agentIds.map((id, n) => [id, n]));
  const peers = links.map((link) => {
    const agents = link.agentIds.map((id) => index.get(id)).filter((n): n is number => n !== undefined);
    const partnerIds = new Set<string>();
    const terms = agents.map((n) => {
      const trades = [];
      for (let k = m.tradeStart[n]; k < m.tradeStart[n + 1]; k++) {
        const partnerId = x.agentIds[m.partner[k]];
        partnerIds.add(partnerId);
        trades.push({
          partnerId,
          tradeMin: m.lo[k],
          tradeMax: m.hi[k],
          chargeSell: x.chargeSell[k],
          chargeBuy: x.chargeBuy[k],
        });
      }
      return { agentId: x.agentIds[n], trades };
    });
    const partners: PeerProfile[] = [];
    for (const id of partnerIds) {
      const r = registered.get(id);
      if (r) partners.push({ id, location: r.location ?? null, attributes: r.attributes });
    }
    return { link, agents, welcome: { epoch, marketName: x.market.name, agents: terms, partners, dropped } };
  });
  const own = [x.gridImport, x.gridExport].filter((n) => n >= 0);
  return { peers, own };
}

/** The Solution as one peer sees it: its agents and their trades. */
export function settlementFor(solution: Solution, agentIds: string[]): Solution {
  const ids = new Set(agentIds);
  return {
    ...solution,
    agents: solution.agents.filter((a) => ids.has(a.id)),
    trades: solution.trades.filter((t) => ids.has(t.sellerId) || ids.has(t.buyerId)),
  };
}

/**
 * A warm start for the next epoch: the trades and prices of the pairs that are still in the
 * market (matched by their agents' ids), zero for the others.
 */
export function warmStartFrom(
  prev: ExpandedMarket,
  result: AdmmResult,
  next: ExpandedMarket,
): { trade: Float64Array; price: Float64Array } {
  const key = (a: string, b: string): string => `${a}\u0000${b}`;
  const old = new Map<string, number>();
  const pm = prev.arrays;
  for (let n = 0; n < pm.nAgents; n++) {
    for (let k = pm.tradeStart[n]; k < pm.tradeStart[n + 1]; k++)
      old.set(key(prev.agentIds[n], prev.agentIds[pm.partner[k]]), k);
  }
  const m = next.arrays;
  const nt = m.partner.length;
  const trade = new Float64Array(nt);
  const price = new Float64Array(nt);
  for (let n = 0; n < m.nAgents; n++) {
    for (let k = m.tradeStart[n]; k < m.tradeStart[n + 1]; k++) {
      const j = old.get(key(next.agentIds[n], next.agentIds[m.partner[k]]));
      if (j === undefined) continue;
      trade[k] = result.solution.trade[j];
      price[k] = result.solution.price[j];
    }
  }
  return { trade, price };
}
