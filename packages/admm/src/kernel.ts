import { type LocalProblem, solveLocal } from "./local.js";

/**
 * The iterate of the engine, one entry per directed trade unless noted. Arrays may live on
 * SharedArrayBuffers so that several threads work on disjoint agent ranges of the same market.
 */
export interface IterateArrays {
  /** Two buffers of the local trades p_nm: the one read in a phase and the one written. */
  p0: Float64Array;
  p1: Float64Array;
  /** Consensus trade z_nm (z_mn = −z_nm exactly). */
  z: Float64Array;
  /** Price λ_nm (λ_mn = λ_nm exactly). */
  lambda: Float64Array;
  /** Per agent: marginal price μ_n of the last local solve (warm start of the next). */
  mu: Float64Array;
}

/** Number of residual partials a shard writes. */
export const PARTIALS = 4;
/** Partial slots: max |p_nm + p_mn|, max |z^{k+1} − z^k|, max |p_nm|, max |λ_nm|. */
export const R_PRIMAL = 0, R_DUAL = 1, R_PSCALE = 2, R_DSCALE = 3;

/**
 * One phase of consensus ADMM for the agents [agentBegin, agentEnd) — the only per-iteration work,
 * shared by the single-threaded loop and the worker threads. It reads `pCur` (everyone's trades of
 * the previous local solve) and writes only this range's entries of `pNext`, `z`, `lambda`, `mu`:
 *
 * for each agent of the range, 1. the consensus and price update of its trades (relaxed with α, DESIGN §4):
 *      p̂_nm = α p_nm + (1−α) z_nm,  p̂_mn = α p_mn − (1−α) z_nm,
 *      z_nm ← (p̂_nm − p̂_mn)/2,  λ_nm ← λ_nm − ρ_d (p̂_nm + p̂_mn)/2,
 *    residuals r = p_nm + p_mn and Δz, and the targets v_nm = z_nm + λ_nm/ρ written into `pNext`;
 * then 2. its exact local solve, overwriting its targets in `pNext` with its new trades (while they
 * are still in cache).
 *
 * `rhoDual` is the ρ of the local solve that produced `pCur` (used by the price update); `rho` the
 * one of this phase's local solves. Both sides of a pair compute bit-identical z and λ, so results
 * do not depend on how agents are split between threads. Residual maxima go to
 * `partials[slot*PARTIALS + R_*]` (order-independent max reductions); a non-finite residual or price makes the primal partial NaN.
 * Allocates nothing.
 */
export function phase(
  P: LocalProblem,
  mirror: Int32Array,
  it: IterateArrays,
  pCur: Float64Array,
  pNext: Float64Array,
  agentBegin: number,
  agentEnd: number,
  rho: number,
  rhoDual: number,
  alpha: number,
  partials: Float64Array,
  slot: number,
): void {
  const z = it.z;
  const lam = it.lambda;
  const mu = it.mu;
  const beta = 1 - alpha;
  const halfRhoDual = 0.5 * rhoDual;
  const irho = 1 / rho;
  let rMax = 0;
  let dzMax = 0;
  let pMax = 0;
  let lMax = 0;
  let finite = 0; // stays 0 unless some r or λ is NaN or infinite
  for (let n = agentBegin; n < agentEnd; n++) {
    const ke = P.tradeStart[n + 1];
    for (let k = P.tradeStart[n]; k < ke; k++) {
      const pk = pCur[k];
      const pj = pCur[mirror[k]];
      const zk = z[k];
      const hk = alpha * pk + beta * zk;
      const hj = alpha * pj - beta * zk;
      const r = pk + pj;
      const zn = 0.5 * (hk - hj);
      const l = lam[k] - halfRhoDual * (hk + hj);
      lam[k] = l;
      z[k] = zn;
      pNext[k] = zn + l * irho;
      finite += r - r + (l - l);
      const ar = r < 0 ? -r : r;
      if (ar > rMax) rMax = ar;
      const dz = zn - zk;
      const adz = dz < 0 ? -dz : dz;
      if (adz > dzMax) dzMax = adz;
      const ap = pk < 0 ? -pk : pk;
      if (ap > pMax) pMax = ap;
      const al = l < 0 ? -l : l;
      if (al > lMax) lMax = al;
    }
    // The agent's targets are in cache: solve its local problem right away.
    mu[n] = solveLocal(P, n, pNext, rho, mu[n]);
  }
  const o = slot * PARTIALS;
  partials[o + R_PRIMAL] = finite === 0 ? rMax : NaN;
  partials[o + R_DUAL] = rhoDual * dzMax;
  partials[o + R_PSCALE] = pMax;
  partials[o + R_DSCALE] = lMax;
}
