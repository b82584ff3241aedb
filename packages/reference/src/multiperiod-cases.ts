/**
 * Random multi-period markets with storage in the engine's layout, for tests of the multi-period
 * reference and the equilibrium certificate (not exported from the package index).
 */
import { buildMarketArrays, canTrade, mulberry32, type HorizonArrays, type MarketArrays } from "@peermarket/admm";

export interface MultiPeriodCase {
  m: MarketArrays;
  h: HorizonArrays;
  /** Number of original agents. */
  agents: number;
}

export interface MultiPeriodCaseOptions {
  agents?: number;
  periods?: number;
  /** How many agents get a battery (the last ones; default 1–2). */
  storage?: number;
  /** Every a = 0. */
  linear?: boolean;
  /** Efficiencies (default random in [0.85, 1]). */
  eta?: number;
  /** Throughput cost (default random: 0 or up to 2). */
  throughput?: number;
  /** Trade costs (preferences, charges) on pairs (default true). */
  costs?: boolean;
}

/** A spec-level description of one original agent. */
interface AgentSpec {
  a: number[];
  b: number[];
  pMin: number[];
  pMax: number[];
  storage: boolean;
}

/**
 * A random market of producers, consumers, prosumers and batteries over T periods: per-period
 * costs and bounds (profiles), every pair that can trade in some period, per-pair costs. Period
 * agents are n·T + t with pairs (n·T + t, m·T + t); storage agents' trade bounds use their net
 * bounds [p̲ − cmax, p̄ + dmax]. Idling every battery is feasible, so the market is feasible
 * whenever the single-period markets are (they are: every agent may produce or consume 0).
 */
export function randomMultiPeriodCase(seed: number, o: MultiPeriodCaseOptions = {}): MultiPeriodCase {
  const r = mulberry32(seed);
  const N = o.agents ?? 3 + Math.floor(r() * 4);
  const T = o.periods ?? 1 + Math.floor(r() * 6);
  const S = Math.min(N, o.storage ?? 1 + Math.floor(r() * 2));
  const specs: AgentSpec[] = [];
  for (let n = 0; n < N; n++) {
    const kind = n === N - 1 && S > 0 && r() < 0.3 ? 3 : n % 3;
    const spec: AgentSpec = { a: [], b: [], pMin: [], pMax: [], storage: n >= N - S };
    for (let t = 0; t < T; t++) {
      spec.a.push(o.linear ? 0 : r() < 0.2 ? 0 : 0.05 + 0.5 * r());
      if (kind === 0) {
        spec.b.push(10 + 40 * r());
        spec.pMin.push(0);
        spec.pMax.push(r() < 0.2 ? 0 : 2 + 10 * r()); // e.g. PV at night
      } else if (kind === 1) {
        spec.b.push(40 + 50 * r());
        spec.pMin.push(-(2 + 10 * r()));
        spec.pMax.push(0);
      } else if (kind === 2) {
        spec.b.push(20 + 40 * r());
        spec.pMin.push(-(1 + 6 * r()));
        spec.pMax.push(1 + 6 * r());
      } else {
        spec.b.push(30);
        spec.pMin.push(0); // stand-alone battery
        spec.pMax.push(0);
      }
    }
    specs.push(spec);
  }
  const dt = [1, 0.5, 0.25][Math.floor(r() * 3)];
  const cmax: number[] = [];
  const dmax: number[] = [];
  for (let n = 0; n < N; n++) {
    cmax.push(specs[n].storage ? 1 + 5 * r() : 0);
    dmax.push(specs[n].storage ? 1 + 5 * r() : 0);
  }
  const nA = N * T;
  const a = new Float64Array(nA);
  const b = new Float64Array(nA);
  const pMin = new Float64Array(nA);
  const pMax = new Float64Array(nA);
  const netMin = new Float64Array(nA);
  const netMax = new Float64Array(nA);
  for (let n = 0; n < N; n++) {
    for (let t = 0; t < T; t++) {
      const i = n * T + t;
      a[i] = specs[n].a[t];
      b[i] = specs[n].b[t];
      pMin[i] = specs[n].pMin[t];
      pMax[i] = specs[n].pMax[t];
      netMin[i] = pMin[i] - cmax[n];
      netMax[i] = pMax[i] + dmax[n];
    }
  }
  // Pairs of original agents that can trade in some period (net bounds), the same in every period.
  const first: number[] = [];
  const second: number[] = [];
  const costs: number[][] = [];
  const withCosts = o.costs ?? true;
  for (let n = 0; n < N; n++) {
    for (let q = n + 1; q < N; q++) {
      let any = false;
      for (let t = 0; t < T; t++)
        if (canTrade(netMin[n * T + t], netMax[n * T + t], netMin[q * T + t], netMax[q * T + t])) any = true;
      if (!any) continue;
      const c = [0, 1, 2, 3].map(() => (withCosts && r() < 0.6 ? 3 * r() : 0));
      for (let t = 0; t < T; t++) {
        first.push(n * T + t);
        second.push(q * T + t);
        costs.push(c);
      }
    }
  }
  const built = buildMarketArrays(
    { a, b, pMin: netMin, pMax: netMax },
    {
      first: Int32Array.from(first),
      second: Int32Array.from(second),
      sellFirst: Float64Array.from(costs, (c) => c[0]),
      buyFirst: Float64Array.from(costs, (c) => c[1]),
      sellSecond: Float64Array.from(costs, (c) => c[2]),
      buySecond: Float64Array.from(costs, (c) => c[3]),
    },
  );
  // The period agents' own bounds replace the net ones used for the trade bounds.
  const m: MarketArrays = { ...built.arrays, pMin, pMax };
  const storers: number[] = [];
  for (let n = 0; n < N; n++) if (specs[n].storage) storers.push(n);
  const storageOf = new Int32Array(nA).fill(-1);
  const f64 = (f: (n: number, s: number) => number): Float64Array => Float64Array.from(storers, f);
  const socMax = storers.map(() => 2 + 10 * r());
  const socInit = socMax.map((x) => x * r());
  storers.forEach((n, s) => {
    for (let t = 0; t < T; t++) storageOf[n * T + t] = s;
  });
  const h: HorizonArrays = {
    periods: T,
    periodHours: dt,
    storage: {
      count: storers.length,
      first: Int32Array.from(storers, (n) => n * T),
      socMin: f64(() => 0),
      socMax: Float64Array.from(socMax),
      chargeMax: f64((n) => cmax[n]),
      dischargeMax: f64((n) => dmax[n]),
      etaCharge: f64(() => o.eta ?? (r() < 0.3 ? 1 : 0.85 + 0.15 * r())),
      etaDischarge: f64(() => o.eta ?? (r() < 0.3 ? 1 : 0.85 + 0.15 * r())),
      socInitial: Float64Array.from(socInit),
      socFinalMin: Float64Array.from(socInit, (x) => (r() < 0.5 ? x : x * r())),
      throughputCost: f64(() => o.throughput ?? (r() < 0.5 ? 0 : 2 * r())),
    },
    storageOf,
    charge: new Float64Array(nA),
    discharge: new Float64Array(nA),
  };
  return { m, h, agents: N };
}

/** The same market with every battery's power limits set to 0 (no storage effects). */
export function withoutStorage(c: MultiPeriodCase): MultiPeriodCase {
  const st = c.h.storage;
  return {
    ...c,
    h: { ...c.h, storage: { ...st, chargeMax: new Float64Array(st.count), dischargeMax: new Float64Array(st.count) } },
  };
}
