import type { HorizonArrays, MarketArrays } from "@peermarket/admm";
import type { Highs } from "highs";
import { ColumnModel, modelObjective } from "./column-model.js";
import { getHighs } from "./highs-runtime.js";
import { checkHorizon } from "./multiperiod.js";
import { storageDualBound } from "./storage-bound.js";

/**
 * The equilibrium certificate of a multi-period market solution (docs/multi-period.md, "The
 * equilibrium certificate").
 *
 * A solution is given in the engine's layout (period agents n·T + t): the trades p_k and prices
 * λ_k per directed trade, and the charge and discharge per period agent. Each period agent's own
 * power follows from its balance, g = Σ_k p_k − d + c. The certificate checks
 *
 * - primal feasibility: reciprocity p_k + p_mirror(k) = 0, trade bounds, own power bounds, charge
 *   and discharge limits, the SoC chain within its bounds and the final SoC;
 * - price symmetry λ_k = λ_mirror(k);
 * - for every ORIGINAL agent n, its regret in € over the horizon: its cost at the solution minus
 *   the cost of its best response to the solution's prices. The agent's cost is
 *   Δ Σ_t [ f_{n,t}(g_t) + θ (c_t + d_t) + Σ_k ( c⁺_k p_k⁺ + c⁻_k p_k⁻ − λ_k p_k ) ]
 *   (selling p_k > 0 to a partner earns λ_k p_k), and its best response minimises the same over its
 *   own g, c, d and trades within their bounds, with its balance per period and its SoC chain.
 *
 * At an optimum of the market every regret is 0: no agent gains by deviating at these prices. For
 * T = 1 without storage a zero regret is the price condition of the single-period KKT certificate.
 *
 * Best responses: an agent without storage separates into T one-dimensional problems, solved
 * exactly through their concave dual (a piecewise quadratic in the agent's marginal price μ,
 * maximised over its breakpoints and the stationary points between them). For an agent with
 * storage, a certified lower bound on its best response comes first: the Lagrangian of its SoC
 * chain at multipliers read from the solution and improved by line searches
 * (`storageDualBound`; weak duality makes every multiplier a valid bound), so cost − bound is an
 * upper bound on the regret. When that bound already shows the regret within the tolerance the
 * agent is done ("dual-bound"); otherwise HiGHS solves its best response over the T periods (an LP,
 * or a QP when some a > 0; "highs", accurate to HiGHS's tolerances). When HiGHS fails (its QP
 * solver stops with an error on some long horizons), the bound's regret is reported: an upper
 * bound, never an understatement. `storageBestResponse: "highs"` forces HiGHS.
 */

/** A multi-period solution in the engine's layout. */
export interface MultiPeriodSolutionArrays {
  /** p_k per directed trade. */
  trade: ArrayLike<number>;
  /** λ_k per directed trade (€/MWh). */
  price: ArrayLike<number>;
  /** c and d per period agent (absent: 0). */
  charge?: ArrayLike<number>;
  discharge?: ArrayLike<number>;
}

/** Options of `certifyEquilibrium`. */
export interface EquilibriumOptions {
  /** Accepted primal violation in power units (default 1e-6 × the power scale). */
  primal?: number;
  /** Accepted regret in € per agent (default 1e-6 × the money scale; see `EquilibriumCertificate.tolerances`). */
  regret?: number;
  /** Accepted price asymmetry (default 1e-6 × the price scale). */
  dual?: number;
  /** Time limit in seconds for each HiGHS best response (default 20). */
  timeLimit?: number;
  /**
   * Storage agents' best responses: "auto" (default) accepts the Lagrangian bound when it certifies
   * the regret within tolerance and asks HiGHS otherwise; "highs" always asks HiGHS first.
   */
  storageBestResponse?: "auto" | "highs";
}

/** The outcome of `certifyEquilibrium`. */
export interface EquilibriumCertificate {
  /** max |p_k + p_mirror(k)|. */
  maxReciprocityViolation: number;
  /** Largest violation of a trade, own power, charge or discharge bound (power units). */
  maxBoundViolation: number;
  /** Largest violation of the SoC bounds or the final SoC (MWh), with E_t from the charges. */
  maxSocViolation: number;
  /** max |λ_k − λ_mirror(k)|. */
  maxPriceAsymmetry: number;
  /** Per original agent: cost at the solution − cost of the best response, € over the horizon (∞ when the best response is unbounded). */
  agentRegret: Float64Array;
  /** Per original agent: its cost at the solution, € over the horizon. */
  agentCost: Float64Array;
  /**
   * Per original agent: how its best response was found — "exact" (no storage), "highs", or
   * "dual-bound" (a certified lower bound: the regret reported is an upper bound of the true one).
   */
  bestResponseMethod: ("exact" | "highs" | "dual-bound")[];
  /** The largest regret and its agent (original index; −1 without agents). */
  maxRegret: number;
  worstAgent: number;
  /** Tolerances used. */
  tolerances: { primal: number; regret: number; dual: number };
  /** Whether every check is within its tolerance. */
  passed: boolean;
}

