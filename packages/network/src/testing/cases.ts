import { mulberry32 as rng } from "@peermarket/admm";
export { rng };
import type { MatpowerCase } from "@peermarket/model";

/** A bus row: number, type, area (other columns zero or nominal). */
export function busRow(id: number, type: number, area = 1): number[] {
  return [id, type, 0, 0, 0, 0, area, 1, 0, 100, 1, 1.1, 0.9];
}

/** A branch row: from, to, x, rateA, tap, status. */
export function branchRow(f: number, t: number, x: number, rateA = 0, tap = 0, status = 1): number[] {
  return [f, t, 0, x, 0, rateA, 0, 0, tap, 0, status, -360, 360];
}

/** A MATPOWER case from bus and branch rows. */
export function caseOf(name: string, bus: number[][], branch: number[][]): MatpowerCase {
  return { name, baseMVA: 100, bus, gen: [], branch, gencost: [], extra: {} };
}

/**
 * A random connected meshed network: a random spanning tree plus extra branches (some out of
 * service, some with taps, some parallel), non-consecutive bus numbers in shuffled order, areas by
 * bus position and the reference bus somewhere in the middle of the bus matrix.
 */
export function randomCase(seed: number, nBus: number, extra: number): MatpowerCase {
  const r = rng(seed);
  const ids = Array.from({ length: nBus }, (_, i) => 7 * i + 3);
  for (let i = nBus - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [ids[i], ids[j]] = [ids[j], ids[i]];
  }
  const refPos = Math.floor(nBus / 2);
  const bus = ids.map((id, i) => busRow(id, i === refPos ? 3 : 1, 1 + Math.floor((4 * i) / nBus)));
  const branch: number[][] = [];
  const x = (): number => 0.01 + 0.4 * r();
  for (let i = 1; i < nBus; i++) {
    const j = Math.floor(r() * i);
    branch.push(branchRow(ids[j], ids[i], x(), 50 + 100 * r(), r() < 0.3 ? 0.9 + 0.2 * r() : 0));
  }
  for (let e = 0; e < extra; e++) {
    const i = Math.floor(r() * nBus);
    let j = Math.floor(r() * nBus);
    if (j === i) j = (i + 1) % nBus;
    branch.push(
      branchRow(ids[i], ids[j], x(), r() < 0.5 ? 0 : 80, r() < 0.3 ? 0.95 + 0.1 * r() : 0, r() < 0.2 ? 0 : 1),
    );
  }
  return caseOf(`random${seed}`, bus, branch);
}
