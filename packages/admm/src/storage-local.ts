/**
 * The exact local solve of a storage agent over its T periods (docs/multi-period.md, "The storage
 * local problem").
 *
 * For storage s with period agents n_t = first + t (t = 0..T−1), trades k of period t in
 * [tradeStart[n_t], tradeStart[n_t + 1]), targets v_k and penalty ρ:
 *
 *   minimise  Σ_t [ ½ a_t g_t² + b_t g_t + θ (c_t + d_t) + Σ_k ( c⁺_k x_k⁺ + c⁻_k x_k⁻ + ρ/2 (x_k − v_k)² ) ]
 *   s.t.      Σ_k x_k = g_t + d_t − c_t,  p̲_t ≤ g_t ≤ p̄_t,  0 ≤ c_t ≤ cmax,  0 ≤ d_t ≤ dmax,  lo_k ≤ x_k ≤ hi_k,
 *             E_t = E_{t−1} + Δ (ηc c_t − d_t / ηd),  E_0 given,  socMin ≤ E_t ≤ socMax,  E_T ≥ socFinalMin.
 *
 * Methods (all exact). First, the fast path: from the previous solve's answer (its period prices,
 * charge and discharge, in the shared iterate), each segment's energy price by Newton's method with
 * every period answering σ from its net response evaluated at the two thresholds only (a few
 * passes over its trades, as the single-period solve; no response curves, no sort). Then an
 * active-set method on the SoC chain on the periods' whole response curves, warm-started from the
 * previous solve's charge and discharge: the periods whose SoC ends at a limit split the horizon
 * into segments of one energy price σ each, the root of the segment's energy balance. Either result
 * is accepted only when every KKT condition of the chain holds (then it is the optimum). Otherwise,
 * dynamic programming on derivative curves (below), first on a window of energy prices, then whole.
 *
 * Dynamic programming on derivative curves. With e_t = E_t − E_{t−1}, the problem is
 * min Σ_t G_t(e_t) over a chain with boxes on the prefix sums, where G_t(e) is the least cost of
 * period t when the storage moves e MWh. Every G_t is convex and piecewise quadratic, and so is
 * every value function V_t(E) of the chain; each is held as its subdifferential graph, a monotone
 * polyline of points (E, σ) with both coordinates non-decreasing (a run of equal σ is a linear
 * piece of the function, a run of equal E a kink). The recursion V_t = clip_[L_t,U_t](V_{t−1} □ G_t)
 * (□: infimal convolution) is then exact polyline arithmetic: an infimal convolution adds the
 * curves' E at equal σ, a box clamps E. G_t's curve comes from the period's own response: for an
 * energy price σ, the period price μ_t solves the single-period balance of local.ts with the storage
 * answering at thresholds μ = σΔηc − θ (charge) and μ = σΔ/ηd + θ (discharge); its breakpoints in σ
 * are the images of the breakpoints of the period's net response in μ. Backtracking from the least
 * point of V_T gives every E_t and an energy price σ_t ∈ ∂G_t(e_t); the period is then
 * reconstructed exactly from (σ_t, e_t). The method is finite, has no tolerance, and costs
 * O(T·N log N + T²·N) per call for N breakpoints per period (the value functions grow by the
 * breakpoints of every period). Scratch buffers live at module level, sized by
 * `reserveStorageScratch` and grown only when a larger problem arrives.
 *
 * Requires finite chargeMax and dischargeMax, efficiencies in (0, 1], c⁺_k + c⁻_k ≥ 0 on two-way
 * trades (as local.ts) and ρ > 0. Infeasible SoC limits (no schedule meets the boxes) give the
 * nearest schedule the chain allows and `false`.
 */
import type { LocalProblem } from "./local.js";
import type { HorizonArrays } from "./horizon.js";

/** Optional outputs of `solveStorageLocal`, for certificates and reports. */
export interface StorageLocalDetail {
  /** E_t after period t (t = 0..T−1), MWh. */
  soc: Float64Array;
  /** σ_t ∈ ∂G_t(e_t): the marginal cost per MWh moved into the store in period t (per-hour cost units). */
  energyPrice: Float64Array;
}

// ---------------------------------------------------------------------------------------------
// Scratch (module level; grown by `grow*`, never shrunk).

/** Net response curves Γ_t (μ, y), all periods, offsets gOff[t] .. gOff[t+1]. */
let gm: Float64Array = new Float64Array(1024);
let gy: Float64Array = new Float64Array(1024);
let gOff: Int32Array = new Int32Array(65);
/** Ramp starts and ends of the trade responses of one period. */
let rampStart: Float64Array = new Float64Array(256);
let rampEnd: Float64Array = new Float64Array(256);
/** Raw net response of one period before truncation. */
let rawM: Float64Array = new Float64Array(1024);
let rawY: Float64Array = new Float64Array(1024);
/** Candidate energy prices of one period. */
let sigma: Float64Array = new Float64Array(1024);
/** G_t curve of the current period (E, σ). */
let ge: Float64Array = new Float64Array(2048);
let gs: Float64Array = new Float64Array(2048);
/** Unclipped value-function curves u_t = V_{t−1} □ G_t, t = 1..T, offsets uOff[t] .. uOff[t+1]. */
let ue: Float64Array = new Float64Array(8192);
let us: Float64Array = new Float64Array(8192);
/** Per point of u_t: the part of E contributed by V_{t−1} (E_{t−1} of the split). */
let ua: Float64Array = new Float64Array(8192);
let uOff: Int32Array = new Int32Array(66);
/** Per period: SoC box [lowE, highE] of E_t, and the chosen E_t. */
let lowE: Float64Array = new Float64Array(65);
let highE: Float64Array = new Float64Array(65);
let optE: Float64Array = new Float64Array(65);
/** Per period: the energy price σ_t found by the backtracking (index t = 1..T). */
let optS: Float64Array = new Float64Array(65);
/** Active-set method: per period t = 1..T, E_t held at its lower (−1) or upper (+1) limit, or free (0). */
let bound: Int8Array = new Int8Array(65);
/** Active-set method: e-range of period t at the segment's price. */
let eLo: Float64Array = new Float64Array(65);
let eHi: Float64Array = new Float64Array(65);
/**
 * Active-set method: per segment start a, the end, the limits held at both ends and the round of
 * the last segment solved from a, so that a segment unchanged since the previous round is reused
 * (its values are still in optE/optS, bit for bit what solving it again would give).
 */
let segEnd: Int32Array = new Int32Array(65);
let segKind: Int32Array = new Int32Array(65);
let segRound: Int32Array = new Int32Array(65);
/**
 * Per segment start a: the root interval of the segment's price (every σ whose summed energy moves
 * reach the segment's move), whether it is computed for the segment now in place, and the part of it
 * that the chain's price jumps allow (backward pass of `chooseRoots`).
 */
let rootLo: Float64Array = new Float64Array(65);
let rootHi: Float64Array = new Float64Array(65);
let rootOk: Int32Array = new Int32Array(65);
let feasLo: Float64Array = new Float64Array(65);
let feasHi: Float64Array = new Float64Array(65);
/**
 * Per period t = 1..T: the energy prices that the previous solve's answer allows, [hintLo, hintHi]:
 * one price where it was charging or discharging partly (μ_t on a threshold: σ = (μ_t + θ)/(Δηc) or
 * (μ_t − θ)ηd/Δ), the idle band where it idled, a half-line at full charge or discharge; NaN when
 * unknown. Read from the shared iterate (μ, charge, discharge), so the same for any number of
 * threads; they only place the first probe of a segment's root search (`segmentPrice`).
 */
let hintLo: Float64Array = new Float64Array(65);
let hintHi: Float64Array = new Float64Array(65);

function growF(a: Float64Array, need: number): Float64Array {
  if (a.length >= need) return a;
  let n = a.length * 2;
  while (n < need) n *= 2;
  const b = new Float64Array(n);
  b.set(a);
  return b;
}

function growI(a: Int32Array, need: number): Int32Array {
  if (a.length >= need) return a;
  let n = a.length * 2;
  while (n < need) n *= 2;
  const b = new Int32Array(n);
  b.set(a);
  return b;
}

/** Points of one period's net response curve for K trades (bound used for sizing). */
function responsePoints(K: number): number {
  return 2 * (4 * K + 8) + 16;
}

/**
 * Sizes the scratch for storage agents with up to `periods` periods and up to `maxTradesPerPeriod`
 * trades in a period, so that later calls do not allocate. Calls with larger problems grow the
 * buffers (once).
 */
export function reserveStorageScratch(periods: number, maxTradesPerPeriod: number): void {
  const T = Math.max(1, periods);
  const N = responsePoints(Math.max(0, maxTradesPerPeriod));
  const C = 4 * N + 40;
  gm = growF(gm, T * N);
  gy = growF(gy, T * N);
  gOff = growI(gOff, T + 2);
  rampStart = growF(rampStart, 2 * maxTradesPerPeriod + 2);
  rampEnd = growF(rampEnd, 2 * maxTradesPerPeriod + 2);
  rawM = growF(rawM, N);
  rawY = growF(rawY, N);
  sigma = growF(sigma, C);
  ge = growF(ge, 2 * C);
  gs = growF(gs, 2 * C);
  // Σ_t |u_t| ≤ Σ_t 2·(distinct σ of u_{t−1} + 2 + distinct σ of G_t) ≤ T·(T+1)·(C + 2) in the worst
  // case; merged curves are usually far smaller, so reserve for a few periods' worth and grow on demand.
  const total = Math.min(T * (T + 1) * (C + 4), 8 * T * (C + 4));
  ue = growF(ue, total);
  us = growF(us, total);
  ua = growF(ua, total);
  uOff = growI(uOff, T + 2);
  lowE = growF(lowE, T + 1);
  highE = growF(highE, T + 1);
  optE = growF(optE, T + 1);
  optS = growF(optS, T + 1);
  eLo = growF(eLo, T + 1);
  eHi = growF(eHi, T + 1);
  if (bound.length < T + 1) bound = new Int8Array(2 * (T + 1));
  segEnd = growI(segEnd, T + 1);
  segKind = growI(segKind, T + 1);
  segRound = growI(segRound, T + 1);
  growRoots(T);
  growFast(T);
}

/** Sizes the fast path's per-period scratch for T periods. */
function growFast(T: number): void {
  fMu = growF(fMu, T + 1);
  fC = growF(fC, T + 1);
  fD = growF(fD, T + 1);
  if (fReg.length < fMu.length) {
    fReg = new Int8Array(fMu.length);
    fHasD = new Int8Array(fMu.length);
    fEnd = new Int32Array(fMu.length);
    fFree = new Int8Array(fMu.length);
    cEnd = new Int32Array(fMu.length);
    cKind = new Int8Array(fMu.length);
    cFree = new Int8Array(fMu.length);
    cStamp = new Int32Array(fMu.length);
    fStamp = new Int32Array(fMu.length);
    fRootStamp = new Int32Array(fMu.length);
  }
  fYc = growF(fYc, T + 1);
  fSc = growF(fSc, T + 1);
  fUc = growF(fUc, T + 1);
  fLc = growF(fLc, T + 1);
  fYd = growF(fYd, T + 1);
  fSd = growF(fSd, T + 1);
  fUd = growF(fUd, T + 1);
  fLd = growF(fLd, T + 1);
  fLo = growF(fLo, T + 1);
  fHi = growF(fHi, T + 1);
  fFeasLo = growF(fFeasLo, T + 1);
  fFeasHi = growF(fFeasHi, T + 1);
  cE0 = growF(cE0, T + 1);
  cSig = growF(cSig, T + 1);
}

function growRoots(T: number): void {
  rootLo = growF(rootLo, T + 1);
  rootHi = growF(rootHi, T + 1);
  rootOk = growI(rootOk, T + 1);
  feasLo = growF(feasLo, T + 1);
  feasHi = growF(feasHi, T + 1);
  hintLo = growF(hintLo, T + 1);
  hintHi = growF(hintHi, T + 1);
}

/**
 * Scalars shared between the functions below, in a typed array: module-level `let` numbers would be
 * boxed on every write (an allocation per write in this V8).
 */
const R = new Float64Array(50);

const CLOW = 0;
const CHIGH = 1;
const YLOW = 2;
const YHIGH = 3;
const MULOW = 4;
const MUHIGH = 5;
const LOCS = 6;
const LOCA = 7;
const OUTC = 8;
const OUTD = 9;
const ANSYA = 10;
const ANSYB = 11;
const ELOW = 12;
const EHIGH = 13;
const MU1 = 14;
const MU2 = 15;
const DT = 16;
const ETAC = 17;
const ETAD = 18;
const THETA = 19;
const CMAX = 20;
const DMAX = 21;
/** σ window of the period curves (±∞: the whole curves). */
const WLO = 22;
const WHI = 23;
/**
 * Argument and result registers of the helpers below: a number passed to or returned from a
 * function that is not inlined is boxed (a heap allocation) when it is not a small integer, so the
 * hot helpers take their real arguments here.
 */
const AE = 24;
const AS = 25;
const AA = 26;
const ASIG = 27;
const AW = 28;
const AM = 29;
const AY = 30;
const ARHO = 31;
const OUT = 32;
/** ρ of the call, and the SoC data of the storage: E_0, socMin, socMax, socFinalMin. */
const RHO = 33;
const SE0 = 34;
const SMIN = 35;
const SMAX = 36;
const SFIN = 37;
/** Segment sums of the active-set method: Σ lo, Σ hi of the periods' e-ranges. */
const SLO = 38;
const SHI = 39;
// Bracket of a segment's price (segmentBracket).
const BLO = 40;
const BHI = 41;
/** Fast path (`gammaAt`): Γ, its slope −dΓ/dμ, the room in μ above and below, and |S| + |g|; a period's e and de/dσ. */
const GV = 42;
const GS = 43;
const GUP = 44;
const GDN = 45;
const GABS = 46;
const FE = 47;
const FDE = 48;

// ---------------------------------------------------------------------------------------------
// Per-call constants of the storage (set by solveStorageLocal; module level to avoid allocation).

/** θ = 0 and ηc·ηd = 1: charge and discharge thresholds coincide for every energy price. */
let tied = false;

// ---------------------------------------------------------------------------------------------
// Net response Γ_t: y(μ) = S_t(μ) − g_t(μ), the power the storage must absorb (y = d − c) for the
// period to balance at marginal price μ. Non-increasing in μ, piecewise linear, with a jump at μ = b
// when a = 0. Held truncated to the band [−cmax − δ, dmax + δ] (flat beyond its ends).

/** S(μ) = Σ_k x_k(μ), the trade responses of local.ts. */
/** At μ = R[AM], 1/ρ = R[ARHO]; the sum goes to R[OUT]. */
function tradeSum(
  s: number,
  e: number,
  v: Float64Array,
  lo: Float64Array,
  hi: Float64Array,
  cs: Float64Array,
  cb: Float64Array,
): void {
  const mu = R[AM];
  const irho = R[ARHO];
  let sum = 0;
  for (let k = s; k < e; k++) {
    const t = v[k] - mu * irho;
    const A = t - cs[k] * irho;
    if (A > 0) sum += A < hi[k] ? A : hi[k];
    else {
      const B = t + cb[k] * irho;
      if (B < 0) sum += B > lo[k] ? B : lo[k];
    }
  }
  R[OUT] = sum;
}

function tradeAt(vk: number, lok: number, hik: number, csk: number, cbk: number, mu: number, irho: number): number {
  const t = vk - mu * irho;
  const A = t - csk * irho;
  if (A > 0) return A < hik ? A : hik;
  const B = t + cbk * irho;
  if (B < 0) return B > lok ? B : lok;
  return 0;
}

