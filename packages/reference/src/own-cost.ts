/**
 * The exact minimum of one agent's cost against fixed per-unit terms on each of its trades:
 *
 *   min  ½ a p² + b p + Σ_k g_k(x_k)   over  p = Σ_k x_k,  pMin ≤ p ≤ pMax,  lo_k ≤ x_k ≤ hi_k
 *   g_k(x) = sNeg_k · x  for x < 0 (buying),  sPos_k · x  for x > 0 (selling)
 *
 * Convex when sNeg_k ≤ sPos_k on every trade that can go both ways. Two uses (docs/mechanisms.md):
 * - grid only: a member alone with the grid, sNeg = −(its buy-side cost + import price + the
 *   grid's sell-side cost), sPos = its sell-side cost − export price + the grid's buy-side cost;
 * - the Lagrangian lower bound of a coalition's value: every agent's best response to prices λ,
 *   sNeg = −(λ + c⁻), sPos = c⁺ − λ.
 *
 * Solved by a breakpoint search on the agent's marginal price μ (no iteration): for a given μ a
 * trade sits at hi (μ < −sPos), at 0 (−sPos < μ < −sNeg) or at lo (μ > −sNeg), and the agent's
 * own power is clamp((μ − b)/a); μ is where the two meet. Returns +Infinity when no point is
 * feasible and −Infinity when the minimum is unbounded.
 */
export function minOwnCost(
  a: number,
  b: number,
  pMin: number,
  pMax: number,
  lo: ArrayLike<number>,
  hi: ArrayLike<number>,
  sNeg: ArrayLike<number>,
  sPos: ArrayLike<number>,
  x: Float64Array | null = null,
): { value: number; power: number } {
  const n = lo.length;
  let sumLo = 0;
  let sumHi = 0;
  for (let k = 0; k < n; k++) {
    sumLo += lo[k];
    sumHi += hi[k];
  }
  if (sumHi < pMin || sumLo > pMax) return { value: Infinity, power: NaN };
  const bps: number[] = [];
  for (let k = 0; k < n; k++) {
    if (hi[k] > 0) bps.push(-sPos[k]);
    if (lo[k] < 0) bps.push(-sNeg[k]);
  }
  if (a === 0) bps.push(b);
  bps.sort((u, v) => u - v);
  const uniq: number[] = [];
  for (const v of bps) if (uniq.length === 0 || v !== uniq[uniq.length - 1]) uniq.push(v);

  // Total trade position just right (μ = β + 0) and just left (μ = β − 0) of μ = β.
  const tradesRight = (beta: number): number => {
    let s = 0;
    for (let k = 0; k < n; k++) {
      if (hi[k] > 0 && beta < -sPos[k]) s += hi[k];
      else if (lo[k] < 0 && beta >= -sNeg[k]) s += lo[k];
    }
    return s;
  };
  const tradesLeft = (beta: number): number => {
    let s = 0;
    for (let k = 0; k < n; k++) {
      if (hi[k] > 0 && beta <= -sPos[k]) s += hi[k];
      else if (lo[k] < 0 && beta > -sNeg[k]) s += lo[k];
    }
    return s;
  };
  const clamp = (v: number) => Math.min(Math.max(v, pMin), pMax);

  let mu = NaN;
  let power = NaN;
  const m = uniq.length;
  // Open interval i lies between uniq[i-1] and uniq[i] (i = 0: below the first; i = m: above the last).
  for (let i = 0; i <= m; i++) {
    const left = i === 0 ? -Infinity : uniq[i - 1];
    const right = i === m ? Infinity : uniq[i];
    const X = m === 0 ? 0 : i < m ? tradesLeft(right) : tradesRight(left);
    if (a > 0) {
      if (X >= pMin && X <= pMax) {
        const muStar = b + a * X;
        if (muStar >= left && muStar <= right) {
          mu = muStar;
          power = X;
          break;
        }
      }
    } else if ((right <= b ? pMin : pMax) === X) {
      // Linear own cost: any μ of the interval; the value does not depend on it.
      mu = Number.isFinite(right)
        ? Number.isFinite(left)
          ? 0.5 * (left + right)
          : right - 1
        : Number.isFinite(left)
          ? left + 1
          : b;
      power = X;
      break;
    }
    if (i === m) break;
    // The breakpoint uniq[i]: trades may take any value between their right and left limits.
    const beta = uniq[i];
    const xLeft = X;
    const xRight = tradesRight(beta);
    let ownLo: number;
    let ownHi: number;
    if (a > 0) ownLo = ownHi = clamp((beta - b) / a);
    else if (beta === b) {
      ownLo = pMin;
      ownHi = pMax;
    } else ownLo = ownHi = beta < b ? pMin : pMax;
    const lo2 = Math.max(xRight, ownLo);
    const hi2 = Math.min(xLeft, ownHi);
    if (lo2 <= hi2) {
      mu = beta;
      power = Math.min(Math.max(0, lo2), hi2);
      break;
    }
  }
  if (Number.isNaN(power) || !Number.isFinite(power)) return { value: -Infinity, power };
  // Trades at μ: their right limits, then the ones whose breakpoint is μ raised up to `power`.
  const xs = x ?? new Float64Array(n);
  let fixed = 0;
  for (let k = 0; k < n; k++) {
    let v = 0;
    if (hi[k] > 0 && mu < -sPos[k]) v = hi[k];
    else if (lo[k] < 0 && mu >= -sNeg[k]) v = lo[k];
    xs[k] = v;
    fixed += v;
  }
  let rest = power - fixed;
  for (let k = 0; k < n && rest > 0; k++) {
    let room = 0;
    if (lo[k] < 0 && mu === -sNeg[k]) room += -lo[k];
    if (hi[k] > 0 && mu === -sPos[k]) room += hi[k];
    if (room <= 0) continue;
    const d = Math.min(rest, room);
    xs[k] += d;
    rest -= d;
  }
  let value = 0.5 * a * power * power + b * power;
  for (let k = 0; k < n; k++) {
    const v = xs[k];
    if (v > 0) value += sPos[k] * v;
    else if (v < 0) value += sNeg[k] * v;
  }
  return { value, power };
}
