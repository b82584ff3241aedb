import type { MarketArrays } from "@peermarket/admm";
import type { ExpandedMarket } from "./expanded-types.js";
import { preferenceUnitCost, type PartnerView } from "./preference-cost.js";

/** Directed trade of agent n with partner m, or -1 (partners of an agent are in increasing order). */
export function findTrade(arrays: MarketArrays, n: number, m: number): number {
  let lo = arrays.tradeStart[n];
  let hi = arrays.tradeStart[n + 1] - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const p = arrays.partner[mid];
    if (p === m) return mid;
    if (p < m) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/** What preferences see of each agent of an expanded market; grid agents have no attributes or location. */
export function partnerViews(x: ExpandedMarket): PartnerView[] {
  const views: PartnerView[] = x.market.agents.map((a) => ({
    id: a.id,
    attributes: a.attributes ?? {},
    location: a.location,
  }));
  for (let i = views.length; i < x.agentIds.length; i++) views.push({ id: x.agentIds[i], attributes: {} });
  return views;
}

/**
 * Adds every preference (docs/market-model.md, "Preferences") to prefSell and prefBuy of its owner's directed trades with
 * the partners it applies to (both directions get the same per-unit cost). Preferences that
 * reach no trade of the graph add nothing and leave a note. `index` maps every agent id (grid
 * agents included) to its index.
 */
export function foldPreferences(x: ExpandedMarket, index: Map<string, number>, views: PartnerView[]): void {
  const { arrays } = x;
  x.market.preferences.forEach((pref, i) => {
    const n = index.get(pref.agentId);
    if (n === undefined)
      throw new Error(`preferences[${i}]: unknown agent ${JSON.stringify(pref.agentId)}; validate the market first`);
    const add = (k: number, m: number): boolean => {
      const c = preferenceUnitCost(pref, views[n], views[m]);
      if (c === null) return false;
      x.prefSell[k] += c;
      x.prefBuy[k] += c;
      return true;
    };
    if (pref.partnerId !== "") {
      const m = index.get(pref.partnerId);
      const k = m === undefined ? -1 : findTrade(arrays, n, m);
      if (m === undefined || k < 0 || !add(k, m)) {
        x.notes.push(
          `preferences[${i}]: ${pref.agentId} and ${pref.partnerId} do not trade (not a pair of the trading graph, or a pair that can never trade); the preference has no effect`,
        );
      }
      return;
    }
    let applied = 0;
    for (let k = arrays.tradeStart[n]; k < arrays.tradeStart[n + 1]; k++) if (add(k, arrays.partner[k])) applied++;
    if (applied === 0) x.notes.push(`preferences[${i}]: applies to none of ${pref.agentId}'s trades; it has no effect`);
  });
}
