/**
 * Times the network work of an electrical-distance market: the dense PTDF (LU of the reduced
 * Bbus against every branch, then bus-major copies) and its distances, against the sparse factor
 * and the PTDF columns of the agents' buses only.
 *
 *   node packages/network/dist/bench-ptdf.js [--sizes 2000,5000] [--dense-max 2000] [--agents 60]
 *
 * Synthetic networks (testing/synthetic.ts): a radial feeder and a meshed grid (0.4 × nBus extra
 * branches) of each size; `--agents` buses drawn at random host the agents, every pair of them is
 * asked for. The dense method is run only up to `--dense-max` buses (it is O(nBus³)).
 */
import { dcNetwork } from "./dc.js";
import { electricalDistance, factoredDistance } from "./distance.js";
import { densePtdf, PtdfFactor } from "./ptdf.js";
import { rng } from "./testing/cases.js";
import { syntheticCase } from "./testing/synthetic.js";

function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : dflt;
}

const sizes = arg("sizes", "2000,5000").split(",").map(Number);
const denseMax = Number(arg("dense-max", "2000"));
const nAgents = Number(arg("agents", "60"));

console.log("| network | buses | branches | method | time s | nnz(L) | check |");
console.log("|---|---:|---:|---|---:|---:|---|");
for (const n of sizes) {
  for (const kind of ["radial", "meshed"] as const) {
    const net = dcNetwork(syntheticCase(kind, n, 1));
    const r = rng(42);
    const buses = Array.from({ length: nAgents }, () => 1 + Math.floor(r() * (n - 1)));
    const sum = (d: (i: number, j: number) => number): number => {
      let s = 0;
      for (const i of buses) for (const j of buses) s += d(i, j);
      return s;
    };
    let t = performance.now();
    const factor = PtdfFactor.of(net);
    const sparseTotal = sum(factoredDistance(factor, buses));
    const sparseS = (performance.now() - t) / 1000;
    const nnz = (factor as unknown as { ldl: { nnz: number } | null }).ldl?.nnz ?? 0;
    let check = "";
    if (n <= denseMax) {
      t = performance.now();
      const denseTotal = sum(electricalDistance(net, densePtdf(net)));
      const denseS = (performance.now() - t) / 1000;
      check = `Σd dense ${denseTotal.toFixed(6)} sparse ${sparseTotal.toFixed(6)}`;
      console.log(`| ${kind} | ${n} | ${net.nBranch} | dense LU PTDF + distances | ${denseS.toFixed(3)} | | |`);
    }
    console.log(
      `| ${kind} | ${n} | ${net.nBranch} | sparse LDLᵀ + ${nAgents} columns | ${sparseS.toFixed(4)} | ${nnz} | ${check} |`,
    );
  }
}
