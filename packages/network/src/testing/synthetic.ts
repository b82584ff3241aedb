import type { MatpowerCase } from "@peermarket/model";
import { branchRow, busRow, caseOf, rng } from "./cases.js";

/**
 * Synthetic networks of any size, like the large distribution and transmission cases: a radial
 * feeder (a random tree grown from the slack, mostly long laterals) or a meshed grid (the tree plus
 * `meshFraction` × nBus extra branches between nearby buses, as a planar-ish grid has).
 */
export function syntheticCase(kind: "radial" | "meshed", nBus: number, seed = 1, meshFraction = 0.4): MatpowerCase {
  const r = rng(seed);
  const bus: number[][] = [];
  for (let i = 0; i < nBus; i++) bus.push(busRow(i + 1, i === 0 ? 3 : 1, 1 + Math.floor((4 * i) / nBus)));
  const branch: number[][] = [];
  const x = (): number => 0.005 + 0.2 * r();
  for (let i = 1; i < nBus; i++) {
    // Attach to a recent bus most of the time (long feeders), else anywhere (branching).
    const j = r() < 0.8 ? Math.max(0, i - 1 - Math.floor(r() * 3)) : Math.floor(r() * i);
    branch.push(branchRow(j + 1, i + 1, x(), 100));
  }
  if (kind === "meshed") {
    const extra = Math.floor(meshFraction * nBus);
    for (let e = 0; e < extra; e++) {
      const i = Math.floor(r() * nBus);
      const j = Math.min(nBus - 1, i + 1 + Math.floor(r() * 30));
      if (i !== j) branch.push(branchRow(i + 1, j + 1, x(), 100));
    }
  }
  return caseOf(`synthetic_${kind}_${nBus}`, bus, branch);
}

/** The MATPOWER text of a case (bus and branch matrices, plus `gen` rows when given). */
export function matpowerText(c: MatpowerCase): string {
  const rows = (m: number[][]): string => m.map((row) => `  ${row.join(" ")};`).join("\n");
  const parts = [
    `function mpc = ${c.name}`,
    `mpc.version = '2';`,
    `mpc.baseMVA = ${c.baseMVA};`,
    `mpc.bus = [\n${rows(c.bus)}\n];`,
  ];
  if (c.gen.length > 0) parts.push(`mpc.gen = [\n${rows(c.gen)}\n];`);
  parts.push(`mpc.branch = [\n${rows(c.branch)}\n];`);
  return parts.join("\n") + "\n";
}
