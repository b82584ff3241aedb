import { readFileSync } from "node:fs";
import {
  type Agent,
  type Market,
  type Preference,
  ScenarioError,
  parseMarketJson,
  validateMarket,
} from "@peermarket/model";

/** The agents and preferences of one or more agent files. */
export interface AgentFiles {
  agents: Agent[];
  preferences: Preference[];
}

const PREFIX = '{"agents":[';

/**
 * Reads an agent file: the proto3 JSON of one `peermarket.v1.Agent` (with its costs), or of a
 * Market holding only `agents` (an aggregator's portfolio) and the `preferences` of those agents.
 * Errors are ScenarioErrors with the file, the field path and line/column.
 */
export function parseAgentFile(text: string, source: string): AgentFiles {
  let portfolio = false;
  try {
    const doc = JSON.parse(text) as unknown;
    portfolio =
      doc !== null && typeof doc === "object" && !Array.isArray(doc) && ("agents" in doc || "preferences" in doc);
  } catch {
    // Syntax errors are reported with their position below.
  }
  let market: Market;
  if (portfolio) {
    market = parseMarketJson(text, source);
    const extra = (["network", "charges", "grid"] as const).find((k) => market[k] !== null && market[k] !== undefined);
    if (extra || market.pairs.length > 0 || market.name !== "") {
      throw new ScenarioError(
        "an agent file holds agents and their preferences only; the market (graph, network, charges, grid) is the coordinator's",
        { source, path: extra ?? (market.name !== "" ? "name" : "pairs") },
      );
    }
  } else {
    // One Agent: read it as the only agent of a market, reporting paths and positions in the file's own terms.
    try {
      market = parseMarketJson(PREFIX + text + "]}", source);
    } catch (e) {
      if (!(e instanceof ScenarioError)) throw e;
      const path = e.path.replace(/^agents\[0\]\.?/, "");
      const column = e.line === 1 && e.column !== undefined ? Math.max(1, e.column - PREFIX.length) : e.column;
      throw new ScenarioError(e.detail, { source, path, line: e.line, column });
    }
  }
  return { agents: market.agents, preferences: market.preferences };
}

/** Reads agent files (see parseAgentFile) into one portfolio. @throws ScenarioError naming the file. */
export function loadAgentFiles(paths: string[]): AgentFiles {
  const out: AgentFiles = { agents: [], preferences: [] };
  for (const path of paths) {
    let text: string;
    try {
      text = readFileSync(path, "utf8");
    } catch (e) {
      throw new ScenarioError(`cannot read the agent file: ${(e as Error).message}`, { source: path, cause: e });
    }
    const f = parseAgentFile(text, path);
    // Loops, not push(...): a spread of a file's hundreds of thousands of entries overflows the stack.
    for (const a of f.agents) out.agents.push(a);
    for (const p of f.preferences) out.preferences.push(p);
  }
  return out;
}

/**
 * The problems of a portfolio's own data, as the model validates agents (ids, finite numbers,
 * a ≥ 0, bounds) and, for its preferences, owners that are in the portfolio and finite costs.
 * Preferences naming other agents are checked by the peer against the coordinator's terms.
 */
export function portfolioIssues(files: AgentFiles): string[] {
  const market: Market = {
    name: "",
    agents: files.agents,
    tradingGraph: "TRADING_GRAPH_UNSPECIFIED",
    pairs: [],
    preferences: [],
    network: null,
    charges: null,
    grid: null,
    horizon: null,
  };
  const issues = validateMarket(market).map((i) => `${i.path}: ${i.message}`);
  if (files.agents.length === 0) issues.push("no agents: give at least one --agent file");
  files.agents.forEach((a, i) => {
    if (a.storage)
      issues.push(
        `agents[${i}].storage: a battery couples periods, which a negotiation (one period) does not clear; use \`peermarket solve\` or the service`,
      );
  });
  const ids = new Set(files.agents.map((a) => a.id));
  files.preferences.forEach((p, i) => {
    if (!ids.has(p.agentId))
      issues.push(`preferences[${i}].agentId: ${JSON.stringify(p.agentId)} is not one of this peer's agents`);
    if (!Number.isFinite(p.cost)) issues.push(`preferences[${i}].cost: must be a finite number`);
    if (!Number.isFinite(p.costPerKm)) issues.push(`preferences[${i}].costPerKm: must be a finite number`);
    if (p.attributeValue !== "" && p.attributeKey === "")
      issues.push(`preferences[${i}].attributeValue: needs attributeKey`);
    if (p.partnerId !== "" && p.attributeKey !== "")
      issues.push(`preferences[${i}].attributeKey: give either partnerId or attributeKey, not both`);
  });
  return issues;
}