/**
 * Checks a multi-period solution (see the file comment). `m`, `h` are the engine's arrays;
 * original agent n owns period agents n·T .. n·T + T − 1.
 */
export async function certifyEquilibrium(
  m: MarketArrays,
  h: HorizonArrays,
  s: MultiPeriodSolutionArrays,
  opts: EquilibriumOptions = {},
): Promise<EquilibriumCertificate> {
  const problem = checkHorizon(m, h);
  if (problem !== null) throw new Error(`certifyEquilibrium: ${problem}`);
  const nt = m.partner.length;
  if (s.trade.length !== nt || s.price.length !== nt)
    throw new Error(`certifyEquilibrium: trade and price must have ${nt} entries`);
  const T = h.periods;
  const dt = h.periodHours;
  const N = m.nAgents / T;
  const st = h.storage;
  const zero = new Float64Array(m.nAgents);
  const charge = s.charge ?? zero;
  const discharge = s.discharge ?? zero;
  if (charge.length !== m.nAgents || discharge.length !== m.nAgents)
    throw new Error(`certifyEquilibrium: charge and discharge must have ${m.nAgents} entries`);

  // Own powers and scales.
  const own = new Float64Array(m.nAgents);
  let power = 1;
  let price = 1;
  const grow = (v: number): void => {
    if (Number.isFinite(v)) power = Math.max(power, Math.abs(v));
  };
  for (let i = 0; i < m.nAgents; i++) {
    let sum = 0;
    for (let k = m.tradeStart[i]; k < m.tradeStart[i + 1]; k++) sum += s.trade[k];
    own[i] = sum - discharge[i] + charge[i];
    grow(m.pMin[i]);
    grow(m.pMax[i]);
    grow(own[i]);
    price = Math.max(price, Math.abs(m.b[i]));
  }
  for (let k = 0; k < nt; k++) {
    grow(m.lo[k]);
    grow(m.hi[k]);
    if (Number.isFinite(s.price[k]))
      price = Math.max(price, Math.abs(s.price[k]), Math.abs(m.costSell[k]), Math.abs(m.costBuy[k]));
  }
  for (let i = 0; i < m.nAgents; i++) price = Math.max(price, m.a[i] * power);
  for (let q = 0; q < st.count; q++) {
    grow(st.chargeMax[q]);
    grow(st.dischargeMax[q]);
    grow(st.socMax[q] / dt);
    price = Math.max(price, st.throughputCost[q]);
  }
  // Money scale: the value of the largest power at the largest price over the horizon, per agent.
  const money = dt * T * power * price;
  const tolerances = {
    primal: opts.primal ?? 1e-6 * power,
    regret: opts.regret ?? 1e-6 * money,
    dual: opts.dual ?? 1e-6 * price,
  };

  // Primal feasibility and price symmetry.
  let reciprocity = 0;
  let bound = 0;
  let asym = 0;
  const worse = (cur: number, v: number): number => (Number.isNaN(v) ? Infinity : Math.max(cur, v));
  for (let k = 0; k < nt; k++) {
    const j = m.mirror[k];
    reciprocity = worse(reciprocity, Math.abs(s.trade[k] + s.trade[j]));
    bound = worse(bound, Math.max(m.lo[k] - s.trade[k], s.trade[k] - m.hi[k], 0));
    asym = worse(asym, Math.abs(s.price[k] - s.price[j]));
  }
  for (let i = 0; i < m.nAgents; i++) {
    bound = worse(bound, Math.max(m.pMin[i] - own[i], own[i] - m.pMax[i], 0));
    const q = h.storageOf[i];
    if (q < 0) {
      bound = worse(bound, Math.abs(charge[i]) + Math.abs(discharge[i]));
    } else {
      bound = worse(
        bound,
        Math.max(-charge[i], charge[i] - st.chargeMax[q], -discharge[i], discharge[i] - st.dischargeMax[q], 0),
      );
    }
  }
  let socViolation = 0;
  for (let q = 0; q < st.count; q++) {
    let E = st.socInitial[q];
    for (let t = 0; t < T; t++) {
      const i = st.first[q] + t;
      E += dt * (st.etaCharge[q] * charge[i] - discharge[i] / st.etaDischarge[q]);
      socViolation = worse(socViolation, Math.max(st.socMin[q] - E, E - st.socMax[q], 0));
    }
    socViolation = worse(socViolation, Math.max(st.socFinalMin[q] - E, 0));
  }

  // Regrets.
  const agentRegret = new Float64Array(N);
  const agentCost = new Float64Array(N);
  const method: ("exact" | "highs" | "dual-bound")[] = [];
  let highs: Highs | null = null;
  for (let n = 0; n < N; n++) {
    const i0 = n * T;
    const q = h.storageOf[i0];
    let cost = 0;
    for (let t = 0; t < T; t++) {
      const i = i0 + t;
      const g = own[i];
      cost += 0.5 * m.a[i] * g * g + m.b[i] * g;
      if (q >= 0) cost += st.throughputCost[q] * (charge[i] + discharge[i]);
      for (let k = m.tradeStart[i]; k < m.tradeStart[i + 1]; k++) cost += tradeCost(m, k, s.trade[k], s.price[k]);
    }
    let best: number;
    if (q < 0) {
      best = 0;
      for (let t = 0; t < T; t++) best += periodBestResponse(m, i0 + t, s.price);
      method.push("exact");
    } else {
      const lower = storageDualBound(m, h, q, s.price, s.trade, charge, discharge);
      if (
        (opts.storageBestResponse ?? "auto") === "auto" &&
        Number.isFinite(lower) &&
        dt * (cost - lower) <= tolerances.regret
      ) {
        best = lower;
        method.push("dual-bound");
      } else {
        highs ??= await getHighs();
        const exact = storageBestResponse(highs, m, h, q, s.price, opts.timeLimit ?? 20);
        if (Number.isNaN(exact)) {
          best = lower;
          method.push("dual-bound");
        } else {
          // Both are lower bounds of the least cost (HiGHS's up to its tolerance; a finite Lagrangian
          // bound also refutes an "unbounded" verdict): keep the higher.
          best = Math.max(exact, lower);
          method.push("highs");
        }
      }
    }
    agentCost[n] = dt * cost;
    agentRegret[n] = best === -Infinity ? Infinity : dt * (cost - best);
  }
  let maxRegret = 0;
  let worstAgent = N > 0 ? 0 : -1;
  for (let n = 0; n < N; n++) {
    const r = Number.isNaN(agentRegret[n]) ? Infinity : agentRegret[n];
    if (r > maxRegret) {
      maxRegret = r;
      worstAgent = n;
    }
  }
  const passed =
    reciprocity <= tolerances.primal &&
    bound <= tolerances.primal &&
    socViolation <= tolerances.primal * dt &&
    asym <= tolerances.dual &&
    maxRegret <= tolerances.regret;
  return {
    maxReciprocityViolation: reciprocity,
    maxBoundViolation: bound,
    maxSocViolation: socViolation,
    maxPriceAsymmetry: asym,
    agentRegret,
    agentCost,
    bestResponseMethod: method,
    maxRegret,
    worstAgent,
    tolerances,
    passed,
  };
}

