import {
  BUS_AREA,
  BUS_I,
  COST,
  GEN_BUS,
  GEN_STATUS,
  MODEL,
  NCOST,
  PMAX,
  PMIN,
  type MatpowerCase,
} from "./matpower-types.js";
import { ScenarioError } from "./scenario-error.js";
import type { Agent, Market } from "./types.js";

/**
 * The market of a MATPOWER agent case (docs/market-model.md, docs/api.md): one agent per in-service `gen` row
 * (GEN_STATUS > 0), id `gen<row>` by 1-based row number, at bus String(GEN_BUS), in the zone of
 * that bus's area; power bounds [PMIN, PMAX]; cost from the polynomial `gencost` row
 * (c2 p² + c1 p + c0 → a = 2·c2, b = c1); location from `extra.genpos` when present (x = 2nd
 * column, y = 1st, in the case's own units). The network is the case itself (`text`) and every
 * agent may trade with every other. Throws a ScenarioError for missing or piecewise-linear costs.
 */
export function marketFromMatpower(c: MatpowerCase, text: string, name?: string): Market {
  if (c.gencost.length < c.gen.length) {
    throw new ScenarioError(
      c.gencost.length === 0
        ? "the case has no generator costs; agents need a polynomial gencost row each"
        : `has ${c.gencost.length} rows for ${c.gen.length} generators`,
      { path: "mpc.gencost", source: c.name },
    );
  }
  const busArea = new Map<number, number>(c.bus.map((r) => [r[BUS_I], r[BUS_AREA]]));
  const genpos = c.extra["genpos"];
  if (genpos && (genpos.length !== c.gen.length || genpos.some((r) => r.length < 2))) {
    throw new ScenarioError(
      `has ${genpos.length} rows for ${c.gen.length} generators (or fewer than 2 columns); it needs one (d_north, d_west) row per generator`,
      {
        path: "mpc.genpos",
        source: c.name,
      },
    );
  }
  const agents: Agent[] = [];
  c.gen.forEach((g, i) => {
    if (!(g[GEN_STATUS] > 0)) return;
    const [a, b] = polynomialCost(c.gencost[i], i, c.name);
    const bus = g[GEN_BUS];
    const agent: Agent = {
      id: `gen${i + 1}`,
      bus: String(bus),
      zone: String(busArea.get(bus)),
      costQuadratic: a,
      costLinear: b,
      powerMin: g[PMIN],
      powerMax: g[PMAX],
      location: null,
      attributes: {},
      costQuadraticProfile: [],
      costLinearProfile: [],
      powerMinProfile: [],
      powerMaxProfile: [],
      storage: null,
    };
    if (genpos) agent.location = { xKm: genpos[i][1], yKm: genpos[i][0] };
    agents.push(agent);
  });
  return {
    name: name ?? c.name,
    agents,
    tradingGraph: "TRADING_GRAPH_COMPLETE",
    pairs: [],
    preferences: [],
    network: { matpower: text, source: "matpower" },
    charges: null,
    grid: null,
    horizon: null,
  };
}

/** a, b of f(p) = ½ a p² + b p from a MATPOWER polynomial cost row (row index i, 0-based). */
function polynomialCost(row: number[], i: number, source: string): [number, number] {
  const where = { path: `mpc.gencost`, source };
  if (row[MODEL] !== 2) {
    throw new ScenarioError(
      `row ${i + 1} (gen${i + 1}): piecewise-linear costs (model ${row[MODEL]}) are not supported; give a polynomial (model 2)`,
      where,
    );
  }
  const n = row[NCOST];
  const coef = row.slice(COST, COST + n); // c(n-1) ... c0
  for (let k = 0; k < n - 3; k++) {
    if (coef[k] !== 0) {
      throw new ScenarioError(
        `row ${i + 1} (gen${i + 1}): a polynomial of degree ${n - 1 - k} is not supported; costs must be at most quadratic`,
        where,
      );
    }
  }
  const c2 = n >= 3 ? coef[n - 3] : 0;
  const c1 = n >= 2 ? coef[n - 2] : 0;
  return [2 * c2, c1];
}
