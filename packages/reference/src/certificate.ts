import type { MarketArrays, SolutionArrays } from "@peermarket/admm";

/** Tolerances of `certify`; each defaults to a multiple of the data's scale (see `defaultTolerances`). */
export interface CertificateTolerances {
  /** Largest accepted reciprocity, bound and balance violation (power units). */
  primal?: number;
  /** Largest accepted price violation and price asymmetry (price units). */
  dual?: number;
  /** Distance to a bound (or to zero trade) within which a value counts as being there (power units). */
  active?: number;
}

/** The outcome of `certify`: primal feasibility and price consistency (docs/verification.md). */
export interface Certificate {
  /** max_k |p_k + p_mirror(k)|. */
  maxReciprocityViolation: number;
  /** Largest distance outside [p̲_n, p̄_n] of an agent's power or outside [lo_k, hi_k] of a trade. */
  maxBoundViolation: number;
  /** max_n |p_n − Σ_{k of n} p_k|. */
  maxBalanceViolation: number;
  /** max_k |λ_k − λ_mirror(k)|: a trade's price must be the same in both directions. */
  maxPriceAsymmetry: number;
  /** max_n of `agentPriceViolation`. */
  maxPriceViolation: number;
  /** Agent with the largest price violation (the first one on ties), -1 for a market without agents. */
  worstAgent: number;
  /**
   * Per agent: the smallest achievable worst distance of a marginal price μ_n to the intervals the
   * optimality conditions allow for it (0 when some μ_n satisfies all of them).
   */
  agentPriceViolation: Float64Array;
  /** The tolerances used, after defaults. */
  tolerances: Required<CertificateTolerances>;
  /** Whether every violation is within its tolerance. */
  passed: boolean;
}

/** Relative factors of the default tolerances. */
export const DEFAULT_RELATIVE_TOLERANCE = { primal: 1e-6, dual: 1e-6, active: 1e-6 } as const;

/**
 * Default tolerances, scaled to the data: with the power scale P = max(1, finite |p̲_n|, |p̄_n|,
 * |lo_k|, |hi_k|, |p_n| of the solution) and the price scale Λ = max(1, |b_n|, a_n·P, |c⁺_k|, |c⁻_k|,
 * |λ_k|): primal = 1e-6·P, active = 1e-6·P, dual = 1e-6·Λ.
 */
export function defaultTolerances(m: MarketArrays, s: SolutionArrays): Required<CertificateTolerances> {
  let power = 1;
  const grow = (v: number): void => {
    if (Number.isFinite(v)) power = Math.max(power, Math.abs(v));
  };
  for (let n = 0; n < m.nAgents; n++) {
    grow(m.pMin[n]);
    grow(m.pMax[n]);
    grow(s.agentPower[n]);
  }
  for (let k = 0; k < m.partner.length; k++) {
    grow(m.lo[k]);
    grow(m.hi[k]);
  }
  let price = 1;
  const growPrice = (v: number): void => {
    if (Number.isFinite(v)) price = Math.max(price, Math.abs(v));
  };
  for (let n = 0; n < m.nAgents; n++) {
    growPrice(m.b[n]);
    growPrice(m.a[n] * power);
  }
  for (let k = 0; k < m.partner.length; k++) {
    growPrice(m.costSell[k]);
    growPrice(m.costBuy[k]);
    growPrice(s.price[k]);
  }
  return {
    primal: DEFAULT_RELATIVE_TOLERANCE.primal * power,
    dual: DEFAULT_RELATIVE_TOLERANCE.dual * price,
    active: DEFAULT_RELATIVE_TOLERANCE.active * power,
  };
}

/**
 * Checks a primal-dual solution of the market problem without trusting the solver that produced it.
 *
 * Primal: reciprocity, bounds and balance. Prices: for every agent n there must be a marginal price
 * μ_n with μ_n ∈ f'_n(p_n) + N_[p̲_n, p̄_n](p_n) and, for each of its trades k,
 * λ_k − μ_n ∈ ∂(c⁺_k x⁺ + c⁻_k x⁻)(p_k) + N_[lo_k, hi_k](p_k). Each condition is an interval for μ_n
 * (trade selling inside its bounds: μ = λ − c⁺; at zero: λ − c⁺ ≤ μ ≤ λ + c⁻; at its upper bound
 * while selling: μ ≤ λ − c⁺; agent inside its bounds: μ = a p + b; at p̄: μ ≥ a p + b; ...), "at" meaning
 * within `active`. The agent's violation is half the gap between the largest lower end and the
 * smallest upper end, if positive. NaN values count as infinite violations.
 */