/**
 * Own power response g(μ) = clip((μ − b)/a, pMin, pMax) at μ = R[AM], into R[OUT]; for a = 0 the
 * value just right (side > 0) or left of b. Reads a, b and the bounds of period agent n.
 */
function ownAt(P: LocalProblem, n: number, side: number): void {
  const a = P.a[n];
  const b = P.b[n];
  const mu = R[AM];
  if (a > 0) {
    const q = (mu - b) / a;
    R[OUT] = q <= P.pMin[n] ? P.pMin[n] : q >= P.pMax[n] ? P.pMax[n] : q;
    return;
  }
  R[OUT] = mu > b || (mu === b && side > 0) ? P.pMax[n] : P.pMin[n];
}

/**
 * Builds Γ_t for period agent n into gm/gy from offset `at`; returns the new end offset.
 */
function buildResponse(P: LocalProblem, n: number, v: Float64Array, at: number): number {
  const rho = R[RHO];
  const s = P.tradeStart[n];
  const e = P.tradeStart[n + 1];
  const K = e - s;
  const lo = P.lo;
  const hi = P.hi;
  const cs = P.costSell;
  const cb = P.costBuy;
  const a = P.a[n];
  const b = P.b[n];
  const pMin = P.pMin[n];
  const pMax = P.pMax[n];
  const irho = 1 / rho;
  if (rampStart.length < 2 * K + 2) {
    rampStart = growF(rampStart, 2 * K + 2);
    rampEnd = growF(rampEnd, 2 * K + 2);
  }
  if (byIdS.length < 2 * K + 2) {
    byIdS = growF(byIdS, 2 * K + 2);
    byIdE = growF(byIdE, 2 * K + 2);
  }
  orderReady(P);
  // Trade k decreases with slope 1/ρ on [ρv − c⁺ − ρ hi, ρv − c⁺] and on [ρv + c⁻, ρv + c⁻ − ρ lo].
  // Ramp ids: 2k for the sell side, 2k + 1 for the buy side of trade k.
  let nStart = 0;
  let nEnd = 0;
  let activeLeft = 0; // ramps already active at μ → −∞ (hi = ∞)
  let activeRight = 0; // ramps still active at μ → +∞ (lo = −∞)
  // Ramp values by id − 2s (NaN: no such finite ramp end).
  for (let k = s; k < e; k++) {
    const rv = rho * v[k];
    const i2 = 2 * (k - s);
    if (hi[k] > 0) {
      if (hi[k] === Infinity) {
        activeLeft++;
        byIdS[i2] = NaN;
      } else {
        byIdS[i2] = rv - cs[k] - rho * hi[k];
        nStart++;
      }
      byIdE[i2] = rv - cs[k];
      nEnd++;
    } else byIdS[i2] = byIdE[i2] = NaN;
    if (lo[k] < 0) {
      byIdS[i2 + 1] = rv + cb[k];
      nStart++;
      if (lo[k] === -Infinity) {
        activeRight++;
        byIdE[i2 + 1] = NaN;
      } else {
        byIdE[i2 + 1] = rv + cb[k] - rho * lo[k];
        nEnd++;
      }
    } else byIdS[i2 + 1] = byIdE[i2 + 1] = NaN;
  }
  // Sorted ramp ends, starting from the order of the previous call on this period agent (the
  // targets move little between ADMM iterations, so that order is nearly sorted); the ids are
  // sorted in place in the stored order.
  const starts = rampStart;
  const ends = rampEnd;
  const base = 2 * s;
  orderedFill(byIdS, s, e, orderS, orderCountS, starts, n, nStart);
  orderedFill(byIdE, s, e, orderE, orderCountE, ends, n, nEnd);
  sortPairs(starts, orderS, base, nStart);
  sortPairs(ends, orderE, base, nEnd);
  // Sentinels (the buffers hold 2K + 2 ≥ count + 1 values): the sweep needs no index checks.
  starts[nStart] = Infinity;
  ends[nEnd] = Infinity;
  // Own power: ramp of slope 1/a on [b + a pMin, b + a pMax], or a jump at b.
  const gLo = a > 0 ? b + a * pMin : b;
  const gHi = a > 0 ? b + a * pMax : b;
  const ia = a > 0 ? 1 / a : 0;
  // Reference point: the smallest finite event.
  let ref = b;
  if (nStart > 0 && starts[0] < ref) ref = starts[0];
  if (nEnd > 0 && ends[0] < ref) ref = ends[0];
  if (gLo < ref && gLo > -Infinity) ref = gLo;
  // Raw polyline from `ref` through every event; y at ref (left limit for the jump case).
  const needRaw = 2 * (nStart + nEnd) + 8;
  if (rawM.length < needRaw) {
    rawM = growF(rawM, needRaw);
    rawY = growF(rawY, needRaw);
  }
  let nr = 0;
  R[ARHO] = irho;
  R[AM] = ref;
  tradeSum(s, e, v, lo, hi, cs, cb);
  let y = R[OUT];
  ownAt(P, n, -1);
  y -= R[OUT];
  // Trade ramps active just right of ref: those with start ≤ ref < end.
  let i0 = 0;
  let i1 = 0;
  let active = activeLeft;
  while (i0 < nStart && starts[i0] <= ref) {
    i0++;
    active++;
  }
  while (i1 < nEnd && ends[i1] <= ref) {
    i1++;
    active--;
  }
  let mu = ref;
  const leftSlope = -activeLeft * irho - (a > 0 && pMin === -Infinity ? ia : 0);
  rawM[nr] = mu;
  rawY[nr++] = y;
  if (a === 0 && ref === b) {
    R[AM] = ref;
    tradeSum(s, e, v, lo, hi, cs, cb);
    y = R[OUT] - pMax;
    rawM[nr] = mu;
    rawY[nr++] = y;
  }
  let jumpDone = a === 0 && ref === b;
  for (;;) {
    // Next event position.
    let next = Infinity;
    if (starts[i0] < next) next = starts[i0];
    if (ends[i1] < next) next = ends[i1];
    if (a > 0) {
      if (gLo > mu && gLo < next) next = gLo;
      if (gHi > mu && gHi < next) next = gHi;
    } else if (!jumpDone && b < next) next = b;
    if (next === Infinity) break;
    const gActive = a > 0 && mu >= gLo && mu < gHi;
    const slope = -active * irho - (gActive ? ia : 0);
    if (next > mu) {
      y = y + slope * (next - mu);
      mu = next;
      rawM[nr] = mu;
      rawY[nr++] = y;
    }
    if (a === 0 && !jumpDone && mu === b) {
      // Jump from g = pMin to g = pMax (possibly infinite).
      jumpDone = true;
      if (pMin === -Infinity || pMax === Infinity) {
        R[AM] = mu;
        tradeSum(s, e, v, lo, hi, cs, cb);
        y = R[OUT] - pMax;
      } else y = y - (pMax - pMin);
      rawM[nr] = mu;
      rawY[nr++] = y;
    }
    while (starts[i0] <= mu) {
      i0++;
      active++;
    }
    while (ends[i1] <= mu) {
      i1++;
      active--;
    }
    // On a flat piece (every trade and the own power at a bound) y is recomputed exactly, so that the
    // levels the storage answers on carry no rounding drift from the sweep.
    if (active === 0 && !(a > 0 && mu >= gLo && mu < gHi) && Number.isFinite(y)) {
      R[AM] = mu;
      tradeSum(s, e, v, lo, hi, cs, cb);
      y = R[OUT];
      ownAt(P, n, 1);
      y -= R[OUT];
      rawY[nr - 1] = y < rawY[nr - 2] || nr < 2 ? y : rawY[nr - 2];
    }
    if (nr + 4 > rawM.length) {
      rawM = growF(rawM, nr + 8);
      rawY = growF(rawY, nr + 8);
    }
  }
  const rightSlope = -activeRight * irho - (a > 0 && pMax === Infinity ? ia : 0);
  // Truncate to the band and store.
  const top = R[DMAX] + 1 + R[CMAX] + R[DMAX];
  const bottom = -R[CMAX] - 1 - R[CMAX] - R[DMAX];
  const need = at + 2 * nr + 8;
  if (gm.length < need) {
    gm = growF(gm, need);
    gy = growF(gy, need);
  }
  let out = at;
  // The rays become virtual end points beyond the band, so that the segment rule below inserts their
  // crossings of both edges.
  const hasLeft = leftSlope < 0 && rawY[0] < top + 1;
  const hasRight = rightSlope < 0 && rawY[nr - 1] > bottom - 1;
  if (!hasLeft && !hasRight && rawY[0] <= top && rawY[nr - 1] >= bottom) {
    // Every point inside the band (Γ is non-increasing): no crossing, no clamp; `pushPoint` inlined.
    for (let i = 0; i < nr; i++) {
      let mu = rawM[i];
      let y = rawY[i];
      if (out > at) {
        const pm = gm[out - 1];
        const py = gy[out - 1];
        if (mu < pm) mu = pm;
        if (y > py) y = py;
        if (pm === mu && py === y) continue;
        if (out - 1 > at) {
          const qm = gm[out - 2];
          const qy = gy[out - 2];
          if ((qy === py && py === y) || (qm === pm && pm === mu)) {
            gm[out - 1] = mu;
            gy[out - 1] = y;
            continue;
          }
        }
      }
      gm[out] = mu;
      gy[out] = y;
      out++;
    }
    return out;
  }
  const iFirst = hasLeft ? -1 : 0;
  const iLast = hasRight ? nr : nr - 1;
  let pm = 0;
  let py = 0;
  for (let i = iFirst; i <= iLast; i++) {
    let mi: number;
    let yi: number;
    if (i === -1) {
      yi = top + 1;
      mi = rawM[0] + (yi - rawY[0]) / leftSlope;
    } else if (i === nr) {
      yi = bottom - 1;
      mi = rawM[nr - 1] + (yi - rawY[nr - 1]) / rightSlope;
    } else {
      mi = rawM[i];
      yi = rawY[i];
    }
    if (i > iFirst) {
      // Crossing of an edge strictly inside the segment from the previous point.
      if (py > top && yi < top) {
        R[AM] =
          pm === mi || !Number.isFinite(py)
            ? pm
            : !Number.isFinite(yi)
              ? mi
              : pm + ((top - py) * (mi - pm)) / (yi - py);
        R[AY] = top;
        out = pushPoint(out);
      }
      if (py > bottom && yi < bottom) {
        R[AM] =
          pm === mi || !Number.isFinite(py)
            ? pm
            : !Number.isFinite(yi)
              ? mi
              : pm + ((bottom - py) * (mi - pm)) / (yi - py);
        R[AY] = bottom;
        out = pushPoint(out);
      }
    }
    R[AM] = mi;
    R[AY] = yi > top ? top : yi < bottom ? bottom : yi;
    out = pushPoint(out);
    pm = mi;
    py = yi;
  }
  return out;
}

// Sorted order of each period agent's ramp ends from its previous call (ids 2k for the sell side,
// 2k + 1 for the buy side of its trades k, stored at 2·tradeStart[n] + i), reused as the starting
// order of the next sort. Tied to one problem object; an order whose ids are not exactly this
// call's ramps (checked: every id a ramp of the period, as many as there are) is not used.
let orderS: Int32Array = new Int32Array(0);
let orderE: Int32Array = new Int32Array(0);
let orderCountS: Int32Array = new Int32Array(0);
let orderCountE: Int32Array = new Int32Array(0);
let orderOwner: LocalProblem | null = null;
let byIdS: Float64Array = new Float64Array(256);
let byIdE: Float64Array = new Float64Array(256);

/** Sizes (and, for a new problem, clears) the stored orders. */
function orderReady(P: LocalProblem): void {
  const nAgents = P.tradeStart.length - 1;
  const nIds = 2 * P.tradeStart[nAgents];
  if (orderOwner === P && orderCountS.length >= nAgents && orderS.length >= nIds) return;
  orderOwner = P;
  if (orderCountS.length < nAgents) {
    orderCountS = new Int32Array(nAgents);
    orderCountE = new Int32Array(nAgents);
  }
  if (orderS.length < nIds) {
    orderS = new Int32Array(nIds);
    orderE = new Int32Array(nIds);
  }
  orderCountS.fill(-1);
  orderCountE.fill(-1);
}

/**
 * Fills vals[0..count) with the ramp values byId (indexed by id − 2s, NaN where trade id >> 1 has
 * no such ramp end) of agent n's trades s..e in the stored order at 2s when it is exactly this
 * call's ramps, else (and then the order too) in id order.
 */
function orderedFill(
  byId: Float64Array,
  s: number,
  e: number,
  order: Int32Array,
  counts: Int32Array,
  vals: Float64Array,
  n: number,
  count: number,
): void {
  const base = 2 * s;
  const span = 2 * (e - s);
  if (counts[n] === count) {
    // The stored ids are distinct (a permutation written by this code): when each is a ramp of
    // this call, and there are as many, they are exactly this call's ramps.
    let i = 0;
    for (; i < count; i++) {
      const j = order[base + i] - base;
      if (!(j >= 0 && j < span)) break;
      const x = byId[j];
      if (x !== x) break;
      vals[i] = x;
    }
    if (i === count) return;
  }
  let m = 0;
  for (let j = 0; j < span; j++) {
    const x = byId[j];
    if (x !== x) continue;
    order[base + m] = base + j;
    vals[m++] = x;
  }
  counts[n] = m;
}

/**
 * Sorts vals[0..n) ascending, carrying ids[off..off+n) along: insertion sort (linear on the nearly
 * sorted order of the previous call), switching to heapsort when it meets too many inversions.
 */
function sortPairs(vals: Float64Array, ids: Int32Array, off: number, n: number): void {
  let budget = 8 * n + 64;
  for (let i = 1; i < n; i++) {
    const x = vals[i];
    const xi = ids[off + i];
    let j = i - 1;
    while (j >= 0 && vals[j] > x) {
      vals[j + 1] = vals[j];
      ids[off + j + 1] = ids[off + j];
      j--;
    }
    vals[j + 1] = x;
    ids[off + j + 1] = xi;
    budget -= i - 1 - j;
    if (budget < 0) {
      heapSortPairs(vals, ids, off, n);
      return;
    }
  }
}

function heapSortPairs(a: Float64Array, ids: Int32Array, off: number, n: number): void {
  for (let i = (n >> 1) - 1; i >= 0; i--) siftDownPairs(a, ids, off, i, n);
  for (let end = n - 1; end > 0; end--) {
    const t = a[0];
    a[0] = a[end];
    a[end] = t;
    const ti = ids[off];
    ids[off] = ids[off + end];
    ids[off + end] = ti;
    siftDownPairs(a, ids, off, 0, end);
  }
}

function siftDownPairs(a: Float64Array, ids: Int32Array, off: number, i: number, n: number): void {
  const x = a[i];
  const xi = ids[off + i];
  for (;;) {
    let c = 2 * i + 1;
    if (c >= n) break;
    if (c + 1 < n && a[c + 1] > a[c]) c++;
    if (a[c] <= x) break;
    a[i] = a[c];
    ids[off + i] = ids[off + c];
    i = c;
  }
  a[i] = x;
  ids[off + i] = xi;
}

/** Sorts a[0..n) ascending in place, without allocating (insertion sort when short, else heapsort). */
function sortRange(a: Float64Array, n: number): void {
  if (n < 64) {
    for (let i = 1; i < n; i++) {
      const x = a[i];
      let j = i - 1;
      while (j >= 0 && a[j] > x) {
        a[j + 1] = a[j];
        j--;
      }
      a[j + 1] = x;
    }
    return;
  }
  for (let i = (n >> 1) - 1; i >= 0; i--) siftDown(a, i, n);
  for (let end = n - 1; end > 0; end--) {
    const t = a[0];
    a[0] = a[end];
    a[end] = t;
    siftDown(a, 0, end);
  }
}

