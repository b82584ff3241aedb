import { AdmmSolver, type HorizonArrays, type MarketArrays } from "@peermarket/admm";
import { solveReferenceMultiPeriod } from "@peermarket/reference";
import { horizonDualBound } from "./coalitions.js";
import { type Community, type GridOnly, memberCostsOf, memberStorage } from "./community.js";
import { minOwnCost } from "./own-cost.js";
import { restrictCommunity } from "./submarket.js";

/**
 * Markets with storage (docs/mechanisms.md, "Storage"): a member with a battery couples its
 * periods, so its grid-only optimum and the values of coalitions that include it are problems over
 * the whole horizon.
 */

/** Options of `prepareStorageGridOnly`. */
export interface StorageGridOnlyOptions {
  /** HiGHS's wall-clock budget per member, seconds (default 60). */
  timeLimitS?: number;
}

/**
 * Grid only of every member with storage: the multi-period market of that member and the grid's
 * two agents (its own power, battery and grid trades at each period's prices and limits), solved
 * by HiGHS (`solveReferenceMultiPeriod`: an LP, or a QP when the member's cost is quadratic; a few
 * hundred columns for a day of quarter-hours). Its objective is the member's total cost alone:
 * energy cost (with the battery's throughput cost), trade costs of both sides of its grid trades,
 * and what it pays the grid (the grid agents' linear costs are the tariff). Stored in
 * `c.storageGridOnly`; members without storage stay with the exact per-period solve of `gridOnly`.
 * When HiGHS does not reach optimality (its QP solver's iteration limit on badly scaled members),
 * the engine clears the same three-agent market at eps_abs 1e-10, eps_rel 1e-9; the certified
 * lower bound (`GridOnly.lowerBound`) covers both. Returns the members solved that way.
 */
export async function prepareStorageGridOnly(c: Community, options: StorageGridOnlyOptions = {}): Promise<string[]> {
  const out: (GridOnly | null)[] = Array.from(c.members, () => null);
  const fallbacks: string[] = [];
  const m = c.arrays;
  const T = c.periods;
  const dt = c.periodHours;
  for (let pos = 0; pos < c.members.length; pos++) {
    if (memberStorage(c, pos) < 0) continue;
    const n = c.members[pos];
    const sub = restrictCommunity(c, [pos]);
    let ref: {
      objective: number;
      trade: Float64Array;
      price: Float64Array;
      charge: Float64Array;
      discharge: Float64Array;
      optimal: boolean;
      status: string;
    } = await solveReferenceMultiPeriod(sub.arrays, sub.horizon!, { timeLimit: options.timeLimitS ?? 60 });
    const periodPower: number[] = [];
    const periodPayment: number[] = new Array(T).fill(0);
    if (!ref.optimal && /infeasible/i.test(ref.status) && !/unbounded/i.test(ref.status)) {
      for (let t = 0; t < T; t++) periodPower.push(NaN);
      out[pos] = {
        power: NaN,
        periodPower,
        cost: Infinity,
        energyCost: NaN,
        networkCharges: NaN,
        preferenceCost: NaN,
        payment: NaN,
        periodPayment,
      };
      continue;
    }
    if (!ref.optimal) {
      // HiGHS's QP solver gives up on some badly scaled members (e.g. a home's cost of 7e4 €/MW² on
      // powers of 1e-4 MW): the engine clears the three-agent market instead, tightly, and the
      // certified bound below says how far its answer may be from the optimum.
      const solver = new AdmmSolver(
        sub.arrays,
        { epsAbs: 1e-10, epsRel: 1e-9, maxIter: 200_000, timeLimit: options.timeLimitS ?? 60 },
        { check: false, horizon: sub.horizon },
      );
      solver.warmStart({
        trade: Float64Array.from(sub.trades, (k) => c.trade[k]),
        price: Float64Array.from(sub.trades, (k) => c.price[k]),
      });
      const r = solver.solve();
      if (
        r.info.status === "PRIMAL_INFEASIBLE" ||
        r.info.status === "NUMERICAL_ERROR" ||
        r.info.status === "DUAL_INFEASIBLE"
      ) {
        throw new Error(
          `grid only of ${c.ids[n]} (with storage): HiGHS did not solve its ${T}-period problem (${ref.status}), nor did the engine (${r.info.status})`,
        );
      }
      const nA = sub.arrays.nAgents;
      ref = {
        objective: r.info.objective,
        trade: r.solution.trade,
        price: r.solution.price,
        charge: r.solution.charge ?? new Float64Array(nA),
        discharge: r.solution.discharge ?? new Float64Array(nA),
        optimal: r.info.status === "SOLVED",
        status: `engine ${r.info.status} after HiGHS: ${ref.status}`,
      };
      fallbacks.push(`${c.ids[n]} (${ref.status})`);
    }
    // Back to the full market's indices.
    const trade = new Float64Array(m.partner.length);
    sub.trades.forEach((k, j) => (trade[k] = ref.trade[j]));
    const charge = new Float64Array(m.nAgents);
    const discharge = new Float64Array(m.nAgents);
    sub.agents.forEach((a, i) => {
      charge[a] = ref.charge[i];
      discharge[a] = ref.discharge[i];
    });
    for (let t = 0; t < T; t++) {
      const a = n * T + t;
      let p = 0;
      for (let k = m.tradeStart[a]; k < m.tradeStart[a + 1]; k++) {
        p += trade[k];
        const partner = Math.floor(m.partner[k] / T);
        if (partner === c.gridImport || partner === c.gridExport)
          periodPayment[t] += -m.b[m.partner[k]] * trade[k] * dt;
      }
      periodPower.push(p);
    }
    const costs = memberCostsOf(c, n, trade, charge, discharge);
    // A certified lower bound at HiGHS's prices (the Lagrangian of the three-agent market), so the
    // singleton's value comes with a gap like every coalition's.
    const lowerBound = horizonDualBound(sub.arrays, sub.horizon!, ref.price, ref.trade, ref.charge, ref.discharge) * dt;
    const payment = periodPayment.reduce((u, v) => u + v, 0);
    out[pos] = {
      power: periodPower.reduce((u, v) => u + v, 0) / T,
      periodPower,
      // The sub-market's optimum: the member's own costs, the grid's trade costs on its trades and the tariff paid.
      cost: ref.objective,
      ...costs,
      payment,
      periodPayment,
      lowerBound,
    };
  }
  c.storageGridOnly = out;
  return fallbacks;
}

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

