import { type AbortCheck, AbortTicker, neverAbort } from "./abort.js";
import type { DcNetwork } from "./dc.js";
import type { PtdfFactor } from "./ptdf.js";

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
  return memoisedPairs(net, (i, j) => columnDistance(byBus, i * nBranch, j * nBranch, nBranch));
}

/** Σ_l |a_l − b_l| over the nBranch entries of two bus-major PTDF columns at offsets oi and oj. */
function columnDistance(cols: Float64Array, oi: number, oj: number, nBranch: number): number {
  let d = 0;
  for (let l = 0; l < nBranch; l++) d += Math.abs(cols[oi + l] - cols[oj + l]);
  return d;
}

/**
 * A symmetric lookup over bus indices that checks them, answers 0 on the diagonal and computes
 * each distinct pair once with `distance`.
 */
function memoisedPairs(net: DcNetwork, distance: (i: number, j: number) => number): (i: number, j: number) => number {
  const nBus = net.nBus;
  const memo = new Map<number, number>();
  return (i: number, j: number): number => {
    checkBus(net, i);
    checkBus(net, j);
    if (i === j) return 0;
    const key = i < j ? i * nBus + j : j * nBus + i;
    const hit = memo.get(key);
    if (hit !== undefined) return hit;
    const d = distance(i, j);
    memo.set(key, d);
    return d;
  };
}

function checkPtdf(net: DcNetwork, ptdf: Float64Array): void {
  if (ptdf.length !== net.nBranch * net.nBus) {
    throw new Error(
      `network ${net.name}: PTDF has ${ptdf.length} entries, expected nBranch × nBus = ${net.nBranch} × ${net.nBus}`,
    );
  }
}

function checkBus(net: DcNetwork, i: number): void {
  if (!Number.isInteger(i) || i < 0 || i >= net.nBus) {
    throw new Error(`network ${net.name}: bus index ${i} is out of range 0..${net.nBus - 1}`);
  }
}

/**
 * Power-transfer distances among a few buses from the factored PTDF (`PtdfFactor`): only the
 * PTDF columns of `buses` are computed (one sparse solve each), and each asked pair is summed once
 * over the branches. Returns a lookup over bus indices; asking for a bus outside `buses` throws.
 * Work: |buses| × (nnz(L) + nBranch) for the columns, nBranch per distinct pair looked up.
 */
export function factoredDistance(
  factor: PtdfFactor,
  buses: ArrayLike<number>,
  check: AbortCheck = neverAbort,
): (i: number, j: number) => number {
  const net = factor.net;
  const { nBus, nBranch } = net;
  const slot = new Int32Array(nBus).fill(-1);
  let k = 0;
  for (let q = 0; q < buses.length; q++) {
    const i = buses[q];
    checkBus(net, i);
    if (slot[i] < 0) slot[i] = k++;
  }
  const cols = new Float64Array(k * nBranch);
  const tick = new AbortTicker(check, "computing the PTDF columns of the agents' buses", 1 << 16);
  for (let i = 0; i < nBus; i++) {
    if (slot[i] < 0) continue;
    factor.column(i, cols.subarray(slot[i] * nBranch, (slot[i] + 1) * nBranch));
    tick.tick(nBranch * 4);
  }
  const sums = new AbortTicker(check, "summing electrical distances", 1 << 20);
  return memoisedPairs(net, (i, j) => {
    const si = slot[i];
    const sj = slot[j];
    if (si < 0 || sj < 0)
      throw new Error(
        `network ${net.name}: bus index ${si < 0 ? i : j} was not among the buses the distances were prepared for`,
      );
    const d = columnDistance(cols, si * nBranch, sj * nBranch, nBranch);
    sums.tick(nBranch);
    return d;
  });
}