function siftDown(a: Float64Array, i: number, n: number): void {
  const x = a[i];
  for (;;) {
    let c = 2 * i + 1;
    if (c >= n) break;
    if (c + 1 < n && a[c + 1] > a[c]) c++;
    if (a[c] <= x) break;
    a[i] = a[c];
    i = c;
  }
  a[i] = x;
}

/** μ where the segment of Γ from point i − 1 to point i crosses the level R[AY], into R[OUT]. */
function crossingAt(i: number): void {
  const m0 = gm[i - 1];
  const y0 = gy[i - 1];
  const m1 = gm[i];
  const y1 = gy[i];
  if (m0 === m1 || !Number.isFinite(y0)) R[OUT] = m0;
  else if (!Number.isFinite(y1)) R[OUT] = m1;
  else R[OUT] = m0 + ((R[AY] - y0) * (m1 - m0)) / (y1 - y0);
}

/** Appends (μ, y) = (R[AM], R[AY]) to gm/gy unless it repeats the last point or extends a flat/vertical run. */
function pushPoint(out: number): number {
  let mu = R[AM];
  let y = R[AY];
  const base = curStart;
  if (out > base) {
    const pm = gm[out - 1];
    const py = gy[out - 1];
    if (mu < pm) mu = pm;
    if (y > py) y = py;
    if (pm === mu && py === y) return out;
    if (out - 1 > base) {
      const qm = gm[out - 2];
      const qy = gy[out - 2];
      if ((qy === py && py === y) || (qm === pm && pm === mu)) {
        gm[out - 1] = mu;
        gy[out - 1] = y;
        return out;
      }
    }
  }
  gm[out] = mu;
  gy[out] = y;
  return out + 1;
}
let curStart = 0;

// Evaluations on the stored response of the current period [rs, re).
let rs = 0;
let re = 0;

/** Relative distance within which two prices count as equal (rounding of the σ ↔ μ maps). */
const SNAP = 1e-13;

/**
 * y-range of Γ at μ: sets R[YLOW], R[YHIGH]. A μ within rounding (SNAP) of a point of Γ is taken at that
 * point, so that a jump of Γ (a linear own cost) is seen whole from a price computed through the
 * σ ↔ μ maps.
 */
/** Walk pointers of `ySet` for the two thresholds (slot 0: μ1, slot 1: μ2), used while walkSlot ≥ 0. */
const walk = new Int32Array(2);
let walkSlot = -1;
let walking = false;
function ySet(slot: number): void {
  const mu = R[slot];
  const tol = SNAP * (1 + Math.abs(mu));
  if (mu < gm[rs] - tol) {
    R[YLOW] = R[YHIGH] = gy[rs];
    return;
  }
  if (mu > gm[re - 1] + tol) {
    R[YLOW] = R[YHIGH] = gy[re - 1];
    return;
  }
  // First j with gm[j] ≥ μ − tol: by a forward walk from the last answer when the prices asked
  // increase (building G_t's curve), else by bisection.
  const m0 = mu - tol;
  let l: number;
  if (walkSlot >= 0) {
    l = walk[walkSlot];
    while (l > rs && gm[l - 1] >= m0) l--;
    while (l < re - 1 && gm[l] < m0) l++;
    walk[walkSlot] = l;
  } else {
    l = rs;
    let h = re - 1;
    while (l < h) {
      const m = (l + h) >> 1;
      if (gm[m] >= m0) h = m;
      else l = m + 1;
    }
  }
  if (gm[l] <= mu + tol) {
    // Snap to the run of points at gm[l].
    const at = gm[l];
    R[YHIGH] = gy[l];
    let j = l;
    while (j + 1 < re && gm[j + 1] === at) j++;
    R[YLOW] = gy[j];
    return;
  }
  const mA = gm[l - 1];
  const yA = gy[l - 1];
  const v = yA + ((mu - mA) * (gy[l] - yA)) / (gm[l] - mA);
  R[YLOW] = R[YHIGH] = v;
}

/**
 * μ-range where Γ takes the value y: sets R[MULOW], R[MUHIGH] (both NaN when Γ never takes y). Values of
 * Γ within rounding of y count as y, so that a y computed from an energy move finds the flat piece
 * (every trade and the own power at a bound) it belongs to.
 */
function muSet(): void {
  const y = R[AY];
  const tol = 1e-12 * (1 + Math.abs(y) + R[CMAX] + R[DMAX]);
  if (gy[re - 1] > y + tol || gy[rs] < y - tol) {
    R[MULOW] = R[MUHIGH] = NaN;
    return;
  }
  // First j with gy[j] ≤ y + tol (gy non-increasing).
  let l = rs;
  let h = re - 1;
  const y0 = y + tol;
  while (l < h) {
    const m = (l + h) >> 1;
    if (gy[m] <= y0) h = m;
    else l = m + 1;
  }
  if (gy[l] >= y - tol) {
    R[MULOW] = l === rs ? -Infinity : gm[l];
    let j = l;
    while (j + 1 < re && gy[j + 1] >= y - tol) j++;
    R[MUHIGH] = j === re - 1 ? Infinity : gm[j];
    return;
  }
  // gy[l−1] > y + tol and gy[l] < y − tol.
  crossingAt(l);
  R[MULOW] = R[MUHIGH] = R[OUT];
}

// ---------------------------------------------------------------------------------------------
// The period's answer to an energy price σ.

const LEVEL0 = 0,
  RISER1 = 1,
  LEVEL1 = 2,
  RISER2 = 3,
  LEVEL2 = 4,
  COMBINED = 5;
/** Outputs of `answer`: region, threshold prices, the y-range on it, the e-range. */
let region = 0;
let reversed = false;

/** Charge and discharge thresholds of σ: μc = σΔηc − θ, μd = σΔ/ηd + θ. */
function thresholds(): void {
  const sig = R[ASIG];
  const mc = sig * R[DT] * R[ETAC] - R[THETA];
  let md = tied ? mc : (sig * R[DT]) / R[ETAD] + R[THETA];
  if (Math.abs(mc - md) <= SNAP * (1 + Math.abs(mc))) md = mc;
  if (mc <= md) {
    R[MU1] = mc;
    R[MU2] = md;
    reversed = false;
  } else {
    R[MU1] = md;
    R[MU2] = mc;
    reversed = true;
  }
}

/** Intersection of Γ with the storage staircase at energy price σ: sets the `answer` outputs. */
function answer(): void {
  thresholds();
  const L0 = -R[CMAX];
  const L2 = R[DMAX];
  const L1 = reversed ? R[DMAX] - R[CMAX] : 0;
  walkSlot = walking ? 0 : -1;
  ySet(MU1);
  walkSlot = -1;
  if (R[MU1] === R[MU2]) {
    if (R[YHIGH] < L0) region = LEVEL0;
    else if (R[YLOW] > L2) region = LEVEL2;
    else {
      region = COMBINED;
      R[ANSYA] = R[YLOW] > L0 ? R[YLOW] : L0;
      R[ANSYB] = R[YHIGH] < L2 ? R[YHIGH] : L2;
    }
  } else if (R[YHIGH] < L0) region = LEVEL0;
  else if (R[YLOW] <= L1) {
    region = RISER1;
    R[ANSYA] = R[YLOW] > L0 ? R[YLOW] : L0;
    R[ANSYB] = R[YHIGH] < L1 ? R[YHIGH] : L1;
  } else {
    walkSlot = walking ? 1 : -1;
    ySet(MU2);
    walkSlot = -1;
    if (R[YHIGH] < L1) region = LEVEL1;
    else if (R[YLOW] > L2) region = LEVEL2;
    else {
      region = RISER2;
      R[ANSYA] = R[YLOW] > L1 ? R[YLOW] : L1;
      R[ANSYB] = R[YHIGH] < L2 ? R[YHIGH] : L2;
    }
  }
  // e-range (e = Δ(ηc c − d/ηd)), decreasing in y on every region.
  switch (region) {
    case LEVEL0:
      R[ELOW] = R[EHIGH] = R[DT] * R[ETAC] * R[CMAX];
      R[ANSYA] = R[ANSYB] = L0;
      break;
    case LEVEL1:
      R[ELOW] = R[EHIGH] = reversed ? R[DT] * (R[ETAC] * R[CMAX] - R[DMAX] / R[ETAD]) : 0;
      R[ANSYA] = R[ANSYB] = L1;
      break;
    case LEVEL2:
      R[ELOW] = R[EHIGH] = (-R[DT] * R[DMAX]) / R[ETAD];
      R[ANSYA] = R[ANSYB] = L2;
      break;
    default:
      energyOf(ANSYB, true, ELOW);
      energyOf(ANSYA, false, EHIGH);
  }
}

/** e on the current riser (or combined region) at y = R[ySlot], into R[outSlot]; for COMBINED the least (low) or most e. */
function energyOf(ySlot: number, low: boolean, outSlot: number): void {
  const y = R[ySlot];
  let e: number;
  if (region === COMBINED) {
    const c = low ? Math.min(R[CMAX], R[DMAX] - y) : Math.max(0, -y);
    e = R[DT] * (R[ETAC] * c - (y + c) / R[ETAD]);
  } else if (!reversed) e = region === RISER1 ? R[DT] * R[ETAC] * -y : (-R[DT] * y) / R[ETAD];
  else if (region === RISER1) e = R[DT] * (R[ETAC] * R[CMAX] - (y + R[CMAX]) / R[ETAD]);
  else e = R[DT] * (R[ETAC] * (R[DMAX] - y) - R[DMAX] / R[ETAD]);
  R[outSlot] = e;
}

/** Charge and discharge reconstructed by `decide`. */

/** Candidate (c, d) moving e, of one of four shapes; sets R[OUTC]/R[OUTD], returns whether it fits the bounds. */
function shape(kind: number): boolean {
  const e = R[AE];
  let c = 0;
  let d = 0;
  if (kind === 0)
    c = e / (R[DT] * R[ETAC]); // charge only
  else if (kind === 1)
    d = (-e * R[ETAD]) / R[DT]; // discharge only
  else if (kind === 2) {
    c = R[CMAX]; // full charge, partial discharge
    d = (R[ETAC] * R[CMAX] - e / R[DT]) * R[ETAD];
  } else {
    d = R[DMAX]; // full discharge, partial charge
    c = (e / R[DT] + R[DMAX] / R[ETAD]) / R[ETAC];
  }
  const tc = 1e-12 * (1 + R[CMAX]);
  const td = 1e-12 * (1 + R[DMAX]);
  R[OUTC] = c < 0 ? 0 : c > R[CMAX] ? R[CMAX] : c;
  R[OUTD] = d < 0 ? 0 : d > R[DMAX] ? R[DMAX] : d;
  return c >= -tc && c <= R[CMAX] + tc && d >= -td && d <= R[DMAX] + td;
}

/**
 * The charge and discharge that move e, on the region found by `answer`: one of them is 0 unless
 * energy is being burnt (thresholds reversed: charging and discharging at once is then optimal and
 * one of the two is at its maximum). When σ sits within rounding of a region boundary the region's
 * shape may not fit e; the other shapes are tried in turn.
 */
function decide(): void {
  const e = R[AE];
  let first: number;
  if (region === COMBINED) {
    // On the tie: the least throughput (c·d = 0) when the balance allows it (y ∈ [R[ANSYA], R[ANSYB]]);
    // else y at the nearest end of its range and c, d from y = d − c, e = Δ(ηc c − d/ηd), clamped
    // to their bounds (with ηc·ηd near 1 that system is ill-conditioned: the clamp keeps the
    // balance exact and moves e by rounding only).
    let y = e <= 0 ? (-e * R[ETAD]) / R[DT] : -e / (R[DT] * R[ETAC]);
    if (y >= R[ANSYA] && y <= R[ANSYB]) first = e >= 0 ? 0 : 1;
    else {
      y = y < R[ANSYA] ? R[ANSYA] : R[ANSYB];
      const k = R[ETAC] - 1 / R[ETAD];
      const cl = y < 0 ? -y : 0;
      const ch = R[CMAX] < R[DMAX] - y ? R[CMAX] : R[DMAX] - y;
      let c = k < 0 ? (e / R[DT] + y / R[ETAD]) / k : cl;
      c = c < cl ? cl : c > ch ? ch : c;
      const d = y + c;
      R[OUTC] = c < 0 ? 0 : c > R[CMAX] ? R[CMAX] : c;
      R[OUTD] = d < 0 ? 0 : d > R[DMAX] ? R[DMAX] : d;
      return;
    }
  } else if (reversed && (region === RISER1 || region === LEVEL1)) first = 2;
  else if (reversed && region === RISER2) first = 3;
  else first = e >= 0 ? 0 : 1;
  if (shape(first)) return;
  for (let k = 0; k < 4; k++) if (k !== first && shape(k)) return;
  shape(first);
}

// ---------------------------------------------------------------------------------------------
// Curves (E, σ): points sorted with both coordinates non-decreasing, vertical rays at both ends.

/** The answer to σ = R[ASIG] appended to G_t's curve (ge, gs) as its two points (e-range at σ); returns the new end. */
function pushAnswer(out: number): number {
  answer();
  R[AE] = R[ELOW];
  R[AS] = R[ASIG];
  out = pushCurve(out);
  R[AE] = R[EHIGH];
  return pushCurve(out);
}

/** Appends (E, σ) = (R[AE], R[AS]) to G_t's curve (ge, gs); returns the new end. */
function pushCurve(out: number): number {
  const E = ge;
  const S = gs;
  const base = 0;
  let e = R[AE];
  let s = R[AS];
  if (out > base) {
    const pe = E[out - 1];
    const ps = S[out - 1];
    if (e < pe) e = pe;
    if (s < ps) s = ps;
    if (pe === e && ps === s) return out;
    if (out - 1 > base) {
      const qe = E[out - 2];
      const qs = S[out - 2];
      if ((qe === pe && pe === e) || (qs === ps && ps === s)) {
        E[out - 1] = e;
        S[out - 1] = s;
        return out;
      }
    }
  }
  E[out] = e;
  S[out] = s;
  return out + 1;
}

/** Appends (E, σ, A) = (R[AE], R[AS], R[AA]) to u's buffers; collapses only exact repeats and runs of equal E (A is constant on them). */
function pushU(base: number, out: number): number {
  let e = R[AE];
  let s = R[AS];
  const a = R[AA];
  if (out > base) {
    const pe = ue[out - 1];
    const ps = us[out - 1];
    if (e < pe) e = pe;
    if (s < ps) s = ps;
    if (pe === e && ps === s) return out;
    if (out - 1 > base && ue[out - 2] === pe && pe === e) {
      us[out - 1] = s;
      ua[out - 1] = a;
      return out;
    }
  }
  ue[out] = e;
  us[out] = s;
  ua[out] = a;
  return out + 1;
}

/** E-range of a curve [b0, b1) at σ: sets R[CLOW], R[CHIGH]. */
function curveAt(E: Float64Array, S: Float64Array, b0: number, b1: number): void {
  const s = R[AW];
  if (s < S[b0]) {
    R[CLOW] = R[CHIGH] = E[b0];
    return;
  }
  if (s > S[b1 - 1]) {
    R[CLOW] = R[CHIGH] = E[b1 - 1];
    return;
  }
  let l = b0;
  let h = b1 - 1;
  while (l < h) {
    const m = (l + h) >> 1;
    if (S[m] >= s) h = m;
    else l = m + 1;
  }
  if (S[l] === s) {
    R[CLOW] = E[l];
    let j = l;
    while (j + 1 < b1 && S[j + 1] === s) j++;
    R[CHIGH] = E[j];
    return;
  }
  const s0 = S[l - 1];
  const e0 = E[l - 1];
  R[CLOW] = R[CHIGH] = e0 + ((s - s0) * (E[l] - e0)) / (S[l] - s0);
}

