import fc from "fast-check";
import type { Agent, Grid, Market, NetworkCharges, Preference, TradePair } from "@peermarket/model";
import { makeAgent, makeCharges, makeGrid } from "@peermarket/model";

/** What kind of agent a generated agent is. */
type Kind = "producer" | "consumer" | "prosumer";

/** Options of `validMarketArbitrary`. */
export interface ValidMarketOptions {
  /** Fewest and most agents (grid agents not counted); default 1 and 8. */
  minAgents?: number;
  maxAgents?: number;
  /** Whether markets may carry network charges and a bundled network (default true). */
  charges?: boolean;
}

const TECHNOLOGIES = ["solar", "wind", "gas"] as const;

/** A finite positive magnitude between lo and hi (no NaN, no infinity). */
function magnitude(lo: number, hi: number): fc.Arbitrary<number> {
  return fc.double({ min: lo, max: hi, noNaN: true, noDefaultInfinity: true });
}

/** An upper power bound: finite, or (sometimes) no bound at all. */
function upperBound(): fc.Arbitrary<number> {
  return fc.oneof({ weight: 5, arbitrary: magnitude(0.1, 100) }, { weight: 1, arbitrary: fc.constant(Infinity) });
}

/** Quadratic cost a ≥ 0: linear (0) in about a quarter of the agents. */
function quadratic(): fc.Arbitrary<number> {
  return fc.oneof({ weight: 1, arbitrary: fc.constant(0) }, { weight: 3, arbitrary: magnitude(1e-3, 10) });
}

interface AgentDraft {
  kind: Kind;
  a: number;
  b: number;
  lower: number;
  upper: number;
  mustRun: boolean;
  x: number;
  y: number;
  tech: number;
  co2: number;
  zone: number;
  bus: number;
}

const agentDraft: fc.Arbitrary<AgentDraft> = fc.record({
  kind: fc.constantFrom<Kind>("producer", "consumer", "prosumer"),
  a: quadratic(),
  b: magnitude(0, 120),
  lower: upperBound(),
  upper: upperBound(),
  mustRun: fc.boolean(),
  x: magnitude(0, 10),
  y: magnitude(0, 10),
  tech: fc.nat(TECHNOLOGIES.length - 1),
  co2: fc.nat(600),
  zone: fc.nat(2),
  bus: fc.nat(13),
});

/**
 * An agent of the API from a draft: a producer sells in [0 (or a must-run minimum), upper], a
 * consumer buys in [−lower, 0], a prosumer does both; bounds may be infinite.
 */
function toAgent(d: AgentDraft, i: number, mustRunAllowed: boolean): Agent {
  const base = {
    ...makeAgent(`a${i}`),
    zone: `z${d.zone}`,
    costQuadratic: d.a,
    costLinear: d.b,
    location: { xKm: d.x, yKm: d.y },
  };
  if (d.kind === "producer") {
    const must = mustRunAllowed && d.mustRun && Number.isFinite(d.upper) ? Math.min(1, d.upper / 4) : 0;
    return {
      ...base,
      powerMin: must,
      powerMax: d.upper,
      attributes: { technology: TECHNOLOGIES[d.tech], co2_intensity: String(d.co2) },
    };
  }
  if (d.kind === "consumer") return { ...base, powerMin: -d.lower, powerMax: 0, attributes: {} };
  return { ...base, powerMin: -d.lower, powerMax: d.upper, attributes: { technology: "solar" } };
}

/** Whether agent i can only sell or only buy (then negative preference costs keep its problem convex). */
function oneWay(agent: Agent): boolean {
  return agent.powerMin >= 0 || agent.powerMax <= 0;
}

interface PreferenceDraft {
  owner: number;
  kind: number;
  partner: number;
  cost: number;
  negative: boolean;
}

const preferenceDraft: fc.Arbitrary<PreferenceDraft> = fc.record({
  owner: fc.nat(),
  kind: fc.nat(4),
  partner: fc.nat(),
  cost: magnitude(0, 8),
  negative: fc.boolean(),
});

function toPreference(d: PreferenceDraft, agents: Agent[]): Preference {
  const owner = agents[d.owner % agents.length];
  // A premium (negative cost) only where it keeps the owner's problem convex: one-way agents.
  const cost = d.negative && oneWay(owner) ? -d.cost : d.cost;
  const p: Preference = {
    agentId: owner.id,
    partnerId: "",
    attributeKey: "",
    attributeValue: "",
    cost: 0,
    costPerKm: 0,
  };
  switch (d.kind) {
    case 0: {
      const partner = agents[d.partner % agents.length];
      return { ...p, partnerId: partner.id === owner.id ? "" : partner.id, cost };
    }
    case 1:
      return { ...p, attributeKey: "technology", attributeValue: TECHNOLOGIES[d.partner % TECHNOLOGIES.length], cost };
    case 2:
      return { ...p, attributeKey: "co2_intensity", cost: Math.abs(cost) * 1e-3 };
    case 3:
      return { ...p, costPerKm: Math.abs(cost) / 10 };
    default:
      return { ...p, cost };
  }
}

interface ExtrasDraft {
  explicit: boolean;
  pairs: [number, number][];
  grid: boolean;
  importPrice: number;
  spread: number;
  importMax: number;
  exportMax: number;
  chargeDesign: number;
  unitFee: number;
  sellerShare: number;
  targetRevenue: number;
}

