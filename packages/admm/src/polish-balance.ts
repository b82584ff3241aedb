/**
 * The price level of one component of flowing trades (docs/polishing.md, "Balance").
 *
 * Inside a component, agent i's marginal price is μ_i = θ + d_i (d_i: path sums of the trade costs
 * w on the spanning tree) and its power is its own response to μ_i:
 *   a_i > 0:  p_i = clip((μ_i − b_i)/a_i, p̲_i, p̄_i)      a_i = 0:  p̲_i below b_i, p̄_i above, any p in [p̲_i, p̄_i] at b_i.
 * The component balances when G(θ) := Σ_i p_i(θ + d_i) equals F, the net of its trades fixed at a
 * bound. G is non-decreasing and piecewise linear with jumps at the linear agents' prices: θ is
 * found exactly from the sorted breakpoints (binary search, then one linear interpolation). When
 * G is flat at F over an interval, θ is only bracketed: `thetaLo < thetaHi` is returned.
 */

/** The data the balance solve reads. */
export interface BalanceAgents {
  a: Float64Array;
  b: Float64Array;
  pMin: Float64Array;
  pMax: Float64Array;
}

/** clip((θ + d − b)/a, L, U), exactly L at or below θ_L and exactly U at or above θ_U. */
function response(
  theta: number,
  d: number,
  b: number,
  a: number,
  L: number,
  U: number,
  thetaL: number,
  thetaU: number,
): number {
  if (theta <= thetaL) return L;
  if (theta >= thetaU) return U;
  const x = (theta + d - b) / a;
  return x <= L ? L : x >= U ? U : x;
}

/** Result slots of `evalG`: G⁻(θ), G⁺(θ), slope left of θ, slope right of θ. */
const g = new Float64Array(4);

/** G's one-sided values and slopes at θ over the agents list[s..e) with offsets d. */
function evalG(A: BalanceAgents, list: Int32Array, s: number, e: number, d: Float64Array, theta: number): void {
  let gl = 0;
  let gr = 0;
  let sl = 0;
  let sr = 0;
  for (let q = s; q < e; q++) {
    const n = list[q];
    const a = A.a[n];
    const L = A.pMin[n];
    const U = A.pMax[n];
    if (a > 0) {
      // The breakpoints in θ, computed by the same expressions as in solveBalance so that
      // comparisons with them are exact: at a breakpoint the power is exactly the bound.
      const lo = L > -Infinity ? A.b[n] + a * L - d[n] : -Infinity;
      const hi = U < Infinity ? A.b[n] + a * U - d[n] : Infinity;
      const p = response(theta, d[n], A.b[n], a, L, U, lo, hi);
      gl += p;
      gr += p;
      if (L < U) {
        // Free just left of θ when θ_L < θ ≤ θ_U; just right when θ_L ≤ θ < θ_U.
        if (theta > lo && theta <= hi) sl += 1 / a;
        if (theta >= lo && theta < hi) sr += 1 / a;
      }
    } else {
      const jump = A.b[n] - d[n];
      if (theta < jump) {
        gl += L;
        gr += L;
      } else if (theta > jump) {
        gl += U;
        gr += U;
      } else {
        gl += L;
        gr += U;
      }
    }
  }
  g[0] = gl;
  g[1] = gr;
  g[2] = sl;
  g[3] = sr;
}

/** Below this length a range is sorted by insertion. */
const INSERTION = 16;

/**
 * Sorts a[0..n) ascending in place, without allocation (unlike a subarray view's sort):
 * quicksort with the median of three as pivot and insertion sort for short ranges, the larger
 * part iterated and the smaller recursed (depth ≤ log₂ n); heapsort for a range that
 * partitions badly (more than 2 log₂ n levels deep), so the worst case stays O(n log n).
 * The breakpoints contain no NaN. `depthLimit` (tests) sets the depth beyond which heapsort takes over.
 */
export function sortPrefix(a: Float64Array, n: number, depthLimit = 2 * Math.ceil(Math.log2(n + 1))): void {
  quickSort(a, null, 0, n - 1, depthLimit);
}

/** Sorts x[0..n) ascending in place, carrying tags[0..n) along (as sortPrefix). */
function sortTagged(x: Float64Array, tags: Int32Array, n: number): void {
  quickSort(x, tags, 0, n - 1, 2 * Math.ceil(Math.log2(n + 1)));
}

