import type { Location, Preference } from "./types.js";

/** What a preference looks at in a trading partner. Grid agents have no attributes and no location. */
export interface PartnerView {
  id: string;
  attributes: Record<string, string>;
  location?: Location | null;
}

/** The numeric value of an attribute (`"820"`, `" 1e3 "`), or NaN when it is not a finite number within ±1e100. */
export function attributeNumber(v: string): number {
  const t = v.trim();
  if (t === "") return NaN;
  const x = Number(t);
  return Number.isFinite(x) && Math.abs(x) <= 1e100 ? x : NaN;
}

/** Euclidean distance in km between two locations. */
export function distanceKm(a: Location, b: Location): number {
  return Math.hypot(a.xKm - b.xKm, a.yKm - b.yKm);
}

/**
 * Whether a preference applies to a partner: the named partner; else, with attribute_key, the
 * partners having that attribute (equal to attribute_value when one is given); else every partner.
 */
export function preferenceApplies(pref: Preference, partner: PartnerView): boolean {
  if (pref.partnerId !== "") return partner.id === pref.partnerId;
  if (pref.attributeKey === "") return true;
  if (!Object.hasOwn(partner.attributes, pref.attributeKey)) return false;
  return pref.attributeValue === "" || partner.attributes[pref.attributeKey] === pref.attributeValue;
}

/**
 * The per-unit cost a preference of `owner` puts on its trades with `partner` (docs/market-model.md), or null
 * when it does not apply: `cost` (times the partner's numeric attribute when attribute_key is
 * given without a value) plus cost_per_km × the distance of the two locations (when both have one).
 */
export function preferenceUnitCost(pref: Preference, owner: PartnerView, partner: PartnerView): number | null {
  if (!preferenceApplies(pref, partner)) return null;
  let c = pref.cost;
  if (pref.partnerId === "" && pref.attributeKey !== "" && pref.attributeValue === "") {
    c = pref.cost * attributeNumber(partner.attributes[pref.attributeKey]);
  }
  if (pref.costPerKm !== 0 && owner.location && partner.location)
    c += pref.costPerKm * distanceKm(owner.location, partner.location);
  return c;
}
