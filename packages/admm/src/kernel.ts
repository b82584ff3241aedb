import { firstPrice, type LocalProblem, solveLocal, solveLocalFrom } from "./local.js";
import type { HorizonArrays } from "./horizon.js";
import { solveStorageLocal } from "./storage-local.js";
import type { MarketArrays } from "./problem.js";
import { f64 } from "./shared.js";

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

/**
 * The cold start of a market's iterate: zero trades, consensus and prices, every agent at its
 * own price μ_n = b_n; on SharedArrayBuffers when `shared` (for worker threads).
 */
export function coldIterate(m: MarketArrays, shared = false): IterateArrays {
  const nt = m.partner.length;
  const it: IterateArrays = {
    p0: f64(nt, shared),
    p1: f64(nt, shared),
    z: f64(nt, shared),
    lambda: f64(nt, shared),
    mu: f64(m.nAgents, shared),
  };
  it.mu.set(m.b);
  return it;
}

/** Number of residual partials a shard writes. */
export const PARTIALS = 4;
/** Partial slots: max |p_nm + p_mn|, max |z^{k+1} − z^k|, max |p_nm|, max |λ_nm|. */
export const R_PRIMAL = 0,
  R_DUAL = 1,
  R_PSCALE = 2,
  R_DSCALE = 3;

// Running maxima of one range's update (|r|, |Δz|, |p|, |λ|), kept out of the heap. Math.max
// propagates NaN (and infinities), which is how a non-finite residual or price is detected.
const acc = new Float64Array(4);

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
  for (let k = k0; k < k1; k++) {
    const pk = pCur[k];
    const pj = pCur[mirror[k]];
    const zk = z[k];
    const hk = alpha * pk + beta * zk;
    const hj = alpha * pj - beta * zk;
    const zn = 0.5 * (hk - hj);
    const l = lam[k] - halfRhoDual * (hk + hj);
    lam[k] = l;
    z[k] = zn;
    pNext[k] = zn + l * irho;
    rMax = Math.max(rMax, Math.abs(pk + pj));
    dzMax = Math.max(dzMax, Math.abs(zn - zk));
    pMax = Math.max(pMax, Math.abs(pk));
    lMax = Math.max(lMax, Math.abs(l));
  }
  acc[0] = rMax;
  acc[1] = dzMax;
  acc[2] = pMax;
  acc[3] = lMax;
}

// Extra results of `updateAndEvaluate` (those `evaluate` of local.ts sets). The count is a small
// integer; the rooms are doubles, kept in a typed array: a double written to a module-level `let`
// is boxed in a new heap number at every write (measured: about 30 bytes of garbage per agent and
// iteration, scavenged every few iterations).
let freeCount = 0;
const room = new Float64Array(2);
const ABOVE = 0;
const BELOW = 1;

/**
 * `updateTrades` of one agent's trades [k0, k1) fused with the first evaluation of its local solve:
 * while each target v_k is written, it also adds x_k(μ0) to S(μ0) and tracks the trades on a
 * sloped piece and the room before one changes piece, exactly as `evaluate` (local.ts) does on the
 * stored targets (same operations in the same order: bit-identical). One pass over the agent's
 * trades instead of two. For agents with many trades (see `smallBlock` for the others), whose
 * partners' trades p_mn = pCur[mirror[k]] are read in place.
 * Returns S(μ0); sets `freeCount` and `room`.
 */
