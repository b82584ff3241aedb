import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { status, type ServiceError } from "@grpc/grpc-js";
import { solveMarket } from "@peermarket/market";
import { type Market, MarketValidationError, parseMarketJson } from "@peermarket/model";
import { NegotiationCoordinator } from "./negotiation-coordinator.js";
import { runPeer } from "./peer-client.js";
import { PeerPortfolio } from "./peer-portfolio.js";
import { publicPart } from "./split-scenario.js";
import { makeSelfSigned } from "@peermarket/market-service/testing";
import { assertSameDispatch, distinctive, privateNumbers, without } from "./testing/negotiation-support.js";
import { WireAudit } from "./testing/wire-audit.js";

const community: Market = parseMarketJson(
  readFileSync(new URL("../../../examples/community.json", import.meta.url), "utf8"),
  "community.json",
);
const dir = mkdtempSync(join(tmpdir(), "negotiation-test-"));
after(() => rmSync(dir, { recursive: true, force: true }));

/** One peer per agent of `market`, each with its own preferences. */
function peersOf(
  market: Market,
  address: string,
  ids = market.agents.map((a) => a.id),
  extra: Partial<Parameters<typeof runPeer>[0]> = {},
) {
  return ids.map((id) =>
    runPeer({
      coordinator: address,
      portfolio: new PeerPortfolio(
        market.agents.filter((a) => a.id === id),
        market.preferences.filter((p) => p.agentId === id),
      ),
      ...extra,
    }),
  );
}

test(
  "a community with network charges and private preferences negotiates the in-process dispatch; no cost crosses the wire",
  { timeout: 60_000 },
  async () => {
    const market = distinctive(community);
    const reference = await solveMarket(market);
    const audit = new WireAudit();
    const coordinator = await NegotiationCoordinator.start({ onReceive: audit.record });
    try {
      const peers = peersOf(market, coordinator.address);
      const out = await coordinator.negotiate(publicPart(market), { roundTimeoutMs: 5000 });
      assertSameDispatch(out.solution, reference, 1e-5);
      assert.deepEqual(out.dropped, []);
      assert.equal(out.epochs, 1);
      // The coordinator cannot know the objective or any peer's private figures; the grid's are public.
      assert.ok(Number.isNaN(out.solution.objective));
      const peerAgents = out.solution.agents.filter((a) => !a.id.startsWith("grid_"));
      assert.ok(
        peerAgents.every(
          (a) => Number.isNaN(a.marginalPrice) && Number.isNaN(a.energyCost) && Number.isNaN(a.preferenceCost),
        ),
      );
      // Each peer settles with its own agents' bills, computed by itself.
      const settled = await Promise.all(peers.map((p) => p.done));
      for (const s of settled) {
        assert.equal(s.solution.agents.length, 1);
        const mine = s.solution.agents[0];
        const ref = reference.solution.agents.find((a) => a.id === mine.id)!;
        assert.ok(
          Math.abs(mine.energyCost - ref.energyCost) <= 1e-4 * Math.max(1, Math.abs(ref.energyCost)),
          `${mine.id} energy cost`,
        );
        assert.ok(
          Math.abs(mine.preferenceCost - ref.preferenceCost) <= 1e-4 * Math.max(1, Math.abs(ref.preferenceCost)),
          `${mine.id} preference cost`,
        );
        assert.ok(s.solution.trades.every((t) => t.sellerId === mine.id || t.buyerId === mine.id));
      }
      // What crossed the wire: registrations and proposals only, no cost field, no cost value.
      assert.deepEqual(Object.keys(audit.kinds()).sort(), ["proposal", "registration"]);
      assert.equal(audit.kinds().registration, community.agents.length);
      const names = [...audit.fieldNames()];
      assert.deepEqual(
        names.filter((n) => /cost|prefer|marginal|^mu$/i.test(n)),
        [],
      );
      assert.ok(names.includes("powerMin") && names.includes("trades"), "the audit sees the decoded messages");
      const secrets = privateNumbers(market);
      assert.ok(secrets.length >= 2 * market.agents.length);
      assert.deepEqual(audit.doublesFound(secrets), []);
      // The check can fail: the agents' public bounds do cross the wire.
      assert.deepEqual(audit.doublesFound([market.agents[1].powerMax]), [market.agents[1].powerMax]);
    } finally {
      await coordinator.close();
    }
  },
);

