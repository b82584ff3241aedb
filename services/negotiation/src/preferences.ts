import { type PartnerView, type Preference, preferenceUnitCost } from "@peermarket/model";

export type { PartnerView };

/**
 * The preference cost of `owner` on its trade with `partner`: the sum over its preferences that
 * apply, in their order (as the model folds them). @throws RangeError naming the preference when
 * a cost is not a finite number (e.g. `cost ×` an attribute that is not numeric).
 */
export function preferenceCost(prefs: readonly Preference[], owner: PartnerView, partner: PartnerView): number {
  let total = 0;
  prefs.forEach((pref, i) => {
    const c = preferenceUnitCost(pref, owner, partner);
    if (c === null) return;
    if (!Number.isFinite(c))
      throw new RangeError(
        `preference ${i} of ${owner.id}: its cost on the trade with ${partner.id} is ${c} (is ${partner.id}'s attribute ${JSON.stringify(pref.attributeKey)} a number?)`,
      );
    total += c;
  });
  return total;
}
