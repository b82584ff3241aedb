import type { ExpandedMarket } from "@peermarket/model";
import type { DcNetwork } from "./dc.js";

/**
 * Where agent n is declared, for error messages: `agents[3]` for a market agent, `grid` for the
 * grid agents (grid_import / grid_export) appended after them.
 */
export function agentPath(x: ExpandedMarket, n: number): string {
  return n < x.market.agents.length ? `agents[${n}]` : "grid";
}

/**
 * Bus index of every agent in `net`, -1 for agents without a bus. Throws, naming the agent, when
 * a bus is not in the network, or when `required` and an agent has no bus (`purpose` says why).
 */
export function agentBusIndices(x: ExpandedMarket, net: DcNetwork, required: boolean, purpose = ""): Int32Array {
  const n = x.agentIds.length;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const bus = x.agentBus[i];
    if (bus === "") {
      if (required) {
        throw new Error(
          `${agentPath(x, i)}.bus: agent "${x.agentIds[i]}" has no bus; ${purpose || "this needs every agent on a bus"} of the network ${net.name}`,
        );
      }
      out[i] = -1;
      continue;
    }
    const k = net.busIndex.get(bus);
    if (k === undefined) throw new Error(`${agentPath(x, i)}.bus: bus "${bus}" is not in the network ${net.name}`);
    out[i] = k;
  }
  return out;
}

/**
 * Zone of every agent: Agent.zone when set, else the area of its bus, else "" (no zone).
 * Throws when a bus is not in the network.
 */
export function agentZones(x: ExpandedMarket, net: DcNetwork | null): string[] {
  const buses = net ? agentBusIndices(x, net, false) : null;
  return x.agentIds.map((_, i) => {
    if (x.agentZone[i] !== "") return x.agentZone[i];
    if (net && buses && buses[i] >= 0) return net.busArea[buses[i]];
    return "";
  });
}