/**
 * How far each member's bilateral outcome may be from its best response to the cleared prices, €
 * (a certified upper bound on its regret): its total cost under the bilateral settlement minus a
 * lower bound on the least cost it could reach trading with the other members at their cleared
 * prices and with the grid at the tariff (plus both sides' trade costs), over the horizon — the
 * `minOwnCost` per period without storage, `storageDualBound` with storage. At the exact optimum
 * every slack is 0; a market cleared to a tolerance (storage markets are not polished) leaves a
 * little, and a coalition's excess under the bilateral rule is at most the sum of its members'
 * slacks (docs/mechanisms.md, "Storage"). The core tests add that sum to their tolerance.
 */
export function scheduleSlack(c: Community, bilateralCost: readonly number[]): number[] {
  const m = c.arrays;
  const T = c.periods;
  const dt = c.periodHours;
  const nt = m.partner.length;
  const price = Float64Array.from(c.price);
  const costSell = Float64Array.from(m.costSell);
  const costBuy = Float64Array.from(m.costBuy);
  for (let k = 0; k < nt; k++) {
    const g = Math.floor(m.partner[k] / T);
    if (g !== c.gridImport && g !== c.gridExport) continue;
    price[k] = m.b[m.partner[k]];
    costSell[k] = m.costSell[k] + m.costBuy[m.mirror[k]];
    costBuy[k] = m.costBuy[k] + m.costSell[m.mirror[k]];
  }
  const eff: MarketArrays = { ...m, costSell, costBuy };
  return Array.from(c.members, (n, pos) => {
    const q = memberStorage(c, pos);
    let best = 0;
    if (q >= 0) best = storageDualBound(eff, c.horizon!, q, price, c.trade, c.charge!, c.discharge!);
    else {
      for (let t = 0; t < T; t++) {
        const i = n * T + t;
        const s = m.tradeStart[i];
        const e = m.tradeStart[i + 1];
        const sNeg = new Float64Array(e - s);
        const sPos = new Float64Array(e - s);
        for (let k = s; k < e; k++) {
          sNeg[k - s] = -(price[k] + costBuy[k]);
          sPos[k - s] = costSell[k] - price[k];
        }
        best += minOwnCost(
          m.a[i],
          m.b[i],
          m.pMin[i],
          m.pMax[i],
          m.lo.subarray(s, e),
          m.hi.subarray(s, e),
          sNeg,
          sPos,
        ).value;
      }
    }
    const slack = bilateralCost[pos] - dt * best;
    return Number.isNaN(slack) ? Infinity : Math.max(0, slack);
  });
}