/** Quicksort of a[lo..hi] (see sortPrefix), moving tg's entries (when given) with a's. */
function quickSort(a: Float64Array, tg: Int32Array | null, lo: number, hi: number, depth: number): void {
  while (hi - lo >= INSERTION) {
    if (depth-- <= 0) {
      heapRange(a, tg, lo, hi + 1);
      return;
    }
    const mid = lo + ((hi - lo) >> 1);
    // Median of three at a[mid], with a[lo] ≤ a[mid] ≤ a[hi].
    if (a[mid] < a[lo]) swap(a, tg, mid, lo);
    if (a[hi] < a[lo]) swap(a, tg, hi, lo);
    if (a[hi] < a[mid]) swap(a, tg, hi, mid);
    const pivot = a[mid];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        swap(a, tg, i, j);
        i++;
        j--;
      }
    }
    if (j - lo < hi - i) {
      quickSort(a, tg, lo, j, depth);
      lo = i;
    } else {
      quickSort(a, tg, i, hi, depth);
      hi = j;
    }
  }
  for (let i = lo + 1; i <= hi; i++) {
    const x = a[i];
    const t = tg === null ? 0 : tg[i];
    let j = i - 1;
    while (j >= lo && a[j] > x) {
      a[j + 1] = a[j];
      if (tg !== null) tg[j + 1] = tg[j];
      j--;
    }
    a[j + 1] = x;
    if (tg !== null) tg[j + 1] = t;
  }
}

function swap(a: Float64Array, tg: Int32Array | null, i: number, j: number): void {
  const t = a[i];
  a[i] = a[j];
  a[j] = t;
  if (tg !== null) {
    const u = tg[i];
    tg[i] = tg[j];
    tg[j] = u;
  }
}

/** Heapsort of a[s..e) (tg's entries moved along when given). */
function heapRange(a: Float64Array, tg: Int32Array | null, s: number, e: number): void {
  const n = e - s;
  for (let i = (n >> 1) - 1; i >= 0; i--) sift(a, tg, s, i, n);
  for (let end = n - 1; end > 0; end--) {
    swap(a, tg, s, s + end);
    sift(a, tg, s, 0, end);
  }
}

function sift(a: Float64Array, tg: Int32Array | null, s: number, start: number, end: number): void {
  let root = start;
  for (;;) {
    let child = 2 * root + 1;
    if (child >= end) return;
    if (child + 1 < end && a[s + child + 1] > a[s + child]) child++;
    if (!(a[s + child] > a[s + root])) return;
    swap(a, tg, s + root, s + child);
    root = child;
  }
}

/** Outcome of `solveBalance`. */
export interface BalanceResult {
  ok: boolean;
  /** The chosen θ (inside [thetaLo, thetaHi]). */
  theta: number;
  /** Every θ in [thetaLo, thetaHi] balances the component (equal ends: θ is unique). */
  thetaLo: number;
  thetaHi: number;
}

const MAX_FLAT_STEPS = 64;
/** Components with at least this many agents locate θ by a sweep instead of a binary search. */
const SWEEP_MIN_AGENTS = 64;

/**
 * The first index c of the sorted breakpoints x[0..K) (tagged as in `solveBalance`) with
 * G⁺(x[c]) ≥ F, or K when none, by one sweep: G⁺ is C + S·θ between breakpoints, and each
 * breakpoint changes C and S by its agent's move (a quadratic agent leaves its lower bound and
 * becomes free, or becomes fixed at its upper bound; a linear agent jumps from its lower to its
 * upper bound; linear agents at an infinite bound are counted, not summed). Returns −1 when the
 * sums are not finite.
 * Rounding in the sums can misplace c near F: the caller confirms it with exact evaluations.
 */
function sweepFirst(
  A: BalanceAgents,
  list: Int32Array,
  s: number,
  e: number,
  d: Float64Array,
  F: number,
  x: Float64Array,
  tags: Int32Array,
  K: number,
): number {
  // θ → −∞: agents with a finite lower bound sit at it; quadratic ones without are free. Linear
  // agents at an infinite bound are counted apart (G⁺ is then ±∞, or NaN with both, as in evalG).
  let C = 0;
  let S = 0;
  let negInf = 0;
  let posInf = 0;
  for (let q = s; q < e; q++) {
    const n = list[q];
    const a = A.a[n];
    const L = A.pMin[n];
    if (a > 0 && L === -Infinity) {
      S += 1 / a;
      C += (d[n] - A.b[n]) / a;
    } else if (L === -Infinity) negInf++;
    else C += L;
  }
  let t = 0;
  while (t < K) {
    const v = x[t];
    let u = t;
    for (; u < K && x[u] === v; u++) {
      const tag = tags[u];
      const n = list[tag >> 1];
      const a = A.a[n];
      if (a > 0) {
        if ((tag & 1) === 0) {
          C += (d[n] - A.b[n]) / a - A.pMin[n];
          S += 1 / a;
        } else {
          C += A.pMax[n] - (d[n] - A.b[n]) / a;
          S -= 1 / a;
        }
      } else {
        const L = A.pMin[n];
        const U = A.pMax[n];
        if (L === -Infinity) negInf--;
        else C -= L;
        if (U === Infinity) posInf++;
        else C += U;
      }
    }
    if (!Number.isFinite(C) || !Number.isFinite(S)) return -1;
    const value = negInf > 0 ? (posInf > 0 ? Number.NaN : -Infinity) : posInf > 0 ? Infinity : C + S * v;
    if (value >= F) return t;
    t = u;
  }
  return K;
}

