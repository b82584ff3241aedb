import { defaultSettings } from "@peermarket/admm";
import {
  certificateTolerances,
  certifyMultiPeriod,
  horizonSolutionArrays,
  NonConvexMarketError,
  type PreparedMarket,
  prepareMarket,
} from "@peermarket/market";
import type { ExpandedMarket, Solution } from "@peermarket/model";
import { certify } from "@peermarket/reference";
import type { SolveMarketRequest } from "@peermarket/model";

/** The stored solution does not fit its stored market (other agents, pairs or orientation): it is corrupted. */
export class StoredSolutionMismatch extends Error {
  constructor(id: string, message: string) {
    super(`solution ${id}: ${message}`);
    this.name = "StoredSolutionMismatch";
  }
}

/** The outcome of `certifyStoredSolution`. */
export interface StoredCertificate {
  /**
   * "kkt": the KKT certificate of @peermarket/reference (single-period markets, and multi-period
   * ones without storage on their period agents); "equilibrium": the equilibrium certificate of
   * multi-period markets with storage (primal feasibility with the state-of-charge chain, and every
   * agent's regret at the stored prices).
   */
  kind: "kkt" | "equilibrium";
  passed: boolean;
  maxReciprocityViolation: number;
  /** Bound and balance violations (power units). */
  maxBoundViolation: number;
  /** KKT: the largest price violation; equilibrium: the largest price asymmetry. */
  maxPriceViolation: number;
  /** Equilibrium: the largest regret (€ over the horizon) and SoC violation (MWh); 0 for KKT. */
  maxRegret: number;
  maxSocViolation: number;
  /** The tolerances used. */
  tolerances: { primal: number; dual: number; regret?: number; soc?: number };
  /**
   * Multi-period solutions list only the (pair, period) entries that carry power, without the
   * prices of the others: those are held at zero trade in the certificate, which therefore does
   * not check that no agent would open them. Their count (0 for single-period solutions).
   */
  unlistedPairPeriods: number;
}

/**
 * Checks a stored solution against its stored request without trusting the solver or the store:
 * sets the market up again with the pipeline `solveMarket` uses (`prepareMarket`: expansion, network
 * charges at the solution's unit fee or the time-of-use fees of a horizon, trade costs, the
 * convexity check), rebuilds every directed trade and
 * price from the solution's trades and agents, and runs the certificate `verifyOutcome` runs on a
 * fresh solve — the KKT certificate, or for multi-period markets with storage the equilibrium
 * certificate (`certifyMultiPeriod`) — with the tolerances of the same pipeline function
 * (`certificateTolerances`), from the solve's stopping thresholds ε = eps_abs + eps_rel · scale
 * recomputed from its settings and the stored trades (power scale) and prices (price scale), and
 * its ρ.
 * @throws StoredSolutionMismatch when the solution does not belong to the market.
 */
export async function certifyStoredSolution(
  request: Partial<SolveMarketRequest>,
  solution: Solution,
): Promise<StoredCertificate> {
  const market = request.market;
  if (!market) throw new StoredSolutionMismatch(solution.id, "its stored request has no market");
  let prepared: PreparedMarket;
  try {
    prepared = prepareMarket(market, request.settings, {
      limits: { maxAgents: Number.MAX_SAFE_INTEGER, maxPairs: Number.MAX_SAFE_INTEGER },
      unitFee: solution.unitFee,
    });
  } catch (e) {
    if (!(e instanceof NonConvexMarketError)) throw e;
    throw new StoredSolutionMismatch(
      solution.id,
      `its market is not convex at the stored unit fee ${solution.unitFee}: ${e.message}`,
    );
  }
  const x = prepared.expanded;
  const arrays = x.horizon ? horizonArrays(x, solution) : singlePeriodArrays(x, solution);
  // The solve's tolerances: its settings over the engine's defaults.
  const epsAbs = prepared.settings.epsAbs ?? defaultSettings.epsAbs;
  const epsRel = prepared.settings.epsRel ?? defaultSettings.epsRel;
  let pScale = 0;
  let dScale = 0;
  for (let k = 0; k < arrays.trade.length; k++) {
    pScale = Math.max(pScale, Math.abs(arrays.trade[k]));
    dScale = Math.max(dScale, Math.abs(arrays.price[k]));
  }
  const tol = certificateTolerances(arrays.m, {
    epsPrimal: epsAbs + epsRel * pScale,
    epsDual: epsAbs + epsRel * dScale,
    rho: solution.rho,
  });
  const h = x.horizon;
  if (h && h.arrays.storage.count > 0) {
    const { cert, passed, regretTolerance, socTolerance } = await certifyMultiPeriod(
      arrays.m,
      h.arrays,
      { trade: arrays.trade, price: arrays.price, charge: arrays.charge, discharge: arrays.discharge },
      tol,
    );
    return {
      kind: "equilibrium",
      passed,
      maxReciprocityViolation: cert.maxReciprocityViolation,
      maxBoundViolation: cert.maxBoundViolation,
      maxPriceViolation: cert.maxPriceAsymmetry,
      maxRegret: cert.maxRegret,
      maxSocViolation: cert.maxSocViolation,
      tolerances: { ...tol, regret: regretTolerance, soc: socTolerance },
      unlistedPairPeriods: arrays.unlisted,
    };
  }
  const cert = certify(
    arrays.m,
    { agentPower: arrays.agentPower, trade: arrays.trade, price: arrays.price },
    { primal: tol.primal, dual: tol.dual, active: tol.primal },
  );
  return {
    kind: "kkt",
    passed: cert.passed,
    maxReciprocityViolation: cert.maxReciprocityViolation,
    maxBoundViolation: Math.max(cert.maxBoundViolation, cert.maxBalanceViolation),
    maxPriceViolation: Math.max(cert.maxPriceViolation, cert.maxPriceAsymmetry),
    maxRegret: 0,
    maxSocViolation: 0,
    tolerances: tol,
    unlistedPairPeriods: arrays.unlisted,
  };
}

