import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { makeAgent, ScenarioError } from "@peermarket/model";
import { loadAgentFiles, parseAgentFile, portfolioIssues } from "./agent-files.js";

test("an agent file is one Agent, or a portfolio of agents with their preferences", () => {
  const one = parseAgentFile(
    '{ "id": "alice", "bus": "4", "costQuadratic": 0.1, "costLinear": 30, "powerMin": -5, "attributes": { "technology": "solar" } }',
    "alice.json",
  );
  assert.equal(one.agents.length, 1);
  assert.deepEqual(
    [one.agents[0].id, one.agents[0].costQuadratic, one.agents[0].powerMin, one.agents[0].powerMax],
    ["alice", 0.1, -5, 0],
  );
  assert.deepEqual(one.preferences, []);
  const many = parseAgentFile(
    JSON.stringify({
      agents: [
        { id: "a", costQuadratic: 1, costLinear: 10, powerMax: 3 },
        { id: "b", cost_quadratic: 2, cost_linear: 80, power_min: -2 },
      ],
      preferences: [{ agentId: "b", partnerId: "grid_import", cost: 2 }],
    }),
    "portfolio.json",
  );
  assert.deepEqual(
    many.agents.map((a) => a.id),
    ["a", "b"],
  );
  assert.equal(many.agents[1].costLinear, 80);
  assert.equal(many.preferences[0].partnerId, "grid_import");
  assert.deepEqual(portfolioIssues(many), []);
});

test("errors name the file, the field as written and its position", () => {
  assert.throws(
    () => parseAgentFile('{ "id": "alice",\n  "costLinera": 30 }', "alice.json"),
    (e: unknown) =>
      e instanceof ScenarioError &&
      e.source === "alice.json" &&
      e.path === "costLinera" &&
      e.line === 2 &&
      /unknown field/.test(e.message),
  );
  assert.throws(
    () => parseAgentFile('{ "id": "x", "powerMax": "lots" }', "x.json"),
    (e: unknown) => e instanceof ScenarioError && e.path === "powerMax" && e.line === 1 && e.column === 14,
  );
  assert.throws(
    () => parseAgentFile('{ "agents": [{ "id": "a" }], "grid": { "importPrice": 3 } }', "p.json"),
    /agents and their preferences only/,
  );
  assert.throws(() => parseAgentFile("{ not json", "bad.json"), ScenarioError);
});

test("a portfolio's own data is validated, its preferences must be its own", () => {
  const issues = portfolioIssues({
    agents: [makeAgent("a", { costQuadratic: -1, costLinear: 10, powerMin: 0, powerMax: 3 })],
    preferences: [{ agentId: "z", partnerId: "", attributeKey: "", attributeValue: "", cost: 1, costPerKm: 0 }],
  });
  assert.ok(
    issues.some((i) => /^agents\[0\]\.costQuadratic/.test(i)),
    issues.join("; "),
  );
  assert.ok(issues.some((i) => /preferences\[0\]\.agentId: "z" is not one of this peer's agents/.test(i)));
  assert.deepEqual(portfolioIssues({ agents: [], preferences: [] }).slice(-1), [
    "no agents: give at least one --agent file",
  ]);
});

test("a portfolio with a battery is refused: a negotiation clears one period", () => {
  const issues = portfolioIssues({
    agents: [
      makeAgent("bat", {
        storage: { energyCapacity: 4, chargeMax: 2, dischargeMax: 2, socInitial: 0, socMin: 0, throughputCost: 0 },
      }),
    ],
    preferences: [],
  });
  assert.ok(
    issues.some((i) => /^agents\[0\]\.storage: a battery couples periods/.test(i)),
    issues.join("; "),
  );
});

test("an aggregator's portfolio of 200 000 agents loads (no spread of its entries)", () => {
  const dir = mkdtempSync(join(tmpdir(), "pm-agent-files-"));
  const n = 200_000;
  const agents = Array.from({ length: n }, (_, i) => `{"id":"h${i}","costLinear":30,"powerMin":-1}`);
  const file = join(dir, "portfolio.json");
  writeFileSync(file, `{"agents":[${agents.join(",")}]}`);
  const out = loadAgentFiles([file]);
  assert.equal(out.agents.length, n);
  assert.equal(out.agents[n - 1].id, `h${n - 1}`);
  rmSync(dir, { recursive: true, force: true });
});
