import { rng, uniform } from "./random.js";

/**
 * Seeded multi-period communities for the `multiperiod` suite, as scenario objects in the proto3
 * JSON shape of `peermarket.v1.Market` (what a user writes in a scenario file), in MW, MWh and
 * €/MWh over one day of T periods of Δ = 24/T hours:
 *
 * - `members` homes ("h<i>"), consumers with a linear demand curve (500 €/MWh for the first unit,
 *   420 at the day's peak load) and a daily load shape with a morning and an evening peak
 *   (0.3–1 kW average; `powerMinProfile` = −load_t);
 * - `pvShare` of them own rooftop PV, a producer at the home ("pv<i>", 3–6 kWp, near-zero cost,
 *   `powerMaxProfile` = clear-sky output);
 * - `storageShare` of them have a battery behind the meter (`storage`: 5–13.5 kWh, 3–5 kW, 95 %
 *   each way, 20 €/MWh throughput), PV owners first;
 * - a grid with a time-of-use retail price (180 at night, 260 by day, 380 from 17:00 to 21:00) and
 *   a feed-in price of 40 €/MWh from 10:00 to 16:00 and 70 otherwise, and a uniform time-of-use
 *   network fee (2, 4, 8 €/MWh at night, by day, at the evening peak).
 *
 * The trading graph is complete (every pair that can trade: consumer–consumer and PV–PV pairs are
 * dropped by the model) or sparse: every home trades with its own PV, with `degree` random sellers
 * (PV producers and battery homes) and the grid; battery homes also with a few random homes.
 */
export interface MultiPeriodCommunityOptions {
  members: number;
  periods: number;
  pvShare: number;
  storageShare: number;
  /** "complete", or the number of random sellers each home draws. */
  graph: "complete" | { degree: number };
  seed: number;
}

/** A generated community: the scenario object and what it holds. */
export interface MultiPeriodCommunity {
  market: Record<string, unknown>;
  members: number;
  /** Agents of the scenario (homes and PV producers; the grid adds two). */
  agents: number;
  pv: number;
  batteries: number;
  /** Explicit pairs (sparse graph), or undefined for the complete graph. */
  pairs?: number;
}

const round = (x: number) => Number(x.toPrecision(7));

/** A home's load shape at hour h (mean about 1 over the day). */
function loadShape(h: number, morning: number, evening: number): number {
  const bump = (c: number, w: number) =>
    Math.exp(-0.5 * ((h - c) / w) ** 2) +
    Math.exp(-0.5 * ((h - 24 - c) / w) ** 2) +
    Math.exp(-0.5 * ((h + 24 - c) / w) ** 2);
  return (0.35 + 0.9 * bump(morning, 1.0) + 0.35 * bump(13, 2.5) + 1.7 * bump(evening, 1.6)) / 0.92;
}

/** Clear-sky PV output per kWp on a summer day (sunrise 5:30, sunset 21:30). */
function pvShape(h: number): number {
  if (h <= 5.5 || h >= 21.5) return 0;
  return 0.8 * Math.sin((Math.PI * (h - 5.5)) / 16) ** 1.6;
}

/** The average of f over period t of T periods covering 24 hours (16 samples per period). */
function periodMean(f: (h: number) => number, t: number, T: number): number {
  const dt = 24 / T;
  let s = 0;
  for (let k = 0; k < 16; k++) s += f((t + (k + 0.5) / 16) * dt);
  return s / 16;
}

function tou(h: number): { importPrice: number; exportPrice: number; fee: number } {
  const peak = h >= 17 && h < 21;
  const night = h < 6 || h >= 22;
  return {
    importPrice: peak ? 380 : night ? 180 : 260,
    exportPrice: h >= 10 && h < 16 ? 40 : 70,
    fee: peak ? 8 : night ? 2 : 4,
  };
}

