import type { ZoneDistance } from "@peermarket/model";
import type { DcNetwork } from "./dc.js";

/** Sorts zone names naturally ("2" before "10"). */
export function compareZones(a: string, b: string): number {
  return a.localeCompare(b, "en", { numeric: true });
}

/**
 * The zone adjacency graph of a network: zones are the bus areas; two zones are adjacent when an
 * in-service branch joins a bus of one to a bus of the other. Every zone is a key.
 */
export function zoneAdjacency(net: DcNetwork): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const z of net.busArea) if (!graph.has(z)) graph.set(z, new Set());
  for (let l = 0; l < net.nBranch; l++) {
    if (!net.status[l]) continue;
    const a = net.busArea[net.from[l]];
    const b = net.busArea[net.to[l]];
    if (a === b) continue;
    graph.get(a)!.add(b);
    graph.get(b)!.add(a);
  }
  return graph;
}

/**
 * Number of zone borders crossed from `zone` to every zone reachable in the adjacency graph
 * (shortest hop count, 0 for the zone itself). Unreachable zones are absent.
 */
export function zoneHops(graph: Map<string, Set<string>>, zone: string): Map<string, number> {
  const hops = new Map<string, number>([[zone, 0]]);
  if (!graph.has(zone)) return hops;
  let frontier = [zone];
  for (let h = 1; frontier.length > 0; h++) {
    const next: string[] = [];
    for (const z of frontier) {
      for (const w of graph.get(z)!) {
        if (!hops.has(w)) {
          hops.set(w, h);
          next.push(w);
        }
      }
    }
    frontier = next;
  }
  return hops;
}

const key = (a: string, b: string): string => (compareZones(a, b) <= 0 ? `${a}\u0000${b}` : `${b}\u0000${a}`);

/**
 * Validates an explicit zone-to-zone distance list (symmetric: (A, B) also gives (B, A)) into a
 * lookup. Throws on empty zone names, negative or non-finite distances, and a pair listed twice
 * with different distances.
 */
export function explicitZoneDistances(list: readonly ZoneDistance[]): Map<string, number> {
  const out = new Map<string, number>();
  list.forEach((e, i) => {
    const where = `charges.zoneDistances[${i}]`;
    if (!e.zoneA || !e.zoneB) throw new Error(`${where}: zoneA and zoneB must both be set`);
    if (!Number.isFinite(e.distance) || e.distance < 0) {
      throw new Error(
        `${where}: distance between zones "${e.zoneA}" and "${e.zoneB}" must be finite and ≥ 0, got ${e.distance}`,
      );
    }
    const k = key(e.zoneA, e.zoneB);
    const prev = out.get(k);
    if (prev !== undefined && prev !== e.distance) {
      throw new Error(
        `${where}: zones "${e.zoneA}" and "${e.zoneB}" are given two distances, ${prev} and ${e.distance}`,
      );
    }
    out.set(k, e.distance);
  });
  return out;
}

/**
 * Zonal distance between two zones: the explicit distance when listed, else 0 inside a zone,
 * else the hop count on the network's zone adjacency graph. Throws when neither applies or when
 * the two zones are not connected.
 */
export function zonalDistance(net: DcNetwork | null, list: readonly ZoneDistance[]): (a: string, b: string) => number {
  const explicit = explicitZoneDistances(list);
  const graph = net ? zoneAdjacency(net) : null;
  const hopsFrom = new Map<string, Map<string, number>>();
  return (a: string, b: string): number => {
    const given = explicit.get(key(a, b));
    if (given !== undefined) return given;
    if (a === b) return 0;
    if (!graph) {
      throw new Error(
        `zonal design: no distance between zones "${a}" and "${b}": list it in charges.zoneDistances or give the market a network`,
      );
    }
    for (const z of [a, b]) {
      if (!graph.has(z)) {
        const known = [...graph.keys()].sort(compareZones).join(", ");
        throw new Error(
          `zonal design: zone "${z}" is not an area of the network ${net!.name} (areas ${known}); list its distance to zone "${z === a ? b : a}" in charges.zoneDistances`,
        );
      }
    }
    let hops = hopsFrom.get(a);
    if (!hops) {
      hops = zoneHops(graph, a);
      hopsFrom.set(a, hops);
    }
    const h = hops.get(b);
    if (h === undefined) {
      throw new Error(
        `zonal design: zones "${a}" and "${b}" are not connected by in-service branches in the network ${net!.name}; list their distance in charges.zoneDistances`,
      );
    }
    return h;
  };
}
