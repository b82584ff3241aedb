/**
 * The exact local solve of one agent (docs/admm.md).
 *
 * For agent n with directed trades k ∈ [s, e), targets v_k and penalty ρ:
 *
 *   minimise  ½ a p² + b p + Σ_k [ c⁺_k x_k⁺ + c⁻_k x_k⁻ + ρ/2 (x_k − v_k)² ]
 *   s.t.      p = Σ_k x_k,  pMin ≤ p ≤ pMax,  lo_k ≤ x_k ≤ hi_k.
 *
 * With μ the agent's marginal price, each x_k(μ) is the box-clipped minimiser of
 * c⁺x⁺ + c⁻x⁻ + ρ/2 (x − v)² + μx, a shifted asymmetric soft threshold, non-increasing and
 * piecewise linear in μ. The optimal μ solves S(μ) ∈ P(μ), where S(μ) = Σ x_k(μ) and P(μ) is the
 * agent's own response clip((μ − b)/a, pMin, pMax) (a step at μ = b when a = 0). D = S − P is
 * non-increasing and piecewise linear: a bracketed Newton iteration on it lands exactly on the root
 * once it reaches the root's linear piece (one or two steps from the previous iteration's μ). When
 * Newton cannot proceed (a flat piece, a step leaving the bracket), the root is found exactly from
 * the sorted breakpoints of D. No inner iterative QP.
 *
 * Requires c⁺_k + c⁻_k ≥ 0 on every trade (`sanitizeCosts` ensures it on one-way trades).
 */

/** Inputs of the local solves: the engine's per-agent and per-trade arrays. */
export interface LocalProblem {
  a: Float64Array;
  b: Float64Array;
  pMin: Float64Array;
  pMax: Float64Array;
  tradeStart: Int32Array;
  lo: Float64Array;
  hi: Float64Array;
  costSell: Float64Array;
  costBuy: Float64Array;
}

// Extra return values of `evaluate`: the number of trades on a sloped piece, and how far (in power
// units, ≥ 0) μ/ρ can move up or down before some trade changes piece. The rooms are doubles and
// live in a typed array: a double written to a module-level `let` is boxed in a new heap number at
// every write, garbage for the scavenger at every local solve.
let freeCount = 0;
const room = new Float64Array(2);
const ABOVE = 0;
const BELOW = 1;

/**
 * S(μ) = Σ_k x_k(μ) over [s, e); sets `freeCount` and `room`. `costs` false: every c⁺ and c⁻ is
 * zero, and they are not read (the same values: t − 0 = t).
 */
function evaluate(
  s: number,
  e: number,
  v: Float64Array,
  lo: Float64Array,
  hi: Float64Array,
  cs: Float64Array,
  cb: Float64Array,
  mu: number,
  irho: number,
  costs = true,
): number {
  let sum = 0;
  let free = 0;
  let above = Infinity;
  let below = Infinity;
  for (let k = s; k < e; k++) {
    const t = v[k] - mu * irho;
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
        // At zero: A ≤ 0 ≤ B.
        if (-A < below) below = -A;
        if (B < above) above = B;
      }
    }
  }
  freeCount = free;
  room[ABOVE] = above;
  room[BELOW] = below;
  return sum;
}

/** Writes x_k(μ) over v[s..e) in place (`costs` as in `evaluate`). */
function writeTrades(
  s: number,
  e: number,
  v: Float64Array,
  lo: Float64Array,
  hi: Float64Array,
  cs: Float64Array,
  cb: Float64Array,
  mu: number,
  irho: number,
  costs = true,
): void {
  const shift = mu * irho;
  for (let k = s; k < e; k++) {
    const t = v[k] - shift;
    const A = costs ? t - cs[k] * irho : t;
    let x = 0;
    if (A > 0) {
      x = A < hi[k] ? A : hi[k];
    } else {
      const B = costs ? t + cb[k] * irho : t;
      if (B < 0) x = B > lo[k] ? B : lo[k];
    }
    v[k] = x;
  }
}

// Breakpoints of the exact fallback; sized by `reserveLocalScratch` at setup (grown if ever needed).
let scratch = new Float64Array(64);

/** Makes the fallback's scratch hold the breakpoints of an agent with `maxDegree` trades. */
export function reserveLocalScratch(maxDegree: number): void {
  const need = 4 * maxDegree + 2;
  if (scratch.length < need) scratch = new Float64Array(need);
}

