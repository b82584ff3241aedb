import { after, test } from "node:test";
import assert from "node:assert/strict";
import { closeShardTeam, mulberry32, parallelMinTrades, peerMarketColumns, runningShardTeam } from "@peermarket/admm";
import { type Market, makeAgent, makeMarket, type Preference } from "@peermarket/model";
import { solveMarket } from "./solve.js";

// Runs in a process of its own: no shard team is running when it starts.
after(() => closeShardTeam());

/**
 * The peer generator's complete market of `n` agents (79 578 directed trades at 360, more than the
 * ~72 000 from which a solve starts the workers: `parallelMinTrades(false)`), with per-pair
 * preference costs on a share of the pairs when asked.
 */
function peerScenario(n: number, preferenceShare = 0): Market {
  const { arrays: m } = peerMarketColumns(n, 1);
  const id = (i: number) => `a${i}`;
  const preferences: Preference[] = [];
  const r = mulberry32(5);
  for (let i = 0; i < m.nAgents; i++)
    for (let k = m.tradeStart[i]; k < m.tradeStart[i + 1]; k++)
      if (m.partner[k] > i && r() < preferenceShare)
        preferences.push({
          agentId: id(i),
          partnerId: id(m.partner[k]),
          attributeKey: "",
          attributeValue: "",
          cost: 1 + 9 * r(),
          costPerKm: 0,
        });
  return makeMarket({
    name: `peer-${n}`,
    agents: Array.from({ length: m.nAgents }, (_, i) =>
      makeAgent(id(i), { costQuadratic: m.a[i], costLinear: m.b[i], powerMin: m.pMin[i], powerMax: m.pMax[i] }),
    ),
    tradingGraph: "TRADING_GRAPH_COMPLETE",
    preferences,
  });
}

/** ADMM alone for 600 iterations (tolerances it does not reach first): long enough for the workers to join. */
const LONG_ADMM = { polish: false, epsAbs: 1e-14, epsRel: 1e-14, maxIter: 600, warmStartSolutionId: "" };

const bytes = (x: Float64Array) => Buffer.from(x.buffer, x.byteOffset, x.byteLength);

test("a market exact at its first iteration never starts the shard workers, nor does a polished solve too short for their start to pay; a long one is joined by them, with the same answer as on one thread", async () => {
  const plain = peerScenario(360);
  const two = await solveMarket(plain, { defaultWorkers: 2 });
  const trades = two.expanded.arrays.partner.length;
  assert.ok(trades > parallelMinTrades(false), `${trades} directed trades`);
  assert.equal(two.solution.polished, true);
  assert.equal(two.solution.iterations, 1);
  assert.equal(runningShardTeam(), null, "the workers were started for a solve that ended at iteration 1");
  assert.equal(two.teamFromIteration, -1);

  // Polished within a few tens of iterations, each try a few iterations after the last: the
  // workers would save ~1 ms an iteration, less than their start over those iterations.
  const costly = peerScenario(360, 0.05);
  const shortAlone = await solveMarket(costly, { defaultWorkers: 1 });
  const shortTwo = await solveMarket(costly, { defaultWorkers: 2 });
  assert.ok(shortTwo.solution.iterations > 1, `exact at iteration ${shortTwo.solution.iterations}`);
  assert.equal(shortTwo.teamFromIteration, -1);
  assert.equal(runningShardTeam(), null, "the workers were started for a short polished solve");
  assert.ok(bytes(shortTwo.result.solution.trade).equals(bytes(shortAlone.result.solution.trade)));

  // ADMM alone, run on for 600 iterations (about a second: to its default tolerances it ends near
  // iteration 110, which a team slow to start on a loaded machine could miss): the workers start
  // after the first iteration and join once ready.
  const settings = LONG_ADMM;
  const alone = await solveMarket(costly, { defaultWorkers: 1, settings });
  assert.equal(runningShardTeam(), null);
  const joined = await solveMarket(costly, { defaultWorkers: 2, settings });
  assert.notEqual(runningShardTeam(), null, "the workers did not start");
  assert.equal(alone.teamFromIteration, -1);
  // They join after the first iteration, once started, and run the remaining phases.
  assert.ok(
    joined.teamFromIteration >= 2 && joined.teamFromIteration < joined.solution.iterations,
    `joined at iteration ${joined.teamFromIteration} of ${joined.solution.iterations}`,
  );
  assert.equal(joined.solution.status, alone.solution.status);
  assert.equal(joined.solution.iterations, alone.solution.iterations);
  assert.ok(bytes(joined.result.solution.trade).equals(bytes(alone.result.solution.trade)));
  assert.ok(bytes(joined.result.solution.price).equals(bytes(alone.result.solution.price)));
  // A team already running takes part from the first iteration, polished solves included.
  const warm = await solveMarket(costly, { defaultWorkers: 2, settings });
  assert.equal(warm.teamFromIteration, 0);
  assert.ok(bytes(warm.result.solution.trade).equals(bytes(alone.result.solution.trade)));
  assert.ok(bytes(warm.result.solution.price).equals(bytes(alone.result.solution.price)));
  const warmPolished = await solveMarket(costly, { defaultWorkers: 2 });
  assert.equal(warmPolished.teamFromIteration, 0);
  assert.ok(bytes(warmPolished.result.solution.trade).equals(bytes(shortAlone.result.solution.trade)));
  assert.ok(bytes(warmPolished.result.solution.price).equals(bytes(shortAlone.result.solution.price)));
});

test("two solves started together in one thread, while their workers start, give the answers each gives alone", async () => {
  await closeShardTeam();
  const a = peerScenario(360, 0.05);
  const b = peerScenario(380, 0.03);
  // ADMM alone, long enough for the workers to start (see above).
  const settings = LONG_ADMM;
  const [aloneA, aloneB] = [
    await solveMarket(a, { defaultWorkers: 1, settings }),
    await solveMarket(b, { defaultWorkers: 1, settings }),
  ];
  assert.equal(runningShardTeam(), null);
  // Both iterate on this thread while the team starts; a solve attaches the team only to run to
  // its end without yielding again, so they never share it at once.
  const [x, y] = await Promise.all([
    solveMarket(a, { defaultWorkers: 2, settings }),
    solveMarket(b, { defaultWorkers: 2, settings }),
  ]);
  assert.ok(x.teamFromIteration > 0 || y.teamFromIteration > 0, "the workers joined neither solve");
  for (const [got, want] of [
    [x, aloneA],
    [y, aloneB],
  ] as const) {
    assert.equal(got.solution.iterations, want.solution.iterations);
    assert.ok(bytes(got.result.solution.trade).equals(bytes(want.result.solution.trade)));
    assert.ok(bytes(got.result.solution.price).equals(bytes(want.result.solution.price)));
  }
});