/** A stored solution in the engine's layout, with the market arrays to certify it against. */
interface CertifiedArrays {
  m: ExpandedMarket["arrays"];
  agentPower: Float64Array;
  trade: Float64Array;
  price: Float64Array;
  charge?: Float64Array;
  discharge?: Float64Array;
  unlisted: number;
}

/** A single-period solution: the market's pairs in order, each between its two agents. */
function singlePeriodArrays(x: ExpandedMarket, solution: Solution): CertifiedArrays {
  const m = x.arrays;
  if (solution.agents.length !== m.nAgents)
    throw new StoredSolutionMismatch(solution.id, `${solution.agents.length} agents, its market has ${m.nAgents}`);
  const nPairs = x.pairFirst.length;
  if (solution.trades.length !== nPairs)
    throw new StoredSolutionMismatch(solution.id, `${solution.trades.length} trades, its market has ${nPairs} pairs`);
  const agentPower = new Float64Array(m.nAgents);
  for (let n = 0; n < m.nAgents; n++) {
    const a = solution.agents[n];
    if (a.id !== x.agentIds[n])
      throw new StoredSolutionMismatch(
        solution.id,
        `agents[${n}] is ${JSON.stringify(a.id)}, expected ${JSON.stringify(x.agentIds[n])}`,
      );
    agentPower[n] = a.power;
  }
  const trade = new Float64Array(m.partner.length);
  const price = new Float64Array(m.partner.length);
  for (let q = 0; q < nPairs; q++) {
    const t = solution.trades[q];
    const first = x.agentIds[x.pairFirst[q]];
    const second = x.agentIds[x.pairSecond[q]];
    let fromFirst: number;
    if (t.sellerId === first && t.buyerId === second) fromFirst = t.power;
    else if (t.sellerId === second && t.buyerId === first) fromFirst = -t.power;
    else
      throw new StoredSolutionMismatch(
        solution.id,
        `trades[${q}] is ${t.sellerId} → ${t.buyerId}, the pair is ${first} – ${second}`,
      );
    trade[x.tradeOfFirst[q]] = fromFirst;
    trade[x.tradeOfSecond[q]] = -fromFirst;
    price[x.tradeOfFirst[q]] = t.price;
    price[x.tradeOfSecond[q]] = t.price;
  }
  return { m, agentPower, trade, price, unlisted: 0 };
}

/**
 * A multi-period solution (docs/multi-period.md): period agents n·T + t from the agents' power,
 * charge and discharge profiles, directed trades of the (pair, period) entries it lists; the
 * entries it leaves out carry no power and are held at zero (their bounds set to [0, 0]).
 */
function horizonArrays(x: ExpandedMarket, solution: Solution): CertifiedArrays {
  let s: ReturnType<typeof horizonSolutionArrays>;
  try {
    s = horizonSolutionArrays(x, solution);
  } catch (e) {
    throw new StoredSolutionMismatch(
      solution.id,
      e instanceof Error ? e.message.replace(/^solution\s*\S*\s*(?::\s*)?/, "") : String(e),
    );
  }
  const m0 = x.arrays;
  const lo = Float64Array.from(m0.lo);
  const hi = Float64Array.from(m0.hi);
  const trade = new Float64Array(m0.partner.length);
  const price = new Float64Array(m0.partner.length);
  let unlisted = 0;
  for (let e = 0; e < x.pairFirst.length; e++) {
    const kf = x.tradeOfFirst[e];
    const ks = x.tradeOfSecond[e];
    if (!s.listed[e]) {
      unlisted++;
      lo[kf] = hi[kf] = lo[ks] = hi[ks] = 0;
      continue;
    }
    trade[kf] = s.pairPower[e];
    trade[ks] = -s.pairPower[e];
    price[kf] = price[ks] = s.pairPrice[e];
  }
  return {
    m: { ...m0, lo, hi },
    agentPower: s.agentPower,
    trade,
    price,
    charge: s.charge,
    discharge: s.discharge,
    unlisted,
  };
}
