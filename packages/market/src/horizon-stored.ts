import type { ExpandedMarket, Solution } from "@peermarket/model";

/** A stored multi-period Solution read back into the engine's layout (agent n·T + t, pair q·T + t). */
export interface HorizonSolutionArrays {
  /** Per engine pair: power from its first agent to its second (MW; 0 for pairs the solution does not list). */
  pairPower: Float64Array;
  /** Per engine pair: its price (€/MWh; 0 when not listed). */
  pairPrice: Float64Array;
  /** Per engine pair: 1 when the solution lists the (pair, period). */
  listed: Uint8Array;
  /** Per engine agent: net power p_{n,t}, charge c_{n,t} and discharge d_{n,t} (0 without storage). */
  agentPower: Float64Array;
  charge: Float64Array;
  discharge: Float64Array;
}

/**
 * Reads a multi-period Solution of the expanded market `x` (as `buildHorizonSolution` writes it)
 * into the engine's layout: agents in the market's order with T-long power profiles (and charge
 * and discharge profiles for storage agents), trades naming a pair of the market (either way
 * round) and a period, each (pair, period) at most once. (Pair, period) entries the solution leaves
 * out carry no power. Throws, naming what does not fit, when the solution is not one of `x`.
 */
export function horizonSolutionArrays(x: ExpandedMarket, solution: Solution): HorizonSolutionArrays {
  const h = x.horizon;
  if (!h) throw new Error("the market has no horizon");
  const T = h.periods;
  const N = h.agentCount;
  const label = `solution ${solution.id || ""}`.trim();
  if (solution.agents.length !== N)
    throw new Error(`${label} has ${solution.agents.length} agents, the market has ${N}`);
  if (solution.periods !== undefined && solution.periods !== 0 && solution.periods !== T)
    throw new Error(`${label} has ${solution.periods} periods, the market has ${T}`);
  const agentPower = new Float64Array(N * T);
  const charge = new Float64Array(N * T);
  const discharge = new Float64Array(N * T);
  const profile = (values: number[] | undefined, n: number, what: string, into: Float64Array) => {
    const v = values ?? [];
    if (v.length !== T)
      throw new Error(
        `${label}: agent ${JSON.stringify(h.agentIds[n])} has ${v.length} periods in its ${what} profile, the market has ${T}`,
      );
    for (let t = 0; t < T; t++) into[n * T + t] = v[t];
  };
  for (let n = 0; n < N; n++) {
    const a = solution.agents[n];
    if (a.id !== h.agentIds[n])
      throw new Error(
        `${label}: agents[${n}] is ${JSON.stringify(a.id)}, the market's agent is ${JSON.stringify(h.agentIds[n])}`,
      );
    profile(a.powerProfile, n, "power", agentPower);
    if (h.storageIndex[n] >= 0) {
      profile(a.chargeProfile, n, "charge", charge);
      profile(a.dischargeProfile, n, "discharge", discharge);
    }
  }
  const nPairs = h.pairCount;
  const pairOf = new Map<string, number>();
  for (let q = 0; q < nPairs; q++)
    pairOf.set(`${x.agentIds[x.pairFirst[q * T]]}\u0000${x.agentIds[x.pairSecond[q * T]]}`, q);
  const pairPower = new Float64Array(nPairs * T);
  const pairPrice = new Float64Array(nPairs * T);
  const listed = new Uint8Array(nPairs * T);
  for (let i = 0; i < solution.trades.length; i++) {
    const tr = solution.trades[i];
    const t = tr.period ?? 0;
    if (!Number.isInteger(t) || t < 0 || t >= T)
      throw new Error(`${label}: trades[${i}] is in period ${t}, the market has ${T} periods`);
    let q = pairOf.get(`${tr.sellerId}\u0000${tr.buyerId}`);
    let sign = 1;
    if (q === undefined) {
      q = pairOf.get(`${tr.buyerId}\u0000${tr.sellerId}`);
      sign = -1;
    }
    if (q === undefined)
      throw new Error(`${label}: trades[${i}] (${tr.sellerId} → ${tr.buyerId}) is not a pair of the market`);
    const e = q * T + t;
    if (listed[e])
      throw new Error(`${label}: trades[${i}] (${tr.sellerId} → ${tr.buyerId}, period ${t}) appears twice`);
    listed[e] = 1;
    pairPower[e] = sign * tr.power;
    pairPrice[e] = tr.price;
  }
  return { pairPower, pairPrice, listed, agentPower, charge, discharge };
}
