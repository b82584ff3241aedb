import { mulberry32 } from "@peermarket/admm";
import type { Agent, Market } from "@peermarket/model";
import { case39bMarket } from "./case39b.js";
import { makeAgent, makeCharges } from "@peermarket/model";

/** A seeded pseudo-random generator (mulberry32): the same seed gives the same sequence. */
export const seededRandom = mulberry32;

function agent(id: string, costQuadratic: number, costLinear: number, powerMin: number, powerMax: number): Agent {
  return makeAgent(id, { costQuadratic, costLinear, powerMin, powerMax });
}

/** A small valid market without a network: 2–6 producers and 2–6 consumers with random costs. */
export function randomSmallMarket(random: () => number, name: string): Market {
  const agents: Agent[] = [];
  const producers = 2 + Math.floor(random() * 5);
  const consumers = 2 + Math.floor(random() * 5);
  for (let i = 0; i < producers; i++)
    agents.push(agent(`g${i}`, 0.5 + random() * 3, 5 + random() * 30, 0, 5 + random() * 20));
  for (let i = 0; i < consumers; i++)
    agents.push(agent(`d${i}`, 0.5 + random() * 3, 40 + random() * 40, -(5 + random() * 20), 0));
  return {
    name,
    agents,
    tradingGraph: "TRADING_GRAPH_COMPLETE",
    pairs: [],
    preferences: [],
    network: null,
    charges: null,
    grid: null,
    horizon: null,
  };
}

/** case39b_31a under a name of the load test, optionally with electrical-distance charges. */
export function loadCase39b(name: string, unitFee = 0): Market {
  const market = { ...case39bMarket(), name };
  return unitFee > 0
    ? { ...market, charges: makeCharges({ design: "CHARGE_DESIGN_ELECTRICAL_DISTANCE", unitFee, zoneDistances: [] }) }
    : market;
}

/** A market the service must refuse with INVALID_ARGUMENT (an agent's powerMin above its powerMax). */
export function invalidMarket(random: () => number): Market {
  const market = randomSmallMarket(random, "load-invalid");
  market.agents[0] = { ...market.agents[0], powerMin: 50, powerMax: -50 };
  return market;
}