/**
 * `curveAt` for increasing σ: `ptr` is the first index with S ≥ the previous σ (start at b0);
 * returns the new pointer. Sets R[CLOW], R[CHIGH].
 */
function walkAt(E: Float64Array, S: Float64Array, b0: number, b1: number, ptr: number): number {
  const s = R[AW];
  while (ptr < b1 && S[ptr] < s) ptr++;
  if (ptr === b1) {
    R[CLOW] = R[CHIGH] = E[b1 - 1];
    return ptr;
  }
  if (S[ptr] === s) {
    R[CLOW] = E[ptr];
    let j = ptr;
    while (j + 1 < b1 && S[j + 1] === s) j++;
    R[CHIGH] = E[j];
    return ptr;
  }
  if (ptr === b0) {
    R[CLOW] = R[CHIGH] = E[b0];
    return ptr;
  }
  const s0 = S[ptr - 1];
  const e0 = E[ptr - 1];
  R[CLOW] = R[CHIGH] = e0 + ((s - s0) * (E[ptr] - e0)) / (S[ptr] - s0);
  return ptr;
}

/** σ-range of a curve [b0, b1) at E (±∞ at the curve's ends): sets R[CLOW], R[CHIGH]. */
function slopeAt(E: Float64Array, S: Float64Array, b0: number, b1: number): void {
  const e = R[AW];
  if (e <= E[b0]) {
    R[CLOW] = -Infinity;
    let j = b0;
    while (j + 1 < b1 && E[j + 1] === E[b0]) j++;
    R[CHIGH] = j === b1 - 1 ? Infinity : e < E[b0] ? -Infinity : S[j];
    if (e < E[b0]) R[CHIGH] = S[b0];
    return;
  }
  if (e >= E[b1 - 1]) {
    R[CHIGH] = Infinity;
    let j = b1 - 1;
    while (j - 1 >= b0 && E[j - 1] === E[b1 - 1]) j--;
    R[CLOW] = e > E[b1 - 1] ? S[b1 - 1] : S[j];
    return;
  }
  let l = b0;
  let h = b1 - 1;
  while (l < h) {
    const m = (l + h) >> 1;
    if (E[m] >= e) h = m;
    else l = m + 1;
  }
  if (E[l] === e) {
    R[CLOW] = S[l];
    let j = l;
    while (j + 1 < b1 && E[j + 1] === e) j++;
    R[CHIGH] = S[j];
    return;
  }
  const e0 = E[l - 1];
  const s0 = S[l - 1];
  R[CLOW] = R[CHIGH] = s0 + ((e - e0) * (S[l] - s0)) / (E[l] - e0);
}

// ---------------------------------------------------------------------------------------------

/**
 * Builds G_t's curve for the stored response [rs, re) into ge/gs; returns its length. With a finite
 * window [wLo, wHi] (R[WLO], R[WHI]) only the part of the curve with σ in the window is built, with
 * vertical rays at its ends: the curve of G_t restricted to the energies it moves at those prices.
 */
function buildPeriodCurve(): number {
  const wLo = R[WLO];
  const wHi = R[WHI];
  // Candidate σ: images of every response point and of every level crossing under both threshold
  // maps (both increasing, so the images of the sorted points are two sorted streams, merged here
  // with the few level and swap candidates).
  const nPts = re - rs;
  const need = 2 * nPts + 24;
  if (ge.length < 2 * need) {
    ge = growF(ge, 2 * need);
    gs = growF(gs, 2 * need);
  }
  let nx = 0;
  for (let lv = 0; lv < 4; lv++) {
    const level = lv === 0 ? -R[CMAX] : lv === 1 ? 0 : lv === 2 ? R[DMAX] : R[DMAX] - R[CMAX];
    R[AY] = level;
    muSet();
    if (Number.isFinite(R[MULOW])) nx = addCandidates(nx, MULOW);
    if (Number.isFinite(R[MUHIGH])) nx = addCandidates(nx, MUHIGH);
  }
  // Where the thresholds swap order.
  const k = 1 / R[ETAD] - R[ETAC];
  if (k > 0 && !tied) sigma[nx++] = (-2 * R[THETA]) / (R[DT] * k);
  sortRange(sigma, nx);
  const cScale = 1 / (R[DT] * R[ETAC]);
  const dScale = R[ETAD] / R[DT];
  let ic = rs;
  let id = tied ? re : rs;
  walk[0] = rs;
  walk[1] = rs;
  walking = true;
  let ix = 0;
  let out = 0;
  let last = NaN;
  for (;;) {
    let next = Infinity;
    let src = -1;
    if (ic < re) {
      next = (gm[ic] + R[THETA]) * cScale;
      src = 0;
    }
    if (id < re) {
      const v = (gm[id] - R[THETA]) * dScale;
      if (v < next) {
        next = v;
        src = 1;
      }
    }
    if (ix < nx && sigma[ix] < next) {
      next = sigma[ix];
      src = 2;
    }
    if (src < 0) break;
    if (src === 0) ic++;
    else if (src === 1) id++;
    else ix++;
    if (next === last || !Number.isFinite(next) || next <= wLo) continue;
    if (last !== last && wLo > -Infinity) {
      // The window's lower end, before the first candidate inside it.
      R[ASIG] = wLo;
      out = pushAnswer(out);
    }
    if (next >= wHi) break;
    last = next;
    R[ASIG] = next;
    out = pushAnswer(out);
  }
  if (wLo > -Infinity) {
    if (out === 0) {
      R[ASIG] = wLo;
      out = pushAnswer(out);
    }
    R[ASIG] = wHi;
    out = pushAnswer(out);
  }
  walking = false;
  if (out === 0) {
    // No candidate at all (no breakpoint): the answer does not depend on σ.
    R[ASIG] = 0;
    out = pushAnswer(out);
  }
  return out;
}

function addCandidates(nc: number, slot: number): number {
  const mu = R[slot];
  if (!Number.isFinite(mu)) return nc;
  if (nc + 2 > sigma.length) sigma = growF(sigma, nc + 8);
  sigma[nc++] = (mu + R[THETA]) * (1 / (R[DT] * R[ETAC]));
  if (!tied) sigma[nc++] = (mu - R[THETA]) * (R[ETAD] / R[DT]);
  return nc;
}

/**
 * Solves the local problem of storage `s` exactly. On entry v holds the targets of the trades of
 * its period agents; on return their optimal trades. `mu[first + t]` is read as a warm start (the
 * fast path's starting prices; used to pick a point when the period price is not unique, and to
 * guess the warm window) and receives μ_t; `H.charge` and `H.discharge` are read as the previous
 * solve's (its active set) and receive c_t and d_t. The warm start changes the speed and the
 * rounding, not the solution. Tries the fast path, the active-set method, then the dynamic
 * programme on a window of energy prices, then on the whole curves; each is accepted only when
 * exact (docs/multi-period.md).
 * Returns false when the SoC limits cannot be met (the nearest schedule is returned).
 * Allocates nothing once the scratch is large enough.
 */
export function solveStorageLocal(
  P: LocalProblem,
  H: HorizonArrays,
  s: number,
  v: Float64Array,
  rho: number,
  mu: Float64Array,
  detail?: StorageLocalDetail,
): boolean {
  const st = H.storage;
  const T = H.periods;
  const first = st.first[s];
  R[DT] = H.periodHours;
  R[ETAC] = st.etaCharge[s];
  R[ETAD] = st.etaDischarge[s];
  R[THETA] = st.throughputCost[s];
  R[CMAX] = st.chargeMax[s];
  R[DMAX] = st.dischargeMax[s];
  tied = R[THETA] === 0 && R[ETAC] * R[ETAD] === 1;
  const e0 = st.socInitial[s];
  R[RHO] = rho;
  R[SE0] = e0;
  R[SMIN] = st.socMin[s];
  R[SMAX] = st.socMax[s];
  R[SFIN] = st.socFinalMin[s];
  if (gOff.length < T + 2) gOff = growI(gOff, T + 2);
  if (uOff.length < T + 2) uOff = growI(uOff, T + 2);
  if (lowE.length < T + 1) {
    lowE = growF(lowE, T + 1);
    highE = growF(highE, T + 1);
    optE = growF(optE, T + 1);
    optS = growF(optS, T + 1);
    eLo = growF(eLo, T + 1);
    eHi = growF(eHi, T + 1);
    if (bound.length < T + 1) bound = new Int8Array(2 * (T + 1));
    segEnd = growI(segEnd, T + 1);
    segKind = growI(segKind, T + 1);
    segRound = growI(segRound, T + 1);
  }
  if (rootOk.length < T + 1) growRoots(T);
  if (fMu.length < T + 1) growFast(T);
  for (let t = 1; t <= T; t++) {
    lowE[t] = t === T ? Math.max(R[SMIN], R[SFIN]) : R[SMIN];
    highE[t] = R[SMAX];
  }
  // 0. The fast path, from the previous solve's answer (no response curves).
  if (activeSet && fastPath && fastApplies(P, first, T)) {
    activeSetStart(H, first, T);
    priceHints(H, mu, first, T);
    if (fastSolve(P, H, v, mu, first, T)) {
      solveStats[4]++;
      if (detail) {
        let E = e0;
        for (let t = 0; t < T; t++) {
          E += R[DT] * (R[ETAC] * H.charge[first + t] - H.discharge[first + t] / R[ETAD]);
          detail.soc[t] = E;
          detail.energyPrice[t] = optS[t + 1];
        }
      }
      return true;
    }
  }
  // 1. Net responses of every period.
  let at = 0;
  for (let t = 0; t < T; t++) {
    gOff[t] = at;
    curStart = at;
    at = buildResponse(P, first + t, v, at);
  }
  gOff[T] = at;
  // 2. The chain, first on the part of the curves near the energy prices that the period prices
  // μ (the previous iterate's) suggest, which is exact when the prices found stay inside it.
  let feasible = false;
  let solved = false;
  if (activeSet) {
    activeSetStart(H, first, T);
    priceHints(H, mu, first, T);
    solved = activeSetSolve(T);
    if (solved) {
      feasible = true;
      solveStats[0]++;
    }
  }
  if (!solved && windowing && T > 1) {
    windowFromPrices(mu, first, T);
    for (let attempt = 0; attempt < 2 && !solved; attempt++) {
      if (!(R[WLO] < R[WHI]) || !Number.isFinite(R[WLO]) || !Number.isFinite(R[WHI])) break;
      feasible = chain(T);
      solved = feasible && pricesInWindow(T);
      if (solved) solveStats[1]++;
      else widenWindow(T);
    }
  }
  if (!solved) {
    solveStats[2]++;
    R[WLO] = -Infinity;
    R[WHI] = Infinity;
    feasible = chain(T);
  }
  // 3. Each period from (σ_t, e_t).
  for (let t = T; t >= 1; t--) {
    rs = gOff[t - 1];
    re = gOff[t];
    const sg = optS[t];
    R[ASIG] = sg;
    answer();
    R[AE] = optE[t] - optE[t - 1];
    decide();
    reconstruct(P, first + t - 1, v, mu, H);
    if (detail) detail.energyPrice[t - 1] = sg;
  }
  if (detail) {
    let E = e0;
    for (let t = 0; t < T; t++) {
      E += R[DT] * (R[ETAC] * H.charge[first + t] - H.discharge[first + t] / R[ETAD]);
      detail.soc[t] = E;
    }
  }
  return feasible;
}

/**
 * The chain on the period curves (restricted to the window [R[WLO], R[WHI]]): forward pass
 * u_t = V_{t−1} □ G_t, V_t = clamp(u_t); least point of V_T; backtracking along the stored splits
 * into optE[0..T] and optS[1..T]. Returns whether the SoC limits could be met.
 */
function chain(T: number): boolean {
  const e0 = R[SE0];
  const sMin = R[SMIN];
  const sMax = R[SMAX];
  const sFinal = R[SFIN];
  let feasible = true;
  let uEnd = 0;
  for (let t = 1; t <= T; t++) {
    rs = gOff[t - 1];
    re = gOff[t];
    const ng = buildPeriodCurve();
    lowE[t] = t === T ? Math.max(sMin, sFinal) : sMin;
    highE[t] = sMax;
    const base = uEnd;
    uOff[t] = base;
    let need = base + 2 * (ng + 2);
    if (t > 1) need += 2 * (uOff[t] - uOff[t - 1] + 2);
    if (ue.length < need) {
      ue = growF(ue, need);
      us = growF(us, need);
      ua = growF(ua, need);
    }
    let out = base;
    if (t === 1) {
      for (let i = 0; i < ng; i++) {
        R[AE] = e0 + ge[i];
        R[AS] = gs[i];
        R[AA] = e0;
        out = pushU(base, out);
      }
    } else {
      // Merge the σ of V_{t−1} (its points and where it meets its box) with those of G_t.
      const p0 = uOff[t - 1];
      const p1 = base;
      const L = lowE[t - 1];
      const U = highE[t - 1];
      R[AW] = L;
      slopeAt(ue, us, p0, p1);
      const sL = R[CHIGH];
      const sLlow = R[CLOW];
      R[AW] = U;
      slopeAt(ue, us, p0, p1);
      const sU = R[CLOW];
      const sUhigh = R[CHIGH];
      const ftol = 1e-9 * (1 + Math.abs(L) + Math.abs(U));
      if (!(ue[p1 - 1] >= L - ftol && ue[p0] <= U + ftol)) feasible = false;
      // Extra σ values: sL and sU when finite (kinks of the clamp).
      let extra0 = Number.isFinite(sL) ? sL : Number.isFinite(sLlow) ? sLlow : NaN;
      let extra1 = Number.isFinite(sU) ? sU : Number.isFinite(sUhigh) ? sUhigh : NaN;
      // V_{t−1} is constant (clamped) for σ below sL and above sU: its points there are no
      // breakpoints of V_{t−1}, so only the window [sL, sU] of u_{t−1} is merged.
      let i = p0;
      if (Number.isFinite(sL)) while (i < p1 && us[i] < sL) i++;
      let iEnd = p1;
      if (Number.isFinite(sU)) while (iEnd > i && us[iEnd - 1] > sU) iEnd--;
      let j = 0;
      let pa = p0;
      let pg = 0;
      for (;;) {
        let next = Infinity;
        if (i < iEnd && us[i] < next) next = us[i];
        if (j < ng && gs[j] < next) next = gs[j];
        if (extra0 < next) next = extra0;
        if (extra1 < next) next = extra1;
        if (next === Infinity) break;
        while (i < iEnd && us[i] === next) i++;
        while (j < ng && gs[j] === next) j++;
        if (extra0 === next) extra0 = NaN;
        if (extra1 === next) extra1 = NaN;
        R[AW] = next;
        pa = walkAt(ue, us, p0, p1, pa);
        const aLow = R[CLOW] < L ? L : R[CLOW] > U ? U : R[CLOW];
        const aHigh = R[CHIGH] < L ? L : R[CHIGH] > U ? U : R[CHIGH];
        pg = walkAt(ge, gs, 0, ng, pg);
        R[AE] = aLow + R[CLOW];
        R[AS] = next;
        R[AA] = aLow;
        out = pushU(base, out);
        R[AE] = aHigh + R[CHIGH];
        R[AA] = aHigh;
        out = pushU(base, out);
        if (out + 4 > ue.length) {
          ue = growF(ue, out + 8);
          us = growF(us, out + 8);
          ua = growF(ua, out + 8);
        }
      }
    }
    uEnd = out;
    uOff[t + 1] = uEnd;
  }
  // 3. Least point of V_T, then backtrack along the stored splits.
  R[AW] = 0;
  curveAt(ue, us, uOff[T], uOff[T + 1]);
  {
    const L = lowE[T];
    const U = highE[T];
    optE[T] = R[CLOW] < L ? L : R[CLOW] > U ? U : R[CLOW];
    const ftol = 1e-9 * (1 + Math.abs(L) + Math.abs(U));
    if (!(ue[uOff[T + 1] - 1] >= L - ftol && ue[uOff[T]] <= U + ftol)) feasible = false;
  }
  let target = 0;
  for (let t = T; t >= 1; t--) {
    R[AE] = optE[t];
    R[AS] = target;
    locate(uOff[t], uOff[t + 1]);
    optE[t - 1] = t === 1 ? e0 : R[LOCA];
    optS[t] = R[LOCS];
    target = R[LOCS];
  }
  optE[0] = e0;
  return feasible;
}