test(
  "a silent peer's last proposal is reused, then it is dropped and the market re-cleared without it",
  { timeout: 60_000 },
  async () => {
    const market = without(community, ["battery"]);
    const silent = "homes-south";
    const reference = await solveMarket(without(market, [silent]));
    const coordinator = await NegotiationCoordinator.start();
    try {
      const others = peersOf(
        market,
        coordinator.address,
        market.agents.map((a) => a.id).filter((id) => id !== silent),
      );
      const [quiet] = peersOf(market, coordinator.address, [silent], { injectSilenceAfterRounds: 4 });
      const rejected = quiet.done.then(
        () => assert.fail("the silent peer settled"),
        (e: ServiceError) => e,
      );
      const out = await coordinator.negotiate(publicPart(market), { roundTimeoutMs: 300, maxMissedRounds: 3 });
      assertSameDispatch(out.solution, reference, 1e-5);
      assert.equal(out.epochs, 2);
      assert.ok(out.staleRounds >= 4, `${out.staleRounds} rounds with a reused proposal`);
      assert.deepEqual(
        out.dropped.map((d) => [d.agentId, d.reason, d.epoch, d.round]),
        [[silent, "missed 4 rounds in a row (timeout 300 ms)", 1, 8]],
      );
      assert.match(
        out.solution.statusMessage,
        /cleared without homes-south \(missed 4 rounds in a row \(timeout 300 ms\), epoch 1 round 8\); re-cleared 1 time/,
      );
      const e = await rejected;
      assert.equal(e.code, status.ABORTED);
      assert.match(e.details, /dropped from the negotiation: missed 4 rounds/);
      for (const p of others) assert.equal((await p.done).epochs, 2);
    } finally {
      await coordinator.close();
    }
  },
);

test(
  "the coordinator refuses markets with private data and registrations that do not fit",
  { timeout: 60_000 },
  async () => {
    const coordinator = await NegotiationCoordinator.start();
    try {
      await assert.rejects(coordinator.negotiate(community), (e: unknown) => {
        assert.ok(e instanceof MarketValidationError);
        assert.deepEqual(
          e.issues.slice(0, 2).map((i) => i.path),
          ["agents[0].costQuadratic", "agents[0].costLinear"],
        );
        assert.ok(e.issues.some((i) => i.path === "preferences"));
        return true;
      });
      const market = publicPart(
        without(community, ["battery", "pv-farm", "chp-hospital", "homes-south", "supermarket"]),
      );
      const stranger = runPeer({
        coordinator: coordinator.address,
        portfolio: new PeerPortfolio([{ ...community.agents[1], id: "stranger" }]),
      });
      const negotiation = coordinator.negotiate(market, { joinTimeoutMs: 20_000 });
      await assert.rejects(
        stranger.done,
        (e: ServiceError) =>
          e.code === status.INVALID_ARGUMENT && /"stranger" is not part of market "feeder-community"/.test(e.details),
      );
      const [a, b] = peersOf(community, coordinator.address, ["pv-school", "homes-north"]);
      const twin = runPeer({ coordinator: coordinator.address, portfolio: new PeerPortfolio([community.agents[0]]) });
      await assert.rejects(
        twin.done,
        (e: ServiceError) => e.code === status.ALREADY_EXISTS || e.code === status.FAILED_PRECONDITION,
      );
      const out = await negotiation;
      assert.equal(out.solution.status, "SOLVE_STATUS_SOLVED");
      await Promise.all([a.done, b.done]);
    } finally {
      await coordinator.close();
    }
  },
);

