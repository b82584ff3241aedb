import type { ChargeDesign, ExpandedMarket, NetworkCharges } from "@peermarket/model";
import type { DcNetwork } from "./dc.js";
import { type AbortCheck, neverAbort } from "./abort.js";
import { electricalDistance, factoredDistance } from "./distance.js";
import { DEFAULT_NETWORK_LIMITS, NetworkLimitError, type NetworkLimits } from "./limits.js";
import { agentBusIndices, agentPath, agentZones } from "./placement.js";
import { PtdfFactor } from "./ptdf.js";
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
 * Distances between the two agents of every kept pair (docs/network-matrices.md): uniform 1; electrical the
 * power-transfer distance between their buses; zonal the explicit zone distance or the number of
 * zone borders crossed; 0 for NONE/UNSPECIFIED. Computed once per market, they serve any number of
 * unit fees (`chargesFromDistances`). `ptdfMatrix` may be passed to reuse a PTDF already computed
 * (dense, or factored: then only the columns of the agents' buses are computed). The electrical
 * design's work is bounded by `limits.maxDistanceWork` (checked before it starts) and stopped by
 * `options.check`.
 */
export function pairDistances(
  x: ExpandedMarket,
  net: DcNetwork | null,
  charges: NetworkCharges,
  ptdfMatrix?: Float64Array | PtdfFactor,
  options: { check?: AbortCheck; limits?: Partial<NetworkLimits> } = {},
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
      const check = options.check ?? neverAbort;
      if (ptdfMatrix instanceof Float64Array) {
        const d = electricalDistance(net, ptdfMatrix);
        for (let p = 0; p < nPairs; p++) distance[p] = d(bus[x.pairFirst[p]], bus[x.pairSecond[p]]);
        break;
      }
      const used = checkDistanceWork(x, net, bus, options.limits);
      const factor = ptdfMatrix ?? PtdfFactor.of(net, { check, limits: options.limits });
      const d = factoredDistance(factor, used, check);
      for (let p = 0; p < nPairs; p++) distance[p] = d(bus[x.pairFirst[p]], bus[x.pairSecond[p]]);
      break;
    }
    case "CHARGE_DESIGN_ZONAL": {
      agentZone.forEach((z, n) => {
        if (z === "") {
          throw new Error(
            `${agentPath(x, n)}: agent "${x.agentIds[n]}" has neither a zone nor a bus; the zonal design needs one`,
          );
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

/**
 * The buses that trade (distinct, ascending) after checking that the electrical distances of the
 * market's pairs fit `maxDistanceWork`: (buses that trade + distinct bus pairs, at most
 * min(pairs, k(k−1)/2)) × branches. Throws NetworkLimitError saying what is too large.
 */
function checkDistanceWork(
  x: ExpandedMarket,
  net: DcNetwork,
  bus: Int32Array,
  limits: Partial<NetworkLimits> = {},
): Int32Array {
  const max = limits.maxDistanceWork ?? DEFAULT_NETWORK_LIMITS.maxDistanceWork;
  const nPairs = x.pairFirst.length;
  const seen = new Uint8Array(net.nBus);
  let k = 0;
  for (let p = 0; p < nPairs; p++) {
    const i = bus[x.pairFirst[p]];
    const j = bus[x.pairSecond[p]];
    if (i === j) continue;
    if (!seen[i]) {
      seen[i] = 1;
      k++;
    }
    if (!seen[j]) {
      seen[j] = 1;
      k++;
    }
  }
  const busPairs = Math.min(nPairs, (k * (k - 1)) / 2);
  const work = (k + busPairs) * net.nBranch;
  if (work > max) {
    throw new NetworkLimitError(
      `charges: electrical distances of ${nPairs} pairs over ${k} buses of network ${net.name} need (${k} buses + up to ${busPairs} bus pairs) × ${net.nBranch} branches = ${work} PTDF terms, over the limit of ${max} (maxDistanceWork); use fewer buses or pairs, or the zonal or uniform design`,
      "maxDistanceWork",
    );
  }
  const used = new Int32Array(k);
  for (let i = 0, q = 0; i < net.nBus; i++) if (seen[i]) used[q++] = i;
  return used;
}
