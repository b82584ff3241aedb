import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { readBundledCase } from "./bundled.js";
import { loadScenario, loadScenarioText } from "./load.js";
import { parseMatpower } from "./matpower.js";
import { marketFromMatpower } from "./matpower-market.js";
import { MatpowerParseError, ScenarioError } from "./scenario-error.js";
import { marketToJson } from "./scenario-json.js";

const casesDir = fileURLToPath(new URL("../cases/", import.meta.url));

/** Coefficient rows of `mpc.gencost` read from the file text, independently of the parser. */
function rawGencost(text: string): number[][] {
  const lines = text.split(/\r?\n/);
  const start = lines.findIndex((l) => l.startsWith("mpc.gencost = ["));
  const rows: number[][] = [];
  for (let i = start + 1; !lines[i].startsWith("];"); i++) {
    const body = lines[i].replace(/%.*/, "").replace(/;\s*$/, "").trim();
    if (body) rows.push(body.split(/\s+/).map(Number));
  }
  return rows;
}

describe("case39b_31a as a market", () => {
  const text = readBundledCase("case39b_31a");
  const market = loadScenario(join(casesDir, "case39b_31a.m"));

  it("has 31 agents: 21 consumers and 10 producers, named by gen row", () => {
    assert.equal(market.agents.length, 31);
    const consumers = market.agents.filter((a) => a.powerMax === 0 && a.powerMin < 0);
    const producers = market.agents.filter((a) => a.powerMin >= 0 && a.powerMax > 0);
    assert.equal(consumers.length, 21);
    assert.equal(producers.length, 10);
    assert.deepEqual(
      market.agents.map((a) => a.id),
      Array.from({ length: 31 }, (_, i) => `gen${i + 1}`),
    );
    assert.equal(market.name, "case39b_31a");
    assert.equal(market.tradingGraph, "TRADING_GRAPH_COMPLETE");
  });

  it("takes a = 2·c2 and b = c1 from gencost, bounds from Pmin/Pmax, bus and zone from the bus", () => {
    const raw = rawGencost(text);
    market.agents.forEach((a, i) => {
      assert.equal(a.costQuadratic, 2 * raw[i][4]);
      assert.equal(a.costLinear, raw[i][5]);
    });
    assert.deepEqual(
      {
        bus: market.agents[0].bus,
        zone: market.agents[0].zone,
        powerMin: market.agents[0].powerMin,
        powerMax: market.agents[0].powerMax,
      },
      { bus: "1", zone: "1", powerMin: -146.4, powerMax: 0 },
    );
    assert.deepEqual([market.agents[21].bus, market.agents[21].powerMin, market.agents[21].powerMax], ["30", 0, 1040]);
    assert.deepEqual([...new Set(market.agents.map((a) => a.zone))].sort(), ["1", "2", "3", "4"]);
  });

  it("places agents from genpos (x = 2nd column, y = 1st) and keeps the case as the network", () => {
    assert.deepEqual(market.agents[0].location, { xKm: 0.185, yKm: 0.579 });
    assert.deepEqual(market.network, { matpower: text, source: "matpower" });
  });

  it("is a valid scenario that converts to proto3 JSON", () => {
    const json = marketToJson(market) as { agents: unknown[]; network: { matpower: string } };
    assert.equal(json.agents.length, 31);
    assert.equal(json.network.matpower, text);
  });
});

describe("marketFromMatpower", () => {
  const base = parseMatpower(readBundledCase("case14"), "case14.m");

  it("skips generators out of service, keeping row-number ids", () => {
    const c = structuredClone(base);
    c.gen[1][7] = 0;
    const m = marketFromMatpower(c, "", "x");
    assert.deepEqual(
      m.agents.map((a) => a.id),
      ["gen1", "gen3", "gen4", "gen5"],
    );
    assert.equal(m.name, "x");
    assert.equal(m.agents[0].location, null);
  });

  it("maps linear and constant polynomials", () => {
    const c = structuredClone(base);
    c.gencost[0] = [2, 0, 0, 2, 7, 1];
    c.gencost[1] = [2, 0, 0, 1, 5];
    c.gencost[2] = [2, 0, 0, 4, 0, 0.5, 3, 1];
    const m = marketFromMatpower(c, "");
    assert.deepEqual([m.agents[0].costQuadratic, m.agents[0].costLinear], [0, 7]);
    assert.deepEqual([m.agents[1].costQuadratic, m.agents[1].costLinear], [0, 0]);
    assert.deepEqual([m.agents[2].costQuadratic, m.agents[2].costLinear], [1, 3]);
  });

  it("rejects piecewise-linear, cubic and missing costs naming the row", () => {
    const pwl = structuredClone(base);
    pwl.gencost[2] = [1, 0, 0, 2, 0, 0, 100, 2000];
    assert.throws(
      () => marketFromMatpower(pwl, ""),
      (e: unknown) =>
        e instanceof ScenarioError &&
        e.path === "mpc.gencost" &&
        /row 3 \(gen3\): piecewise-linear costs \(model 1\) are not supported/.test(e.message),
    );
    const cubic = structuredClone(base);
    cubic.gencost[0] = [2, 0, 0, 4, 1, 0.5, 3, 1];
    assert.throws(() => marketFromMatpower(cubic, ""), /row 1 \(gen1\): a polynomial of degree 3 is not supported/);
    const none = { ...structuredClone(base), gencost: [] };
    assert.throws(() => marketFromMatpower(none, ""), /mpc\.gencost: the case has no generator costs/);
  });
});

describe("loadScenario", () => {
  const dir = mkdtempSync(join(tmpdir(), "peermarket-model-"));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("loads .json scenarios and reports their errors with the file name", () => {
    const ok = join(dir, "m.json");
    writeFileSync(ok, '{"name": "two", "agents": [{"id": "a", "powerMax": 1}, {"id": "b", "powerMin": -1}]}');
    assert.equal(loadScenario(ok).agents.length, 2);
    const bad = join(dir, "bad.json");
    writeFileSync(bad, '{"agents": [{"id": "a", "power": 1}]}');
    assert.throws(
      () => loadScenario(bad),
      (e: unknown) => e instanceof ScenarioError && e.source === bad && e.path === "agents[0].power",
    );
  });

  it("reports unreadable files, unknown extensions and MATPOWER errors", () => {
    assert.throws(
      () => loadScenario(join(dir, "missing.json")),
      /missing\.json: cannot read the scenario file: no such file/,
    );
    assert.throws(() => loadScenario(join(dir, "m.yaml")), /unknown scenario file type "\.yaml"/);
    const badCase = join(dir, "bad.m");
    writeFileSync(badCase, "mpc.baseMVA = 100;\nmpc.bus = [1 2 3;\n");
    assert.throws(
      () => loadScenario(badCase),
      (e: unknown) => e instanceof MatpowerParseError && e.line === 2,
    );
  });

  it("reads scenario text by extension, else by its first character", () => {
    const caseText = readBundledCase("case39b_31a");
    assert.equal(loadScenarioText(caseText, "inline").agents.length, 31);
    assert.equal(loadScenarioText(caseText, "x.m").name, "x");
    assert.equal(loadScenarioText('  {"name": "j"}', "inline").name, "j");
    assert.throws(() => loadScenarioText("{", "x.json"), /x\.json:1:2: invalid JSON/);
  });
});