function updateAndEvaluate(
  mirror: Int32Array,
  z: Float64Array,
  lam: Float64Array,
  pCur: Float64Array,
  pNext: Float64Array,
  lo: Float64Array,
  hi: Float64Array,
  cs: Float64Array,
  cb: Float64Array,
  k0: number,
  k1: number,
  alpha: number,
  halfRhoDual: number,
  irho: number,
  mu0: number,
  costs: boolean,
): number {
  const beta = 1 - alpha;
  const shift = mu0 * irho;
  let rMax = acc[0];
  let dzMax = acc[1];
  let pMax = acc[2];
  let lMax = acc[3];
  let sum = 0;
  let free = 0;
  let above = Infinity;
  let below = Infinity;
  for (let k = k0; k < k1; k++) {
    const pk = pCur[k];
    const pj = pCur[mirror[k]];
    const zk = z[k];
    const hk = alpha * pk + beta * zk;
    const hj = alpha * pj - beta * zk;
    const zn = 0.5 * (hk - hj);
    const l = lam[k] - halfRhoDual * (hk + hj);
    lam[k] = l;
    z[k] = zn;
    const v = zn + l * irho;
    pNext[k] = v;
    rMax = Math.max(rMax, Math.abs(pk + pj));
    dzMax = Math.max(dzMax, Math.abs(zn - zk));
    pMax = Math.max(pMax, Math.abs(pk));
    lMax = Math.max(lMax, Math.abs(l));
    // x_k(μ0), as in `evaluate`.
    const t = v - shift;
    const A = costs ? t - cs[k] * irho : t;
    if (A > 0) {
      const h = hi[k];
      if (A < h) {
        sum += A;
        free++;
        if (A < above) above = A;
        if (h - A < below) below = h - A;
      } else {
        sum += h;
        if (A - h < above) above = A - h;
      }
    } else {
      const B = costs ? t + cb[k] * irho : t;
      if (B < 0) {
        const lk = lo[k];
        if (B > lk) {
          sum += B;
          free++;
          if (-B < below) below = -B;
          if (B - lk < above) above = B - lk;
        } else {
          sum += lk;
          if (lk - B < below) below = lk - B;
        }
      } else {
        if (-A < below) below = -A;
        if (B < above) above = B;
      }
    }
  }
  acc[0] = rMax;
  acc[1] = dzMax;
  acc[2] = pMax;
  acc[3] = lMax;
  freeCount = free;
  room[ABOVE] = above;
  room[BELOW] = below;
  return sum;
}

/**
 * Agents with fewer trades than this are handled in blocks (`smallBlock`): their partners' trades
 * p_mn = pCur[mirror[k]] are gathered ahead of their fused passes, in blocks of ≥ GATHER_BLOCK
 * directed trades spanning several agents. The gather is the one random access of an iteration
 * (mirror[k] lies in the partner's range): in a tight loop of its own, many of its cache misses are
 * in flight together, while inside the long fused loop only a few are. That pays on sparse random
 * graphs (a community member has ~17 trades); an agent with many trades reads its partners'
 * directly: on dense markets consecutive agents' mirrors are neighbours in memory and a separate
 * gather would only add a pass.
 */
export const GATHER_MAX_DEGREE = 64;
const GATHER_BLOCK = 512;
const gatherScratch = new Float64Array(GATHER_BLOCK + GATHER_MAX_DEGREE);

/**
 * The whole phase of agents [n0, n1), each with fewer than GATHER_MAX_DEGREE trades (none a
 * storage period agent), in one function: the gather of their partners' trades, then per agent
 * the fused update and first evaluation (as `updateAndEvaluate`), its local solve and the write of
 * its new trades. The local solve's common cases are inlined — an agent with a quadratic cost
 * whose warm price is already the root, or whose first Newton step stays within the linear piece
 * of D (so lands on the root), and an agent with a linear cost whose S(b) is within its bounds —
 * as the same operations in the same order as `solveLocalFrom` (local.ts) does them; any other
 * case calls `solveLocalFrom`. Bit-identical to the per-agent calls, without their per-agent
 * overhead (calls, argument passing, reloading the problem's arrays), which is a large part of an
 * agent's cost when it has ~15 trades. The residual maxima stay in locals over the block.
 */
