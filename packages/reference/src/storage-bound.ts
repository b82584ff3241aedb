import type { HorizonArrays, MarketArrays } from "@peermarket/admm";
import { minOwnCost } from "./own-cost.js";

/**
 * Certified lower bounds on a storage agent's best response to fixed prices, by Lagrangian
 * relaxation of its state-of-charge chain (docs/verification.md, "Storage agents' regret"). Used by
 * the equilibrium certificate (`certifyEquilibrium`) and by the pricing mechanisms' coalition values.
 */

/**
 * A certified lower bound, per hour (× Δ for €), on storage agent `q`'s best response to prices λ:
 *
 *   min Σ_t [ f_t(g_t) + θ (c_t + d_t) + Σ_k (c⁺_k x_k⁺ + c⁻_k x_k⁻ − λ_k x_k) ]
 *   over g, c, d, x within their bounds, g_t = Σ_k x_k − d_t + c_t, and the SoC chain.
 *
 * The SoC chain E_t − E_{t−1} − Δ(η_c c_t − d_t/η_d) = 0 is relaxed with multipliers y_t/Δ (the
 * value of stored energy, €/MWh), so for ANY y the Lagrangian is a lower bound (weak duality). It
 * separates into one problem per period — the agent's own power against its trades and two
 * one-way "trades" c ∈ [0, c̄] at θ − η_c y_t and −d ∈ [−d̄, 0] at θ + y_t/η_d, solved exactly by
 * `minOwnCost` — and a linear term in each E_t over its box, minimised at a corner. Equal to the
 * best response at the optimal y. The multipliers are read from the given solution (`chooseMultipliers`);
 * the bound returned is the best of four choices.
 */
export function storageDualBound(
  m: MarketArrays,
  H: HorizonArrays,
  q: number,
  price: ArrayLike<number>,
  trade: ArrayLike<number>,
  charge: ArrayLike<number>,
  discharge: ArrayLike<number>,
): number {
  let best = -Infinity;
  let bestY: Float64Array | null = null;
  const tries = [
    ...(["mid", "lo", "hi"] as const).map((mode) =>
      chooseMultipliers(m, H, q, price, trade, charge, discharge, true, mode),
    ),
    chooseMultipliers(m, H, q, price, trade, charge, discharge, false),
  ];
  for (const y of tries) {
    const v = storageLagrangian(m, H, q, price, y);
    if (v > best || bestY === null) {
      best = v;
      bestY = y;
    }
  }
  if (!Number.isFinite(best)) return best;
  // Then ascend: the Lagrangian is concave in y, and every step keeps a valid bound.
  return Math.max(best, ascendMultipliers(m, H, q, price, bestY!, tries[0]));
}

/**
 * Raises the storage Lagrangian (concave in y) from `y` by golden-section line searches: on each
 * y_t alone, on each run of equal values of `grouping` shifted together, and on all of y shifted
 * together, for a few sweeps. Returns the value at the best y found (every y gives a valid bound).
 */