/**
 * Whether the backtracked energy prices lie in the window: then every (e_t, σ_t) is a point of
 * G_t's whole curve, the restricted chain's KKT conditions are those of the whole problem, and its
 * solution is the exact one (docs/multi-period.md, "Warm window").
 */
function pricesInWindow(T: number): boolean {
  const lo = R[WLO];
  const hi = R[WHI];
  for (let t = 1; t <= T; t++) {
    const sg = optS[t];
    if (!(sg >= lo && sg <= hi)) return false;
  }
  return true;
}

/** Window guess: the energy prices that the period prices μ_t make the storage idle at, widened. */
function windowFromPrices(mu: Float64Array, first: number, T: number): void {
  let lo = Infinity;
  let hi = -Infinity;
  const cScale = 1 / (R[DT] * R[ETAC]);
  const dScale = R[ETAD] / R[DT];
  for (let t = 0; t < T; t++) {
    const m = mu[first + t];
    // σ at which the storage would start to discharge, and to charge, at price m.
    const a = (m - R[THETA]) * dScale;
    const b = (m + R[THETA]) * cScale;
    if (a < lo) lo = a;
    if (b > hi) hi = b;
  }
  R[WLO] = lo;
  R[WHI] = hi;
  widenBy(0.25);
}

function widenBy(f: number): void {
  const w = R[WHI] - R[WLO];
  const pad = f * w + 1e-3 * (Math.abs(R[WLO]) + Math.abs(R[WHI])) + 1e-9;
  R[WLO] -= pad;
  R[WHI] += pad;
}

/** After a failed try: the window grown to hold the prices found, and widened. */
function widenWindow(T: number): void {
  for (let t = 1; t <= T; t++) {
    const sg = optS[t];
    if (!Number.isFinite(sg)) continue;
    if (sg < R[WLO]) R[WLO] = sg;
    if (sg > R[WHI]) R[WHI] = sg;
  }
  widenBy(1);
}

/**
 * How calls were solved, for tests and measurements: [by the active-set method, by the dynamic
 * programme on a window, by the dynamic programme on the whole curves, active-set rounds, by the
 * fast path, of which with prices moved within their root intervals, fast-path segments reused from an
 * earlier round, fast-path period answers from slopes (`fastShift`)].
 */
export const storageSolveStats = new Float64Array(8);
const solveStats = storageSolveStats;

/** Whether `solveStorageLocal` first tries the warm window (tests compare both ways). */
let windowing = true;

/** Turns the warm window on or off (for tests: off solves every call on the whole curves). */
export function setStorageWindowing(on: boolean): void {
  windowing = on;
}

// ---------------------------------------------------------------------------------------------
// Active-set method on the SoC chain (docs/multi-period.md, "Active set"): the periods whose E_t
// sits at a limit split the horizon into segments; on a segment the energy price is one σ, the
// root of Σ_t e_t(σ) = (the segment's energy move); the result is accepted only when every KKT
// condition of the chain holds, so it is the exact solution; otherwise the chain's dynamic
// programme above solves the call.

/** Whether `solveStorageLocal` first tries the active-set method (tests compare both ways). */
let activeSet = true;

/** Turns the active-set method on or off (off: every call by the dynamic programme). */
export function setStorageActiveSet(on: boolean): void {
  activeSet = on;
}

/** Maximum active-set changes before falling back to the dynamic programme. */
const ACTIVE_SET_ROUNDS = 12;

/** e-range of period t (1-based) at σ = R[ASIG] into R[ELOW], R[EHIGH]. */
function periodAt(t: number): void {
  rs = gOff[t - 1];
  re = gOff[t];
  answer();
}

/** Σ over periods a+1..b of the e-ranges at σ = R[ASIG], into R[SLO], R[SHI]. */
function segmentAt(a: number, b: number): void {
  let lo = 0;
  let hi = 0;
  for (let t = a + 1; t <= b; t++) {
    periodAt(t);
    lo += R[ELOW];
    hi += R[EHIGH];
  }
  R[SLO] = lo;
  R[SHI] = hi;
}

/** Prices beyond every breakpoint of the periods a+1..b into R[BLO], R[BHI]; false when there are none finite. */
function segmentBracket(a: number, b: number): boolean {
  const cScale = 1 / (R[DT] * R[ETAC]);
  const dScale = R[ETAD] / R[DT];
  // Beyond every point of every Γ_t under both threshold maps (and the swap of the thresholds),
  // each period sits on a level of the staircase.
  let sLo = Infinity;
  let sHi = -Infinity;
  for (let t = a + 1; t <= b; t++) {
    const m0 = gm[gOff[t - 1]];
    const m1 = gm[gOff[t] - 1];
    const l = Math.min((m0 - R[THETA]) * dScale, (m0 + R[THETA]) * cScale);
    const h = Math.max((m1 - R[THETA]) * dScale, (m1 + R[THETA]) * cScale);
    if (l < sLo) sLo = l;
    if (h > sHi) sHi = h;
  }
  const k = 1 / R[ETAD] - R[ETAC];
  if (k > 0 && !tied) {
    const sw = (-2 * R[THETA]) / (R[DT] * k);
    if (sw < sLo) sLo = sw;
    if (sw > sHi) sHi = sw;
  }
  if (!Number.isFinite(sLo) || !Number.isFinite(sHi)) return false;
  const pad = 1 + 1e-3 * (Math.abs(sLo) + Math.abs(sHi));
  R[BLO] = sLo - pad;
  R[BHI] = sHi + pad;
  return true;
}

/**
 * The energy price σ of segment a+1..b whose energy moves sum to D = R[AE] (within rounding), by
 * regula falsi (Illinois) on the non-decreasing piecewise-linear Σ_t e_t(σ), bracketed by prices
 * beyond every breakpoint. Leaves σ in R[ASIG] and the periods' e-ranges in eLo/eHi; returns false
 * when no σ fits (the segment cannot move D).
 */
function segmentPrice(a: number, b: number): boolean {
  const D = R[AE];
  if (!segmentBracket(a, b)) return false;
  let sLo = R[BLO];
  let sHi = R[BHI];
  const eScale = R[DT] * (R[CMAX] + R[DMAX]) * (b - a) + Math.abs(D);
  const tol = 1e-13 * eScale;
  // f(σ) = distance of D from the e-range: < 0 left of the root, > 0 right of it.
  let fLo = Number.NaN;
  let fHi = Number.NaN;
  // Warm bracket: probes outward from the price the previous solve implies (`segmentHint`), steps growing
  // eightfold; a side the probes do not bound keeps the bracket beyond every breakpoint.
  const g = segmentHint(a, b, sLo, sHi);
  if (g === g) {
    let step = 1e-6 * (sHi - sLo);
    let x = g;
    for (let j = 0; j < 12; j++) {
      R[ASIG] = x;
      segmentAt(a, b);
      const over = R[SLO] - D;
      const under = R[SHI] - D;
      if (over <= tol && under >= -tol) return segmentSplit(a, b);
      if (under < 0) {
        sLo = x;
        fLo = under;
        if (fHi === fHi) break;
        x = g + step;
      } else {
        sHi = x;
        fHi = over;
        if (fLo === fLo) break;
        x = g - step;
      }
      step *= 8;
      if (!(x > sLo && x < sHi)) break;
    }
  }
  if (fLo !== fLo) {
    R[ASIG] = sLo;
    segmentAt(a, b);
    fLo = R[SHI] - D;
    if (R[SLO] - D > tol) return false;
    if (fLo >= -tol) return segmentSplit(a, b);
  }
  if (fHi !== fHi) {
    R[ASIG] = sHi;
    segmentAt(a, b);
    fHi = R[SLO] - D;
    if (R[SHI] - D < -tol) return false;
    if (fHi <= tol) return segmentSplit(a, b);
  }
  let side = 0;
  for (let it = 0; it < 200; it++) {
    let sg = sLo - (fLo * (sHi - sLo)) / (fHi - fLo);
    if (!(sg > sLo && sg < sHi)) sg = 0.5 * (sLo + sHi);
    if (!(sg > sLo && sg < sHi)) {
      // The bracket is two adjacent doubles: the root is at one of them within rounding.
      R[ASIG] = sHi;
      segmentAt(a, b);
      if (R[SLO] - D <= 64 * tol) return segmentSplit(a, b);
      R[ASIG] = sLo;
      segmentAt(a, b);
      if (R[SHI] - D >= -64 * tol) return segmentSplit(a, b);
      return false;
    }
    R[ASIG] = sg;
    segmentAt(a, b);
    const over = R[SLO] - D;
    const under = R[SHI] - D;
    if (over <= tol && under >= -tol) return segmentSplit(a, b);
    if (under < 0) {
      sLo = sg;
      fLo = under;
      if (side === -1) fHi *= 0.5;
      side = -1;
    } else {
      sHi = sg;
      fHi = over;
      if (side === 1) fLo *= 0.5;
      side = 1;
    }
  }
  return false;
}

/**
 * A first price to probe for segment a+1..b, inside (lo, hi): the mean of the periods' single
 * prices (partial charge or discharge) when there are some, else the middle (or the finite end) of
 * the intersection of their ranges; NaN when there is none (then the root search starts from the
 * bracket beyond every breakpoint).
 */
function segmentHint(a: number, b: number, lo: number, hi: number): number {
  let sum = 0;
  let count = 0;
  let L = -Infinity;
  let U = Infinity;
  for (let t = a + 1; t <= b; t++) {
    const h0 = hintLo[t];
    const h1 = hintHi[t];
    if (h0 === h1) {
      if (h0 > lo && h0 < hi) {
        sum += h0;
        count++;
      }
    } else {
      if (h0 > L) L = h0;
      if (h1 < U) U = h1;
    }
  }
  let g: number;
  if (count > 0) g = sum / count;
  else if (L > -Infinity && U < Infinity) g = 0.5 * (L + U);
  else if (L > -Infinity) g = L;
  else if (U < Infinity) g = U;
  else return Number.NaN;
  return g > lo && g < hi ? g : Number.NaN;
}

/** Fills `hintLo`/`hintHi[1..T]` from the previous solve's μ, charge and discharge of the storage's period agents. */
function priceHints(H: HorizonArrays, mu: Float64Array, first: number, T: number): void {
  const cmax = R[CMAX];
  const dmax = R[DMAX];
  const cScale = 1 / (R[DT] * R[ETAC]);
  const dScale = R[ETAD] / R[DT];
  for (let t = 1; t <= T; t++) {
    const c = H.charge[first + t - 1];
    const d = H.discharge[first + t - 1];
    const m = mu[first + t - 1];
    const sc = (m + R[THETA]) * cScale; // μ on the charge threshold
    const sd = (m - R[THETA]) * dScale; // μ on the discharge threshold
    let h0 = Number.NaN;
    let h1 = Number.NaN;
    if (!(Number.isFinite(sc) && Number.isFinite(sd) && c >= 0 && d >= 0)) {
      // unknown
    } else if (c > 0 && c < cmax && d === 0) h0 = h1 = sc;
    else if (d > 0 && d < dmax && c === 0) h0 = h1 = sd;
    else if (c === 0 && d === 0 && sd < sc) {
      h0 = sd;
      h1 = sc;
    } else if (c === cmax && d === 0) {
      h0 = sc;
      h1 = Infinity;
    } else if (d === dmax && c === 0) {
      h0 = -Infinity;
      h1 = sd;
    }
    hintLo[t] = h0;
    hintHi[t] = h1;
  }
}

/** At the root σ = R[ASIG]: each period's e-range into eLo/eHi, σ into optS; the moves split to sum to D = R[AE]. */
function segmentSplit(a: number, b: number): boolean {
  const sg = R[ASIG];
  const D = R[AE];
  let lo = 0;
  let hi = 0;
  R[ASIG] = sg;
  for (let t = a + 1; t <= b; t++) {
    periodAt(t);
    eLo[t] = R[ELOW];
    eHi[t] = R[EHIGH];
    lo += R[ELOW];
    hi += R[EHIGH];
    optS[t] = sg;
  }
  // The same fraction of every period's range (each move stays within its range).
  let f = hi > lo ? (D - lo) / (hi - lo) : 0;
  f = f < 0 ? 0 : f > 1 ? 1 : f;
  let E = optE[a];
  for (let t = a + 1; t <= b; t++) {
    E += eLo[t] + f * (eHi[t] - eLo[t]);
    optE[t] = E;
  }
  return true;
}

/**
 * The active set of the previous solve of this storage (its charge and discharge are still in
 * H's arrays): the periods after which its SoC was at a limit. Only the speed depends on it.
 */
function activeSetStart(H: HorizonArrays, first: number, T: number): void {
  let E = R[SE0];
  const span = Math.abs(R[SMAX]) + Math.abs(R[SMIN]) + Math.abs(R[SFIN]);
  const near = 1e-9 * span + 1e-300;
  for (let t = 1; t <= T; t++) {
    const c = H.charge[first + t - 1];
    const d = H.discharge[first + t - 1];
    if (Number.isFinite(c) && Number.isFinite(d)) E += R[DT] * (R[ETAC] * c - d / R[ETAD]);
    bound[t] = E <= lowE[t] + near ? -1 : E >= highE[t] - near ? 1 : 0;
  }
}

/**
 * Solves the chain by the active-set method into optE[0..T], optS[1..T]; true when every KKT
 * condition of the chain holds (then it is the exact solution).
 */
function activeSetSolve(T: number): boolean {
  const span = Math.abs(R[SMAX]) + Math.abs(R[SMIN]) + Math.abs(R[SFIN]) + R[DT] * (R[CMAX] + R[DMAX]);
  const eTol = 1e-12 * span;
  optE[0] = R[SE0];
  for (let t = 0; t <= T; t++) segRound[t] = -1;
  for (let round = 0; round < ACTIVE_SET_ROUNDS; round++) {
    solveStats[3]++;
    // Segments between held periods; the last one ends free (σ = 0) unless T is held.
    let a = 0;
    let ok = true;
    for (let b = 1; b <= T && ok; b++) {
      if (bound[b] === 0 && b < T) continue;
      if (bound[b] !== 0) {
        const kind = 3 * (a === 0 ? 0 : bound[a] + 2) + bound[b] + 1;
        if (!(round > 0 && segRound[a] === round - 1 && segEnd[a] === b && segKind[a] === kind)) {
          R[AE] = (bound[b] < 0 ? lowE[b] : highE[b]) - optE[a];
          ok = segmentPrice(a, b);
          rootOk[a] = 0;
          if (ok) optE[b] = bound[b] < 0 ? lowE[b] : highE[b];
        }
        segEnd[a] = b;
        segKind[a] = kind;
        segRound[a] = round;
      } else {
        // Free end: σ = 0, the least E_T (as the dynamic programme takes the least point of V_T).
        R[ASIG] = 0;
        let E = optE[a];
        for (let t = a + 1; t <= b; t++) {
          periodAt(t);
          E += R[ELOW];
          optE[t] = E;
          optS[t] = 0;
        }
      }
      a = b;
    }
    if (!ok) return false;
    if (primalHold(T, eTol)) continue;
    let worstB = dualWorst(T, eTol);
    if (worstB < 0) return false; // no SoC fits: the programme reports it
    // Degenerate segments may have picked prices that break a jump condition while others in
    // their root intervals meet it: first a cheap greedy choice, then the exact interval passes.
    for (let pass = 0; pass < 2 && worstB > 0; pass++) {
      if (!(pass === 0 ? chooseGreedy(T) : chooseRoots(T))) continue;
      // A segment re-split at its new price may move its inner SoC: the primal conditions again.
      if (primalHold(T, eTol)) {
        for (let t = 0; t <= T; t++) segRound[t] = -1;
        worstB = -2;
        break;
      }
      worstB = dualWorst(T, eTol);
    }
    if (worstB === -2) continue;
    if (worstB < 0) return false;
    if (worstB === 0) return true;
    bound[worstB] = 0;
  }
  return false;
}

