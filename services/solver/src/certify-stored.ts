import { networkContext } from "@peermarket/market";
import { checkConvexity, combineCosts, expandMarket, type Solution } from "@peermarket/model";
import { chargesFromDistances } from "@peermarket/network";
import { certify, type Certificate } from "@peermarket/reference";
import type { SolveMarketRequest } from "./messages.js";

/** The stored solution does not fit its stored market (other agents, pairs or orientation): it is corrupted. */
export class StoredSolutionMismatch extends Error {
  constructor(id: string, message: string) {
    super(`solution ${id}: ${message}`);
    this.name = "StoredSolutionMismatch";
  }
}

/** Same factor as `verifyOutcome` between the solve's residual tolerances and the certificate's. */
const CERTIFICATE_FACTOR = 10;

/** Engine defaults of the tolerances (SolverSettings unset). */
const DEFAULT_EPS_ABS = 1e-8;
const DEFAULT_EPS_REL = 1e-6;

/**
 * Checks a stored solution against its stored request without trusting the solver or the store:
 * re-expands the market with @peermarket/model (network charges at the solution's unit fee),
 * rebuilds every directed trade and price from the solution's trades (which must be the market's
 * pairs, in order, each between its two agents) and the agents' powers, and runs the KKT
 * certificate of @peermarket/reference with the tolerances of `verifyOutcome` (10 × the solve's
 * stopping thresholds, scaled by √(largest degree) for the powers).
 * @throws StoredSolutionMismatch when the solution does not belong to the market.
 */
export function certifyStoredSolution(request: SolveMarketRequest, solution: Solution): Certificate {
  const market = request.market;
  if (!market) throw new StoredSolutionMismatch(solution.id, "its stored request has no market");
  const x = expandMarket(market, { limits: { maxAgents: Number.MAX_SAFE_INTEGER, maxPairs: Number.MAX_SAFE_INTEGER } });
  const network = networkContext(x);
  if (network.charging) {
    chargesFromDistances(x, network.distances, solution.unitFee, network.charges.sellerShare ?? 0.5);
    combineCosts(x);
    const issues = checkConvexity(x);
    if (issues.length > 0) throw new StoredSolutionMismatch(solution.id, `its market is not convex at the stored unit fee ${solution.unitFee}`);
  }
  const m = x.arrays;
  if (solution.agents.length !== m.nAgents) throw new StoredSolutionMismatch(solution.id, `${solution.agents.length} agents, its market has ${m.nAgents}`);
  const nPairs = x.pairFirst.length;
  if (solution.trades.length !== nPairs) throw new StoredSolutionMismatch(solution.id, `${solution.trades.length} trades, its market has ${nPairs} pairs`);
  const agentPower = new Float64Array(m.nAgents);
  for (let n = 0; n < m.nAgents; n++) {
    const a = solution.agents[n];
    if (a.id !== x.agentIds[n]) throw new StoredSolutionMismatch(solution.id, `agents[${n}] is ${JSON.stringify(a.id)}, expected ${JSON.stringify(x.agentIds[n])}`);
    agentPower[n] = a.power;
  }
  const trade = new Float64Array(m.partner.length);
  const price = new Float64Array(m.partner.length);
  let pScale = 0;
  let dScale = 0;
  for (let q = 0; q < nPairs; q++) {
    const t = solution.trades[q];
    const first = x.agentIds[x.pairFirst[q]];
    const second = x.agentIds[x.pairSecond[q]];
    let fromFirst: number;
    if (t.sellerId === first && t.buyerId === second) fromFirst = t.power;
    else if (t.sellerId === second && t.buyerId === first) fromFirst = -t.power;
    else throw new StoredSolutionMismatch(solution.id, `trades[${q}] is ${t.sellerId} → ${t.buyerId}, the pair is ${first} – ${second}`);
    trade[x.tradeOfFirst[q]] = fromFirst;
    trade[x.tradeOfSecond[q]] = -fromFirst;
    price[x.tradeOfFirst[q]] = t.price;
    price[x.tradeOfSecond[q]] = t.price;
    pScale = Math.max(pScale, Math.abs(t.power));
    dScale = Math.max(dScale, Math.abs(t.price));
  }
  const settings = request.settings;
  const epsAbs = settings?.epsAbs ?? DEFAULT_EPS_ABS;
  const epsRel = settings?.epsRel ?? DEFAULT_EPS_REL;
  const epsPrimal = epsAbs + epsRel * pScale;
  const epsDual = epsAbs + epsRel * dScale;
  let maxDegree = 1;
  for (let n = 0; n < m.nAgents; n++) maxDegree = Math.max(maxDegree, m.tradeStart[n + 1] - m.tradeStart[n]);
  const primal = CERTIFICATE_FACTOR * Math.max(epsPrimal, 1e-9) * Math.sqrt(maxDegree);
  const dual = CERTIFICATE_FACTOR * Math.max(epsDual + solution.rho * epsPrimal, 1e-9);
  return certify(m, { agentPower, trade, price }, { primal, dual, active: primal });
}