function ascendMultipliers(
  m: MarketArrays,
  H: HorizonArrays,
  q: number,
  price: ArrayLike<number>,
  y0: Float64Array,
  grouping: Float64Array,
): number {
  const st = H.storage;
  const T = H.periods;
  const dt = H.periodHours;
  const theta = st.throughputCost[q];
  const ec = st.etaCharge[q];
  const ed = st.etaDischarge[q];
  const per = Array.from({ length: T }, (_, t) => periodSlots(m, H, q, t, price));
  let scale = 1 + theta;
  for (let t = 0; t < T; t++) {
    const P = per[t];
    scale = Math.max(
      scale,
      Math.abs(m.b[P.i]) + Math.abs(m.a[P.i]) * Math.max(Math.abs(m.pMin[P.i]) || 0, Math.abs(m.pMax[P.i]) || 0),
    );
    for (let k = 0; k < P.n - 2; k++) scale = Math.max(scale, Math.abs(P.sNeg[k]), Math.abs(P.sPos[k]));
  }
  if (!Number.isFinite(scale)) return -Infinity;
  const phi = (t: number, v: number): number => periodValue(m, H, q, per[t], v);
  const eTerm = (t: number, yt: number, ynext: number): number => socTerm(H, q, t, yt, ynext);
  const y = Float64Array.from(y0);
  const ph = Float64Array.from({ length: T }, (_, t) => phi(t, y[t]));
  const total = (): number => {
    let v = -(y[0] * st.socInitial[q]) / dt;
    for (let t = 0; t < T; t++) v += ph[t] + eTerm(t, y[t], t + 1 < T ? y[t + 1] : 0);
    return v;
  };
  // The objective of shifting y[s..e] by δ (only the changed terms).
  const blockValue = (s: number, e: number, d: number): number => {
    let v = 0;
    for (let t = s; t <= e; t++) v += phi(t, y[t] + d);
    if (s > 0) v += eTerm(s - 1, y[s - 1], y[s] + d);
    else v -= ((y[0] + d) * st.socInitial[q]) / dt;
    v += eTerm(e, y[e] + d, e + 1 < T ? y[e + 1] : 0);
    for (let t = s; t < e; t++) v += eTerm(t, y[t] + d, y[t + 1] + d);
    return v;
  };
  const g = (Math.sqrt(5) - 1) / 2;
  const lineSearch = (s: number, e: number, width: number): void => {
    const base = blockValue(s, e, 0);
    let a = -width;
    let b = width;
    let x1 = b - g * (b - a);
    let x2 = a + g * (b - a);
    let f1 = blockValue(s, e, x1);
    let f2 = blockValue(s, e, x2);
    for (let it = 0; it < 40; it++) {
      if (f1 < f2) {
        a = x1;
        x1 = x2;
        f1 = f2;
        x2 = a + g * (b - a);
        f2 = blockValue(s, e, x2);
      } else {
        b = x2;
        x2 = x1;
        f2 = f1;
        x1 = b - g * (b - a);
        f1 = blockValue(s, e, x1);
      }
    }
    const d = f1 >= f2 ? x1 : x2;
    const fd = Math.max(f1, f2);
    if (fd > base) {
      for (let t = s; t <= e; t++) {
        y[t] += d;
        ph[t] = phi(t, y[t]);
      }
    }
  };
  const runs: [number, number][] = [];
  for (let t = 0; t < T; ) {
    let e = t;
    while (e + 1 < T && grouping[e + 1] === grouping[t]) e++;
    runs.push([t, e]);
    t = e + 1;
  }
  let width = (2 * scale) / Math.min(ec, ed);
  for (let sweep = 0; sweep < 4; sweep++) {
    lineSearch(0, T - 1, width);
    for (const [s, e] of runs) if (e > s) lineSearch(s, e, width);
    for (let t = 0; t < T; t++) lineSearch(t, t, width);
    width *= 0.5;
  }
  return total();
}

/** The Lagrangian of storage agent q's best response at prices λ and SoC multipliers y (per hour; see `storageDualBound`). */
export function storageLagrangian(
  m: MarketArrays,
  H: HorizonArrays,
  q: number,
  price: ArrayLike<number>,
  y: ArrayLike<number>,
): number {
  const T = H.periods;
  let total = 0;
  for (let t = 0; t < T; t++) {
    total += periodValue(m, H, q, periodSlots(m, H, q, t, price), y[t]);
    total += socTerm(H, q, t, y[t], t + 1 < T ? y[t + 1] : 0);
  }
  total -= (y[0] * H.storage.socInitial[q]) / H.periodHours;
  return total;
}

/**
 * Period t of storage agent q as a one-period own-cost problem: its trades (bounds, and the slopes
 * −(λ + c⁻) and c⁺ − λ at the prices), then a charge slot (0 ≤ c ≤ c̄) and a discharge slot
 * (−d̄ ≤ −d ≤ 0), whose slopes `periodValue` sets from the SoC multiplier.
 */
function periodSlots(m: MarketArrays, H: HorizonArrays, q: number, t: number, price: ArrayLike<number>) {
  const st = H.storage;
  const i = st.first[q] + t;
  const s = m.tradeStart[i];
  const e = m.tradeStart[i + 1];
  const n = e - s + 2;
  const lo = new Float64Array(n);
  const hi = new Float64Array(n);
  const sNeg = new Float64Array(n);
  const sPos = new Float64Array(n);
  for (let k = s; k < e; k++) {
    lo[k - s] = m.lo[k];
    hi[k - s] = m.hi[k];
    sNeg[k - s] = -(price[k] + m.costBuy[k]);
    sPos[k - s] = m.costSell[k] - price[k];
  }
  hi[n - 2] = st.chargeMax[q];
  lo[n - 1] = -st.dischargeMax[q];
  return { i, lo, hi, sNeg, sPos, n };
}