/** D(μ) = S(μ) − P(μ), with P(μ) = clip((μ − b)/aa, pl, pu). */
function residual(
  s: number,
  e: number,
  v: Float64Array,
  lo: Float64Array,
  hi: Float64Array,
  cs: Float64Array,
  cb: Float64Array,
  mu: number,
  irho: number,
  bn: number,
  aa: number,
  pl: number,
  pu: number,
): number {
  const q = (mu - bn) / aa;
  return evaluate(s, e, v, lo, hi, cs, cb, mu, irho) - (q <= pl ? pl : q >= pu ? pu : q);
}

/** Breakpoint searches made by this thread's local solves (diagnostics and tests). */
let breakpointSearches = 0;

/** How many local solves of this thread have needed the breakpoint search (`rootByBreakpoints`). */
export function breakpointSearchCount(): number {
  return breakpointSearches;
}

/**
 * Exact root of D within (lower, upper) from its breakpoints: D is affine between consecutive
 * breakpoints (and beyond the extreme ones), so a binary search for the sign change and one linear
 * interpolation give the root. O(K log K); used only when Newton cannot proceed.
 * dLower > 0 is D(lower) when lower is finite, dUpper < 0 is D(upper) when upper is finite.
 */
function rootByBreakpoints(
  s: number,
  e: number,
  v: Float64Array,
  lo: Float64Array,
  hi: Float64Array,
  cs: Float64Array,
  cb: Float64Array,
  rho: number,
  irho: number,
  bn: number,
  aa: number,
  pl: number,
  pu: number,
  lower: number,
  dLower: number,
  upper: number,
  dUpper: number,
): number {
  breakpointSearches++;
  if (scratch.length < 4 * (e - s) + 2) scratch = new Float64Array(4 * (e - s) + 2);
  const buf = scratch;
  let nb = 0;
  if (pl < pu) {
    const x0 = bn + aa * pl;
    const x1 = bn + aa * pu;
    if (x0 > lower && x0 < upper) buf[nb++] = x0;
    if (x1 > lower && x1 < upper) buf[nb++] = x1;
  }
  let farLeftFree = 0;
  let farRightFree = 0;
  for (let k = s; k < e; k++) {
    const rv = rho * v[k];
    const xa = rv - cs[k];
    const xb = rv + cb[k];
    if (xa > lower && xa < upper) buf[nb++] = xa;
    if (xb > lower && xb < upper) buf[nb++] = xb;
    if (hi[k] < Infinity) {
      const xh = rv - rho * hi[k] - cs[k];
      if (xh > lower && xh < upper) buf[nb++] = xh;
    } else farLeftFree++;
    if (lo[k] > -Infinity) {
      const xl = rv - rho * lo[k] + cb[k];
      if (xl > lower && xl < upper) buf[nb++] = xl;
    } else farRightFree++;
  }
  const bp = buf.subarray(0, nb);
  bp.sort();
  // Invariant: D(x0) ≥ 0 at x0 = lower or bp[i0]; D(x1) ≤ 0 at x1 = upper or bp[i1].
  let i0 = -1;
  let i1 = nb;
  let d0 = dLower;
  let d1 = dUpper;
  while (i1 - i0 > 1) {
    const mid = (i0 + i1) >> 1;
    const d = residual(s, e, v, lo, hi, cs, cb, bp[mid], irho, bn, aa, pl, pu);
    if (d === 0) return bp[mid];
    if (d > 0) {
      i0 = mid;
      d0 = d;
    } else {
      i1 = mid;
      d1 = d;
    }
  }
  const x0 = i0 >= 0 ? bp[i0] : lower;
  const x1 = i1 < nb ? bp[i1] : upper;
  if (x0 > -Infinity && x1 < Infinity) return d0 === d1 ? x0 : x0 + (d0 * (x1 - x0)) / (d0 - d1);
  // Beyond every breakpoint, D is affine with the slope of the trades (and of P) still free there;
  // a zero slope there means there is no root on that side (a locally infeasible agent).
  if (x0 === -Infinity) {
    const slope = -farLeftFree * irho - (pl === -Infinity && pl < pu ? 1 / aa : 0);
    return slope < 0 ? x1 - d1 / slope : x1;
  }
  const slope = -farRightFree * irho - (pu === Infinity && pl < pu ? 1 / aa : 0);
  return slope < 0 ? x0 - d0 / slope : x0;
}

const MAX_NEWTON = 12;

/**
 * Solves agent n's local problem. On entry v[tradeStart[n]..tradeStart[n+1]) holds the targets v_k;
 * on return it holds the optimal trades x_k. `muWarm` is a starting guess of the marginal price
 * (the previous iteration's); returns the optimal μ. An agent without trades keeps p = 0.
 */
