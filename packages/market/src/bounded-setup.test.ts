import { test } from "node:test";
import assert from "node:assert/strict";
import {
  expandMarket,
  type Agent,
  type Market,
  parsedCaseCacheUsage,
  PARSED_CACHE_BYTES,
  resolveNetworkCase,
} from "@peermarket/model";
import { DeadlineExceededError, dcNetwork, densePtdf, NetworkLimitError, pairDistances } from "@peermarket/network";
import { networkCacheUsage, networkContext, resolvedCharges, setNetworkCacheBytes } from "./network-context.js";
import { solveMarket } from "./solve.js";

/** A seeded uniform generator on [0, 1). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** MATPOWER text of a network of `nBus` buses: a random feeder, plus `mesh` × nBus extra branches. */
function networkText(nBus: number, seed: number, mesh = 0): string {
  const r = rng(seed);
  const bus: string[] = [];
  const branch: string[] = [];
  for (let i = 1; i <= nBus; i++)
    bus.push(`${i} ${i === 1 ? 3 : 1} 0 0 0 0 ${1 + Math.floor((3 * i) / nBus)} 1 0 12.66 1 1.1 0.9;`);
  for (let i = 2; i <= nBus; i++) {
    const p = r() < 0.8 ? Math.max(1, i - 1 - Math.floor(r() * 3)) : 1 + Math.floor(r() * (i - 1));
    branch.push(`${p} ${i} 0.01 ${(0.005 + 0.1 * r()).toFixed(6)} 0 100 100 100 0 0 1 -360 360;`);
  }
  for (let e = 0; e < mesh * nBus; e++) {
    const i = 1 + Math.floor(r() * nBus);
    const j = Math.min(nBus, i + 1 + Math.floor(r() * 20));
    if (i !== j) branch.push(`${i} ${j} 0.01 ${(0.005 + 0.1 * r()).toFixed(6)} 0 100 100 100 0 0 1 -360 360;`);
  }
  return `function mpc = net${nBus}_${seed}\nmpc.baseMVA = 100;\nmpc.bus = [\n${bus.join("\n")}\n];\nmpc.gen = [\n1 0 0 0 0 1 100 1 0 0;\n];\nmpc.branch = [\n${branch.join("\n")}\n];\n`;
}

function market(name: string, text: string, nBus: number, n: number, seed: number): Market {
  const r = rng(seed);
  const agents: Agent[] = [];
  const bus = (): string => String(2 + Math.floor(r() * (nBus - 1)));
  const a = (id: string, b: number, lo: number, hi: number): Agent => ({
    id,
    bus: bus(),
    zone: "",
    costQuadratic: 0.5 + r(),
    costLinear: b,
    powerMin: lo,
    powerMax: hi,
    location: null,
    attributes: {},
    costQuadraticProfile: [],
    costLinearProfile: [],
    powerMinProfile: [],
    powerMaxProfile: [],
    storage: null,
  });
  for (let i = 0; i < n; i++) agents.push(a(`s${i}`, 10 + 20 * r(), 0, 5));
  for (let i = 0; i < n; i++) agents.push(a(`b${i}`, 60 + 20 * r(), -5, 0));
  return {
    name,
    agents,
    tradingGraph: "TRADING_GRAPH_COMPLETE",
    pairs: [],
    preferences: [],
    network: { matpower: text },
    charges: { design: "CHARGE_DESIGN_ELECTRICAL_DISTANCE", unitFee: 1, sellerShare: 0.5, zoneDistances: [] },
    grid: null,
  } as unknown as Market;
}

test("electrical distances from the sparse factor equal those of the dense PTDF (meshed 300-bus network)", () => {
  const m = market("mesh", networkText(300, 1, 0.5), 300, 25, 2);
  const x = expandMarket(m);
  const ctx = networkContext(x);
  const net = dcNetwork(resolveNetworkCase(m.network!)!);
  const dense = pairDistances(x, net, resolvedCharges(m), densePtdf(net));
  // 25 sellers × 25 buyers: the pairs that can trade.
  assert.equal(ctx.distances.distance.length, 625);
  assert.equal(dense.distance.length, 625);
  for (let p = 0; p < dense.distance.length; p++) {
    assert.ok(
      Math.abs(ctx.distances.distance[p] - dense.distance[p]) <= 1e-10 * Math.max(1, dense.distance[p]),
      `pair ${p}: ${ctx.distances.distance[p]} vs ${dense.distance[p]}`,
    );
  }
});

test("the network stage polls the abort check and stops with its typed error", async () => {
  const m = market("abort", networkText(3000, 2, 0.3), 3000, 40, 3);
  const stages = new Map<string, number>();
  let calls = 0;
  const check = (stage: string): void => {
    stages.set(stage, (stages.get(stage) ?? 0) + 1);
    if (++calls >= 6) throw new DeadlineExceededError("the deadline passed", stage);
  };
  await assert.rejects(solveMarket(m, { check }), (err: unknown) => {
    assert.ok(err instanceof DeadlineExceededError, String(err));
    assert.match((err as Error).message, /the deadline passed \(while /);
    return true;
  });
  // Checked between stages and inside the network work, not only before and after it.
  const inside = [...stages.keys()].filter((s) =>
    /ordering|factorising|PTDF|distances|network matrix|susceptance/.test(s),
  );
  assert.ok(inside.length > 0, [...stages.keys()].join("; "));
});

test("network-size limits stop a request before its matrices are built and say which limit", async () => {
  const text = networkText(2000, 4);
  await assert.rejects(
    solveMarket(market("big", text, 2000, 3, 5), { networkLimits: { maxBuses: 1500 } }),
    (err: unknown) => {
      assert.ok(err instanceof NetworkLimitError, String(err));
      assert.match((err as Error).message, /2000 buses, over the limit of 1500 buses per network \(maxBuses\)/);
      return true;
    },
  );
  await assert.rejects(
    solveMarket(market("work", text, 2000, 30, 6), { networkLimits: { maxDistanceWork: 100_000 } }),
    (err: unknown) => {
      assert.ok(err instanceof NetworkLimitError && err.limit === "maxDistanceWork", String(err));
      assert.match(
        (err as Error).message,
        /electrical distances of 900 pairs over \d+ buses .* × 1999 branches = \d+ PTDF terms, over the limit of 100000 \(maxDistanceWork\)/,
      );
      return true;
    },
  );
});

test("the caches of parsed networks are bounded by bytes, not by count", () => {
  // The DC models and factors: a budget of 1 MiB keeps fewer than the 6 networks seen.
  const old = setNetworkCacheBytes(1024 * 1024);
  try {
    for (let k = 0; k < 6; k++) {
      const m = market(`cache${k}`, networkText(1500, 100 + k), 1500, 3, k);
      networkContext(expandMarket(m)).ptdf();
      const usage = networkCacheUsage();
      assert.ok(usage.bytes <= usage.limit, `${usage.bytes} bytes over ${usage.limit}`);
    }
    const usage = networkCacheUsage();
    assert.ok(usage.entries >= 1 && usage.entries < 6, `${usage.entries} entries`);
  } finally {
    setNetworkCacheBytes(old);
  }
  // The parsed cases: 20 small distinct networks all stay (a count of 16 no longer evicts), and
  // the bytes they are estimated to hold stay within the budget.
  for (let k = 0; k < 20; k++) resolveNetworkCase({ matpower: networkText(20, 500 + k) } as never);
  const parsed = parsedCaseCacheUsage();
  assert.ok(parsed.entries > 16, `${parsed.entries} entries`);
  assert.ok(parsed.bytes <= PARSED_CACHE_BYTES);
});