const extrasDraft: fc.Arbitrary<ExtrasDraft> = fc.record({
  explicit: fc.boolean(),
  pairs: fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 20 }),
  grid: fc.boolean(),
  importPrice: magnitude(20, 150),
  spread: magnitude(0, 100),
  importMax: upperBound(),
  exportMax: upperBound(),
  chargeDesign: fc.nat(7),
  unitFee: magnitude(0, 20),
  sellerShare: magnitude(0, 1),
  targetRevenue: magnitude(0, 50),
});

/** The explicit pairs of a draft: distinct, between distinct agents, each unordered pair once. */
function toPairs(draft: [number, number][], agents: Agent[]): TradePair[] {
  const seen = new Set<string>();
  const pairs: TradePair[] = [];
  for (const [x, y] of draft) {
    const i = x % agents.length;
    const j = y % agents.length;
    if (i === j) continue;
    const key = i < j ? `${i}-${j}` : `${j}-${i}`;
    if (seen.has(key)) continue;
    seen.add(key);
    pairs.push({ agentId: agents[i].id, partnerId: agents[j].id });
  }
  return pairs;
}

function toGrid(d: ExtrasDraft): Grid {
  const grid: Grid = makeGrid({
    bus: "",
    importPrice: d.importPrice,
    exportPrice: Math.max(0, d.importPrice - d.spread),
  });
  if (Number.isFinite(d.importMax)) grid.importMax = d.importMax;
  if (Number.isFinite(d.exportMax)) grid.exportMax = d.exportMax;
  return grid;
}

/** Distances between the three zones z0, z1, z2 (every pair listed, as the zonal design needs without a network). */
function zoneDistances(d01: number, d12: number, d02: number): NetworkCharges["zoneDistances"] {
  return [
    { zoneA: "z0", zoneB: "z1", distance: d01 },
    { zoneA: "z1", zoneB: "z2", distance: d12 },
    { zoneA: "z0", zoneB: "z2", distance: d02 },
  ];
}

/**
 * Network charges of a draft (about a third of the markets have none): uniform, zonal (zones from
 * the agents' `zone`, with explicit zone distances), electrical distance on the bundled
 * case14 network, sometimes with a target revenue.
 */
function toCharges(d: ExtrasDraft): NetworkCharges | null {
  const share = d.chargeDesign % 2 === 0 ? undefined : d.sellerShare;
  const target = d.chargeDesign === 5 ? d.targetRevenue : undefined;
  switch (d.chargeDesign) {
    case 1:
    case 5:
      return makeCharges({
        design: "CHARGE_DESIGN_UNIFORM",
        unitFee: d.unitFee,
        sellerShare: share,
        targetRevenue: target,
        zoneDistances: [],
      });
    case 2:
      return makeCharges({
        design: "CHARGE_DESIGN_ZONAL",
        unitFee: d.unitFee,
        sellerShare: share,
        zoneDistances: zoneDistances(1, 1, 1),
      });
    case 6:
      return makeCharges({
        design: "CHARGE_DESIGN_ELECTRICAL_DISTANCE",
        unitFee: d.unitFee,
        sellerShare: share,
        zoneDistances: [],
      });
    case 3:
      return makeCharges({
        design: "CHARGE_DESIGN_ZONAL",
        unitFee: d.unitFee,
        sellerShare: share,
        zoneDistances: zoneDistances(1, 2.5, 3.5),
      });
    default:
      return null;
  }
}

/**
 * Random valid markets in the API's shape (what parseMarketJson and proto-loader produce): 1–8
 * producers, consumers and prosumers with quadratic or linear costs and finite or infinite
 * bounds (some must-run producers), preferences of every kind (premiums only where convex), a
 * complete or an explicit trading graph, an optional retailer grid with optional limits, and
 * optional uniform, zonal or electrical-distance network charges (the last on the bundled case14
 * network; sometimes with a target revenue). Every market it
 * makes passes validation; it may be infeasible (must-run supply nobody can take) or unbounded
 * (linear costs and infinite bounds on both sides of a profitable trade).
 */
export function validMarketArbitrary(options: ValidMarketOptions = {}): fc.Arbitrary<Market> {
  const minAgents = options.minAgents ?? 1;
  const maxAgents = options.maxAgents ?? 8;
  return fc
    .record({
      name: fc.string({ maxLength: 12 }),
      agents: fc.array(agentDraft, { minLength: minAgents, maxLength: maxAgents }),
      mustRun: fc.nat(3).map((v) => v === 0),
      preferences: fc.array(preferenceDraft, { maxLength: 6 }),
      extras: extrasDraft,
    })
    .map(({ name, agents: drafts, mustRun, preferences, extras }) => {
      const agents = drafts.map((d, i) => toAgent(d, i, mustRun));
      const charges = options.charges === false ? null : toCharges(extras);
      const onNetwork = charges?.design === "CHARGE_DESIGN_ELECTRICAL_DISTANCE";
      if (onNetwork) drafts.forEach((d, i) => (agents[i].bus = String(1 + d.bus)));
      // Without a network the grid agents have no zone, which the zonal design refuses: no grid then.
      const zonal = charges?.design === "CHARGE_DESIGN_ZONAL";
      const grid = extras.grid && !zonal ? toGrid(extras) : null;
      if (grid && onNetwork) grid.bus = "1";
      const market: Market = {
        name,
        agents,
        tradingGraph: extras.explicit ? "TRADING_GRAPH_EXPLICIT" : "TRADING_GRAPH_COMPLETE",
        pairs: extras.explicit ? toPairs(extras.pairs, agents) : [],
        preferences: agents.length > 0 ? preferences.map((p) => toPreference(p, agents)) : [],
        network: onNetwork ? { bundledCase: "case14", source: "bundledCase" } : null,
        charges,
        horizon: null,
        grid,
      };
      return market;
    });
}
