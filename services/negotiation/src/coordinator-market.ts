import { type Agent, type Market, MarketValidationError, type ValidationIssue } from "@peermarket/model";
import type { PeerAgent } from "@peermarket/model";

/**
 * The market a negotiation coordinator is given names the agents, the trading graph, the grid,
 * the network and the charges — and nothing private: no costs, no preferences. The agents'
 * buses, bounds, locations and attributes come from their registrations.
 */
export function coordinatorMarketIssues(market: Market): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  market.agents.forEach((a, i) => {
    if (a.costQuadratic !== 0)
      issues.push({
        path: `agents[${i}].costQuadratic`,
        message: "must be left unset: an agent's costs stay with the agent",
      });
    if (a.costLinear !== 0)
      issues.push({
        path: `agents[${i}].costLinear`,
        message: "must be left unset: an agent's costs stay with the agent",
      });
    if (a.powerMin !== 0 || a.powerMax !== 0)
      issues.push({
        path: `agents[${i}].${a.powerMin !== 0 ? "powerMin" : "powerMax"}`,
        message: "must be left unset: bounds come from the agent's registration",
      });
  });
  // A negotiation clears one instant: agents register scalar bounds and answer single-period
  // local problems; a day with profiles or batteries is cleared by `solve` or the service.
  if (market.horizon && market.horizon.periods > 1)
    issues.push({
      path: "horizon.periods",
      message:
        "a negotiation clears a single period; multi-period markets are cleared by `peermarket solve` or the service",
    });
  market.agents.forEach((a, i) => {
    if (a.storage)
      issues.push({
        path: `agents[${i}].storage`,
        message:
          "storage is not supported in a negotiation (it couples periods); clear the market with `peermarket solve` or the service",
      });
  });
  for (const key of ["importPriceProfile", "exportPriceProfile", "importMaxProfile", "exportMaxProfile"] as const)
    if ((market.grid?.[key]?.length ?? 0) > 0)
      issues.push({
        path: `grid.${key}`,
        message: "per-period profiles need a multi-period market, which a negotiation does not clear",
      });
  if ((market.charges?.unitFeeProfile?.length ?? 0) > 0)
    issues.push({
      path: "charges.unitFeeProfile",
      message: "per-period fees need a multi-period market, which a negotiation does not clear",
    });
  if (market.preferences.length > 0)
    issues.push({
      path: "preferences",
      message: "must be empty: preferences are private to the agents, which add them to their own problems",
    });
  const target = market.charges?.targetRevenue;
  if (target !== undefined && target !== null)
    issues.push({
      path: "charges.targetRevenue",
      message: "cost recovery (a unit-fee search) is not supported in a negotiation; give a fixed unit_fee",
    });
  return issues;
}

/** Why a registered agent does not fit the coordinator's market (null when it does). */
export function registrationProblem(market: Market, agent: PeerAgent): string | null {
  const declared = market.agents.find((a) => a.id === agent.id);
  if (!declared) return `agent ${JSON.stringify(agent.id)} is not part of market ${JSON.stringify(market.name)}`;
  if (!Number.isFinite(agent.powerMin) || !Number.isFinite(agent.powerMax)) {
    // The coordinator cannot tell whether private costs bound an unlimited agent's trades.
    return `agent ${JSON.stringify(agent.id)}: power bounds must be finite in a negotiation, got [${agent.powerMin}, ${agent.powerMax}]`;
  }
  if (!(agent.powerMin <= agent.powerMax))
    return `agent ${JSON.stringify(agent.id)}: powerMin must not exceed powerMax (${agent.powerMin} > ${agent.powerMax})`;
  if (declared.bus !== "" && declared.bus !== agent.bus)
    return `agent ${JSON.stringify(agent.id)} registered at bus ${JSON.stringify(agent.bus)}, the market places it at bus ${JSON.stringify(declared.bus)}`;
  if (declared.zone !== "" && agent.zone !== "" && declared.zone !== agent.zone)
    return `agent ${JSON.stringify(agent.id)} registered in zone ${JSON.stringify(agent.zone)}, the market places it in zone ${JSON.stringify(declared.zone)}`;
  return null;
}

/**
 * The market of one epoch: the declared agents still present, in the market's order, with their
 * registered bus, zone, bounds, location and attributes and zero costs; explicit pairs of absent
 * agents left out. Throws MarketValidationError naming the agent when a registration is missing.
 */
export function epochMarket(
  market: Market,
  registered: ReadonlyMap<string, PeerAgent>,
  present: ReadonlySet<string>,
): Market {
  const agents: Agent[] = [];
  for (const a of market.agents) {
    if (!present.has(a.id)) continue;
    const r = registered.get(a.id);
    if (!r)
      throw new MarketValidationError([
        { path: "agents", message: `agent ${JSON.stringify(a.id)} is present but not registered` },
      ]);
    agents.push({
      id: a.id,
      bus: a.bus !== "" ? a.bus : r.bus,
      zone: a.zone !== "" ? a.zone : r.zone,
      costQuadratic: 0,
      costLinear: 0,
      powerMin: r.powerMin,
      powerMax: r.powerMax,
      location: r.location ?? null,
      attributes: { ...r.attributes },
      costQuadraticProfile: [],
      costLinearProfile: [],
      powerMinProfile: [],
      powerMaxProfile: [],
      storage: null,
    });
  }
  return {
    ...market,
    agents,
    pairs: market.pairs.filter((p) => present.has(p.agentId) && present.has(p.partnerId)),
    preferences: [],
  };
}
