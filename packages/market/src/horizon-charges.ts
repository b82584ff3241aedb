import type { ExpandedMarket } from "@peermarket/model";

/** How the engine's messages name agent n: its id, and its period in a multi-period market. */
export function engineAgentName(x: ExpandedMarket, n: number): string {
  const h = x.horizon;
  if (!h || h.periods === 1) return JSON.stringify(x.agentIds[n]);
  return `${JSON.stringify(x.agentIds[n])} in period ${n % h.periods}`;
}
