import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { solveMarket } from "@peermarket/market";
import { type Market, parseMarketJson, toProtoJson } from "@peermarket/model";
import { parseAgentFile } from "./agent-files.js";
import { type CommandProcess, startCommand } from "./command-process.js";
import { coordinatorMarketIssues } from "./coordinator-market.js";

const communityPath = new URL("../../../examples/community.json", import.meta.url).pathname;
const community: Market = parseMarketJson(readFileSync(communityPath, "utf8"), "community.json");
const dir = mkdtempSync(join(tmpdir(), "negotiation-commands-"));
const running: CommandProcess[] = [];
after(() => {
  running.forEach((p) => p.kill());
  rmSync(dir, { recursive: true, force: true });
});

function run(...args: string[]): CommandProcess {
  const p = startCommand(args);
  running.push(p);
  return p;
}

test("bad flags and arguments exit with 2 and one line naming the problem", { timeout: 60_000 }, async () => {
  const cases: [string[], RegExp][] = [
    [["agent", "--agent", "x.json"], /^peermarket agent: missing --coordinator host:port\n$/],
    [["agent", "--coordinator", "nowhere", "--agent", "x.json"], /--coordinator: expected host:port, got "nowhere"/],
    [["agent", "--coordinator", "127.0.0.1:1"], /missing --agent FILE/],
    [
      ["agent", "--coordinator", "127.0.0.1:1", "--agent", join(dir, "none.json")],
      /none\.json: cannot read the agent file/,
    ],
    [["worker", "--coordinator", "127.0.0.1:1", "--frobnicate"], /^peermarket worker: Unknown option '--frobnicate'/],
    [["coordinator", communityPath], /give exactly one of --workers-remote N, --negotiate, --split DIR/],
    [
      ["coordinator", communityPath, "--negotiate", "--round-timeout-ms", "soon"],
      /--round-timeout-ms: expected a number ≥ 1, got "soon"/,
    ],
    [["coordinator", "nowhere.json", "--negotiate"], /nowhere\.json: no such file/],
    // The settings flags are checked by the one parser of every command, whatever its mode.
    [
      ["coordinator", communityPath, "--split", join(dir, "bad-split"), "--adaptive-rho", "maybe"],
      /^peermarket coordinator: --adaptive-rho: expected true or false \(on\/off, yes\/no, 1\/0\), got "maybe"\n$/,
    ],
    [
      ["coordinator", communityPath, "--negotiate", "--tls-cert", join(dir, "missing.crt")],
      /TLS needs both --tls-cert and --tls-key/,
    ],
  ];
  for (const [args, re] of cases) {
    const e = await run(...args).exit;
    assert.equal(e.code, 2, `${args.join(" ")}: ${e.stderr}`);
    assert.match(e.stderr, re, args.join(" "));
  }
  const negotiate = await run("coordinator", communityPath, "--negotiate", "--port", "0").exit;
  assert.equal(negotiate.code, 2);
  assert.match(
    negotiate.stderr,
    /agents\[0\]\.costQuadratic: must be left unset: an agent's costs stay with the agent/,
  );
  const help = await run("agent", "--help").exit;
  assert.equal(help.code, 0);
  assert.match(help.stdout, /^Usage: peermarket agent --coordinator HOST:PORT --agent FILE/);
});

test(
  "--split writes the coordinator's market and one file per agent, which read back",
  { timeout: 60_000 },
  async () => {
    const out = join(dir, "split");
    const e = await run("coordinator", communityPath, "--split", out).exit;
    assert.equal(e.code, 0, e.stderr);
    const market = parseMarketJson(readFileSync(join(out, "market.json"), "utf8"));
    assert.deepEqual(coordinatorMarketIssues(market), []);
    assert.deepEqual(
      market.agents.map((a) => a.id),
      community.agents.map((a) => a.id),
    );
    assert.deepEqual(readdirSync(join(out, "agents")).sort(), community.agents.map((a) => `${a.id}.json`).sort());
    for (const a of community.agents) {
      const f = parseAgentFile(readFileSync(join(out, "agents", `${a.id}.json`), "utf8"), a.id);
      assert.deepEqual(f.agents, [a]);
      assert.deepEqual(
        f.preferences,
        community.preferences.filter((p) => p.agentId === a.id),
      );
    }
  },
);

test(
  "peermarket coordinator --workers-remote 1 with one worker process prints the in-process Solution",
  { timeout: 60_000 },
  async () => {
    const reference = toProtoJson("Solution", (await solveMarket(community)).solution, { emitDefaults: true });
    const coordinator = run("coordinator", communityPath, "--workers-remote", "1", "--port", "0", "--json");
    const [address] = await coordinator.waitForStderr(/127\.0\.0\.1:\d+/);
    const worker = run("worker", "--coordinator", address);
    const e = await coordinator.exit;
    assert.equal(e.code, 0, e.stderr);
    const solution = JSON.parse(e.stdout) as Record<string, unknown>;
    assert.deepEqual(solution.agents, reference.agents);
    assert.deepEqual(solution.trades, reference.trades);
    assert.equal(solution.iterations, reference.iterations);
    assert.equal((await worker.exit).code, 0);
  },
);

test(
  "peermarket coordinator --negotiate with peermarket agent processes settles every agent",
  { timeout: 60_000 },
  async () => {
    const out = join(dir, "negotiate");
    assert.equal((await run("coordinator", communityPath, "--split", out).exit).code, 0);
    const coordinator = run(
      "coordinator",
      join(out, "market.json"),
      "--negotiate",
      "--port",
      "0",
      "--out",
      join(out, "solution.json"),
    );
    const [address] = await coordinator.waitForStderr(/127\.0\.0\.1:\d+/);
    const agents = community.agents.map((a) =>
      run("agent", "--coordinator", address, "--agent", join(out, "agents", `${a.id}.json`)),
    );
    const e = await coordinator.exit;
    assert.equal(e.code, 0, e.stderr);
    assert.match(e.stdout, /^status SOLVED after \d+ iterations/);
    assert.match(e.stdout, /objective unknown to the coordinator/);
    const solution = JSON.parse(readFileSync(join(out, "solution.json"), "utf8")) as {
      status: string;
      objective: unknown;
    };
    assert.equal(solution.status, "SOLVE_STATUS_SOLVED");
    assert.equal(solution.objective, "NaN");
    for (const a of agents) {
      const r = await a.exit;
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^status SOLVED/);
    }
  },
);

test("coordinator --split takes the settings flags as every command does", async () => {
  const split = await run(
    "coordinator",
    communityPath,
    "--split",
    join(dir, "split-settings"),
    "--adaptive-rho",
    "on",
    "--polish",
    "off",
  ).exit;
  assert.equal(split.code, 0, split.stderr);
  assert.ok(readdirSync(join(dir, "split-settings", "agents")).length > 0);
});
