import { type LocalProblem, solveLocal } from "./local.js";
import type { HorizonArrays } from "./horizon.js";
import { solveStorageLocal } from "./storage-local.js";

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
export const R_PRIMAL = 0,
  R_DUAL = 1,
  R_PSCALE = 2,
  R_DSCALE = 3;

// Running maxima of one range's update (|r|, |Δz|, |p|, |λ|) and its finiteness check, kept out
// of the heap: [rMax, dzMax, pMax, lMax, finite].
const acc = new Float64Array(5);

/**
 * The consensus and price update of directed trades [k0, k1) (relaxed with α, docs/admm.md), folding
 * its residual maxima into `acc`:
 *   p̂_nm = α p_nm + (1−α) z_nm,  p̂_mn = α p_mn − (1−α) z_nm,
 *   z_nm ← (p̂_nm − p̂_mn)/2,  λ_nm ← λ_nm − ρ_d (p̂_nm + p̂_mn)/2,  pNext_nm ← z_nm + λ_nm/ρ (the target).
 */
function updateTrades(
  mirror: Int32Array,
  z: Float64Array,
  lam: Float64Array,
  pCur: Float64Array,
  pNext: Float64Array,
  k0: number,
  k1: number,
  alpha: number,
  halfRhoDual: number,
  irho: number,
): void {
  const beta = 1 - alpha;
  let rMax = acc[0];
  let dzMax = acc[1];
  let pMax = acc[2];
  let lMax = acc[3];
  let finite = acc[4]; // stays 0 unless some r or λ is NaN or infinite
  for (let k = k0; k < k1; k++) {
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
  acc[0] = rMax;
  acc[1] = dzMax;
  acc[2] = pMax;
  acc[3] = lMax;
  acc[4] = finite;
}

function writePartials(partials: Float64Array, slot: number, rhoDual: number): void {
  const o = slot * PARTIALS;
  partials[o + R_PRIMAL] = acc[4] === 0 ? acc[0] : NaN;
  partials[o + R_DUAL] = rhoDual * acc[1];
  partials[o + R_PSCALE] = acc[2];
  partials[o + R_DSCALE] = acc[3];
}

/**
 * One phase of consensus ADMM for the agents [agentBegin, agentEnd) — the only per-iteration work,
 * shared by the single-threaded loop and the worker threads. It reads `pCur` (everyone's trades of
 * the previous local solve) and writes only this range's entries of `pNext`, `z`, `lambda`, `mu`:
 * for each agent of the range, the consensus and price update of its trades (`updateTrades`),
 * then its exact local solve, overwriting its targets in `pNext` with its new trades while they
 * are still in cache.
 *
 * `rhoDual` is the ρ of the local solve that produced `pCur` (used by the price update); `rho` the
 * one of this phase's local solves. Both sides of a pair compute bit-identical z and λ, so results
 * do not depend on how agents are split between threads. Residual maxima go to
 * `partials[slot*PARTIALS + R_*]` (order-independent max reductions); a non-finite residual or
 * price makes the primal partial NaN. Allocates nothing.
 *
 * Multi-period markets (`H`, docs/multi-period.md): the T period agents of a storage agent,
 * first .. first + T − 1, are coupled by the state of charge. At its first period agent, the
 * consensus and price update runs over the trades of all T (contiguous: tradeStart[first] ..
 * tradeStart[first + T]), then one coupled local solve (`solveStorageLocal`), and the loop goes on
 * at first + T. A range must never split a storage agent's periods (see `shardBounds`).
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
  H?: HorizonArrays | null,
): void {
  const ts = P.tradeStart;
  const mu = it.mu;
  acc.fill(0);
  const storageOf = H && H.storage.count > 0 ? H.storageOf : null;
  for (let n = agentBegin; n < agentEnd; n++) {
    const s = storageOf === null ? -1 : storageOf[n];
    if (s >= 0) {
      // n is the storage agent's first period agent (ranges never split its periods).
      const T = H!.periods;
      updateTrades(mirror, it.z, it.lambda, pCur, pNext, ts[n], ts[n + T], alpha, 0.5 * rhoDual, 1 / rho);
      solveStorageLocal(P, H!, s, pNext, rho, mu);
      n += T - 1;
      continue;
    }
    updateTrades(mirror, it.z, it.lambda, pCur, pNext, ts[n], ts[n + 1], alpha, 0.5 * rhoDual, 1 / rho);
    mu[n] = solveLocal(P, n, pNext, rho, mu[n]);
  }
  writePartials(partials, slot, rhoDual);
}

/**
 * The first half of `phase` for agents [begin, end), on its own: the consensus and price update
 * of their trades, the targets in `pNext` and the range's residual partials — for a coordinator
 * whose local solves are done elsewhere (by peer agents that keep their costs). Followed by
 * `localSolves` over the same range, it gives bit-identical results to `phase`.
 */
export function consensusUpdate(
  P: LocalProblem,
  mirror: Int32Array,
  it: IterateArrays,
  pCur: Float64Array,
  pNext: Float64Array,
  begin: number,
  end: number,
  rho: number,
  rhoDual: number,
  alpha: number,
  partials: Float64Array,
  slot: number,
): void {
  acc.fill(0);
  updateTrades(
    mirror,
    it.z,
    it.lambda,
    pCur,
    pNext,
    P.tradeStart[begin],
    P.tradeStart[end],
    alpha,
    0.5 * rhoDual,
    1 / rho,
  );
  writePartials(partials, slot, rhoDual);
}

/** The second half of `phase`: each agent's exact local solve on the targets in `pNext`, in place; μ warm-starts from `mu`. */
export function localSolves(
  P: LocalProblem,
  mu: Float64Array,
  pNext: Float64Array,
  begin: number,
  end: number,
  rho: number,
): void {
  for (let n = begin; n < end; n++) mu[n] = solveLocal(P, n, pNext, rho, mu[n]);
}
