import { ownTradeBounds } from "@peermarket/admm";

/** Can sell on its trades (its own trade bounds reach above 0). */
export const CAN_SELL = 1;
/** Can buy on its trades (its own trade bounds reach below 0). */
export const CAN_BUY = 2;

/** CAN_SELL | CAN_BUY flags of an agent with power bounds [pMin, pMax] (0: fixed at 0, never trades). */
export function tradeRole(pMin: number, pMax: number): number {
  const [lo, hi] = ownTradeBounds(pMin, pMax);
  return (hi > 0 ? CAN_SELL : 0) | (lo < 0 ? CAN_BUY : 0);
}

/** Whether agents with these roles can ever trade (same answer as `canTrade` of @peermarket/admm). */
export function rolesCanTrade(a: number, b: number): boolean {
  return ((a & CAN_SELL) !== 0 && (b & CAN_BUY) !== 0) || ((a & CAN_BUY) !== 0 && (b & CAN_SELL) !== 0);
}

/** How many agents of each role: sell-only, buy-only, both, neither. */
export interface RoleCounts {
  sellOnly: number;
  buyOnly: number;
  both: number;
  none: number;
}

/** Counts the roles of agents given their power bounds. */
export function countRoles(pMin: ArrayLike<number>, pMax: ArrayLike<number>): RoleCounts {
  const c: RoleCounts = { sellOnly: 0, buyOnly: 0, both: 0, none: 0 };
  for (let i = 0; i < pMin.length; i++) {
    const r = tradeRole(pMin[i], pMax[i]);
    if (r === CAN_SELL) c.sellOnly++;
    else if (r === CAN_BUY) c.buyOnly++;
    else if (r === 0) c.none++;
    else c.both++;
  }
  return c;
}

function choose2(k: number): number {
  return (k * (k - 1)) / 2;
}

/**
 * Pairs of a complete trading graph that can trade, counted without enumerating them: all pairs
 * of agents that trade at all, minus sell-only–sell-only and buy-only–buy-only pairs.
 */
export function completeGraphTradingPairs(c: RoleCounts): number {
  return choose2(c.sellOnly + c.buyOnly + c.both) - choose2(c.sellOnly) - choose2(c.buyOnly);
}

/** All pairs of a complete graph on n agents, tradable or not. */
export function completeGraphPairs(n: number): number {
  return choose2(n);
}