/**
 * The least cost of a period's slots at SoC multiplier y: charge c ≥ 0 raises the own power
 * g = Σx − d + c; discharge d enters as the trade −d ≤ 0.
 */
function periodValue(
  m: MarketArrays,
  H: HorizonArrays,
  q: number,
  P: ReturnType<typeof periodSlots>,
  y: number,
): number {
  const st = H.storage;
  const theta = st.throughputCost[q];
  P.sPos[P.n - 2] = theta - st.etaCharge[q] * y;
  P.sNeg[P.n - 1] = -(theta + y / st.etaDischarge[q]);
  return minOwnCost(m.a[P.i], m.b[P.i], m.pMin[P.i], m.pMax[P.i], P.lo, P.hi, P.sNeg, P.sPos).value;
}

/** E_t's term: its coefficient (y_t − y_{t+1})/Δ over its box (the last: also E_T ≥ soc_final_min). */
function socTerm(H: HorizonArrays, q: number, t: number, yt: number, ynext: number): number {
  const st = H.storage;
  const coef = (yt - ynext) / H.periodHours;
  const eLo = t + 1 < H.periods ? st.socMin[q] : Math.max(st.socMin[q], st.socFinalMin[q]);
  return coef > 0 ? coef * eLo : coef < 0 ? coef * st.socMax[q] : 0;
}

/**
 * SoC multipliers y_t (€/MWh of stored energy) consistent with a solution: in each period the
 * charge and discharge bound y_t by the agent's marginal cost of a further unit of power (its
 * cheapest source: buying more, selling less, raising its own power) and value of one (its best
 * sink), η_c y ≤ source + θ while c < c̄, η_c y ≥ sink + θ while c > 0, y/η_d ≥ sink − θ while
 * d < d̄, y/η_d ≤ source − θ while d > 0. With `grouped`, y is one value over each run of periods
 * whose stored energy stays strictly inside its bounds (as at the optimum) — the intersection of
 * the run's intervals — and 0 on a last run that ends strictly inside; otherwise per period.
 */
