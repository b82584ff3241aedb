/**
 * Random storage local problems for tests: one storage agent over T periods, each period with its
 * own costs, power bounds and 0..4 trades, preceded by an agent without trades (so `first` = 1).
 * Every instance is feasible: idling (c = d = 0, E_t = E_0) meets every constraint.
 */
import type { LocalProblem } from "../local.js";
import type { HorizonArrays } from "../horizon.js";

export interface StorageCase {
  P: LocalProblem;
  H: HorizonArrays;
  targets: Float64Array;
  rho: number;
}

export interface StorageCaseOptions {
  /** Force these efficiencies (default: 1 or random in [0.8, 1)). */
  eta?: number;
  /** Force the throughput cost (default: 0 or random). */
  throughput?: number;
  /** Integer data, zero trade costs: many ties. */
  degenerate?: boolean;
  /** Force the number of periods. */
  periods?: number;
  /** No storage power (chargeMax = dischargeMax = 0). */
  noStorage?: boolean;
  /** Maximum trades per period (default 4). */
  maxTrades?: number;
  /** Every period's own cost strictly convex (a > 0; default: a = 0 in about a third of them). */
  convex?: boolean;
}

export function randomStorageCase(r: () => number, o: StorageCaseOptions = {}): StorageCase {
  const T = o.periods ?? 1 + Math.floor(r() * 8);
  const deg = o.degenerate === true;
  const pick = (lo: number, hi: number): number => (deg ? Math.round(lo + (hi - lo) * r()) : lo + (hi - lo) * r());
  // Sometimes a battery that can only charge or only discharge (a limit of 0).
  const cmax = o.noStorage ? 0 : r() < 0.07 ? 0 : pick(1, 10);
  const dmax = o.noStorage ? 0 : r() < 0.07 ? 0 : pick(1, 10);
  const etaC = o.eta ?? (r() < 0.4 ? 1 : 0.8 + 0.2 * r());
  const etaD = o.eta ?? (r() < 0.4 ? 1 : 0.8 + 0.2 * r());
  const theta = o.throughput ?? (r() < 0.5 ? 0 : pick(0, 3));
  const socMin = r() < 0.5 ? 0 : pick(0, 3);
  const socMax = socMin + (r() < 0.05 ? 0 : pick(1, 15)); // sometimes no room at all
  const socInitial = socMin + (socMax - socMin) * (deg ? Math.round(r() * 4) / 4 : r());
  const socFinalMin = r() < 0.5 ? socInitial : socMin + (socInitial - socMin) * r();
  const nAgents = T + 1;
  const a = new Float64Array(nAgents);
  const b = new Float64Array(nAgents);
  const pMin = new Float64Array(nAgents);
  const pMax = new Float64Array(nAgents);
  const tradeStart = new Int32Array(nAgents + 1);
  const lo: number[] = [];
  const hi: number[] = [];
  const cs: number[] = [];
  const cb: number[] = [];
  const tg: number[] = [];
  const rho = deg ? 1 : 0.1 + 5 * r();
  const maxTrades = o.maxTrades ?? 4;
  for (let t = 0; t < T; t++) {
    const n = t + 1;
    a[n] = r() < 0.35 && o.convex !== true ? 0 : deg ? pick(1, 3) : 0.02 + 2 * r();
    b[n] = pick(-10, 60);
    const kind = r();
    if (kind < 0.25) {
      pMin[n] = 0;
      pMax[n] = r() < 0.1 ? Infinity : pick(0, 20);
    } else if (kind < 0.5) {
      pMax[n] = 0;
      pMin[n] = r() < 0.1 ? -Infinity : -pick(0, 20);
    } else if (kind < 0.6) {
      pMin[n] = pMax[n] = 0; // a stand-alone battery in this period
    } else {
      pMin[n] = r() < 0.1 ? -Infinity : -pick(0, 15);
      pMax[n] = r() < 0.1 ? Infinity : pick(0, 15);
    }
    const K = Math.floor(r() * (maxTrades + 1));
    // Trade bounds: the net bounds [pMin − cmax, pMax + dmax], sometimes tightened.
    const netLo = pMin[n] - cmax;
    const netHi = pMax[n] + dmax;
    for (let k = 0; k < K; k++) {
      let l = netLo >= 0 ? 0 : netLo;
      let h = netHi <= 0 ? 0 : netHi;
      if (r() < 0.4) l = Math.max(l, -pick(0, 8));
      if (r() < 0.4) h = Math.min(h, pick(0, 8));
      if (r() < 0.15) l = 0;
      if (r() < 0.15) h = 0;
      lo.push(l === 0 ? 0 : l);
      hi.push(h === 0 ? 0 : h);
      let c1 = deg ? 0 : r() < 0.4 ? 0 : -2 + 6 * r();
      let c2 = deg ? 0 : r() < 0.4 ? 0 : -2 + 6 * r();
      if (l < 0 && h > 0 && c1 + c2 < 0) c2 = -c1 + (deg ? 0 : r());
      if (l === 0 && c1 + c2 < 0) c2 = -c1;
      if (h === 0 && c1 + c2 < 0) c1 = -c2;
      cs.push(c1);
      cb.push(c2);
      tg.push(deg ? pick(-6, 6) : -8 + 16 * r());
    }
    tradeStart[n + 1] = tradeStart[n] + K;
  }
  const P: LocalProblem = {
    a,
    b,
    pMin,
    pMax,
    tradeStart,
    lo: Float64Array.from(lo),
    hi: Float64Array.from(hi),
    costSell: Float64Array.from(cs),
    costBuy: Float64Array.from(cb),
  };
  // Idling must be feasible: 0 ∈ [Σlo − pMax, Σhi − pMin] in every period.
  for (let t = 0; t < T; t++) {
    const n = t + 1;
    let sl = 0;
    let sh = 0;
    for (let k = tradeStart[n]; k < tradeStart[n + 1]; k++) {
      sl += P.lo[k];
      sh += P.hi[k];
    }
    if (pMin[n] > sh) pMin[n] = Math.min(0, sh);
    if (pMax[n] < sl) pMax[n] = Math.max(0, sl);
    if (pMin[n] > pMax[n]) pMin[n] = pMax[n];
  }
  const one = (x: number): Float64Array => Float64Array.of(x);
  const storageOf = new Int32Array(nAgents).fill(-1);
  for (let t = 0; t < T; t++) storageOf[t + 1] = 0;
  const H: HorizonArrays = {
    periods: T,
    periodHours: deg ? 1 : [1, 0.25, 0.5][Math.floor(r() * 3)],
    storage: {
      count: 1,
      first: Int32Array.of(1),
      socMin: one(socMin),
      socMax: one(socMax),
      chargeMax: one(cmax),
      dischargeMax: one(dmax),
      etaCharge: one(etaC),
      etaDischarge: one(etaD),
      socInitial: one(socInitial),
      socFinalMin: one(socFinalMin),
      throughputCost: one(theta),
    },
    storageOf,
    charge: new Float64Array(nAgents),
    discharge: new Float64Array(nAgents),
  };
  return { P, H, targets: Float64Array.from(tg), rho };
}
