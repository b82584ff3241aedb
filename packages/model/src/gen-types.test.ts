import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { protoRoot } from "@peermarket/proto";

/** The repository root (this file runs from packages/model/dist/). */
const repo = fileURLToPath(new URL("../../../", import.meta.url));
const genDir = join(repo, "packages", "model", "src", "gen");

describe("the generated API types (src/gen)", () => {
  it("are what proto/generate-types.mjs makes of proto/ now (regenerated into a temporary directory and compared)", () => {
    const run = spawnSync(process.execPath, [join(protoRoot, "generate-types.mjs"), "--check"], { encoding: "utf8" });
    assert.equal(run.status, 0, `${run.stdout}${run.stderr}`);
    assert.match(run.stdout, /is current \(\d+ files\)/);
  });

  it("follow the loader's options: numbers, enum names, every field of the output form present", () => {
    const agent = readFileSync(join(genDir, "peermarket", "v1", "Agent.ts"), "utf8");
    const output = agent.slice(agent.indexOf("export interface Agent__Output"));
    assert.match(output, /'costQuadratic': \(number\);/);
    assert.match(output, /'powerMinProfile': \(number\)\[\];/);
    assert.match(output, /'storage': \(_peermarket_v1_Storage__Output \| null\);/);
    const storage = readFileSync(join(genDir, "peermarket", "v1", "Storage.ts"), "utf8");
    // proto3 `optional`: absent when unset, even with defaults filled in
    assert.match(storage.slice(storage.indexOf("Storage__Output")), /'socMax'\?: \(number\);/);
    const graph = readFileSync(join(genDir, "peermarket", "v1", "TradingGraph.ts"), "utf8");
    assert.match(graph, /export type TradingGraph__Output = typeof TradingGraph\[keyof typeof TradingGraph\]/);
  });
});
