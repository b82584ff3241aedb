import type { ExpandedMarket, LineFlow } from "@peermarket/model";
import type { DcNetwork } from "./dc.js";
import { agentBusIndices } from "./placement.js";
import { PtdfFactor } from "./ptdf.js";

/**
 * Net injection per bus (MW, > 0 generation): the sum of the powers of the agents on each bus.
 * Throws, naming the agent, when an agent has no bus or a bus outside the network.
 */
export function busInjections(net: DcNetwork, x: ExpandedMarket, agentPower: Float64Array): Float64Array {
  if (agentPower.length !== x.agentIds.length) {
    throw new Error(`agent powers have ${agentPower.length} entries, the market has ${x.agentIds.length} agents`);
  }
  const bus = agentBusIndices(x, net, true, "line flows need every agent on a bus");
  const inj = new Float64Array(net.nBus);
  for (let n = 0; n < agentPower.length; n++) inj[bus[n]] += agentPower[n];
  return inj;
}

/**
 * DC line flows of bus injections: flow = PTDF · injections (from → to, MW; the reference bus
 * balances any mismatch), loading = |flow| / rateA (0 when unrated), overloaded when loading > 1.
 */
export function lineFlows(net: DcNetwork, ptdf: Float64Array | PtdfFactor, injections: Float64Array): LineFlow[] {
  const { nBus, nBranch } = net;
  if (ptdf instanceof PtdfFactor) {
    if (injections.length !== nBus) {
      throw new Error(`network ${net.name}: ${injections.length} bus injections given, the network has ${nBus} buses`);
    }
    const flows = ptdf.flows(injections);
    const out: LineFlow[] = [];
    for (let l = 0; l < nBranch; l++) out.push(lineFlow(net, l, flows[l]));
    return out;
  }
  if (ptdf.length !== nBranch * nBus) {
    throw new Error(
      `network ${net.name}: PTDF has ${ptdf.length} entries, expected nBranch × nBus = ${nBranch} × ${nBus}`,
    );
  }
  if (injections.length !== nBus) {
    throw new Error(`network ${net.name}: ${injections.length} bus injections given, the network has ${nBus} buses`);
  }
  const out: LineFlow[] = [];
  for (let l = 0; l < nBranch; l++) {
    let flow = 0;
    for (let i = 0, row = l * nBus; i < nBus; i++) flow += ptdf[row + i] * injections[i];
    out.push(lineFlow(net, l, flow));
  }
  return out;
}

function lineFlow(net: DcNetwork, l: number, flow: number): LineFlow {
  const rateA = net.rateA[l];
  const loading = rateA > 0 ? Math.abs(flow) / rateA : 0;
  return {
    index: l,
    fromBus: net.busNames[net.from[l]],
    toBus: net.busNames[net.to[l]],
    flow,
    rateA,
    loading,
    overloaded: loading > 1,
    inService: net.status[l] === 1,
    flowProfile: [],
    loadingProfile: [],
    peakPeriod: 0,
    overloadedPeriods: [],
  };
}
