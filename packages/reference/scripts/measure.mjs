#!/usr/bin/env node
// Measures the HiGHS reference on this machine (run after `npx tsc -b packages/reference`):
//  1. solveReference time on 50-agent producer/consumer markets (25 × 25 pairs, and the complete
//     graph over all 50 agents, whose same-side pairs cannot trade) and on mixed markets with prosumers;
//  2. how far one HiGHS run with qp_regularization_value = ε moves the optimum, against the exact
//     (plain or proximal) optimum.
import { certify, formulate, readSolution, getHighs, solveReference, marketObjective } from "../dist/index.js";
import { runAttempt } from "../dist/highs-attempt.js";
import { handMarket, producerConsumerMarket, randomMarket, rng } from "../dist/testing/markets.js";

const seeds = [1, 2, 3, 4, 5];

function completeProducerConsumer(n, seed) {
  const r = rng(seed);
  const agents = [];
  for (let i = 0; i < n; i++) {
    const a = 0.01 + 0.1 * r();
    agents.push(
      i % 2 === 0
        ? { a, b: 20 + 40 * r(), pMin: 0, pMax: 10 + 90 * r() }
        : { a, b: 40 + 60 * r(), pMin: -(10 + 90 * r()), pMax: 0 },
    );
  }
  const pairs = [];
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) pairs.push({ first: i, second: j });
  return handMarket(agents, pairs).m;
}

const median = (xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];

await solveReference(producerConsumerMarket(20, 99)); // warm up the WebAssembly runtime
console.log("## solveReference time (s), HiGHS", (await getHighs()).version.string);
for (const [name, make] of [
  ["50 agents, 25 producers x 25 consumers", (s) => producerConsumerMarket(50, s)],
  ["50 agents, complete graph (producers/consumers)", (s) => completeProducerConsumer(50, s)],
  ["50 agents, mixed with prosumers and preferences", (s) => randomMarket(50, s)],
  ["50 agents, linear (LP), mixed with preferences", (s) => randomMarket(50, s, { linear: true })],
]) {
  const times = [];
  const notes = [];
  let trades = 0;
  for (const seed of seeds) {
    const m = make(seed);
    trades = m.partner.length;
    const r = await solveReference(m);
    if (!r.optimal) throw new Error(`${name} seed ${seed}: ${r.status}`);
    times.push(r.time);
    notes.push(r.attempts.map((a) => `${a.regularization}:${a.status}/${a.runs}`).join(" "));
  }
  console.log(
    `${name}: ${trades} directed trades, median ${median(times).toFixed(3)}, max ${Math.max(...times).toFixed(3)}`,
  );
  for (const n of notes) console.log(`    ${n}`);
}

console.log("\n## one HiGHS run with qp_regularization_value = ε vs the exact optimum");
const highs = await getHighs();
for (const [name, m] of [
  ["12-agent producer/consumer", producerConsumerMarket(12, 2)],
  ["10-agent mixed", randomMarket(10, 3)],
  ["30-agent mixed", randomMarket(30, 4)],
  ["50-agent producer/consumer", producerConsumerMarket(50, 1)],
]) {
  const f = formulate(m);
  const exact = await solveReference(m);
  if (!exact.optimal) throw new Error(`${name}: ${exact.status}`);
  for (const eps of [1e-7, 1e-4, 1e-2]) {
    const single = highs.withModel(f.model, (model) => {
      model.options.set({
        output_flag: false,
        time_limit: 20,
        qp_regularization_value: eps,
        qp_iteration_limit: 20 * f.model.numCols + 1000,
      });
      try {
        model.run();
      } catch {
        return null;
      }
      if (model.getModelStatus() !== 7) return null;
      const s = model.getSolution();
      return readSolution(m, f, s.colValue, s.rowDual);
    });
    const prox = runAttempt(highs, f, eps, performance.now() + 60_000, null);
    const line = [`${name}, ε=${eps}:`];
    if (single === null) line.push("single run fails or stalls;");
    else {
      let dp = 0;
      for (let i = 0; i < m.nAgents; i++) dp = Math.max(dp, Math.abs(single.agentPower[i] - exact.agentPower[i]));
      const dobj = (marketObjective(m, single.agentPower, single.trade) - exact.objective) / Math.abs(exact.objective);
      // Prices need not be unique, so they are judged by the certificate of the unregularised problem.
      const c = certify(m, single);
      line.push(
        `single run max|Δp| ${dp.toExponential(1)}, Δobj/|obj| ${dobj.toExponential(1)}, certificate price violation ${c.maxPriceViolation.toExponential(1)};`,
      );
    }
    if (prox.converged && prox.colValue && prox.rowDual) {
      const p = readSolution(m, f, prox.colValue, prox.rowDual);
      let dp = 0;
      for (let i = 0; i < m.nAgents; i++) dp = Math.max(dp, Math.abs(p.agentPower[i] - exact.agentPower[i]));
      line.push(
        `proximal (${prox.attempt.runs} runs) max|Δp| ${dp.toExponential(1)}, price violation ${certify(m, p).maxPriceViolation.toExponential(1)}`,
      );
    } else line.push(`proximal: ${prox.attempt.status}`);
    console.log(line.join(" "));
  }
}
