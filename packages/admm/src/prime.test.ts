import { after, test } from "node:test";
import assert from "node:assert/strict";
import { buildMarketArrays, canTrade } from "./build.js";
import { solveParallel } from "./parallel.js";
import { peerMarket } from "./peer-market.js";
import { isPrimed, needsPriming, PRIME_MIN_TRADES, primeKernel, primeOnce, primingMarket } from "./prime.js";
import { isPolishPrimed, needsPolishPriming, PRIME_POLISH_MIN_TRADES, primePolishOnce } from "./prime-polish.js";
import type { MarketArrays } from "./problem.js";
import { mulberry32 } from "./random.js";
import { AdmmSolver } from "./solver.js";
import { closeShardTeam } from "./team.js";

// Each test file runs in a process of its own: this one starts with nothing primed, and its tests
// run in order (the first two before any solver primes the thread).

after(() => closeShardTeam());

/** A sparse random market: n agents (producers, consumers, prosumers), each drawing `k` partners it can trade with, per-side costs on a third of the pairs. */
function sparseMarket(n: number, k: number, seed: number, shared = false): MarketArrays {
  const r = mulberry32(seed);
  const a = new Float64Array(n);
  const b = new Float64Array(n);
  const pMin = new Float64Array(n);
  const pMax = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    a[i] = 0.05 + 0.4 * r();
    const t = r();
    if (t < 0.35) [b[i], pMax[i]] = [10 + 40 * r(), 1 + 9 * r()];
    else if (t < 0.8) [b[i], pMin[i]] = [40 + 50 * r(), -1 - 9 * r()];
    else [b[i], pMin[i], pMax[i]] = [25 + 40 * r(), -5 * r(), 5 * r()];
  }
  const keys = new Set<number>();
  for (let i = 0; i < n; i++)
    for (let d = 0; d < k; d++) {
      const j = Math.floor(r() * n);
      if (j !== i && canTrade(pMin[i], pMax[i], pMin[j], pMax[j])) keys.add(Math.min(i, j) * n + Math.max(i, j));
    }
  const sorted = [...keys].sort((x, y) => x - y);
  const cost = () => Float64Array.from(sorted, () => (r() < 0.33 ? 2 * r() : 0));
  const f64 = (x: Float64Array) => {
    if (!shared) return x;
    const y = new Float64Array(new SharedArrayBuffer(x.byteLength));
    y.set(x);
    return y;
  };
  return buildMarketArrays(
    { a: f64(a), b: f64(b), pMin: f64(pMin), pMax: f64(pMax) },
    {
      first: Int32Array.from(sorted, (key) => Math.floor(key / n)),
      second: Int32Array.from(sorted, (key) => key % n),
      sellFirst: cost(),
      buyFirst: cost(),
      sellSecond: cost(),
      buySecond: cost(),
    },
    { shared },
  ).arrays;
}

const bytes = (x: Float64Array) => Buffer.from(x.buffer, x.byteOffset, x.byteLength);

test("which markets are primed for: large sparse ones, not small or dense ones", () => {
  const sparse = sparseMarket(6000, 7, 1);
  assert.ok(sparse.partner.length >= PRIME_MIN_TRADES, `${sparse.partner.length} directed trades`);
  assert.equal(needsPriming(sparse), true);
  assert.equal(needsPriming(sparseMarket(1000, 7, 1)), false); // too small to pay
  // The peer generator's markets: every agent has hundreds of trades, which the priming market
  // does not prepare the kernel for.
  const dense = peerMarket(400, 1);
  assert.ok(dense.partner.length >= PRIME_MIN_TRADES);
  assert.equal(needsPriming(dense), false);
  // The priming market itself is small and has every kind of trade.
  const pm = primingMarket();
  assert.equal(needsPriming(pm), false);
  let linear = 0;
  let costly = 0;
  for (let n = 0; n < pm.nAgents; n++) if (pm.a[n] === 0) linear++;
  for (let k = 0; k < pm.partner.length; k++) if (pm.costSell[k] > 0) costly++;
  assert.ok(linear >= 3 && costly > 0 && costly < pm.partner.length);
});

test("priming leaves the kernel's results unchanged, bit for bit", () => {
  assert.equal(isPrimed(), false);
  const m = sparseMarket(3000, 7, 2);
  // `primeKernel` is the kernel alone from a cold start on a market; it primes nothing by itself.
  const before = primeKernel(m, 25).iterate;
  assert.equal(isPrimed(), false);
  primeOnce(primeKernel);
  assert.equal(isPrimed(), true);
  assert.equal(needsPriming(sparseMarket(6000, 7, 1)), false); // once per thread
  const primed = primeKernel(m, 25).iterate;
  for (const key of ["p0", "p1", "z", "lambda", "mu"] as const)
    assert.ok(bytes(before[key]).equals(bytes(primed[key])), `${key} differs after priming`);
});

test("a market primed for gives the same answer on 1 and 2 threads", async () => {
  // This thread is primed already; the shard worker primes its own kernel on its first job.
  const m = sparseMarket(6000, 7, 3, true);
  const one = new AdmmSolver(m, { maxIter: 60 }, { shared: true }).solve();
  const two = await solveParallel(new AdmmSolver(m, { maxIter: 60 }, { shared: true }), 2);
  assert.equal(two.info.iterations, one.info.iterations);
  assert.ok(bytes(one.solution.trade).equals(bytes(two.solution.trade)));
  assert.ok(bytes(one.solution.price).equals(bytes(two.solution.price)));
});

test("priming the polishing code: only for the largest sparse markets, once, and answers unchanged bit for bit", () => {
  assert.equal(isPolishPrimed(), false);
  const large = sparseMarket(30000, 7, 5);
  assert.ok(large.partner.length >= PRIME_POLISH_MIN_TRADES, `${large.partner.length} directed trades`);
  assert.equal(needsPolishPriming(large), true);
  assert.equal(needsPolishPriming(sparseMarket(6000, 7, 1)), false); // primed for the kernel only
  assert.equal(needsPolishPriming(peerMarket(400, 1)), false); // dense
  // A polished solve before and after priming (this process has polished other markets already:
  // what is tested is that the priming market leaves nothing behind that a later solve reads).
  const m = sparseMarket(800, 7, 6);
  const solve = () => new AdmmSolver(m, { epsAbs: 1e-4, epsRel: 1e-4 }).solve();
  const before = solve();
  assert.equal(before.info.polished, true);
  primePolishOnce();
  assert.equal(isPolishPrimed(), true);
  assert.equal(needsPolishPriming(large), false); // once per thread
  assert.equal(isPrimed(), true); // the kernel with it
  const after = solve();
  assert.equal(after.info.iterations, before.info.iterations);
  assert.equal(after.info.polishIteration, before.info.polishIteration);
  assert.ok(bytes(before.solution.trade).equals(bytes(after.solution.trade)));
  assert.ok(bytes(before.solution.price).equals(bytes(after.solution.price)));
});
