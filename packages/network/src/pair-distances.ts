import type { ChargeDesign, ExpandedMarket, NetworkCharges } from "@peermarket/model";
import type { DcNetwork } from "./dc.js";
import { electricalDistance } from "./distance.js";
import { agentBusIndices, agentPath, agentZones } from "./placement.js";
import { ptdf as computePtdf } from "./ptdf.js";
import { zonalDistance } from "./zones.js";

/** The network distance of every kept pair of a market under one charge design. */
export interface PairDistances {
  design: ChargeDesign;
  /** Per kept pair (ExpandedMarket.pairFirst/pairSecond order): d between its two agents. */
  distance: Float64Array;
  /** Per agent: its zone (Agent.zone, else the area of its bus, else ""). */
  agentZone: string[];
}

/** Whether a design charges anything (NONE and UNSPECIFIED do not). */
export function chargesSomething(design: ChargeDesign): boolean {
  return design !== "CHARGE_DESIGN_NONE" && design !== "CHARGE_DESIGN_UNSPECIFIED";
}

/**
 * Distances between the two agents of every kept pair (DESIGN §3): uniform 1; electrical the
 * power-transfer distance between their buses; zonal the explicit zone distance or the number of
 * zone borders crossed; 0 for NONE/UNSPECIFIED. Computed once per market, they serve any number of
 * unit fees (`chargesFromDistances`). `ptdfMatrix` may be passed to reuse one already computed.
 */
export function pairDistances(
  x: ExpandedMarket,
  net: DcNetwork | null,
  charges: NetworkCharges,
  ptdfMatrix?: Float64Array,
): PairDistances {
  const design = charges.design;
  const nPairs = x.pairFirst.length;
  const distance = new Float64Array(nPairs);
  const agentZone = agentZones(x, net);
  switch (design) {
    case "CHARGE_DESIGN_NONE":
    case "CHARGE_DESIGN_UNSPECIFIED":
      break;
    case "CHARGE_DESIGN_UNIFORM":
      distance.fill(1);
      break;
    case "CHARGE_DESIGN_ELECTRICAL_DISTANCE": {
      if (!net) throw new Error("charges.design CHARGE_DESIGN_ELECTRICAL_DISTANCE needs a network (Market.network)");
      const bus = agentBusIndices(x, net, true, "the electrical-distance design needs every agent on a bus");
      const d = electricalDistance(net, ptdfMatrix ?? computePtdf(net));
      for (let p = 0; p < nPairs; p++) distance[p] = d(bus[x.pairFirst[p]], bus[x.pairSecond[p]]);
      break;
    }
    case "CHARGE_DESIGN_ZONAL": {
      agentZone.forEach((z, n) => {
        if (z === "") {
          throw new Error(`${agentPath(x, n)}: agent "${x.agentIds[n]}" has neither a zone nor a bus; the zonal design needs one`);
        }
      });
      const d = zonalDistance(net, charges.zoneDistances ?? []);
      for (let p = 0; p < nPairs; p++) distance[p] = d(agentZone[x.pairFirst[p]], agentZone[x.pairSecond[p]]);
      break;
    }
    default:
      throw new Error(`charges.design: unknown charge design "${String(design)}"`);
  }
  return { design, distance, agentZone };
}