/** c⁺ x⁺ + c⁻ x⁻ − λ x: what trade k costs its owner at price λ (per hour). */
function tradeCost(m: MarketArrays, k: number, x: number, lambda: number): number {
  return (x > 0 ? m.costSell[k] * x : -m.costBuy[k] * x) - lambda * x;
}

/**
 * The least cost (per hour) of period agent i at prices λ: min ½ a g² + b g + Σ_k ψ_k(x_k) with
 * Σ_k x_k = g, g ∈ [p̲, p̄], x_k ∈ [lo_k, hi_k], ψ_k(x) = c⁺x⁺ + c⁻x⁻ − λ_k x. Solved exactly as the
 * maximum of its concave dual q(μ) = min_g (f(g) − μ g) + Σ_k min_x (ψ_k(x) + μ x) (strong duality:
 * a feasible convex QP with linear constraints). Returns −∞ when the agent could gain without bound.
 */
export function periodBestResponse(m: MarketArrays, i: number, price: ArrayLike<number>): number {
  const s = m.tradeStart[i];
  const e = m.tradeStart[i + 1];
  const a = m.a[i];
  const b = m.b[i];
  const pl = m.pMin[i];
  const pu = m.pMax[i];
  // Breakpoints of q: where some trade or the own power changes piece.
  const bp: number[] = [];
  for (let k = s; k < e; k++) {
    if (m.hi[k] > 0) bp.push(price[k] - m.costSell[k]);
    if (m.lo[k] < 0) bp.push(price[k] + m.costBuy[k]);
  }
  if (a > 0) {
    if (Number.isFinite(pl)) bp.push(b + a * pl);
    if (Number.isFinite(pu)) bp.push(b + a * pu);
  } else bp.push(b);
  bp.sort((x, y) => x - y);
  const q = (mu: number): number => {
    let v: number;
    if (a > 0) {
      let g = (mu - b) / a;
      g = g < pl ? pl : g > pu ? pu : g;
      v = 0.5 * a * g * g + (b - mu) * g;
    } else {
      const slope = b - mu;
      v = slope > 0 ? slope * pl : slope < 0 ? slope * pu : 0;
    }
    for (let k = s; k < e; k++) {
      const up = m.costSell[k] + mu - price[k]; // slope for x > 0
      const down = -m.costBuy[k] + mu - price[k]; // slope for x < 0
      let best = 0;
      if (up < 0 && m.hi[k] > 0) best = Math.min(best, up * m.hi[k]);
      if (down > 0 && m.lo[k] < 0) best = Math.min(best, down * m.lo[k]);
      v += best;
    }
    return Number.isNaN(v) ? -Infinity : v;
  };
  // Σ_k x_k(μ) on an open interval where no trade changes piece (x_k at hi, 0 or lo).
  const tradesAt = (mu: number): number => {
    let sum = 0;
    for (let k = s; k < e; k++) {
      if (m.costSell[k] + mu - price[k] < 0) sum += m.hi[k];
      else if (-m.costBuy[k] + mu - price[k] > 0) sum += m.lo[k];
    }
    return sum;
  };
  const candidates: number[] = [...bp];
  if (a > 0) {
    // Stationary points: g(μ) = Σ x_k on each interval between breakpoints (and on the rays).
    const edges = [-Infinity, ...bp, Infinity];
    for (let j = 0; j + 1 < edges.length; j++) {
      const lo = edges[j];
      const hi = edges[j + 1];
      const mid = lo === -Infinity ? (hi === Infinity ? b : hi - 1) : hi === Infinity ? lo + 1 : 0.5 * (lo + hi);
      const S = tradesAt(mid);
      if (!Number.isFinite(S)) continue;
      const g = S < pl ? pl : S > pu ? pu : S;
      const mu = b + a * g;
      if ((mu > lo && mu < hi) || (lo === -Infinity && hi === Infinity)) candidates.push(mu);
    }
  }
  let best = -Infinity;
  for (const mu of candidates) best = Math.max(best, q(mu));
  if (candidates.length === 0) best = q(b);
  return best;
}

