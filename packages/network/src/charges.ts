import type { ExpandedMarket, NetworkCharges } from "@peermarket/model";
import type { DcNetwork } from "./dc.js";
import { pairDistances, type PairDistances } from "./pair-distances.js";

/** Default share of a network charge borne by the seller. */
export const DEFAULT_SELLER_SHARE = 0.5;

/** Checks a unit fee and seller share, with the messages a scenario author needs. */
export function checkFeeAndShare(fee: number, share: number): void {
  if (!Number.isFinite(fee) || fee < 0) throw new Error(`charges.unitFee must be finite and ≥ 0, got ${fee}`);
  if (!Number.isFinite(share) || share < 0 || share > 1)
    throw new Error(`charges.sellerShare must be in [0, 1], got ${share}`);
}

/**
 * Fills the network-charge part of every directed trade cost from per-pair distances: agent n's
 * trade with m gets chargeSell = s·u·d_nm when n can sell on it and chargeBuy = (1−s)·u·d_nm when n
 * can buy on it (a prosumer trade gets both; a side the trade bounds exclude stays 0).
 * Leaves arrays.costSell/costBuy untouched: the caller combines preference and charge parts.
 */
export function chargesFromDistances(
  x: ExpandedMarket,
  distances: PairDistances,
  fee: number,
  share: number = DEFAULT_SELLER_SHARE,
): void {
  checkFeeAndShare(fee, share);
  const nPairs = x.pairFirst.length;
  if (distances.distance.length !== nPairs) {
    throw new Error(
      `network distances have ${distances.distance.length} pairs, the market has ${nPairs}: compute them for this market`,
    );
  }
  const { lo, hi } = x.arrays;
  x.chargeSell.fill(0);
  x.chargeBuy.fill(0);
  for (let p = 0; p < nPairs; p++) {
    const unit = fee * distances.distance[p];
    const kf = x.tradeOfFirst[p];
    const ks = x.tradeOfSecond[p];
    if (hi[kf] > 0) x.chargeSell[kf] = share * unit;
    if (lo[kf] < 0) x.chargeBuy[kf] = (1 - share) * unit;
    if (hi[ks] > 0) x.chargeSell[ks] = share * unit;
    if (lo[ks] < 0) x.chargeBuy[ks] = (1 - share) * unit;
  }
}

/**
 * Applies a network-charge design to a market: computes the pair distances and fills
 * x.chargeSell / x.chargeBuy for the unit fee (`unitFee`, else charges.unitFee) and seller share
 * (charges.sellerShare, default ½). NONE/UNSPECIFIED give zero charges. Returns the distances, to
 * report or to reuse for other fees.
 */
export function applyNetworkCharges(
  x: ExpandedMarket,
  net: DcNetwork | null,
  charges: NetworkCharges,
  unitFee?: number,
): PairDistances {
  const distances = pairDistances(x, net, charges);
  chargesFromDistances(x, distances, unitFee ?? charges.unitFee, charges.sellerShare ?? DEFAULT_SELLER_SHARE);
  return distances;
}