/** Draws a seeded multi-period community (see the interface). */
export function multiPeriodCommunity(o: MultiPeriodCommunityOptions): MultiPeriodCommunity {
  const T = o.periods;
  const r = rng(o.seed);
  const nPv = Math.round(o.pvShare * o.members);
  const nStorage = Math.round(o.storageShare * o.members);
  // Homes 0..nPv−1 own PV; batteries go to the first nStorage homes (PV owners first). The order
  // of homes is random with respect to their loads, so this is a random draw.
  const agents: Record<string, unknown>[] = [];
  const sellers: string[] = []; // PV producers and battery homes
  const homes: string[] = [];
  const hasStorage = (i: number) => i < nStorage;
  for (let i = 0; i < o.members; i++) {
    const id = `h${i}`;
    homes.push(id);
    const meanKw = uniform(r, 0.3, 1.0);
    const morning = 7.5 + uniform(r, -0.7, 0.7);
    const evening = 19.5 + uniform(r, -0.8, 0.8);
    const load: number[] = [];
    for (let t = 0; t < T; t++)
      load.push(round((meanKw * periodMean((h) => loadShape(h, morning, evening), t, T)) / 1000));
    const peak = Math.max(...load);
    const home: Record<string, unknown> = {
      id,
      costQuadratic: round(80 / peak),
      costLinear: 500,
      powerMin: -peak,
      powerMax: 0,
      powerMinProfile: load.map((x) => -x),
    };
    if (hasStorage(i)) {
      const capacity = round(uniform(r, 5, 13.5) / 1000);
      const power = round(uniform(r, 3, 5) / 1000);
      home.storage = {
        energyCapacity: capacity,
        chargeMax: power,
        dischargeMax: power,
        chargeEfficiency: 0.95,
        dischargeEfficiency: 0.95,
        socInitial: round(0.2 * capacity),
        socMin: round(0.05 * capacity),
        throughputCost: 20,
      };
      sellers.push(id);
    }
    agents.push(home);
    if (i < nPv) {
      const kwp = uniform(r, 3, 6);
      const pv: number[] = [];
      for (let t = 0; t < T; t++) pv.push(round((kwp * periodMean(pvShape, t, T)) / 1000));
      agents.push({
        id: `pv${i}`,
        costQuadratic: round(2 / (kwp / 1000)),
        costLinear: 1,
        powerMin: 0,
        powerMax: round(kwp / 1000),
        powerMaxProfile: pv,
        attributes: { technology: "solar" },
      });
      sellers.push(`pv${i}`);
    }
  }
  const prices = Array.from({ length: T }, (_, t) => tou((t + 0.5) * (24 / T)));
  const market: Record<string, unknown> = {
    name: `multiperiod-${o.members}x${T}`,
    horizon: { periods: T, periodHours: 24 / T },
    agents,
    charges: { design: "CHARGE_DESIGN_UNIFORM", unitFee: 4, unitFeeProfile: prices.map((p) => p.fee) },
    grid: {
      importPrice: 260,
      exportPrice: 70,
      importPriceProfile: prices.map((p) => p.importPrice),
      exportPriceProfile: prices.map((p) => p.exportPrice),
    },
  };
  let pairs: number | undefined;
  if (o.graph !== "complete") {
    // Pairs as sorted numeric keys (homes 0..M−1, PV M..2M−1 by owner), deduplicated.
    const M = o.members;
    const index = (id: string) => (id.startsWith("pv") ? M + Number(id.slice(2)) : Number(id.slice(1)));
    const name = (k: number) => (k >= M ? `pv${k - M}` : `h${k}`);
    const keys: number[] = [];
    const add = (a: number, b: number) => {
      if (a !== b) keys.push(Math.min(a, b) * 2 * M + Math.max(a, b));
    };
    const sellerIdx = sellers.map(index);
    for (let i = 0; i < M; i++) {
      if (i < nPv) add(i, M + i);
      if (sellerIdx.length > 0)
        for (let k = 0; k < o.graph.degree; k++) add(i, sellerIdx[Math.floor(r() * sellerIdx.length)]);
      if (hasStorage(i)) for (let k = 0; k < 3; k++) add(i, Math.floor(r() * M));
    }
    keys.sort((a, b) => a - b);
    const list: { agentId: string; partnerId: string }[] = [];
    for (let k = 0; k < keys.length; k++) {
      if (k > 0 && keys[k] === keys[k - 1]) continue;
      const a = Math.floor(keys[k] / (2 * M));
      list.push({ agentId: name(a), partnerId: name(keys[k] - a * 2 * M) });
    }
    // The grid trades with every home (import) and every seller (export).
    for (const h of homes) list.push({ agentId: "grid_import", partnerId: h });
    for (const s of sellers) list.push({ agentId: "grid_export", partnerId: s });
    market.tradingGraph = "TRADING_GRAPH_EXPLICIT";
    market.pairs = list;
    pairs = list.length;
  }
  return { market, members: o.members, agents: agents.length, pv: nPv, batteries: nStorage, pairs };
}

/**
 * Pairs of the complete graph that can trade: producers (PV, grid import) with consumers (homes
 * without storage, grid export) and with prosumers (battery homes), consumers with prosumers, and
 * prosumers among themselves; the grid's two agents do not trade with each other.
 */
export function completeGraphPairs(members: number, pv: number, batteries: number): number {
  const producers = pv + 1;
  const consumers = members - batteries + 1;
  return producers * consumers + producers * batteries + consumers * batteries + (batteries * (batteries - 1)) / 2 - 1;
}