/** Primal step: the most violated free period of each segment is held; returns whether any was. */
function primalHold(T: number, eTol: number): boolean {
  let changed = false;
  let worst = 0;
  let worstT = 0;
  for (let t = 1; t <= T; t++) {
    if (bound[t] === 0) {
      const v = optE[t] < lowE[t] - eTol ? lowE[t] - optE[t] : optE[t] > highE[t] + eTol ? optE[t] - highE[t] : 0;
      if (v > worst) {
        worst = v;
        worstT = t;
      }
    }
    if ((bound[t] !== 0 || t === T) && worstT > 0) {
      bound[worstT] = optE[worstT] < lowE[worstT] ? -1 : 1;
      changed = true;
      worst = 0;
      worstT = 0;
    }
  }
  return changed;
}

/**
 * Dual check: across a period held full the price may only rise, across one held empty only fall;
 * the end: σ_T ≥ 0 when held at its lower limit, ≤ 0 at its upper one. Returns the period of the
 * worst violation (0: none; −1: a held period whose limits cross).
 */
function dualWorst(T: number, eTol: number): number {
  let worstD = 0;
  let worstB = 0;
  for (let t = 1; t <= T; t++) {
    if (bound[t] !== 0 && lowE[t] > highE[t] + eTol) return -1;
    // A period whose limits coincide (lowE = highE) may take any price jump.
    if (bound[t] === 0 || lowE[t] >= highE[t]) continue;
    const next = t === T ? 0 : optS[t + 1];
    const jump = bound[t] > 0 ? optS[t] - next : next - optS[t];
    const sTol = 1e-12 * (1 + Math.abs(optS[t]) + Math.abs(next));
    if (jump > sTol && jump > worstD) {
      worstD = jump;
      worstB = t;
    }
  }
  return worstB;
}

/** The energy move of the held segment ending at b, from E_a = optE[a]. */
function segmentMove(a: number, b: number): number {
  return (bound[b] < 0 ? lowE[b] : highE[b]) - optE[a];
}

/** Whether σ is a root of segment a+1..b for the move D (within the tolerance of `segmentPrice`). */
function isRoot(a: number, b: number, D: number, tol: number, sg: number): boolean {
  R[ASIG] = sg;
  segmentAt(a, b);
  return R[SLO] - D <= tol && R[SHI] - D >= -tol;
}

/**
 * The interval of roots of segment a+1..b around its price σ* = optS[b] into rootLo[a], rootHi[a]:
 * its ends are prices checked to be roots (bisection towards the bracket; ±∞ when the bracket
 * end, beyond every breakpoint, is a root). Roots form an interval (Σ_t e_t is monotone), so
 * every price between the ends is one. A degenerate segment (held at a limit at both ends, not
 * moving: a battery that stays empty) has a whole band of prices; the regula falsi picks one.
 */
function segmentRoots(a: number, b: number): void {
  const D = segmentMove(a, b);
  const star = optS[b];
  rootLo[a] = rootHi[a] = star;
  rootOk[a] = 1;
  if (!segmentBracket(a, b)) return;
  const bLo = R[BLO];
  const bHi = R[BHI];
  const tol = 1e-13 * (R[DT] * (R[CMAX] + R[DMAX]) * (b - a) + Math.abs(D));
  const step = 1e-9 * (1 + Math.abs(star));
  // A single period that does not move (held at one limit on both sides): its idle band, from the
  // μ-range where Γ_t = 0, is [(μ̲ − θ)ηd/Δ, (μ̄ + θ)/(Δηc)] while the thresholds are in order
  // (checked: an end that is not a root is left to the bisection below).
  let doneLo = false;
  let doneHi = false;
  if (b === a + 1 && D === 0 && !tied) {
    rs = gOff[a];
    re = gOff[b];
    R[AY] = 0;
    muSet();
    const m0 = R[MULOW];
    const m1 = R[MUHIGH];
    const k = 1 / R[ETAD] - R[ETAC];
    const sw = k > 0 ? (-2 * R[THETA]) / (R[DT] * k) : -Infinity;
    if (Number.isFinite(m0)) {
      const c = (m0 - R[THETA]) * (R[ETAD] / R[DT]);
      if (c <= star && c > sw && isRoot(a, b, D, tol, c)) {
        rootLo[a] = c;
        doneLo = true;
      }
    }
    if (Number.isFinite(m1)) {
      const c = (m1 + R[THETA]) * (1 / (R[DT] * R[ETAC]));
      if (c >= star && c > sw && isRoot(a, b, D, tol, c)) {
        rootHi[a] = c;
        doneHi = true;
      }
    }
  }
  for (let side = -1; side <= 1; side += 2) {
    if (side < 0 ? doneLo : doneHi) continue;
    const probe = star + side * step;
    if (!isRoot(a, b, D, tol, probe)) continue;
    const far = side < 0 ? bLo : bHi;
    let inS = probe;
    if (isRoot(a, b, D, tol, far)) inS = side < 0 ? -Infinity : Infinity;
    else {
      let outS = far;
      for (let it = 0; it < 200; it++) {
        const mid = 0.5 * (inS + outS);
        if (mid === inS || mid === outS) break;
        if (isRoot(a, b, D, tol, mid)) inS = mid;
        else outS = mid;
        if (Math.abs(outS - inS) <= 1e-15 * (Math.abs(inS) + Math.abs(outS))) break;
      }
    }
    if (side < 0) rootLo[a] = inS;
    else rootHi[a] = inS;
  }
}

/**
 * Greedy pass from the end: a held segment whose price breaks the jump condition with the next
 * segment's price, or that continues a run of periods held at the same limit, takes the next
 * segment's price when that is one of its roots (a zero jump: for a run held at one limit the
 * choice that leaves the most room to the segments before). Returns whether any price moved.
 */
function chooseGreedy(T: number): boolean {
  let moved = false;
  let b = T;
  let next = 0;
  while (b > 0) {
    let a = b - 1;
    while (a > 0 && bound[a] === 0) a--;
    if (bound[b] === 0) {
      next = 0;
      b = a;
      continue;
    }
    const star = optS[b];
    let sg = star;
    if (lowE[b] < highE[b] && star !== next) {
      const breaks = bound[b] > 0 ? star > next : star < next;
      const run = a > 0 && bound[a] === bound[b] && lowE[a] < highE[a];
      if (breaks || run) {
        const D = segmentMove(a, b);
        const tol = 1e-13 * (R[DT] * (R[CMAX] + R[DMAX]) * (b - a) + Math.abs(D));
        if (isRoot(a, b, D, tol, next)) {
          sg = next;
          R[AE] = D;
          R[ASIG] = sg;
          segmentSplit(a, b);
          moved = true;
        }
      }
    }
    next = sg;
    b = a;
  }
  return moved;
}

/**
 * When the dual check fails only because degenerate segments picked unlucky prices in their root
 * intervals: prices inside the intervals that satisfy every jump condition (backward pass: the
 * prices each segment may take given the segments after it; forward pass: each segment's price
 * nearest its regula-falsi root among those). Re-splits a segment whose price moved and returns
 * true; false (nothing changed) when no such prices exist.
 */
function chooseRoots(T: number): boolean {
  // Backward pass.
  let b = T;
  let nextLo = 0;
  let nextHi = 0;
  while (b > 0) {
    let a = b - 1;
    while (a > 0 && bound[a] === 0) a--;
    let lo = 0;
    let hi = 0;
    if (bound[b] !== 0) {
      if (rootOk[a] === 0) segmentRoots(a, b);
      lo = rootLo[a];
      hi = rootHi[a];
      if (b === T && lowE[T] < highE[T]) {
        if (bound[T] < 0) lo = lo < 0 ? 0 : lo;
        else hi = hi > 0 ? 0 : hi;
      }
    }
    if (b < T && bound[b] !== 0 && lowE[b] < highE[b]) {
      // Across b (held full: σ_b ≤ σ_{b+1}; held empty: σ_b ≥ σ_{b+1}).
      if (bound[b] > 0) hi = hi < nextHi ? hi : nextHi;
      else lo = lo > nextLo ? lo : nextLo;
    }
    if (!(lo <= hi)) return false;
    feasLo[a] = lo;
    feasHi[a] = hi;
    nextLo = lo;
    nextHi = hi;
    b = a;
  }
  // Forward pass.
  let a = 0;
  let prev = 0;
  for (b = 1; b <= T; b++) {
    if (bound[b] === 0) continue;
    let lo = feasLo[a];
    let hi = feasHi[a];
    if (a > 0 && lowE[a] < highE[a]) {
      if (bound[a] > 0) lo = lo > prev ? lo : prev;
      else hi = hi < prev ? hi : prev;
    }
    const star = optS[b];
    const sg = star < lo ? lo : star > hi ? hi : star;
    if (sg !== star) {
      R[AE] = segmentMove(a, b);
      R[ASIG] = sg;
      segmentSplit(a, b);
    }
    prev = sg;
    a = b;
  }
  return true;
}

/** Outputs of `locate`. */

/**
 * The point of curve u [b0, b1) at E, with the σ nearest to `target` among those allowed there,
 * and its split part A (linear along a segment, constant on a run of equal E).
 */
function locate(b0: number, b1: number): void {
  const e = R[AE];
  const target = R[AS];
  // Points within rounding of e count as at e (a kink of u: σ may move, A stays).
  const tol = 1e-12 * (1 + Math.abs(e) + Math.abs(ue[b0]) + Math.abs(ue[b1 - 1]));
  let l = b0;
  let h = b1 - 1;
  if (e - tol > ue[b1 - 1]) l = h = b1 - 1;
  else {
    while (l < h) {
      const m = (l + h) >> 1;
      if (ue[m] >= e - tol) h = m;
      else l = m + 1;
    }
  }
  if (ue[l] <= e + tol || l === b0) {
    let j = l;
    while (j + 1 < b1 && ue[j + 1] <= e + tol) j++;
    const lo = l === b0 ? -Infinity : us[l];
    const hi = j === b1 - 1 ? Infinity : us[j];
    R[LOCS] = target < lo ? lo : target > hi ? hi : target;
    // A along the run: at the point of the run whose σ is nearest to R[LOCS].
    let k = l;
    while (k < j && us[k + 1] <= R[LOCS]) k++;
    R[LOCA] = ua[k];
    return;
  }
  const f = (e - ue[l - 1]) / (ue[l] - ue[l - 1]);
  R[LOCS] = us[l - 1] + f * (us[l] - us[l - 1]);
  R[LOCA] = ua[l - 1] + f * (ua[l] - ua[l - 1]);
}

/** Writes the trades, μ, c and d of period agent n from `outC`, `outD` and the current region. */
function reconstruct(P: LocalProblem, n: number, v: Float64Array, mu: Float64Array, H: HorizonArrays): void {
  const rho = R[RHO];
  const y = R[OUTD] - R[OUTC];
  // Nominal price of the region, then the point of Γ with this y nearest to it.
  let nominal: number;
  let lo = -Infinity;
  let hi = Infinity;
  switch (region) {
    case LEVEL0:
      nominal = mu[n];
      hi = R[MU1];
      break;
    case LEVEL1:
      nominal = mu[n];
      lo = R[MU1];
      hi = R[MU2];
      break;
    case LEVEL2:
      nominal = mu[n];
      lo = R[MU2];
      break;
    case RISER2:
      nominal = R[MU2];
      break;
    default:
      nominal = R[MU1];
  }
  R[AY] = y;
  muSet();
  let m: number;
  if (Number.isNaN(R[MULOW])) m = Number.isFinite(nominal) ? nominal : 0;
  else {
    const a = R[MULOW] > lo ? R[MULOW] : lo;
    const b = R[MUHIGH] < hi ? R[MUHIGH] : hi;
    if (a <= b) m = nominal < a ? a : nominal > b ? b : nominal;
    else m = R[MUHIGH] < lo ? R[MUHIGH] : R[MULOW]; // disjoint by rounding: the end of M nearest to the region
    if (!Number.isFinite(m)) m = Number.isFinite(R[MULOW]) ? R[MULOW] : Number.isFinite(R[MUHIGH]) ? R[MUHIGH] : P.b[n];
  }
  const s = P.tradeStart[n];
  const e = P.tradeStart[n + 1];
  const irho = 1 / rho;
  for (let k = s; k < e; k++) v[k] = tradeAt(v[k], P.lo[k], P.hi[k], P.costSell[k], P.costBuy[k], m, irho);
  mu[n] = m;
  H.charge[n] = R[OUTC];
  H.discharge[n] = R[OUTD];
}

// ---------------------------------------------------------------------------------------------
// Fast path (docs/multi-period.md, "The fast path"): the first try when the previous solve's answer
// is at hand, without the response curves. The active set of the SoC chain is the previous one;
// each held segment's energy price σ is found by Newton's method from the price the previous answer
// implies (`segmentHint`), every period answering σ exactly from Γ_t evaluated where it is needed
// (at the thresholds μc(σ), μd(σ): one or two passes over its trades, as the single-period solve);
// each period that sits on a level of the staircase gets its μ_t by the single-period Newton
// iteration on Γ_t(μ) = y_t. The answer is accepted only when every KKT condition of the chain
// holds (`primalHold`, `dualWorst`), as the active-set method's; otherwise nothing is written and
// the general path solves the call. Only for a > 0 in every period and thresholds that do not tie.

/** Whether `solveStorageLocal` first tries the fast path (tests compare both ways). */
let fastPath = true;

/** Turns the fast path on or off (off: the active-set method and the dynamic programme only). */
export function setStorageFastPath(on: boolean): void {
  fastPath = on;
}

/** Newton steps of the fast path, per segment price and per period price. */
const FAST_STEPS = 12;
/** Changes of the active set the fast path makes before leaving the call to the general path. */
const FAST_ROUNDS = 8;
/** Whether the fast path's last round moved prices within their root intervals (`fastChoosePrices`). */
let chosen = false;

/** Per period t = 1..T of the fast path: μ_t, c_t, d_t and the region (0 full charge, 1 partial charge, 2 idle, 3 partial discharge, 4 full discharge). */
let fMu: Float64Array = new Float64Array(65);
let fC: Float64Array = new Float64Array(65);
let fD: Float64Array = new Float64Array(65);
let fReg: Int8Array = new Int8Array(65);
/**
 * Per period t = 1..T, from its last answer (`fastAnswer`): Γ_t at the charge threshold, its slope
 * −dΓ/dμ and the room in μ above and below before a piece changes; the same at the discharge
 * threshold when it was evaluated (fHasD). They predict the answer to a nearby σ exactly while
 * both thresholds stay on their pieces (`fastPredict`).
 */
