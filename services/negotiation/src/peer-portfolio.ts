import { type LocalProblem, reserveLocalScratch, sanitizeCosts, solveLocal } from "@peermarket/admm";
import type { Agent, AgentResult, Preference, Solution } from "@peermarket/model";
import type { PeerAgent, Proposal, Round, Welcome } from "@peermarket/model";
import { type PartnerView, preferenceCost } from "./preferences.js";

/** An agent's terms of the current epoch, in the order of its Welcome. */
interface Terms {
  partners: string[];
  /** Preference part of the per-unit cost of each trade (both directions). */
  preference: Float64Array;
}

/**
 * The private side of a negotiation: one or more agents (an aggregator's portfolio) with their
 * costs and preferences, which never leave this object. It tells the coordinator only what
 * `profiles()` returns (ids, buses, bounds, locations, attributes), sets up each epoch's local
 * problems from the coordinator's terms plus its own preference costs, and answers every round
 * with the engine's exact local solve.
 */
export class PeerPortfolio {
  readonly agents: readonly Agent[];
  private readonly preferences: Map<string, Preference[]>;
  private readonly index = new Map<string, number>();
  private problem: LocalProblem | null = null;
  private terms: Terms[] = [];
  /** Per agent (portfolio order): the marginal price of its last local solve (warm start). */
  private readonly mu: Float64Array;
  private trades = new Float64Array(0);
  private epoch = 0;
  /** Portfolio index of each agent, in the order of the current terms, and the way back. */
  private order: number[] = [];
  private position = new Map<string, number>();
  /** μ per agent in the order of the current terms. */
  private roundMu = new Float64Array(0);

  /** @throws RangeError for duplicate ids or a preference of an agent outside the portfolio. */
  constructor(agents: readonly Agent[], preferences: readonly Preference[] = []) {
    this.agents = agents;
    agents.forEach((a, i) => {
      if (this.index.has(a.id)) throw new RangeError(`agent ${JSON.stringify(a.id)} appears twice in the portfolio`);
      this.index.set(a.id, i);
    });
    this.preferences = new Map(agents.map((a) => [a.id, []]));
    preferences.forEach((p, i) => {
      const list = this.preferences.get(p.agentId);
      if (!list)
        throw new RangeError(
          `preferences[${i}]: agent ${JSON.stringify(p.agentId)} is not in this portfolio (${agents.map((a) => a.id).join(", ")})`,
        );
      list.push(p);
    });
    this.mu = Float64Array.from(agents, (a) => a.costLinear);
  }

  /** What the coordinator is told: each agent without its costs. */
  profiles(): PeerAgent[] {
    return this.agents.map((a) => ({
      id: a.id,
      bus: a.bus,
      zone: a.zone,
      powerMin: a.powerMin,
      powerMax: a.powerMax,
      location: a.location ?? null,
      attributes: { ...a.attributes },
    }));
  }