function smallBlock(
  P: LocalProblem,
  mirror: Int32Array,
  z: Float64Array,
  lam: Float64Array,
  mu: Float64Array,
  pCur: Float64Array,
  pNext: Float64Array,
  n0: number,
  n1: number,
  alpha: number,
  halfRhoDual: number,
  rho: number,
  irho: number,
  costs: boolean,
): void {
  const ts = P.tradeStart;
  const lo = P.lo;
  const hi = P.hi;
  const cs = P.costSell;
  const cb = P.costBuy;
  const aOf = P.a;
  const bOf = P.b;
  const pMinOf = P.pMin;
  const pMaxOf = P.pMax;
  const g = gatherScratch;
  const g0 = ts[n0];
  const g1 = ts[n1];
  for (let k = g0; k < g1; k++) g[k - g0] = pCur[mirror[k]];
  const beta = 1 - alpha;
  let rMax = acc[0];
  let dzMax = acc[1];
  let pMax = acc[2];
  let lMax = acc[3];
  for (let n = n0; n < n1; n++) {
    const k0 = ts[n];
    const k1 = ts[n + 1];
    const bn = bOf[n];
    if (k0 === k1) {
      mu[n] = bn; // no trades: p = 0 (as `solveLocal`)
      continue;
    }
    const an = aOf[n];
    const muWarm = mu[n];
    // firstPrice: the warm start for a quadratic cost, b for a linear one.
    const shift = (an > 0 ? muWarm : bn) * irho;
    let sum = 0;
    let free = 0;
    let above = Infinity;
    let below = Infinity;
    for (let k = k0; k < k1; k++) {
      const pk = pCur[k];
      const pj = g[k - g0];
      const zk = z[k];
      const hk = alpha * pk + beta * zk;
      const hj = alpha * pj - beta * zk;
      const zn = 0.5 * (hk - hj);
      const l = lam[k] - halfRhoDual * (hk + hj);
      lam[k] = l;
      z[k] = zn;
      const v = zn + l * irho;
      pNext[k] = v;
      rMax = Math.max(rMax, Math.abs(pk + pj));
      dzMax = Math.max(dzMax, Math.abs(zn - zk));
      pMax = Math.max(pMax, Math.abs(pk));
      lMax = Math.max(lMax, Math.abs(l));
      // x_k(μ0), as in `evaluate`.
      const t = v - shift;
      const A = costs ? t - cs[k] * irho : t;
      if (A > 0) {
        const h = hi[k];
        if (A < h) {
          sum += A;
          free++;
          if (A < above) above = A;
          if (h - A < below) below = h - A;
        } else {
          sum += h;
          if (A - h < above) above = A - h;
        }
      } else {
        const B = costs ? t + cb[k] * irho : t;
        if (B < 0) {
          const lk = lo[k];
          if (B > lk) {
            sum += B;
            free++;
            if (-B < below) below = -B;
            if (B - lk < above) above = B - lk;
          } else {
            sum += lk;
            if (lk - B < below) below = lk - B;
          }
        } else {
          if (-A < below) below = -A;
          if (B < above) above = B;
        }
      }
    }
    // The local solve's common cases, as `solveLocalFrom` computes them (its first Newton step).
    const pl = pMinOf[n];
    const pu = pMaxOf[n];
    let price = Number.NaN;
    if (an > 0) {
      const q = (muWarm - bn) / an;
      let Pv: number;
      let dP = 0;
      let pAbove: number;
      let pBelow: number;
      if (q <= pl) {
        Pv = pl;
        pAbove = bn + an * pl - muWarm;
        pBelow = Infinity;
      } else if (q >= pu) {
        Pv = pu;
        pAbove = Infinity;
        pBelow = muWarm - (bn + an * pu);
      } else {
        Pv = q;
        dP = 1 / an;
        pAbove = bn + an * pu - muWarm;
        pBelow = muWarm - (bn + an * pl);
      }
      const D = sum - Pv;
      if (D === 0 || Math.abs(D) <= 1e-13 * (Math.abs(sum) + Math.abs(Pv))) price = muWarm;
      else {
        const slope = -free * irho - dP;
        if (slope < 0) {
          const step = -D / slope;
          const next = muWarm + step;
          // The bracket of the first step: (μ, ∞) when D > 0, (−∞, μ) when D < 0.
          if (D > 0 ? next > muWarm && next < Infinity : next > -Infinity && next < muWarm) {
            const exact = step > 0 ? step < rho * above && step < pAbove : -step < rho * below && -step < pBelow;
            if (exact) price = next;
          }
        }
      }
    } else if (sum >= pl && sum <= pu) price = bn;
    if (price !== price) {
      // Not a common case: the full local solve (it recomputes the first step identically).
      mu[n] = solveLocalFrom(P, n, pNext, rho, muWarm, sum, free, above, below, costs);
      continue;
    }
    // writeTrades (local.ts): x_k(μ) over the targets, in place.
    const sh = price * irho;
    for (let k = k0; k < k1; k++) {
      const t = pNext[k] - sh;
      const A = costs ? t - cs[k] * irho : t;
      let x = 0;
      if (A > 0) {
        x = A < hi[k] ? A : hi[k];
      } else {
        const B = costs ? t + cb[k] * irho : t;
        if (B < 0) x = B > lo[k] ? B : lo[k];
      }
      pNext[k] = x;
    }
    mu[n] = price;
  }
  acc[0] = rMax;
  acc[1] = dzMax;
  acc[2] = pMax;
  acc[3] = lMax;
}