export function solveLocal(P: LocalProblem, n: number, v: Float64Array, rho: number, muWarm: number): number {
  const s = P.tradeStart[n];
  const e = P.tradeStart[n + 1];
  if (s === e) return P.b[n];
  const irho = 1 / rho;
  const mu0 = firstPrice(P, n, muWarm);
  const S0 = evaluate(s, e, v, P.lo, P.hi, P.costSell, P.costBuy, mu0, irho);
  return solveLocalFrom(P, n, v, rho, muWarm, S0, freeCount, room[ABOVE], room[BELOW]);
}

/**
 * The price at which `solveLocal` first evaluates S: the warm start for an agent with a quadratic
 * cost, b_n (where its response steps) for a linear one.
 */
export function firstPrice(P: LocalProblem, n: number, muWarm: number): number {
  return P.a[n] > 0 ? muWarm : P.b[n];
}

/**
 * `solveLocal` given its first evaluation: S0 = S(μ0) at μ0 = `firstPrice(P, n, muWarm)` with the
 * number of free trades and the rooms above and below that `evaluate` would have set — so that a
 * caller which has just written the targets (the consensus update) folds that pass into its own
 * and the local solve starts from its Newton step. The agent must have trades. Bit-identical to
 * `solveLocal`, which calls it. A small wrapper (V8 inlines it into the engine's loops) around
 * `localFrom`, which takes its doubles in `localArgs`. `costs` false: every c⁺ and c⁻ of the market
 * is zero, and the passes do not read them (`evaluate`).
 */
export function solveLocalFrom(
  P: LocalProblem,
  n: number,
  v: Float64Array,
  rho: number,
  muWarm: number,
  S0: number,
  free0: number,
  above0: number,
  below0: number,
  costs = true,
): number {
  localArgs[LA_RHO] = rho;
  localArgs[LA_MU] = muWarm;
  localArgs[LA_S0] = S0;
  localArgs[LA_ABOVE] = above0;
  localArgs[LA_BELOW] = below0;
  localArgs[LA_COSTS] = costs ? 1 : 0;
  localFrom(P, n, v, free0);
  return localArgs[LA_MU];
}

/**
 * The double arguments of `localFrom`, and its result: ρ, the warm price μ (on return: the optimal
 * μ), S0 and the rooms above and below. A double passed to, or returned from, a function that is
 * not inlined is boxed in a new heap number; the engine calls the local solve for thousands of
 * agents per iteration, and through this array (and the inlined wrapper) those calls leave no
 * garbage.
 */
const localArgs = new Float64Array(6);
const LA_RHO = 0;
const LA_MU = 1;
const LA_S0 = 2;
const LA_ABOVE = 3;
const LA_BELOW = 4;
/** 0 when every c⁺ and c⁻ of the market is zero (`evaluate`'s `costs`), else 1. */
const LA_COSTS = 5;