  /**
   * Sets up the local problems of a new epoch: per agent, its trades with the coordinator's bounds
   * and network charges plus its own preference costs. @throws RangeError when the terms do not
   * cover exactly this portfolio, or when an agent's preferences make its problem non-convex.
   */
  welcome(w: Welcome): void {
    const n = this.agents.length;
    if (w.agents.length !== n || w.agents.some((t) => !this.index.has(t.agentId))) {
      throw new RangeError(
        `the coordinator's terms name ${w.agents.map((t) => t.agentId).join(", ")}, this portfolio holds ${this.agents.map((a) => a.id).join(", ")}`,
      );
    }
    const views = new Map<string, PartnerView>(
      w.partners.map((p) => [p.id, { id: p.id, attributes: p.attributes ?? {}, location: p.location ?? null }]),
    );
    const order = w.agents.map((t) => this.index.get(t.agentId)!);
    if (new Set(order).size !== n) throw new RangeError("the coordinator's terms name an agent twice");
    const tradeStart = new Int32Array(n + 1);
    w.agents.forEach((t, i) => (tradeStart[i + 1] = tradeStart[i] + t.trades.length));
    const nt = tradeStart[n];
    const lo = new Float64Array(nt);
    const hi = new Float64Array(nt);
    const costSell = new Float64Array(nt);
    const costBuy = new Float64Array(nt);
    const a = new Float64Array(n);
    const b = new Float64Array(n);
    const pMin = new Float64Array(n);
    const pMax = new Float64Array(n);
    const terms: Terms[] = [];
    const mu = new Float64Array(n);
    let maxDegree = 0;
    w.agents.forEach((t, i) => {
      const own = this.agents[order[i]];
      a[i] = own.costQuadratic;
      b[i] = own.costLinear;
      pMin[i] = own.powerMin;
      pMax[i] = own.powerMax;
      mu[i] = this.mu[order[i]];
      const ownView: PartnerView = { id: own.id, attributes: own.attributes, location: own.location ?? null };
      const prefs = this.preferences.get(own.id)!;
      const preference = new Float64Array(t.trades.length);
      t.trades.forEach((tr, j) => {
        const k = tradeStart[i] + j;
        lo[k] = tr.tradeMin;
        hi[k] = tr.tradeMax;
        if (!(lo[k] <= 0 && hi[k] >= 0))
          throw new RangeError(
            `the coordinator's bounds of ${own.id}'s trade with ${tr.partnerId} do not contain 0: [${lo[k]}, ${hi[k]}]`,
          );
        const pref = preferenceCost(prefs, ownView, views.get(tr.partnerId) ?? { id: tr.partnerId, attributes: {} });
        preference[j] = pref;
        costSell[k] = pref + tr.chargeSell;
        costBuy[k] = pref + tr.chargeBuy;
        if (lo[k] < 0 && hi[k] > 0 && costSell[k] + costBuy[k] < 0) {
          throw new RangeError(
            `the trade of ${JSON.stringify(own.id)} with ${JSON.stringify(tr.partnerId)} has c⁺ + c⁻ = ${costSell[k] + costBuy[k]} < 0 and can go both ways: its problem is not convex (negative preference costs are allowed only on one-way trades)`,
          );
        }
      });
      maxDegree = Math.max(maxDegree, t.trades.length);
      terms.push({ partners: t.trades.map((tr) => tr.partnerId), preference });
    });
    sanitizeCosts(lo, hi, costSell, costBuy);
    reserveLocalScratch(maxDegree);
    this.problem = { a, b, pMin, pMax, tradeStart, lo, hi, costSell, costBuy };
    this.terms = terms;
    this.order = order;
    this.position = new Map(w.agents.map((t, i) => [t.agentId, i]));
    this.roundMu = mu;
    this.trades = new Float64Array(nt);
    this.epoch = w.epoch;
  }

  /** Answers a round: each agent's exact local solve on its targets with ρ. @throws RangeError for a round that does not fit the terms. */
  answer(r: Round): Proposal {
    const P = this.problem;
    if (!P || r.epoch !== this.epoch)
      throw new RangeError(`round ${r.round} of epoch ${r.epoch}, but the terms are of epoch ${this.epoch}`);
    if (!(r.rho > 0 && Number.isFinite(r.rho)))
      throw new RangeError(`round ${r.round}: ρ must be a positive number, got ${r.rho}`);
    const v = this.trades;
    const out: Proposal = { epoch: r.epoch, round: r.round, agents: [] };
    for (const t of r.agents) {
      const i = this.position.get(t.agentId) ?? -1;
      if (i < 0) throw new RangeError(`round ${r.round}: agent ${JSON.stringify(t.agentId)} is not in this portfolio`);
      const s = P.tradeStart[i];
      const e = P.tradeStart[i + 1];
      if (t.targets.length !== e - s)
        throw new RangeError(
          `round ${r.round}: ${t.targets.length} targets for ${t.agentId}, which has ${e - s} trades`,
        );
      for (let k = s; k < e; k++) v[k] = t.targets[k - s];
      this.roundMu[i] = solveLocal(P, i, v, r.rho, this.roundMu[i]);
      this.mu[this.order[i]] = this.roundMu[i];
      out.agents.push({ agentId: t.agentId, trades: Array.from(v.subarray(s, e)) });
    }
    return out;
  }

  /**
   * The agent results of a settlement with what only the agents know filled in: marginal price
   * a·p + b, energy cost ½·a·p² + b·p, and preference cost Σ pref·|trade| over its trades.
   */
  privateResults(solution: Solution): AgentResult[] {
    return solution.agents
      .filter((r) => this.index.has(r.id))
      .map((r) => {
        const own = this.agents[this.index.get(r.id)!];
        const p = r.power;
        const i = this.position.get(r.id) ?? -1;
        let pref = 0;
        if (i >= 0) {
          const t = this.terms[i];
          for (const tr of solution.trades) {
            const partner = tr.sellerId === r.id ? tr.buyerId : tr.buyerId === r.id ? tr.sellerId : null;
            if (partner === null) continue;
            const j = t.partners.indexOf(partner);
            if (j >= 0) pref += t.preference[j] * tr.power;
          }
        }
        return {
          ...r,
          marginalPrice: own.costQuadratic * p + own.costLinear,
          energyCost: 0.5 * own.costQuadratic * p * p + own.costLinear * p,
          preferenceCost: pref,
        };
      });
  }
}
