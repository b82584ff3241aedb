import type { HorizonArrays, MarketArrays, StorageArrays } from "@peermarket/admm";
import type { Community } from "./community.js";

/** A community's market restricted to some members and the grid. */
export interface SubMarket {
  arrays: MarketArrays;
  /** Engine agents of the full market kept, ascending (sub-market agent i is `agents[i]`). */
  agents: Int32Array;
  /** Directed trades of the full market kept (sub-market trade j is `trades[j]`). */
  trades: Int32Array;
  /**
   * With storage among the kept members: the sub-market's horizon (their storage columns, the
   * charge and discharge of the full market's solution as a warm start); null otherwise.
   */
  horizon: HorizonArrays | null;
}

/**
 * The market restricted to the members at positions `coalition` (indices into c.members) and the
 * grid: every period agent of theirs, the trades among them, the same bounds, costs and charges.
 * `keep` (one per engine agent) and `oldToNew` (one per directed trade) are scratch filled with −1
 * and returned so.
 */
export function restrictCommunity(
  c: Community,
  coalition: readonly number[],
  keep?: Int32Array,
  oldToNew?: Int32Array,
): SubMarket {
  const m = c.arrays;
  keep ??= new Int32Array(m.nAgents).fill(-1);
  oldToNew ??= new Int32Array(m.partner.length).fill(-1);
  const T = c.periods;
  const agents: number[] = [];
  for (const i of coalition) for (let t = 0; t < T; t++) agents.push(c.members[i] * T + t);
  for (const g of [c.gridImport, c.gridExport]) if (g >= 0) for (let t = 0; t < T; t++) agents.push(g * T + t);
  agents.sort((u, v) => u - v);
  agents.forEach((n, i) => (keep[n] = i));
  const oldTrades: number[] = [];
  const tradeStart = new Int32Array(agents.length + 1);
  for (let i = 0; i < agents.length; i++) {
    const n = agents[i];
    for (let k = m.tradeStart[n]; k < m.tradeStart[n + 1]; k++) {
      if (keep[m.partner[k]] >= 0) {
        oldToNew[k] = oldTrades.length;
        oldTrades.push(k);
      }
    }
    tradeStart[i + 1] = oldTrades.length;
  }
  const nt = oldTrades.length;
  const partner = new Int32Array(nt);
  const mirror = new Int32Array(nt);
  const lo = new Float64Array(nt);
  const hi = new Float64Array(nt);
  const costSell = new Float64Array(nt);
  const costBuy = new Float64Array(nt);
  oldTrades.forEach((k, j) => {
    partner[j] = keep[m.partner[k]];
    mirror[j] = oldToNew[m.mirror[k]];
    lo[j] = m.lo[k];
    hi[j] = m.hi[k];
    costSell[j] = m.costSell[k];
    costBuy[j] = m.costBuy[k];
  });
  const pick = (arr: Float64Array) => Float64Array.from(agents, (n) => arr[n]);
  const arrays: MarketArrays = {
    nAgents: agents.length,
    a: pick(m.a),
    b: pick(m.b),
    pMin: pick(m.pMin),
    pMax: pick(m.pMax),
    tradeStart,
    partner,
    mirror,
    lo,
    hi,
    costSell,
    costBuy,
  };
  const horizon = subHorizon(c, agents, keep);
  for (const n of agents) keep[n] = -1;
  for (const k of oldTrades) oldToNew[k] = -1;
  return { arrays, agents: Int32Array.from(agents), trades: Int32Array.from(oldTrades), horizon };
}

/** The horizon of the kept agents (`keep`: full engine agent → sub-market agent), or null when none of them has storage. */
function subHorizon(c: Community, agents: number[], keep: Int32Array): HorizonArrays | null {
  const H = c.horizon;
  if (!H) return null;
  const st = H.storage;
  const qs: number[] = [];
  for (let q = 0; q < st.count; q++) if (keep[st.first[q]] >= 0) qs.push(q);
  if (qs.length === 0) return null;
  const pickS = (arr: Float64Array) => Float64Array.from(qs, (q) => arr[q]);
  const storage: StorageArrays = {
    count: qs.length,
    first: Int32Array.from(qs, (q) => keep[st.first[q]]),
    socMin: pickS(st.socMin),
    socMax: pickS(st.socMax),
    chargeMax: pickS(st.chargeMax),
    dischargeMax: pickS(st.dischargeMax),
    etaCharge: pickS(st.etaCharge),
    etaDischarge: pickS(st.etaDischarge),
    socInitial: pickS(st.socInitial),
    socFinalMin: pickS(st.socFinalMin),
    throughputCost: pickS(st.throughputCost),
  };
  const n = agents.length;
  const storageOf = new Int32Array(n).fill(-1);
  qs.forEach((q, j) => {
    for (let t = 0; t < H.periods; t++) storageOf[keep[st.first[q] + t]] = j;
  });
  const charge = new Float64Array(n);
  const discharge = new Float64Array(n);
  if (c.charge && c.discharge) {
    agents.forEach((a, i) => {
      if (storageOf[i] >= 0) {
        charge[i] = c.charge![a];
        discharge[i] = c.discharge![a];
      }
    });
  }
  return { periods: H.periods, periodHours: H.periodHours, storage, storageOf, charge, discharge };
}
