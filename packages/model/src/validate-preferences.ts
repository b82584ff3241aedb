import { attributeNumber, preferenceApplies } from "./preference-cost.js";
import type { Preference } from "./types.js";
import {
  checkNumber,
  GRID_EXPORT_ID,
  GRID_IMPORT_ID,
  isKnownAgent,
  type ValidationContext,
} from "./validation-context.js";

/**
 * Checks the preferences: a known owner (not a grid agent), a known partner (grid agents allowed
 * with a grid) other than the owner, partner or attribute but not both, a value only with a key,
 * finite costs, locations where cost_per_km needs them, numeric attributes where `cost` is
 * multiplied by them. Convexity is checked after expansion (expandMarket).
 */
export function checkPreferences(ctx: ValidationContext): void {
  const { market, issues } = ctx;
  market.preferences.forEach((pref, i) => {
    if (issues.full) return;
    const p = `preferences[${i}]`;
    const owner = checkOwner(ctx, pref, p);
    let partnerOk = true;
    if (pref.partnerId !== "") {
      if (!isKnownAgent(ctx, pref.partnerId)) {
        issues.add(`${p}.partnerId`, `unknown agent ${JSON.stringify(pref.partnerId)}`);
        partnerOk = false;
      } else if (pref.partnerId === pref.agentId) {
        issues.add(`${p}.partnerId`, "an agent has no preference on itself (it does not trade with itself)");
        partnerOk = false;
      }
      if (pref.attributeKey !== "") {
        issues.add(
          `${p}.attributeKey`,
          "give either partnerId (one partner) or attributeKey (partners by attribute), not both",
        );
        partnerOk = false;
      }
    }
    if (pref.attributeValue !== "" && pref.attributeKey === "") issues.add(`${p}.attributeValue`, "needs attributeKey");
    const costsOk = checkNumber(ctx, `${p}.cost`, pref.cost) && checkNumber(ctx, `${p}.costPerKm`, pref.costPerKm);
    if (owner < 0 || !partnerOk || !costsOk) return;
    checkPartners(ctx, pref, owner, p);
  });
}

function checkOwner(ctx: ValidationContext, pref: Preference, p: string): number {
  if (pref.agentId === "") {
    ctx.issues.add(`${p}.agentId`, "must name an agent");
    return -1;
  }
  if (ctx.hasGrid && (pref.agentId === GRID_IMPORT_ID || pref.agentId === GRID_EXPORT_ID)) {
    ctx.issues.add(
      `${p}.agentId`,
      "the grid agents have no preferences; state them as preferences of the other agents with partnerId",
    );
    return -1;
  }
  const owner = ctx.index.get(pref.agentId);
  if (owner === undefined) {
    ctx.issues.add(`${p}.agentId`, `unknown agent ${JSON.stringify(pref.agentId)}`);
    return -1;
  }
  return owner;
}

/** Locations for cost_per_km and numeric attributes for `cost × attribute`, on the partners it applies to. */
function checkPartners(ctx: ValidationContext, pref: Preference, owner: number, p: string): void {
  const agents = ctx.market.agents;
  const distance = pref.costPerKm !== 0;
  if (distance && !agents[owner].location) {
    ctx.issues.add(`${p}.costPerKm`, `agent ${JSON.stringify(pref.agentId)} has no location`);
    return;
  }
  const numeric = pref.partnerId === "" && pref.attributeKey !== "" && pref.attributeValue === "";
  if (!distance && !numeric) return;
  let locationReported = !distance;
  let numberReported = !numeric;
  for (let m = 0; m < agents.length && !(locationReported && numberReported); m++) {
    const partner = agents[m];
    if (m === owner || !preferenceApplies(pref, partner)) continue;
    if (!locationReported && !partner.location) {
      ctx.issues.add(`${p}.costPerKm`, `partner ${JSON.stringify(partner.id)} (agents[${m}]) has no location`);
      locationReported = true;
    }
    if (!numberReported && Number.isNaN(attributeNumber(partner.attributes[pref.attributeKey]))) {
      const v = partner.attributes[pref.attributeKey];
      ctx.issues.add(
        `${p}.attributeKey`,
        `partner ${JSON.stringify(partner.id)} has ${pref.attributeKey} = ${JSON.stringify(v)}, not a number (cost is multiplied by it)`,
      );
      numberReported = true;
    }
  }
}