let fYc: Float64Array = new Float64Array(65);
let fSc: Float64Array = new Float64Array(65);
let fUc: Float64Array = new Float64Array(65);
let fLc: Float64Array = new Float64Array(65);
let fYd: Float64Array = new Float64Array(65);
let fSd: Float64Array = new Float64Array(65);
let fUd: Float64Array = new Float64Array(65);
let fLd: Float64Array = new Float64Array(65);
let fHasD: Int8Array = new Int8Array(65);
/**
 * Per segment of the fast path, in order: its end b, whether its price is free to move (no period
 * charging or discharging partly: every price of an interval is a root), that interval and the part
 * of it the later segments' prices allow.
 */
let fEnd: Int32Array = new Int32Array(65);
let fFree: Int8Array = new Int8Array(65);
let fLo: Float64Array = new Float64Array(65);
let fHi: Float64Array = new Float64Array(65);
let fFeasLo: Float64Array = new Float64Array(65);
let fFeasHi: Float64Array = new Float64Array(65);
/**
 * Reuse between the rounds of one fast solve. A held segment a+1..b is fixed by its ends (b, the
 * limit held at b) and the SoC it starts from (optE[a]: the limit held at a, or the initial SoC);
 * a round that changes one hold leaves the others' segments as they were, and their answers (fReg, fC, fD, fMu, the slopes and optS of their
 * periods) are still in place unless a segment computed since overlapped them. Per segment start
 * a: the end, the limit, the start SoC, whether the price was free, the price it found (a free one
 * may be moved by `fastChoosePrices` afterwards) and the stamp of the
 * computation (cEnd[a] = −1: none); per period: the stamp of the segment computation that last
 * wrote it (fStamp), and of the one whose price its level root (`fastRoot`) was computed at
 * (fRootStamp). A segment is reused when every period still carries its stamp: the same
 * operations on the same values would give the same bits.
 */
let cEnd: Int32Array = new Int32Array(65);
let cKind: Int8Array = new Int8Array(65);
let cFree: Int8Array = new Int8Array(65);
let cE0: Float64Array = new Float64Array(65);
let cSig: Float64Array = new Float64Array(65);
let cStamp: Int32Array = new Int32Array(65);
let fStamp: Int32Array = new Int32Array(65);
let fRootStamp: Int32Array = new Int32Array(65);

/** Whether the fast path can be tried: own costs strictly convex or own power fixed, thresholds that do not tie. */
function fastApplies(P: LocalProblem, first: number, T: number): boolean {
  if (tied) return false;
  for (let n = first; n < first + T; n++)
    if (!(P.a[n] > 0) && !(P.pMin[n] === P.pMax[n] && Number.isFinite(P.pMin[n]))) return false;
  return true;
}

/**
 * Γ(μ) = Σ_k x_k(μ) − g(μ) of period agent n at μ = R[AM] (a_n > 0, or a fixed own power): R[GV]; its slope −dΓ/dμ
 * (trades and own power on a sloped piece), R[GS]; how far μ can move up (R[GUP]) or down (R[GDN])
 * before some piece changes; |S| + |g| (R[GABS]), the scale of Γ's rounding.
 */
function gammaAt(P: LocalProblem, n: number, v: Float64Array): void {
  const mu = R[AM];
  const rho = R[RHO];
  const irho = 1 / rho;
  const s = P.tradeStart[n];
  const e = P.tradeStart[n + 1];
  const lo = P.lo;
  const hi = P.hi;
  const cs = P.costSell;
  const cb = P.costBuy;
  let sum = 0;
  let free = 0;
  let above = Infinity;
  let below = Infinity;
  for (let k = s; k < e; k++) {
    const t = v[k] - mu * irho;
    const A = t - cs[k] * irho;
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
      const B = t + cb[k] * irho;
      if (B < 0) {
        const l = lo[k];
        if (B > l) {
          sum += B;
          free++;
          if (-B < below) below = -B;
          if (B - l < above) above = B - l;
        } else {
          sum += l;
          if (l - B < below) below = l - B;
        }
      } else {
        if (-A < below) below = -A;
        if (B < above) above = B;
      }
    }
  }
  const a = P.a[n];
  const b = P.b[n];
  const pl = P.pMin[n];
  const pu = P.pMax[n];
  const q = (mu - b) / a;
  let up = rho * above;
  let dn = rho * below;
  let g: number;
  let gs = 0;
  if (pl === pu) g = pl;
  else if (q <= pl) {
    g = pl;
    const r = b + a * pl - mu;
    if (r < up) up = r;
  } else if (q >= pu) {
    g = pu;
    const r = mu - (b + a * pu);
    if (r < dn) dn = r;
  } else {
    g = q;
    gs = 1 / a;
    const r1 = b + a * pu - mu;
    if (r1 < up) up = r1;
    const r2 = mu - (b + a * pl);
    if (r2 < dn) dn = r2;
  }
  R[GV] = sum - g;
  R[GS] = free * irho + gs;
  R[GUP] = up;
  R[GDN] = dn;
  R[GABS] = Math.abs(sum) + Math.abs(g);
}

/**
 * The answer of period t (agent n) to σ = R[ASIG]: region into fReg[t], c and d into fC/fD (μ into
 * fMu for the partial regions), e into R[FE] and de/dσ into R[FDE]. False when the thresholds
 * meet or cross (energy burnt: left to the general path).
 */
function fastAnswer(P: LocalProblem, n: number, v: Float64Array, t: number): boolean {
  const sig = R[ASIG];
  const cS = R[DT] * R[ETAC];
  const dS = R[DT] / R[ETAD];
  const mc = sig * cS - R[THETA];
  const md = sig * dS + R[THETA];
  if (!(mc < md)) return false;
  R[AM] = mc;
  gammaAt(P, n, v);
  const yc = R[GV];
  fYc[t] = yc;
  fSc[t] = R[GS];
  fUc[t] = R[GUP];
  fLc[t] = R[GDN];
  fHasD[t] = 0;
  if (chargeRegion(t, yc, mc, cS)) return true;
  R[AM] = md;
  gammaAt(P, n, v);
  const yd = R[GV];
  fYd[t] = yd;
  fSd[t] = R[GS];
  fUd[t] = R[GUP];
  fLd[t] = R[GDN];
  fHasD[t] = 1;
  dischargeRegion(t, yd, md, dS);
  return true;
}

/**
 * The price σ of the held segment a+1..b moving D = R[AE]: Newton's method on Σ_t e_t(σ) − D from
 * the segment's hint, safeguarded by the bracket it builds; the periods' answers at the root are
 * left in fReg/fC/fD/fMu and σ in optS. False when it does not settle in FAST_STEPS.
 */
function fastSegment(P: LocalProblem, v: Float64Array, first: number, a: number, b: number): boolean {
  const D = R[AE];
  let sg = segmentHint(a, b, -Infinity, Infinity);
  if (sg !== sg) return false;
  const tol = 1e-13 * (R[DT] * (R[CMAX] + R[DMAX]) * (b - a) + Math.abs(D));
  let lo = -Infinity;
  let hi = Infinity;
  let grow = 0;
  // The σ the periods' answers were last computed at (NaN: none yet).
  let prev = Number.NaN;
  for (let it = 0; it < FAST_STEPS; it++) {
    R[ASIG] = sg;
    let F = -D;
    let dF = 0;
    for (let t = a + 1; t <= b; t++) {
      // A period whose thresholds stay on their pieces answers from its slopes; the others anew.
      if (it > 0 && fastShift(t, prev, sg)) solveStats[7]++;
      else if (!fastAnswer(P, first + t - 1, v, t)) return false;
      F += R[FE];
      dF += R[FDE];
    }
    prev = sg;
    if (Math.abs(F) <= tol) {
      for (let t = a + 1; t <= b; t++) optS[t] = sg;
      R[FDE] = dF;
      return true;
    }
    if (F < 0) lo = sg;
    else hi = sg;
    let next = dF > 0 ? sg - F / dF : Number.NaN;
    // A Newton step that keeps every threshold on its piece and every period in its region lands
    // on the root: its answers follow from the slopes, without evaluating Γ again.
    if (next > lo && next < hi && fastPredict(a, b, sg, next, D, tol)) {
      for (let t = a + 1; t <= b; t++) optS[t] = next;
      R[FDE] = dF;
      return true;
    }
    if (!(next > lo && next < hi)) {
      if (lo > -Infinity && hi < Infinity) next = 0.5 * (lo + hi);
      else {
        // No bracket on the root's side yet (a flat piece, or a step beyond the bracket): a step
        // towards the root, growing fourfold.
        grow = grow === 0 ? 1e-3 * (1 + Math.abs(sg)) : 4 * grow;
        next = F < 0 ? sg + grow : sg - grow;
      }
    }
    sg = next;
  }
  return false;
}

/**
 * The answer of period t to σ1 from its answer to σ0 when both thresholds it was evaluated at
 * stay on their pieces (Γ_t is affine there, so the answer follows from the slopes without a
 * pass over its trades): as `fastAnswer`, and its values, slopes and rooms moved to σ1. False
 * (nothing changed) when a threshold would leave its piece, when the answer needs the discharge
 * threshold and it was not evaluated, or when the thresholds cross.
 */
function fastShift(t: number, s0: number, s1: number): boolean {
  const cS = R[DT] * R[ETAC];
  const dS = R[DT] / R[ETAD];
  const mc = s1 * cS - R[THETA];
  const md = s1 * dS + R[THETA];
  if (!(mc < md)) return false;
  const dc = cS * (s1 - s0);
  if (!(dc > 0 ? dc < fUc[t] : -dc < fLc[t])) return false;
  const yc = fYc[t] - fSc[t] * dc;
  const charging = chargeRegion(t, yc, mc, cS);
  if (!charging) {
    if (fHasD[t] === 0) return false;
    const dd = dS * (s1 - s0);
    if (!(dd > 0 ? dd < fUd[t] : -dd < fLd[t])) return false;
    const yd = fYd[t] - fSd[t] * dd;
    fYd[t] = yd;
    fUd[t] -= dd;
    fLd[t] += dd;
    dischargeRegion(t, yd, md, dS);
  } else fHasD[t] = 0;
  fYc[t] = yc;
  fUc[t] -= dc;
  fLc[t] += dc;
  return true;
}

/**
 * Period t's answer when Γ_t at the charge threshold mc is yc, slope fSc[t] (`fastAnswer`,
 * `fastShift`): full or partial charge into fReg/fC/fD/fMu, e and de/dσ into R[FE]/R[FDE]; false
 * (nothing written) when it does not charge.
 */
function chargeRegion(t: number, yc: number, mc: number, cS: number): boolean {
  const cmax = R[CMAX];
  if (yc <= -cmax) {
    fReg[t] = 0;
    fC[t] = cmax;
    fD[t] = 0;
    R[FE] = cS * cmax;
    R[FDE] = 0;
    return true;
  }
  if (yc < 0) {
    fReg[t] = 1;
    fMu[t] = mc;
    fC[t] = -yc;
    fD[t] = 0;
    R[FE] = -cS * yc;
    R[FDE] = cS * cS * fSc[t];
    return true;
  }
  return false;
}

/** As `chargeRegion` for a period that does not charge, from Γ_t at the discharge threshold md: idle, partial or full discharge. */
function dischargeRegion(t: number, yd: number, md: number, dS: number): void {
  const dmax = R[DMAX];
  fC[t] = 0;
  if (yd <= 0) {
    fReg[t] = 2;
    fD[t] = 0;
    R[FE] = 0;
    R[FDE] = 0;
  } else if (yd < dmax) {
    fReg[t] = 3;
    fMu[t] = md;
    fD[t] = yd;
    R[FE] = -dS * yd;
    R[FDE] = dS * dS * fSd[t];
  } else {
    fReg[t] = 4;
    fD[t] = dmax;
    R[FE] = -dS * dmax;
    R[FDE] = 0;
  }
}

/**
 * Whether the answers of periods a+1..b to σ1 follow exactly from their answers to σ0 (each
 * threshold moves by less than its room, so Γ_t is affine between, and no period changes region)
 * and move D within tol; if so, sets the partial periods' μ, c, d to them.
 */
function fastPredict(a: number, b: number, s0: number, s1: number, D: number, tol: number): boolean {
  const cS = R[DT] * R[ETAC];
  const dS = R[DT] / R[ETAD];
  const cmax = R[CMAX];
  const dmax = R[DMAX];
  const dc = cS * (s1 - s0);
  const dd = dS * (s1 - s0);
  let F = -D;
  for (let t = a + 1; t <= b; t++) {
    if (!(dc > 0 ? dc < fUc[t] : -dc < fLc[t])) return false;
    const yc = fYc[t] - fSc[t] * dc;
    const r = fReg[t];
    if (r === 0) {
      if (!(yc <= -cmax)) return false;
      F += cS * cmax;
    } else if (r === 1) {
      if (!(yc > -cmax && yc < 0)) return false;
      F -= cS * yc;
    } else {
      if (!(yc >= 0) || fHasD[t] === 0) return false;
      if (!(dd > 0 ? dd < fUd[t] : -dd < fLd[t])) return false;
      const yd = fYd[t] - fSd[t] * dd;
      if (r === 2) {
        if (!(yd <= 0)) return false;
      } else if (r === 3) {
        if (!(yd > 0 && yd < dmax)) return false;
        F -= dS * yd;
      } else {
        if (!(yd >= dmax)) return false;
        F -= dS * dmax;
      }
    }
  }
  if (!(Math.abs(F) <= tol)) return false;
  const mc = s1 * cS - R[THETA];
  const md = s1 * dS + R[THETA];
  for (let t = a + 1; t <= b; t++) {
    const r = fReg[t];
    if (r === 1) {
      fMu[t] = mc;
      fC[t] = fSc[t] * dc - fYc[t];
    } else if (r === 3) {
      fMu[t] = md;
      fD[t] = fYd[t] - fSd[t] * dd;
    }
  }
  return true;
}

/**
 * μ with Γ_t(μ) = R[AY] in [R[MULOW], R[MUHIGH]] for period agent n, by Newton's method from R[AM]
 * (Γ is piecewise linear: a step that stays on its piece lands on the root); the root into R[AM].
 */
function fastRoot(P: LocalProblem, n: number, v: Float64Array): boolean {
  const y = R[AY];
  let lo = R[MULOW];
  let hi = R[MUHIGH];
  let m = R[AM];
  if (!(m >= lo)) m = lo;
  if (!(m <= hi)) m = hi;
  if (!Number.isFinite(m)) return false;
  // Γ − y at the bracket's ends once evaluated (NaN before), for the safeguard.
  let hLo = Number.NaN;
  let hHi = Number.NaN;
  for (let it = 0; it < FAST_STEPS; it++) {
    R[AM] = m;
    gammaAt(P, n, v);
    const h = R[GV] - y;
    if (h === 0 || Math.abs(h) <= 1e-13 * (R[GABS] + Math.abs(y))) {
      R[AM] = m;
      return true;
    }
    if (h > 0) {
      lo = m;
      hLo = h;
    } else {
      hi = m;
      hHi = h;
    }
    const sl = R[GS];
    let next: number;
    if (sl > 0) {
      const d = h / sl;
      next = m + d;
      const exact = d > 0 ? d < R[GUP] : -d < R[GDN];
      // A step below the resolution of μ: m is the root to rounding.
      if (next === m || (exact && next < hi && next > lo)) {
        R[AM] = next;
        return true;
      }
    } else {
      // A flat piece: on to just past its end, towards the root.
      const room = h > 0 ? R[GUP] : R[GDN];
      const step = room + 1e-12 * (1 + Math.abs(m));
      next = h > 0 ? m + step : m - step;
    }
    if (!(next > lo && next < hi)) {
      // Newton leaves the bracket (its slope is that of one piece only): the secant of the
      // bracket's ends when both are known, else its end.
      if (hLo === hLo && hHi === hHi) next = lo + (hLo * (hi - lo)) / (hLo - hHi);
      if (!(next > lo && next < hi)) next = next >= hi ? hi : lo;
    }
    if (next === m || !Number.isFinite(next)) return false;
    m = next;
  }
  return false;
}