/**
 * The breakpoints of G over list[s..e) into bp (unsorted); with `tags`, each tagged 2q (a lower
 * bound or a linear agent's price) or 2q + 1 (an upper bound) for the agent at list position q.
 * Returns their count. (A function of its own: solveBalance runs once per component, and V8,
 * compiling a long loop at the head of a function while it runs, left the code after it without
 * type feedback, so that every later call left the compiled code there and finished in the
 * interpreter.)
 */
function breakpoints(
  A: BalanceAgents,
  list: Int32Array,
  s: number,
  e: number,
  d: Float64Array,
  bp: Float64Array,
  tags: Int32Array | null,
): number {
  let K = 0;
  for (let q = s; q < e; q++) {
    const n = list[q];
    const a = A.a[n];
    if (a > 0) {
      const L = A.pMin[n];
      const U = A.pMax[n];
      if (L > -Infinity) {
        if (tags !== null) tags[K] = 2 * q;
        bp[K++] = A.b[n] + a * L - d[n];
      }
      if (U < Infinity && U > L) {
        if (tags !== null) tags[K] = 2 * q + 1;
        bp[K++] = A.b[n] + a * U - d[n];
      }
    } else {
      if (tags !== null) tags[K] = 2 * q;
      bp[K++] = A.b[n] - d[n];
    }
  }
  return K;
}

/**
 * Solves G(θ) = F on the component's agents list[s..e). `bp` is scratch of at least 2(e − s)
 * entries. `tol` is the balance tolerance (power units) used to recognise a flat piece at F.
 * Returns ok = false when F is outside the range of G.
 */
export function solveBalance(
  A: BalanceAgents,
  list: Int32Array,
  s: number,
  e: number,
  d: Float64Array,
  F: number,
  tol: number,
  bp: Float64Array,
  out: BalanceResult,
  tags?: Int32Array,
): void {
  out.ok = false;
  out.theta = Number.NaN;
  out.thetaLo = Number.NaN;
  out.thetaHi = Number.NaN;
  // With `tags` and enough breakpoints, each breakpoint is tagged with its position in the list
  // and kind, for the sweep below.
  const tagged = tags !== undefined && e - s >= SWEEP_MIN_AGENTS;
  const K = breakpoints(A, list, s, e, d, bp, tagged ? tags : null);
  if (K === 0) {
    // Every agent quadratic and unbounded: G is affine with slope Σ 1/a.
    evalG(A, list, s, e, d, 0);
    if (!(g[3] > 0)) return;
    const t = (F - g[1]) / g[3];
    setUnique(out, t);
    return;
  }
  const x = bp;
  // First breakpoint with G⁺ ≥ F: located by one sweep of the sorted breakpoints when tagged,
  // confirmed by evaluating G⁺ exactly at it and at the one before (G⁺ is non-decreasing, so
  // that pins the first index); otherwise, or when the sweep's sums are not confirmed, by
  // binary search (log₂ K evaluations of G, each a pass over the component).
  let i = -1;
  if (tagged) {
    sortTagged(x, tags, K);
    const c = sweepFirst(A, list, s, e, d, F, x, tags, K);
    if (c >= 0) {
      let ok = true;
      if (c < K) {
        evalG(A, list, s, e, d, x[c]);
        ok = g[1] >= F;
      }
      if (ok && c > 0) {
        evalG(A, list, s, e, d, x[c - 1]);
        ok = !(g[1] >= F);
      }
      if (ok) i = c;
    }
  } else sortPrefix(x, K);
  if (i < 0) {
    let lo = -1;
    let hi = K;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      evalG(A, list, s, e, d, x[mid]);
      if (g[1] >= F) hi = mid;
      else lo = mid;
    }
    i = hi;
  }
  if (i === K) {
    evalG(A, list, s, e, d, x[K - 1]);
    if (!(g[3] > 0)) {
      // Flat beyond the last breakpoint: balanced there only if G already is F (to rounding).
      if (Math.abs(F - g[1]) <= tol) {
        out.ok = true;
        out.theta = x[K - 1];
        out.thetaLo = x[K - 1];
        out.thetaHi = Infinity;
        extendLeft(A, list, s, e, d, F, tol, x, K - 1, out);
      }
      return;
    }
    setUnique(out, x[K - 1] + (F - g[1]) / g[3]);
    return;
  }
  evalG(A, list, s, e, d, x[i]);
  const gl = g[0];
  const gr = g[1];
  const sl = g[2];
  const sr = g[3];
  if (gl <= F) {
    out.ok = true;
    out.theta = x[i];
    out.thetaLo = x[i];
    out.thetaHi = x[i];
    // A flat piece at F to the right and/or left makes θ only bracketed.
    if (gr - F <= tol && sr === 0) {
      let j = i;
      let steps = 0;
      for (;;) {
        if (j + 1 >= K) {
          out.thetaHi = Infinity;
          break;
        }
        j++;
        if (++steps > MAX_FLAT_STEPS) {
          out.thetaHi = x[j];
          break;
        }
        evalG(A, list, s, e, d, x[j]);
        if (!(g[1] - F <= tol && g[3] === 0)) {
          out.thetaHi = x[j];
          break;
        }
      }
    }
    if (F - gl <= tol && sl === 0) extendLeft(A, list, s, e, d, F, tol, x, i, out);
    return;
  }
  // The root lies on the affine piece left of x[i].
  if (!(sl > 0)) {
    if (i === 0) return; // F below the range of G
    out.ok = true;
    out.theta = out.thetaLo = out.thetaHi = x[i];
    return;
  }
  setUnique(out, x[i] - (gl - F) / sl);
}

