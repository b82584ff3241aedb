import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MarketClient } from "./client.js";
import { silentLogger } from "./logger.js";
import { startServer } from "./server.js";
import { smallMarket } from "./test-support.js";

test("the store survives a restart of the server", async () => {
  const dir = mkdtempSync(join(tmpdir(), "peermarket-restart-"));
  const storePath = join(dir, "data", "peermarket.db");
  try {
    const first = await startServer({ host: "127.0.0.1", port: 0, storePath, workers: 1, logger: silentLogger });
    let client = new MarketClient(first.address);
    const solution = await client.solveMarket({ market: smallMarket("persisted") });
    client.close();
    await first.close();

    const second = await startServer({ host: "127.0.0.1", port: 0, storePath, workers: 1, logger: silentLogger });
    client = new MarketClient(second.address);
    try {
      assert.deepEqual(await client.getSolution(solution.id), solution);
      const listed = await client.listSolutions({ marketName: "persisted" });
      assert.deepEqual(
        listed.solutions.map((s) => s.id),
        [solution.id],
      );
      // its iterate was kept too: a warm start from it works after the restart
      const warm = await client.solveMarket({
        market: smallMarket("persisted"),
        settings: { warmStartSolutionId: solution.id },
      });
      assert.ok(warm.iterations <= solution.iterations, `warm ${warm.iterations} vs ${solution.iterations}`);
    } finally {
      client.close();
      await second.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