/**
 * Prices of the segments whose price is free to move (`fFree`), chosen so that the chain's price
 * jumps hold (up across a period held full, down across one held empty, the end's sign): each such
 * segment's interval of roots (where no period changes region: σ ≥ (μ_t + θ)/(Δηc) at full charge,
 * (μ_t − θ)ηd/Δ ≤ σ ≤ (μ_t + θ)/(Δηc) idle, σ ≤ (μ_t − θ)ηd/Δ at full discharge), then a backward
 * pass of the ranges the later prices allow and a forward choice nearest to the current prices.
 * False when no choice exists.
 */
function fastChoosePrices(nSeg: number): boolean {
  const cS = R[DT] * R[ETAC];
  const dS = R[DT] / R[ETAD];
  const th = R[THETA];
  // Thresholds in order (μc < μd) need σ·(cS − dS) < 2θ.
  const k = cS - dS;
  const sMin = k < 0 ? (2 * th) / k : -Infinity;
  let a = 0;
  for (let j = 0; j < nSeg; j++) {
    const b = fEnd[j];
    let L = optS[b];
    let U = L;
    if (fFree[j] === 1) {
      L = sMin;
      U = Infinity;
      for (let t = a + 1; t <= b; t++) {
        const m = fMu[t];
        const r = fReg[t];
        const up = (m + th) / cS;
        const dn = (m - th) / dS;
        if (r === 0) {
          if (up > L) L = up;
        } else if (r === 2) {
          if (dn > L) L = dn;
          if (up < U) U = up;
        } else if (r === 4) {
          if (dn < U) U = dn;
        } else {
          L = U = optS[b];
          break;
        }
      }
    }
    fLo[j] = L;
    fHi[j] = U;
    a = b;
  }
  // Backward: the range of segment j's price that leaves a choice for the later ones.
  let lo = -Infinity;
  let hi = Infinity;
  for (let j = nSeg - 1; j >= 0; j--) {
    const b = fEnd[j];
    let cl = -Infinity;
    let cu = Infinity;
    if (bound[b] !== 0 && lowE[b] < highE[b]) {
      // The last segment ends at T, where the next price is 0.
      const nextLo = j === nSeg - 1 ? 0 : lo;
      const nextHi = j === nSeg - 1 ? 0 : hi;
      if (bound[b] > 0) cu = nextHi;
      else cl = nextLo;
    }
    lo = fLo[j] > cl ? fLo[j] : cl;
    hi = fHi[j] < cu ? fHi[j] : cu;
    if (!(lo <= hi)) return false;
    fFeasLo[j] = lo;
    fFeasHi[j] = hi;
  }
  // Forward: each price nearest to its current value within what the previous one allows.
  let prev = Number.NaN;
  a = 0;
  for (let j = 0; j < nSeg; j++) {
    const b = fEnd[j];
    let l = fFeasLo[j];
    let u = fFeasHi[j];
    if (j > 0) {
      const pb = fEnd[j - 1];
      if (bound[pb] !== 0 && lowE[pb] < highE[pb]) {
        if (bound[pb] > 0 && prev > l) l = prev;
        if (bound[pb] < 0 && prev < u) u = prev;
      }
    }
    if (!(l <= u)) return false;
    let sg = optS[b];
    sg = sg < l ? l : sg > u ? u : sg;
    if (!Number.isFinite(sg)) return false;
    for (let t = a + 1; t <= b; t++) optS[t] = sg;
    prev = sg;
    a = b;
  }
  return true;
}

/** Whether segment a+1..b, held at `kind` at b and starting from SoC e0, is still in place from an earlier round. */
function reusable(a: number, b: number, kind: number, e0: number): boolean {
  if (cEnd[a] !== b || cKind[a] !== kind || cE0[a] !== e0) return false;
  const st = cStamp[a];
  for (let t = a + 1; t <= b; t++) if (fStamp[t] !== st) return false;
  return true;
}

/**
 * The fast path on the active set in `bound` (the previous solve's): every held segment's price,
 * the chain's KKT conditions, the period prices of the periods on a level; then, only when all
 * hold, writes trades, μ, c, d (σ stays in optS). False leaves v, μ, c, d untouched.
 */
function fastSolve(
  P: LocalProblem,
  H: HorizonArrays,
  v: Float64Array,
  mu: Float64Array,
  first: number,
  T: number,
): boolean {
  const span = Math.abs(R[SMAX]) + Math.abs(R[SMIN]) + Math.abs(R[SFIN]) + R[DT] * (R[CMAX] + R[DMAX]);
  const eTol = 1e-12 * span;
  const cS = R[DT] * R[ETAC];
  const dS = R[DT] / R[ETAD];
  let done = false;
  // Stamps count the segment computations of this solve (none reusable from another).
  let stamp = 0;
  for (let t = 0; t <= T; t++) {
    cEnd[t] = -1;
    fStamp[t] = 0;
    fRootStamp[t] = 0;
  }
  for (let round = 0; round < FAST_ROUNDS && !done; round++) {
    optE[0] = R[SE0];
    let a = 0;
    let nSeg = 0;
    for (let b = 1; b <= T; b++) {
      if (bound[b] === 0 && b < T) continue;
      fEnd[nSeg] = b;
      fFree[nSeg] = 0;
      if (reusable(a, b, bound[b], optE[a])) {
        fFree[nSeg] = cFree[a];
        // Its price as its computation left it (fastChoosePrices may have moved a free one since).
        const sg = cSig[a];
        for (let t = a + 1; t <= b; t++) optS[t] = sg;
        solveStats[6]++;
      } else {
        stamp++;
        if (bound[b] !== 0) {
          const target = bound[b] < 0 ? lowE[b] : highE[b];
          R[AE] = target - optE[a];
          if (!fastSegment(P, v, first, a, b)) return false;
          if (R[FDE] === 0) fFree[nSeg] = 1;
        } else {
          // Free end: σ = 0 (as the active-set method and the dynamic programme take it).
          R[ASIG] = 0;
          for (let t = a + 1; t <= b; t++) {
            if (!fastAnswer(P, first + t - 1, v, t)) return false;
            optS[t] = 0;
          }
        }
        cEnd[a] = b;
        cKind[a] = bound[b];
        cSig[a] = optS[b];
        cFree[a] = fFree[nSeg];
        cE0[a] = optE[a];
        cStamp[a] = stamp;
        for (let t = a + 1; t <= b; t++) fStamp[t] = stamp;
      }
      let E = optE[a];
      for (let t = a + 1; t <= b; t++) {
        E += cS * fC[t] - dS * fD[t];
        optE[t] = E;
      }
      // A held end is at its limit (its segment's price met the move to within rounding), and the
      // next segment starts there, as in the active-set method: each segment then depends on its
      // own ends only, not on the rounding of the segments before it.
      if (bound[b] !== 0) optE[b] = bound[b] < 0 ? lowE[b] : highE[b];
      nSeg++;
      a = b;
    }
    // A free SoC beyond its limits: held there (the active-set method's primal step), another round.
    if (primalHold(T, eTol)) continue;
    // Period prices of the periods on a level of the staircase: Γ_t(μ) = y_t between the thresholds.
    for (let t = 1; t <= T; t++) {
      const r = fReg[t];
      if (r === 1 || r === 3) continue;
      const n = first + t - 1;
      const sg = optS[t];
      const mc = sg * cS - R[THETA];
      const md = sg * dS + R[THETA];
      R[AY] = r === 0 ? -R[CMAX] : r === 2 ? 0 : R[DMAX];
      R[MULOW] = r === 0 ? -Infinity : r === 2 ? mc : md;
      R[MUHIGH] = r === 0 ? mc : r === 2 ? md : Infinity;
      // Computed in an earlier round at the same segment answer: the same root.
      if (fRootStamp[t] === fStamp[t]) continue;
      R[AM] = mu[n];
      if (!fastRoot(P, n, v)) return false;
      fMu[t] = R[AM];
      fRootStamp[t] = fStamp[t];
    }
    let worst = dualWorst(T, eTol);
    chosen = false;
    if (worst > 0 && fastChoosePrices(nSeg)) {
      worst = dualWorst(T, eTol);
      chosen = true;
    }
    if (worst < 0) return false;
    if (worst === 0) done = true;
    // A price jump the wrong way across a held period: released (the active-set method's dual step).
    else bound[worst] = 0;
  }
  if (!done) return false;
  if (chosen) solveStats[5]++;
  const irho = 1 / R[RHO];
  for (let t = 1; t <= T; t++) {
    const n = first + t - 1;
    const m = fMu[t];
    const e = P.tradeStart[n + 1];
    for (let k = P.tradeStart[n]; k < e; k++)
      v[k] = tradeAt(v[k], P.lo[k], P.hi[k], P.costSell[k], P.costBuy[k], m, irho);
    mu[n] = m;
    H.charge[n] = fC[t];
    H.discharge[n] = fD[t];
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// Checks (allocation is fine here: they serve tests and certificates, not the iteration).

/**
 * The objective of storage s's local problem at trades x (per directed trade, only the storage's
 * period agents' entries are read), charges and discharges in `H.charge`/`H.discharge`: own power
 * g_t = Σ_k x_k − d_t + c_t. Targets are in `targets`.
 */
export function storageLocalObjective(
  P: LocalProblem,
  H: HorizonArrays,
  s: number,
  targets: Float64Array,
  x: Float64Array,
  rho: number,
): number {
  const st = H.storage;
  const first = st.first[s];
  let total = 0;
  for (let t = 0; t < H.periods; t++) {
    const n = first + t;
    let sum = 0;
    for (let k = P.tradeStart[n]; k < P.tradeStart[n + 1]; k++) {
      const xk = x[k];
      sum += xk;
      total += (xk > 0 ? P.costSell[k] * xk : -P.costBuy[k] * xk) + 0.5 * rho * (xk - targets[k]) ** 2;
    }
    const c = H.charge[n];
    const d = H.discharge[n];
    const g = sum - d + c;
    total += 0.5 * P.a[n] * g * g + P.b[n] * g + st.throughputCost[s] * (c + d);
  }
  return total;
}

/** Largest violations of the optimality conditions of a storage local solution (see `storageLocalKkt`). */
export interface StorageLocalKkt {
  /** Power units: trade, own power, charge, discharge bounds; SoC bounds and dynamics (MWh). */
  primal: number;
  /** Power units: |x_k − x_k(μ_t)|, the trade's distance to its minimiser at the period price. */
  trade: number;
  /** Price units: own power, charge and discharge conditions, and the energy-price chain. */
  price: number;
  /** Which condition is the worst price violation ("t=3 charge", ...), for messages. */
  worst: string;
}

/**
 * KKT certificate of a storage local solution with multipliers μ_t (period prices, `mu[first+t]`)
 * and σ_t (energy prices, `detail.energyPrice`): trade minimisers at μ_t; μ_t ∈ f'(g_t) + N(g_t);
 * θ + μ_t − Δηc σ_t ∈ −N_[0,cmax](c_t); θ − μ_t + Δσ_t/ηd ∈ −N_[0,dmax](d_t); σ_t − σ_{t+1} ∈ −N(E_t)
 * (t < T) and σ_T ∈ −N(E_T) on E_T's box. A value counts as at a bound within `active`. For a
 * convex problem these conditions prove optimality.
 */
export function storageLocalKkt(
  P: LocalProblem,
  H: HorizonArrays,
  s: number,
  targets: Float64Array,
  x: Float64Array,
  rho: number,
  mu: Float64Array,
  detail: StorageLocalDetail,
  active = 1e-9,
): StorageLocalKkt {
  const st = H.storage;
  const T = H.periods;
  const first = st.first[s];
  const dtH = H.periodHours;
  const ec = st.etaCharge[s];
  const ed = st.etaDischarge[s];
  const th = st.throughputCost[s];
  const cm = st.chargeMax[s];
  const dm = st.dischargeMax[s];
  let primal = 0;
  let trade = 0;
  let price = 0;
  let worst = "";
  const irho = 1 / rho;
  const note = (v: number, what: string, t: number): void => {
    if (v > price) {
      price = v;
      worst = `t=${t} ${what}`;
    }
  };
  let E = st.socInitial[s];
  // Interval condition: r must be 0 inside, ≥ 0 at the lower bound, ≤ 0 at the upper one.
  const cond = (r: number, atLow: boolean, atHigh: boolean): number => {
    if (atLow && atHigh) return 0;
    if (atLow) return Math.max(0, -r);
    if (atHigh) return Math.max(0, r);
    return Math.abs(r);
  };
  for (let t = 0; t < T; t++) {
    const n = first + t;
    const m = mu[n];
    let sum = 0;
    for (let k = P.tradeStart[n]; k < P.tradeStart[n + 1]; k++) {
      const xk = x[k];
      sum += xk;
      primal = Math.max(primal, P.lo[k] - xk, xk - P.hi[k]);
      trade = Math.max(
        trade,
        Math.abs(xk - tradeAt(targets[k], P.lo[k], P.hi[k], P.costSell[k], P.costBuy[k], m, irho)),
      );
    }
    const c = H.charge[n];
    const d = H.discharge[n];
    const g = sum - d + c;
    primal = Math.max(primal, P.pMin[n] - g, g - P.pMax[n], -c, c - cm, -d, d - dm);
    // μ − f'(g) ∈ N(g): ≥ 0 allowed at pMax, ≤ 0 at pMin.
    note(cond(P.a[n] * g + P.b[n] - m, g <= P.pMin[n] + active, g >= P.pMax[n] - active), `own power g=${g} μ=${m}`, t);
    const sg = detail.energyPrice[t];
    note(cond(th + m - dtH * ec * sg, c <= active, c >= cm - active), `charge c=${c} μ=${m} σ=${sg}`, t);
    note(cond(th - m + (dtH * sg) / ed, d <= active, d >= dm - active), `discharge d=${d} μ=${m} σ=${sg}`, t);
    E += dtH * (ec * c - d / ed);
    primal = Math.max(primal, Math.abs(E - detail.soc[t]));
    const lowB = t === T - 1 ? Math.max(st.socMin[s], st.socFinalMin[s]) : st.socMin[s];
    primal = Math.max(primal, lowB - E, E - st.socMax[s]);
    const next = t === T - 1 ? 0 : detail.energyPrice[t + 1];
    // d/dE_t: σ_t − σ_{t+1} + ν = 0 with ν ∈ N(E_t): σ_t − σ_{t+1} ≥ 0 at the lower bound, ≤ 0 at the upper.
    note(cond(sg - next, E <= lowB + active, E >= st.socMax[s] - active), `chain E=${E} σ=${sg} next σ=${next}`, t);
  }
  return { primal, trade, price, worst };
}

/**
 * The net response curve Γ of period agent n (points (μ_i, y_i), truncated to the band of a storage
 * with the given power limits), as `solveStorageLocal` builds it. For tests.
 */
export function storageResponseCurve(
  P: LocalProblem,
  n: number,
  v: Float64Array,
  rho: number,
  chargeMax: number,
  dischargeMax: number,
): { mu: Float64Array; y: Float64Array } {
  R[CMAX] = chargeMax;
  R[DMAX] = dischargeMax;
  curStart = 0;
  R[RHO] = rho;
  const end = buildResponse(P, n, v, 0);
  return { mu: gm.slice(0, end), y: gy.slice(0, end) };
}
