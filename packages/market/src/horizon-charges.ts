import type { ExpandedMarket } from "@peermarket/model";
import { chargesFromDistances, type PairDistances } from "@peermarket/network";

/**
 * Fills the network-charge parts of the trade costs for unit fee `fee`: `chargesFromDistances`,
 * and in a multi-period market with time-of-use fees (charges.unitFeeProfile) the fee of each
 * period instead (docs/multi-period.md): engine agent n·T + t's trades pay the fee of period t.
 */
export function setTradeCharges(x: ExpandedMarket, distances: PairDistances, fee: number, share: number): void {
  const fees = x.horizon?.unitFeeProfile ?? null;
  if (!fees) {
    chargesFromDistances(x, distances, fee, share);
    return;
  }
  chargesFromDistances(x, distances, 1, share);
  const T = x.horizon!.periods;
  const m = x.arrays;
  for (let i = 0; i < m.nAgents; i++) {
    const u = fees[i % T];
    for (let k = m.tradeStart[i]; k < m.tradeStart[i + 1]; k++) {
      x.chargeSell[k] *= u;
      x.chargeBuy[k] *= u;
    }
  }
}

/** How the engine's messages name agent n: its id, and its period in a multi-period market. */
export function engineAgentName(x: ExpandedMarket, n: number): string {
  const h = x.horizon;
  if (!h || h.periods === 1) return JSON.stringify(x.agentIds[n]);
  return `${JSON.stringify(x.agentIds[n])} in period ${n % h.periods}`;
}
