import type { AgentCharge, TradeCharge, ZoneFlow, ZoneTotal } from "@peermarket/model";
import { compareZones } from "./zones.js";

/**
 * Per-zone totals and zone-to-zone flows of a set of charged trades: charges paid by the zone's
 * agents, volume traded inside the zone, exports (sold to other zones) and imports (bought from
 * them); flows aggregate inter-zone trades by (seller zone, buyer zone). Zones sorted naturally.
 */
export function zoneTotals(
  agents: readonly AgentCharge[],
  trades: readonly TradeCharge[],
): { zones: ZoneTotal[]; zoneFlows: ZoneFlow[] } {
  const byZone = new Map<string, ZoneTotal>();
  const total = (zone: string): ZoneTotal => {
    let t = byZone.get(zone);
    if (!t) {
      t = { zone, charges: 0, internalVolume: 0, exports: 0, imports: 0 };
      byZone.set(zone, t);
    }
    return t;
  };
  for (const a of agents) total(a.zone).charges += a.charge;
  const flows = new Map<string, ZoneFlow>();
  for (const t of trades) {
    if (t.sellerZone === t.buyerZone) {
      total(t.sellerZone).internalVolume += t.power;
      continue;
    }
    total(t.sellerZone).exports += t.power;
    total(t.buyerZone).imports += t.power;
    const k = `${t.sellerZone}\u0000${t.buyerZone}`;
    const f = flows.get(k);
    if (f) f.volume += t.power;
    else flows.set(k, { fromZone: t.sellerZone, toZone: t.buyerZone, volume: t.power });
  }
  const zones = [...byZone.values()].sort((a, b) => compareZones(a.zone, b.zone));
  const zoneFlows = [...flows.values()].sort(
    (a, b) => compareZones(a.fromZone, b.fromZone) || compareZones(a.toZone, b.toZone),
  );
  return { zones, zoneFlows };
}