test("agents that never join are left out and reported; the others clear", { timeout: 60_000 }, async () => {
  const market = without(community, ["battery"]);
  const coordinator = await NegotiationCoordinator.start();
  try {
    const present = market.agents.map((a) => a.id).filter((id) => id !== "supermarket");
    const peers = peersOf(market, coordinator.address, present);
    const out = await coordinator.negotiate(publicPart(market), { joinTimeoutMs: 5000 });
    assert.deepEqual(out.dropped, [{ agentId: "supermarket", reason: "did not join within 5 s", epoch: 0, round: 0 }]);
    assertSameDispatch(out.solution, await solveMarket(without(market, ["supermarket"])), 1e-5);
    await Promise.all(peers.map((p) => p.done));
  } finally {
    await coordinator.close();
  }
});

test(
  "over TLS with bearer tokens: a peer with the token negotiates, one without is refused",
  { timeout: 60_000 },
  async () => {
    const { certPath, keyPath } = await makeSelfSigned(dir, "coordinator");
    const token = "negotiation-test-token-0123456789";
    const market = without(community, ["battery", "pv-farm", "chp-hospital", "homes-south", "supermarket"]);
    const coordinator = await NegotiationCoordinator.start({ tlsCert: certPath, tlsKey: keyPath, tokens: [token] });
    try {
      assert.equal(coordinator.tls, true);
      const intruder = runPeer({
        coordinator: coordinator.address,
        portfolio: new PeerPortfolio([market.agents[0]]),
        security: { tlsCa: certPath, tlsServerName: "localhost" },
      });
      await assert.rejects(
        intruder.done,
        (e: ServiceError) => e.code === status.UNAUTHENTICATED && /missing credentials/.test(e.details),
      );
      const peers = peersOf(market, coordinator.address, undefined, {
        security: { tlsCa: certPath, tlsServerName: "localhost", token },
      });
      const out = await coordinator.negotiate(publicPart(market), { joinTimeoutMs: 20_000 });
      assertSameDispatch(out.solution, await solveMarket(market), 1e-5);
      await Promise.all(peers.map((p) => p.done));
      const plaintext = runPeer({
        coordinator: coordinator.address,
        portfolio: new PeerPortfolio([market.agents[0]]),
        connectTimeoutMs: 1000,
      });
      await assert.rejects(plaintext.done);
    } finally {
      await coordinator.close();
    }
    writeFileSync(join(dir, "unused"), "");
  },
);

test(
  "a registration the market cannot take (a bus not in the network) drops that peer, the others clear",
  { timeout: 60_000 },
  async () => {
    const market = without(community, ["battery"]);
    const coordinator = await NegotiationCoordinator.start();
    try {
      const bad = "homes-north";
      const others = peersOf(
        market,
        coordinator.address,
        market.agents.map((a) => a.id).filter((id) => id !== bad),
      );
      const misplaced = runPeer({
        coordinator: coordinator.address,
        portfolio: new PeerPortfolio([{ ...market.agents.find((a) => a.id === bad)!, bus: "999" }]),
      });
      const refusal = misplaced.done.then(
        () => assert.fail("the misplaced peer settled"),
        (e: ServiceError) => e,
      );
      const out = await coordinator.negotiate(
        { ...publicPart(market), agents: publicPart(market).agents.map((a) => ({ ...a, bus: "" })) },
        { joinTimeoutMs: 20_000 },
      );
      assert.equal(out.dropped.length, 1);
      assert.equal(out.dropped[0].agentId, bad);
      assert.match(out.dropped[0].reason, /^registration refused: bus: .*999/);
      const e = await refusal;
      assert.equal(e.code, status.INVALID_ARGUMENT);
      assert.match(e.details, /registration refused: bus: bus "999" is not in the network case33bw/);
      assertSameDispatch(out.solution, await solveMarket(without(market, [bad])), 1e-5);
      await Promise.all(others.map((p) => p.done));
    } finally {
      await coordinator.close();
    }
  },
);
