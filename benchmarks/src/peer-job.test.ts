import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { peerMarket } from "@peermarket/admm";
import { solveMarket } from "@peermarket/market";
import { loadScenarioText } from "@peermarket/model";
import { gapOf, peerSolve, writePeerScenario } from "./jobs/peer-job.js";

// The whole-process runs solve the scenario file; the in-process runs solve peerMarket's arrays:
// both must be the same market with the same optimum.
test("the peer scenario file is the generator's market: same agents, pairs and certified optimum", async () => {
  const dir = mkdtempSync(join(tmpdir(), "peer-scenario-"));
  try {
    const file = join(dir, "peer-40.json");
    writePeerScenario(40, file);
    const market = loadScenarioText(readFileSync(file, "utf8"), file);
    const m = peerMarket(40, 1);
    assert.equal(market.agents.length, m.nAgents);
    assert.equal(market.pairs.length, m.partner.length / 2);
    const fromFile = await solveMarket(market, { settings: { epsAbs: 1e-6, epsRel: 1e-6, warmStartSolutionId: "" } });
    assert.equal(fromFile.expanded.arrays.partner.length, m.partner.length, "no pair dropped or added by the loader");
    const direct = await peerSolve(m, 1e-6, true);
    assert.ok(direct.polished && direct.certified, "the generator's market is polished to a certified optimum");
    assert.equal(fromFile.solution.status, "SOLVE_STATUS_SOLVED");
    assert.ok(
      gapOf(fromFile.solution.objective, direct.objective) < 1e-9,
      `objectives ${fromFile.solution.objective} and ${direct.objective}`,
    );
    // An ADMM answer at a loose tolerance is not exact: the certificate must say so.
    const loose = await peerSolve(m, 1e-2, false);
    assert.ok(!loose.certified, "ADMM alone at 1e-2 does not pass the certificate at 1e-9");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
