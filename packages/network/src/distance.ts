import type { DcNetwork } from "./dc.js";

/**
 * Power-transfer distance between buses i and j (indices): Σ_l |PTDF_li − PTDF_lj|, the total
 * flow change over all branches when one unit is injected at i and withdrawn at j. Symmetric,
 * zero on the diagonal and independent of the reference bus.
 */
export function powerTransferDistance(net: DcNetwork, ptdf: Float64Array, i: number, j: number): number {
  checkPtdf(net, ptdf);
  checkBus(net, i);
  checkBus(net, j);
  if (i === j) return 0;
  let d = 0;
  for (let l = 0, row = 0; l < net.nBranch; l++, row += net.nBus) d += Math.abs(ptdf[row + i] - ptdf[row + j]);
  return d;
}

/**
 * A memoised power-transfer distance over bus indices, for many lookups (every pair of a market):
 * PTDF columns are copied bus-major once and each bus pair is summed once.
 */
export function electricalDistance(net: DcNetwork, ptdf: Float64Array): (i: number, j: number) => number {
  checkPtdf(net, ptdf);
  const { nBus, nBranch } = net;
  const byBus = new Float64Array(nBus * nBranch);
  for (let l = 0; l < nBranch; l++) for (let i = 0; i < nBus; i++) byBus[i * nBranch + l] = ptdf[l * nBus + i];
  const memo = new Map<number, number>();
  return (i: number, j: number): number => {
    checkBus(net, i);
    checkBus(net, j);
    if (i === j) return 0;
    const key = i < j ? i * nBus + j : j * nBus + i;
    const hit = memo.get(key);
    if (hit !== undefined) return hit;
    let d = 0;
    const oi = i * nBranch;
    const oj = j * nBranch;
    for (let l = 0; l < nBranch; l++) d += Math.abs(byBus[oi + l] - byBus[oj + l]);
    memo.set(key, d);
    return d;
  };
}

function checkPtdf(net: DcNetwork, ptdf: Float64Array): void {
  if (ptdf.length !== net.nBranch * net.nBus) {
    throw new Error(`network ${net.name}: PTDF has ${ptdf.length} entries, expected nBranch × nBus = ${net.nBranch} × ${net.nBus}`);
  }
}

function checkBus(net: DcNetwork, i: number): void {
  if (!Number.isInteger(i) || i < 0 || i >= net.nBus) {
    throw new Error(`network ${net.name}: bus index ${i} is out of range 0..${net.nBus - 1}`);
  }
}