function chooseMultipliers(
  m: MarketArrays,
  H: HorizonArrays,
  q: number,
  price: ArrayLike<number>,
  trade: ArrayLike<number>,
  charge: ArrayLike<number>,
  discharge: ArrayLike<number>,
  grouped: boolean,
  mode: "mid" | "lo" | "hi" = "mid",
): Float64Array {
  const st = H.storage;
  const T = H.periods;
  const dt = H.periodHours;
  const theta = st.throughputCost[q];
  const ec = st.etaCharge[q];
  const ed = st.etaDischarge[q];
  const cMax = st.chargeMax[q];
  const dMax = st.dischargeMax[q];
  // A solution at a tolerance sits near, not at, its bounds: "at a bound" is within 1e-7 of the powers involved.
  let volume = Math.max(1, cMax, dMax);
  for (let t = 0; t < T; t++) {
    const i = st.first[q] + t;
    for (let k = m.tradeStart[i]; k < m.tradeStart[i + 1]; k++) volume = Math.max(volume, Math.abs(trade[k]));
  }
  const powerTol = 1e-7 * volume;
  const lower = new Float64Array(T).fill(-Infinity);
  const upper = new Float64Array(T).fill(Infinity);
  const soc = new Float64Array(T);
  let E = st.socInitial[q];
  for (let t = 0; t < T; t++) {
    const i = st.first[q] + t;
    let source = Infinity;
    let sink = -Infinity;
    let net = 0;
    for (let k = m.tradeStart[i]; k < m.tradeStart[i + 1]; k++) {
      const x = trade[k];
      net += x;
      const tol = powerTol;
      // One more unit for the agent: sell less (x > 0) or buy more (x ≤ 0, room below).
      if (x > tol) source = Math.min(source, price[k] - m.costSell[k]);
      else if (x > m.lo[k] + tol) source = Math.min(source, price[k] + m.costBuy[k]);
      // One unit less: buy less (x < 0) or sell more (x ≥ 0, room above).
      if (x < -tol) sink = Math.max(sink, price[k] + m.costBuy[k]);
      else if (x < m.hi[k] - tol) sink = Math.max(sink, price[k] - m.costSell[k]);
    }
    const c = charge[i];
    const d = discharge[i];
    const g = net - d + c;
    const mc = m.a[i] * g + m.b[i];
    if (m.pMax[i] > m.pMin[i]) {
      if (g < m.pMax[i] - powerTol) source = Math.min(source, mc);
      if (g > m.pMin[i] + powerTol) sink = Math.max(sink, mc);
    }
    if (c < cMax - powerTol) upper[t] = Math.min(upper[t], (source + theta) / ec);
    if (c > powerTol) lower[t] = Math.max(lower[t], (sink + theta) / ec);
    if (d < dMax - powerTol) lower[t] = Math.max(lower[t], ed * (sink - theta));
    if (d > powerTol) upper[t] = Math.min(upper[t], ed * (source - theta));
    E += dt * (ec * c - d / ed);
    soc[t] = E;
  }
  const y = new Float64Array(T);
  const pick = (lo: number, hi: number): number => {
    if (Number.isFinite(lo) && Number.isFinite(hi)) return 0.5 * (lo + hi);
    if (Number.isFinite(lo)) return lo;
    if (Number.isFinite(hi)) return hi;
    return 0;
  };
  if (!grouped) {
    for (let t = 0; t < T; t++) y[t] = pick(lower[t], upper[t]);
    return y;
  }
  const socTol = 1e-7 * Math.max(1, st.socMax[q], volume * dt);
  // Runs of periods whose stored energy stays strictly inside its bounds share one y; a run ends at
  // an empty storage (then y may only fall into the next run: y_t ≥ y_{t+1}), at a full one (only
  // rise) or at the end (y_T ≥ 0 at the final minimum, 0 strictly inside).
  const runs: { start: number; end: number; lo: number; hi: number; bound: "min" | "max" | "inside" }[] = [];
  let start = 0;
  for (let t = 0; t < T; t++) {
    const last = t === T - 1;
    const eLo = last ? Math.max(st.socMin[q], st.socFinalMin[q]) : st.socMin[q];
    const atLo = soc[t] <= eLo + socTol;
    const atHi = soc[t] >= st.socMax[q] - socTol;
    if (!last && !atLo && !atHi) continue;
    let lo = -Infinity;
    let hi = Infinity;
    for (let u = start; u <= t; u++) {
      lo = Math.max(lo, lower[u]);
      hi = Math.min(hi, upper[u]);
    }
    if (lo > hi) lo = hi = 0.5 * (lo + hi); // an inexact solution: its intervals need not meet
    if (last && atLo) lo = Math.max(lo, 0);
    if (last && !atLo && !atHi) lo = hi = 0;
    if (last && atHi && !atLo) hi = Math.min(hi, 0);
    if (lo > hi) lo = hi = 0.5 * (lo + hi);
    runs.push({ start, end: t, lo, hi, bound: atLo ? "min" : atHi ? "max" : "inside" });
    start = t + 1;
  }
  const v = runs.map((r) =>
    mode === "lo" && Number.isFinite(r.lo) ? r.lo : mode === "hi" && Number.isFinite(r.hi) ? r.hi : pick(r.lo, r.hi),
  );
  const clampTo = (x: number, r: (typeof runs)[number]) => Math.min(Math.max(x, r.lo), r.hi);
  // Order between runs, within each run's interval where possible: backwards, then forwards.
  for (let g = runs.length - 2; g >= 0; g--) {
    if (runs[g].bound === "min" && v[g] < v[g + 1]) v[g] = clampTo(v[g + 1], runs[g]);
    else if (runs[g].bound === "max" && v[g] > v[g + 1]) v[g] = clampTo(v[g + 1], runs[g]);
  }
  for (let g = 1; g < runs.length; g++) {
    if (runs[g - 1].bound === "min" && v[g] > v[g - 1]) v[g] = clampTo(v[g - 1], runs[g]);
    else if (runs[g - 1].bound === "max" && v[g] < v[g - 1]) v[g] = clampTo(v[g - 1], runs[g]);
  }
  runs.forEach((r, g) => {
    for (let u = r.start; u <= r.end; u++) y[u] = Number.isFinite(v[g]) ? v[g] : 0;
  });
  return y;
}
