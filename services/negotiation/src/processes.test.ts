import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { solveMarket } from "@peermarket/market";
import { loadScenarioText, readBundledCase, type Market } from "@peermarket/model";
import { NegotiationCoordinator } from "./negotiation-coordinator.js";
import { publicPart, splitScenario } from "./split-scenario.js";
import { assertSameDispatch, distinctive, privateNumbers, without } from "./testing/negotiation-support.js";
import { type CommandProcess, startCommand } from "./command-process.js";
import { WireAudit } from "./testing/wire-audit.js";

/** case39b_31a (Baroche et al.): 31 agents, every consumer may trade with every producer. */
const market: Market = distinctive(loadScenarioText(readBundledCase("case39b_31a"), "case39b_31a.m"));
const dir = mkdtempSync(join(tmpdir(), "negotiation-processes-"));
const files = splitScenario(market, dir);
const fileOf = (id: string): string => files.agents[market.agents.findIndex((a) => a.id === id)];
const running: CommandProcess[] = [];
after(() => {
  running.forEach((p) => p.kill());
  rmSync(dir, { recursive: true, force: true });
});

function agentProcess(address: string, ids: string[], ...extra: string[]): CommandProcess {
  const p = startCommand([
    "agent",
    "--coordinator",
    address,
    ...ids.flatMap((id) => ["--agent", fileOf(id)]),
    ...extra,
  ]);
  running.push(p);
  return p;
}

test(
  "31 agent processes negotiate case39b_31a to the in-process dispatch; no cost ever reaches the coordinator",
  { timeout: 150_000 },
  async () => {
    const reference = await solveMarket(market);
    const audit = new WireAudit();
    const coordinator = await NegotiationCoordinator.start({ onReceive: audit.record });
    try {
      const agents = market.agents.map((a) => agentProcess(coordinator.address, [a.id]));
      assert.equal(agents.length, 31);
      const out = await coordinator.negotiate(publicPart(market), { joinTimeoutMs: 100_000, roundTimeoutMs: 10_000 });
      assertSameDispatch(out.solution, reference, 1e-5);
      assert.deepEqual(out.dropped, []);
      const pool = out.solution.trades.filter((t) => t.power > 1e-3).map((t) => t.price);
      assert.ok(
        pool.length > 0 && pool.every((p) => Math.abs(p - 57.23) < 0.01),
        "every trade at the 57.23 €/MWh pool price",
      );
      assert.equal(audit.kinds().registration, 31);
      assert.deepEqual(audit.doublesFound(privateNumbers(market)), []);
      assert.deepEqual(
        [...audit.fieldNames()].filter((n) => /cost/i.test(n)),
        [],
      );
      for (const p of agents) {
        const e = await p.exit;
        assert.equal(e.code, 0, e.stderr);
        assert.match(e.stdout, /^status SOLVED after \d+ rounds/);
      }
    } finally {
      await coordinator.close();
    }
  },
);

test(
  "10 % of the agents 50 ms late every round and one killed mid-negotiation: the market clears without it and says so",
  { timeout: 150_000 },
  async () => {
    const killed = "gen5";
    const late = ["gen10", "gen20", "gen30"];
    const reference = await solveMarket(without(market, [killed]));
    const coordinator = await NegotiationCoordinator.start();
    try {
      const victim = agentProcess(coordinator.address, [killed]);
      const slow = late.map((id) => agentProcess(coordinator.address, [id], "--inject-delay-ms", "50"));
      const rest = agentProcess(
        coordinator.address,
        market.agents.map((a) => a.id).filter((id) => id !== killed && !late.includes(id)),
      );
      let killedAt = 0;
      const out = await coordinator.negotiate(publicPart(market), {
        joinTimeoutMs: 100_000,
        roundTimeoutMs: 2000,
        maxMissedRounds: 3,
        onRound: (epoch, round) => {
          if (epoch === 1 && round === 10) {
            killedAt = round;
            victim.kill("SIGKILL");
          }
        },
      });
      assert.equal(killedAt, 10);
      assertSameDispatch(out.solution, reference, 1e-5);
      assert.equal(out.epochs, 2);
      assert.equal(out.dropped.length, 1);
      assert.equal(out.dropped[0].agentId, killed);
      assert.equal(out.dropped[0].epoch, 1);
      assert.match(out.dropped[0].reason, /^disconnected/);
      assert.match(out.solution.statusMessage, /cleared without gen5 \(/);
      assert.equal((await victim.exit).code, "SIGKILL");
      for (const p of [...slow, rest]) {
        const e = await p.exit;
        assert.equal(e.code, 0, e.stderr);
        assert.match(e.stdout, /dropped: gen5 \(/);
      }
    } finally {
      await coordinator.close();
    }
  },
);