/**
 * The least cost (per hour) of storage agent q over its T periods at prices λ, by HiGHS. Returns
 * −∞ when HiGHS finds the problem unbounded, NaN when it fails.
 */
function storageBestResponse(
  highs: Highs,
  m: MarketArrays,
  h: HorizonArrays,
  q: number,
  price: ArrayLike<number>,
  timeLimit: number,
): number {
  const T = h.periods;
  const st = h.storage;
  const b = new ColumnModel();
  let prevE = -1;
  for (let t = 0; t < T; t++) {
    const i = st.first[q] + t;
    const bal = b.row(0, 0); // Σ (u − w) − g − d + c = 0
    b.col(m.b[i], m.pMin[i], m.pMax[i], m.a[i], [bal, -1]);
    prevE = b.storagePeriod(h, q, t, bal, prevE);
    for (let k = m.tradeStart[i]; k < m.tradeStart[i + 1]; k++) {
      if (m.hi[k] > 0) b.col(m.costSell[k] - price[k], 0, m.hi[k], 0, [bal, 1]);
      if (m.lo[k] < 0) b.col(m.costBuy[k] + price[k], 0, -m.lo[k], 0, [bal, -1]);
    }
  }
  const data = b.data();
  // HiGHS's QP solver sometimes rejects these semidefinite problems or cycles; a tiny proximal
  // regularisation (1e-9 per MW², far below the regret tolerance) is the second try.
  for (const reg of [0, 1e-9]) {
    const model = highs.createModel(data);
    try {
      model.options.set({ output_flag: false, time_limit: timeLimit, qp_regularization_value: reg });
      model.run();
      const status = model.getModelStatus();
      if (status === 10) return -Infinity; // unbounded
      if (status !== 7) continue;
      return modelObjective(data, model.getSolution().colValue);
    } catch {
    } finally {
      model.dispose();
    }
  }
  return NaN;
}