function writePartials(partials: Float64Array, slot: number, rhoDual: number): void {
  const o = slot * PARTIALS;
  // A non-finite residual or price (NaN or ±∞ anywhere in the range) makes the primal partial NaN.
  partials[o + R_PRIMAL] = Number.isFinite(acc[0]) && Number.isFinite(acc[3]) ? acc[0] : NaN;
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
 * are still in cache. The update and the local solve's first evaluation are one pass
 * (`updateAndEvaluate`); runs of agents with few trades go through `smallBlock`, fed by a block
 * gather of the partners' trades, with their local solves' common cases inlined. A typical agent's
 * trades are then read twice (that pass and the write of its new trades), three times when Newton
 * needs a second step (docs/admm.md, "Cost of an iteration").
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
 *
 * `costs` false says that every c⁺ and c⁻ of the market is zero (the caller knows it: the solver
 * checks its costs whenever they are set): the passes then do not read them, 16 of the ~92 bytes
 * an iteration moves per directed trade, with the same results (t − 0·ρ⁻¹ = t).
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
  costs = true,
): void {
  const ts = P.tradeStart;
  const mu = it.mu;
  acc.fill(0);
  const storageOf = H && H.storage.count > 0 ? H.storageOf : null;
  const z = it.z;
  const lam = it.lambda;
  const lo = P.lo;
  const hi = P.hi;
  const cs = P.costSell;
  const cb = P.costBuy;
  const halfRhoDual = 0.5 * rhoDual;
  const irho = 1 / rho;
  let n = agentBegin;
  while (n < agentEnd) {
    const s = storageOf === null ? -1 : storageOf[n];
    if (s >= 0) {
      // n is the storage agent's first period agent (ranges never split its periods).
      const T = H!.periods;
      updateTrades(mirror, z, lam, pCur, pNext, ts[n], ts[n + T], alpha, halfRhoDual, irho);
      solveStorageLocal(P, H!, s, pNext, rho, mu);
      n += T;
      continue;
    }
    const k0 = ts[n];
    if (ts[n + 1] - k0 < GATHER_MAX_DEGREE) {
      // A block of agents with few trades, from n up to GATHER_BLOCK trades on, stopping before the
      // first agent with many (or a storage agent's period).
      let a = n + 1;
      while (
        a < agentEnd &&
        ts[a] - k0 < GATHER_BLOCK &&
        ts[a + 1] - ts[a] < GATHER_MAX_DEGREE &&
        (storageOf === null || storageOf[a] < 0)
      )
        a++;
      smallBlock(P, mirror, z, lam, mu, pCur, pNext, n, a, alpha, halfRhoDual, rho, irho, costs);
      n = a;
      continue;
    }
    const muWarm = mu[n];
    const S0 = updateAndEvaluate(
      mirror,
      z,
      lam,
      pCur,
      pNext,
      lo,
      hi,
      cs,
      cb,
      k0,
      ts[n + 1],
      alpha,
      halfRhoDual,
      irho,
      firstPrice(P, n, muWarm),
      costs,
    );
    mu[n] = solveLocalFrom(P, n, pNext, rho, muWarm, S0, freeCount, room[ABOVE], room[BELOW], costs);
    n++;
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