function setUnique(out: BalanceResult, t: number): void {
  out.ok = Number.isFinite(t);
  out.theta = t;
  out.thetaLo = t;
  out.thetaHi = t;
}

/** Extends a flat piece at F leftwards from breakpoint x[i]. */
function extendLeft(
  A: BalanceAgents,
  list: Int32Array,
  s: number,
  e: number,
  d: Float64Array,
  F: number,
  tol: number,
  x: Float64Array,
  i: number,
  out: BalanceResult,
): void {
  let j = i;
  let steps = 0;
  for (;;) {
    if (j === 0) {
      out.thetaLo = -Infinity;
      return;
    }
    j--;
    if (++steps > MAX_FLAT_STEPS) {
      out.thetaLo = x[j];
      return;
    }
    evalG(A, list, s, e, d, x[j]);
    if (!(F - g[0] <= tol && g[2] === 0)) {
      out.thetaLo = x[j];
      return;
    }
  }
}

/**
 * The agents' powers at μ_i = θ + d_i, writing p[i] for list[s..e). Linear agents exactly at their
 * price share what the others leave of F (in list order, each within its bounds); returns the
 * part of F that could not be placed (0 when balanced).
 */
export function assignPowers(
  A: BalanceAgents,
  list: Int32Array,
  s: number,
  e: number,
  d: Float64Array,
  theta: number,
  F: number,
  p: Float64Array,
): number {
  const rest = ownResponses(A, list, s, e, d, theta, F, p);
  return rest === 0 ? 0 : absorbRest(A, list, s, e, d, theta, rest, p);
}

/**
 * Each agent's own response at μ = θ + d (linear agents at their price at a bound); returns F
 * minus their sum. (Loops of their own, here and in absorbRest: V8 compiles a long loop while it
 * runs, and code after it in the same function would lack type feedback in every later call.)
 */
function ownResponses(
  A: BalanceAgents,
  list: Int32Array,
  s: number,
  e: number,
  d: Float64Array,
  theta: number,
  F: number,
  p: Float64Array,
): number {
  let rest = F;
  for (let q = s; q < e; q++) {
    const n = list[q];
    const a = A.a[n];
    const L = A.pMin[n];
    const U = A.pMax[n];
    let v: number;
    if (a > 0) {
      const lo = L > -Infinity ? A.b[n] + a * L - d[n] : -Infinity;
      const hi = U < Infinity ? A.b[n] + a * U - d[n] : Infinity;
      v = response(theta, d[n], A.b[n], a, L, U, lo, hi);
    } else if (theta < A.b[n] - d[n]) v = L;
    else if (theta > A.b[n] - d[n]) v = U;
    else v = L > -Infinity ? L : U < Infinity ? U : 0;
    p[n] = v;
    rest -= v;
  }
  return rest;
}

/** Linear agents at their price absorb what the others leave of F (`rest`), in list order; returns what is left. */
function absorbRest(
  A: BalanceAgents,
  list: Int32Array,
  s: number,
  e: number,
  d: Float64Array,
  theta: number,
  rest: number,
  p: Float64Array,
): number {
  for (let q = s; q < e && rest !== 0; q++) {
    const n = list[q];
    if (A.a[n] > 0 || theta !== A.b[n] - d[n]) continue;
    const v = p[n];
    const up = A.pMax[n] - v;
    const down = A.pMin[n] - v;
    const move = rest > up ? up : rest < down ? down : rest;
    p[n] = v + move;
    rest -= move;
  }
  return rest;
}