/** `solveLocalFrom` with its doubles in `localArgs` (the optimal μ left in localArgs[LA_MU]). */
function localFrom(P: LocalProblem, n: number, v: Float64Array, free0: number): void {
  const rho = localArgs[LA_RHO];
  const muWarm = localArgs[LA_MU];
  const S0 = localArgs[LA_S0];
  const above0 = localArgs[LA_ABOVE];
  const below0 = localArgs[LA_BELOW];
  const costs = localArgs[LA_COSTS] !== 0;
  const s = P.tradeStart[n];
  const e = P.tradeStart[n + 1];
  const bn = P.b[n];
  const lo = P.lo;
  const hi = P.hi;
  const cs = P.costSell;
  const cb = P.costBuy;
  const irho = 1 / rho;
  const an = P.a[n];
  let pl = P.pMin[n];
  let pu = P.pMax[n];
  let aa = an;
  let lower = -Infinity;
  let upper = Infinity;
  let dLower = Infinity;
  let dUpper = -Infinity;
  let mu = muWarm;
  // How far D stays affine above `lower` and below `upper` (in μ; 0 when unknown): when the
  // bracket lies within one such piece, the secant between its ends is the root.
  let roomLower = 0;
  let roomUpper = 0;
  // Whether S0 (evaluated at μ0) is S at the first μ of the Newton loop.
  let haveFirst = true;
  if (!(an > 0)) {
    // Linear cost: the agent's response is a step at μ = b (μ0 = b).
    const sb = S0;
    if (sb >= pl && sb <= pu) {
      writeTrades(s, e, v, lo, hi, cs, cb, bn, irho, costs);
      localArgs[LA_MU] = bn;
      return;
    }
    // Otherwise p sits at the bound that S(b) overshoots, and μ moves away from b.
    const c = sb > pu ? pu : pl;
    pl = c;
    pu = c;
    aa = 1;
    if (sb > c) {
      lower = bn;
      dLower = sb - c;
      if (!(mu > bn)) mu = bn;
    } else {
      upper = bn;
      dUpper = sb - c;
      if (!(mu < bn)) mu = bn;
    }
    haveFirst = mu === bn;
  }
  let done = false;
  for (let step = 0; step < MAX_NEWTON; step++) {
    let S: number;
    let nf: number;
    let rAbove: number;
    let rBelow: number;
    if (step === 0 && haveFirst) {
      S = S0;
      nf = free0;
      rAbove = above0;
      rBelow = below0;
    } else {
      S = evaluate(s, e, v, lo, hi, cs, cb, mu, irho, costs);
      nf = freeCount;
      rAbove = room[ABOVE];
      rBelow = room[BELOW];
    }
    const q = (mu - bn) / aa;
    let Pv: number;
    let dP = 0;
    // Room in μ before P changes piece.
    let pAbove: number;
    let pBelow: number;
    if (q <= pl) {
      Pv = pl;
      pAbove = bn + aa * pl - mu;
      pBelow = Infinity;
    } else if (q >= pu) {
      Pv = pu;
      pAbove = Infinity;
      pBelow = mu - (bn + aa * pu);
    } else {
      Pv = q;
      dP = 1 / aa;
      pAbove = bn + aa * pu - mu;
      pBelow = mu - (bn + aa * pl);
    }
    const D = S - Pv;
    // At the root, up to the rounding of the sums.
    if (D === 0 || Math.abs(D) <= 1e-13 * (Math.abs(S) + Math.abs(Pv))) {
      done = true;
      break;
    }
    if (D > 0) {
      lower = mu;
      dLower = D;
      roomLower = Math.min(rho * rAbove, pAbove);
    } else {
      upper = mu;
      dUpper = D;
      roomUpper = Math.min(rho * rBelow, pBelow);
    }
    const slope = -nf * irho - dP;
    const step_ = -D / slope;
    const next = mu + step_;
    if (!(slope < 0 && next > lower && next < upper)) {
      // Newton cannot proceed (it leaves the bracket, typically from a kink where many trades
      // change piece at once, as at a cold start): a secant step between the bracket's ends,
      // the root itself when no kink lies between them (D is continuous and piecewise affine).
      if (!(lower > -Infinity && upper < Infinity)) break;
      const w = upper - lower;
      const root = lower + (dLower * w) / (dLower - dUpper);
      if (!(root > lower && root < upper)) break;
      mu = root;
      if (w <= roomLower || w <= roomUpper) {
        done = true;
        break;
      }
      continue;
    }
    // A step that stays within the current linear piece lands exactly on the root.
    const exact = step_ > 0 ? step_ < rho * rAbove && step_ < pAbove : -step_ < rho * rBelow && -step_ < pBelow;
    mu = next;
    if (exact) {
      done = true;
      break;
    }
  }
  if (!done) mu = rootByBreakpoints(s, e, v, lo, hi, cs, cb, rho, irho, bn, aa, pl, pu, lower, dLower, upper, dUpper);
  writeTrades(s, e, v, lo, hi, cs, cb, mu, irho, costs);
  localArgs[LA_MU] = mu;
}

/**
 * Whether every c⁺ and c⁻ is zero (±0): the engine's passes then need not read them (`phase`'s
 * `costs`). Stops at the first cost.
 */
export function costsZero(costSell: Float64Array, costBuy: Float64Array): boolean {
  for (let k = 0; k < costSell.length; k++) if (costSell[k] !== 0 || costBuy[k] !== 0) return false;
  return true;
}

/**
 * Makes one-way trades' costs convex without changing the problem: on a trade that can only sell
 * (lo = 0) c⁻ is irrelevant and is raised to −c⁺ if needed; on one that can only buy (hi = 0), c⁺ is.
 * Two-way trades must already satisfy c⁺ + c⁻ ≥ 0. Returns the number of costs changed.
 */
export function sanitizeCosts(
  lo: Float64Array,
  hi: Float64Array,
  costSell: Float64Array,
  costBuy: Float64Array,
): number {
  let changed = 0;
  for (let k = 0; k < lo.length; k++) {
    if (costSell[k] + costBuy[k] >= 0) continue;
    if (lo[k] === 0) {
      costBuy[k] = -costSell[k];
      changed++;
    } else if (hi[k] === 0) {
      costSell[k] = -costBuy[k];
      changed++;
    }
  }
  return changed;
}