export function certify(m: MarketArrays, s: SolutionArrays, tol: CertificateTolerances = {}): Certificate {
  const nTrades = m.partner.length;
  if (s.agentPower.length !== m.nAgents)
    throw new Error(`certify: agentPower has ${s.agentPower.length} entries, the market has ${m.nAgents} agents`);
  if (s.trade.length !== nTrades)
    throw new Error(`certify: trade has ${s.trade.length} entries, the market has ${nTrades} directed trades`);
  if (s.price.length !== nTrades)
    throw new Error(`certify: price has ${s.price.length} entries, the market has ${nTrades} directed trades`);
  const defaults = defaultTolerances(m, s);
  const tolerances: Required<CertificateTolerances> = {
    primal: tol.primal ?? defaults.primal,
    dual: tol.dual ?? defaults.dual,
    active: tol.active ?? defaults.active,
  };
  for (const [name, value] of Object.entries(tolerances)) {
    if (!(value >= 0)) throw new Error(`certify: tolerance ${name} must be ≥ 0, got ${value}`);
  }

  let reciprocity = 0;
  let bound = 0;
  let asymmetry = 0;
  for (let k = 0; k < nTrades; k++) {
    const x = s.trade[k];
    const j = m.mirror[k];
    reciprocity = worse(reciprocity, Math.abs(x + s.trade[j]));
    bound = worse(bound, Math.max(m.lo[k] - x, x - m.hi[k], 0));
    asymmetry = worse(asymmetry, Math.abs(s.price[k] - s.price[j]));
  }
  let balance = 0;
  for (let n = 0; n < m.nAgents; n++) {
    const p = s.agentPower[n];
    bound = worse(bound, Math.max(m.pMin[n] - p, p - m.pMax[n], 0));
    let sum = 0;
    for (let k = m.tradeStart[n]; k < m.tradeStart[n + 1]; k++) sum += s.trade[k];
    balance = worse(balance, Math.abs(p - sum));
  }

  const agentPriceViolation = new Float64Array(m.nAgents);
  let maxPriceViolation = 0;
  let worstAgent = m.nAgents > 0 ? 0 : -1;
  for (let n = 0; n < m.nAgents; n++) {
    const v = priceViolation(m, s, n, tolerances.active);
    agentPriceViolation[n] = v;
    if (v > maxPriceViolation) {
      maxPriceViolation = v;
      worstAgent = n;
    }
  }

  const passed =
    reciprocity <= tolerances.primal &&
    bound <= tolerances.primal &&
    balance <= tolerances.primal &&
    asymmetry <= tolerances.dual &&
    maxPriceViolation <= tolerances.dual;
  return {
    maxReciprocityViolation: reciprocity,
    maxBoundViolation: bound,
    maxBalanceViolation: balance,
    maxPriceAsymmetry: asymmetry,
    maxPriceViolation,
    worstAgent,
    agentPriceViolation,
    tolerances,
    passed,
  };
}

/** The larger of two violations, NaN counting as +∞. */
function worse(current: number, v: number): number {
  return Number.isNaN(v) ? Infinity : Math.max(current, v);
}

/** Price violation of agent n: max(0, (max lower end − min upper end) / 2) over its μ intervals. */
function priceViolation(m: MarketArrays, s: SolutionArrays, n: number, active: number): number {
  const p = s.agentPower[n];
  if (Number.isNaN(p) || hasNaN(m, s, n)) return Infinity;
  const marginal = m.a[n] * p + m.b[n];
  let lower = -Infinity;
  let upper = Infinity;
  // μ ∈ f'(p) + N(p): at p̄ the multiplier may raise μ above f'(p), at p̲ lower it below.
  if (!(p >= m.pMax[n] - active)) upper = Math.min(upper, marginal);
  if (!(p <= m.pMin[n] + active)) lower = Math.max(lower, marginal);
  for (let k = m.tradeStart[n]; k < m.tradeStart[n + 1]; k++) {
    const x = s.trade[k];
    const lambda = s.price[k];
    // S = ∂cost(x) + N(x) = [sLow, sHigh]; the condition λ − μ ∈ S is μ ∈ [λ − sHigh, λ − sLow].
    let sLow: number;
    let sHigh: number;
    if (x > active) sLow = sHigh = m.costSell[k];
    else if (x < -active) sLow = sHigh = -m.costBuy[k];
    else {
      sLow = -m.costBuy[k];
      sHigh = m.costSell[k];
    }
    if (x >= m.hi[k] - active) sHigh = Infinity;
    if (x <= m.lo[k] + active) sLow = -Infinity;
    lower = Math.max(lower, lambda - sHigh);
    upper = Math.min(upper, lambda - sLow);
  }
  return Math.max((lower - upper) / 2, 0);
}

/** Whether a trade or price of agent n is NaN. */
function hasNaN(m: MarketArrays, s: SolutionArrays, n: number): boolean {
  for (let k = m.tradeStart[n]; k < m.tradeStart[n + 1]; k++) {
    if (Number.isNaN(s.trade[k]) || Number.isNaN(s.price[k])) return true;
  }
  return false;
}
