import type { MarketArrays } from "./problem.js";
import type { HorizonArrays } from "./horizon.js";
import type { PolishResult } from "./polish.js";
import { QuasiLdl } from "./polish-storage-ldl.js";
import { LONG_STEP, NetworkKkt, type NetworkSystem } from "./polish-storage-network.js";
import { AmdOrder } from "./polish-storage-order.js";
import { ufFind } from "./union-find.js";

/** How storage polishing solves its KKT systems (`StoragePolisher.kkt`). */
export type StorageKkt = "auto" | "network" | "ldl";

/**
 * Polishing of multi-period markets with storage (docs/polishing.md, "Markets with storage").
 *
 * The market is written as one convex QP whose variables each have a piecewise cost on an
 * interval: per pair (representative trade k, mirror j) the trade x = p_k ∈ [lo_k, hi_k] with
 * cost w⁺ x⁺ + w⁻ x⁻ (w⁺ = c⁺_k + c⁻_j, w⁻ = c⁻_k + c⁺_j); per engine agent its own power
 * g ∈ [p̲, p̄] with cost ½ a g² + b g; per storage period the charge c ∈ [0, cmax] and discharge
 * d ∈ [0, dmax] (cost θ each) and the energy E_t ∈ [socMin, socMax] (the last one ≥ socFinalMin).
 * Rows: per engine agent the balance Σ_k ±x − g − d + c = 0 (dual μ_n, the marginal price), per
 * storage period the chain E_t − E_{t−1} − Δ ηc c_t + Δ d_t / ηd = 0 (dual σ_t, the energy price).
 *
 * A variable's state is either "at breakpoint j" (a bound, or 0 for a trade) or "inside piece j"
 * (between two breakpoints, where its cost is smooth). For given states, the optimality conditions
 * of the free variables and the rows are a linear (KKT) system; it is solved exactly by a sparse
 * LDLᵀ of the quasi-definite regularised matrix [H + δI, Aᵀ; A, −δI] (scaled) and iterative
 * refinement on the unregularised one, started from the ADMM iterate (so that the directions the
 * system leaves free — prices of bracketed groups, flows around loops of equal cost — keep the
 * iterate's values). Then every state is checked (primal–dual active set): a free variable
 * outside its piece moves to the breakpoint it crossed; a variable at a breakpoint whose dual
 * residual lies outside the subdifferential there moves into the piece the residual points to.
 * The answer is accepted only when `verifyStoragePolished` — an independent check of every KKT
 * condition on the market's own arrays — passes at rounding level.
 */

/** Relative tolerance of the conditions (as the single-period polish). */
const TOL = 1e-9;
/** Regularisation of the scaled KKT matrix. */
const DELTA = 1e-6;
/**
 * The most multiply–adds one factorisation of the KKT system may cost (a few seconds on one core).
 * Even in a fill-reducing order the factor of a market whose period graphs are large fills in:
 * every period's graph of free trades is a sparse random-like graph with wide separators, and the
 * batteries that charge or discharge in a period join its last, densest block. Over it the try
 * gives up.
 */
const MAX_FACTOR_WORK = 2e9;

/**
 * Factor work (multiply–adds) from which the "auto" ordering tries minimum degree: below it the
 * factorisation and the refinement's solves take about as long as ordering would (measured on the
 * `multiperiod` benchmark's (a): at 5·10⁷ the minimum degree order already saves time per round).
 */
const AMD_FROM = 2e7;

/** A round keeps the rows' minimum degree order of an earlier round of its try while its factor costs at most this many times what it cost then. */
const AMD_REUSE = 1.25;

/**
 * Active-set rounds per attempt. With 12, the complete 100-member day of the `multiperiod`
 * benchmark ended its try at iteration 511 with 2 violated conditions left (and at 1 356, 2
 * again); with 20 its try at iteration 286 is exact after 18 rounds. Past FULL_ROUNDS, a try goes
 * on (up to MAX_ROUNDS) only while its fewest violated conditions are at most LATE_COUNT: the same
 * day drawn with seed 2 ended its try at iteration 467 with 155 left after 20 rounds and was exact
 * only at 1 312; with 23 rounds that try is exact. Tries still far off (thousands of violations,
 * diverging) stop at 20 as before.
 */
const FULL_ROUNDS = 20;
const MAX_ROUNDS = 30;
const LATE_COUNT = 300;
/**
 * Once a try changes a block of states a round (after a round with more violations than its
 * best), it gives up when its violated conditions are more than this many times the changes the
 * rounds left can make, the block doubling each round (`blockReach`).
 */
const VIOLATIONS_PER_CHANGE = 4;

/**
 * Full exchanges a try makes past a round with more violations than its best before it goes back
 * to the best states and changes blocks of them: the backup rule of block principal pivoting
 * (Júdice and Pires, 1994; Kim and Park, SIAM J. Sci. Comput. 33(6), 2011, whose p̄ is this),
 * renewed at each new best. On 72 complete days (10–40 members, 24–96 periods, seeds 1–4) it
 * polished 8 earlier (30 members × 48 periods, seed 2: 778 → 215 iterations) and 2 later (10 × 24,
 * seed 2: 116 → 266; 20 × 48, seed 2: 197 → 347): 9 % fewer iterations in all; 60 × 24, seed 3:
 * 1 370 → 300 (docs/polishing.md, "Rounds").
 */
const BACKUP_EXCHANGES = 1;

/** Changes `left` rounds make from a block of `block` states that doubles every round: block·(2^left − 1). */
function blockReach(block: number, left: number): number {
  return block * (2 ** Math.min(left, 40) - 1);
}
/**
 * A try whose single dual pivots creep (CREEP_ROUNDS inconsistent rounds in a row, each changing at
 * most CREEP_MOVES states: one per drifting group) takes long steps for its remaining rounds. On
 * the complete 100-member day, seed 2, the try at iteration 467 spent its 20 rounds so, 4 states a
 * round, and failed (docs/polishing.md, "Dual long steps").
 */
const CREEP_ROUNDS = 3;
const CREEP_MOVES = 8;
/** A try gives up when its first round changes more states than this (the guess is too far). */
const MAX_FIRST_MOVES = 1000;
/** Iterative refinement steps per round. */
const MAX_REFINE = 60;
/**
 * Long steps of a dual drift's pivots: every fixed variable of a group whose condition becomes
 * tight within this factor of the first one's step is freed (docs/polishing.md, "Dual long
 * steps"). One variable per group and round, as the simplex method pivots, needs as many rounds
 * as the drift has variables to free: on complete days of 24 to 100 members (96 quarter-hours)
 * hundreds, so every try ran out of rounds and those days were not polished. Freeing every
 * variable within 1.2× of the first step polished all of them (1.05–1.1 and 1.3 fewer or later,
 * 2 and 3 later, 10 and ties alone never), but on small markets it overshoots where single pivots
 * succeed (10 members × 4 periods: polished at iteration 358 instead of 105), so tries alternate
 * between the two rules, long steps first.
 */
const DUAL_LONG_STEP = 1.2;
/** A trade within this many times its two sides' disagreement of a breakpoint is guessed at it. */
const SNAP = 1;

function growPerm(a: Int32Array, n: number): Int32Array {
  return a.length >= n ? a : new Int32Array(Math.max(n, 2 * a.length));
}

/** Largest violations of `verifyStoragePolished`. */
export interface StorageVerified {
  primal: number;
  dual: number;
}

function worse(cur: number, v: number): number {
  return v > cur ? v : v === v ? cur : Infinity;
}

/**
 * Checks a multi-period solution with storage against every KKT condition, on the market's own
 * arrays: reciprocity, trade, own-power, charge and discharge bounds, the state of charge
 * recomputed from the charges within its limits (and the final minimum); price symmetry, each
 * trade's price within what both sides' costs and bounds allow at their marginal prices μ, each
 * agent's μ within the subdifferential of its own cost at its own power g = Σ p − d + c, and the
 * storage conditions with energy prices σ: θ + μ_t − σ_t Δ ηc ∈ −N(c_t), θ − μ_t + σ_t Δ / ηd ∈
 * −N(d_t), σ_t − σ_{t+1} (σ_T for the last period) ∈ −N(E_t). "At a bound" means within `tolP`
 * (powers; energies within tolP·Δ·T). Violations in power (primal) and price (dual) units; the
 * energy-price conditions are scaled by Δ to price units.
 */
export function verifyStoragePolished(
  m: MarketArrays,
  H: HorizonArrays,
  trade: Float64Array,
  price: Float64Array,
  mu: Float64Array,
  charge: Float64Array,
  discharge: Float64Array,
  sigma: Float64Array,
  tolP: number,
  out: StorageVerified,
): void {
  let primal = 0;
  let dual = 0;
  const nt = trade.length;
  for (let k = 0; k < nt; k++) {
    const j = m.mirror[k];
    const t = trade[k];
    primal = worse(primal, Math.abs(t + trade[j]));
    primal = worse(primal, Math.max(m.lo[k] - t, t - m.hi[k], 0));
    dual = worse(dual, Math.abs(price[k] - price[j]));
  }
  for (let n = 0; n < m.nAgents; n++) {
    let g = 0;
    for (let k = m.tradeStart[n]; k < m.tradeStart[n + 1]; k++) {
      g += trade[k];
      // λ − μ_n ∈ ∂(c⁺x⁺ + c⁻x⁻)(x) + N_[lo,hi](x)
      const x = trade[k];
      const cs = m.costSell[k];
      const cb = m.costBuy[k];
      let lo: number;
      let hi: number;
      if (Math.abs(x) <= tolP) {
        lo = m.lo[k] < 0 ? -cb : -Infinity;
        hi = m.hi[k] > 0 ? cs : Infinity;
      } else if (x > 0) {
        lo = cs;
        hi = x >= m.hi[k] - tolP ? Infinity : cs;
      } else {
        hi = -cb;
        lo = x <= m.lo[k] + tolP ? -Infinity : -cb;
      }
      const r = price[k] - mu[n];
      dual = worse(dual, Math.max(lo - r, r - hi, 0));
    }
    g += charge[n] - discharge[n];
    primal = worse(primal, Math.max(m.pMin[n] - g, g - m.pMax[n], 0));
    const marginal = m.a[n] * g + m.b[n];
    const lower = g > m.pMin[n] + tolP ? marginal : -Infinity;
    const upper = g < m.pMax[n] - tolP ? marginal : Infinity;
    dual = worse(dual, Math.max(lower - mu[n], mu[n] - upper, 0));
  }
  const st = H.storage;
  const T = H.periods;
  const dt = H.periodHours;
  const tolE = tolP * dt * T;
  for (let s = 0; s < st.count; s++) {
    const f = st.first[s];
    const etaC = st.etaCharge[s];
    const etaD = st.etaDischarge[s];
    const th = st.throughputCost[s];
    let e = st.socInitial[s];
    for (let t = 0; t < T; t++) {
      const i = f + t;
      const c = charge[i];
      const d = discharge[i];
      primal = worse(primal, Math.max(-c, c - st.chargeMax[s], -d, d - st.dischargeMax[s], 0));
      e += dt * (etaC * c - d / etaD);
      const eMin = t === T - 1 ? Math.max(st.socMin[s], st.socFinalMin[s]) : st.socMin[s];
      const eMax = st.socMax[s];
      primal = worse(primal, Math.max(eMin - e, e - eMax, 0) / dt);
      const sg = sigma[s * T + t];
      // Charge: θ + μ − σΔηc is ≥ 0 at c = 0, ≤ 0 at c = cmax, = 0 between.
      const rc = th + mu[i] - sg * dt * etaC;
      const cLow = c <= tolP;
      const cHigh = c >= st.chargeMax[s] - tolP;
      dual = worse(dual, Math.max(cLow ? 0 : rc, cHigh ? 0 : -rc, 0));
      const rd = th - mu[i] + (sg * dt) / etaD;
      const dLow = d <= tolP;
      const dHigh = d >= st.dischargeMax[s] - tolP;
      dual = worse(dual, Math.max(dLow ? 0 : rd, dHigh ? 0 : -rd, 0));
      // Energy: σ_t − σ_{t+1} is ≥ 0 at the lower limit, ≤ 0 at the upper one, = 0 between.
      const re = (sg - (t === T - 1 ? 0 : sigma[s * T + t + 1])) * dt;
      const eLow = e <= eMin + tolE;
      const eHigh = e >= eMax - tolE;
      dual = worse(dual, Math.max(eLow ? 0 : re, eHigh ? 0 : -re, 0));
    }
  }
  out.primal = primal;
  out.dual = dual;
}

/** Polishes multi-period markets with storage; scratch allocated at construction (the KKT factor per round). */
export class StoragePolisher {
  readonly m: MarketArrays;
  readonly H: HorizonArrays;
  private readonly nPairs: number;
  private readonly nv: number;
  private readonly nr: number;
  private readonly N: number;
  private readonly T: number;
  private readonly base: number;
  /** Per pair: its representative directed trade. */
  private readonly pairK: Int32Array;
  /** Per variable: breakpoints (up to 3), slopes of the pieces between them, curvature, scale. */
  private readonly nb: Int8Array;
  private readonly bp: Float64Array;
  private readonly slope: Float64Array;
  private readonly h: Float64Array;
  private readonly sx: Float64Array;
  /** Per variable: its column of A (up to 3 entries). */
  private readonly colN: Int8Array;
  private readonly colRow: Int32Array;
  private readonly colVal: Float64Array;
  /** Per row: scale and right-hand side. */
  private readonly sr: Float64Array;
  private readonly b: Float64Array;
  /** Rows period by period (agents, then storages): the "periods" order, and the tail of "amd". */
  private readonly rowOrder: Int32Array;
  /**
   * Pivot order of the KKT system (docs/polishing.md, "Markets with storage"). "periods": the
   * free variables, then every row period by period, without fill reduction. "amd": approximate
   * minimum degree on the free variables and the agents' rows, then the storages' energy rows
   * period by period (they are the only links between periods). "auto" (the default): "periods"
   * when its factor costs at most AMD_FROM multiply–adds (ordering would cost more than it
   * saves), else whichever of the two costs less.
   */
  ordering: "auto" | "amd" | "periods" = "auto";
  /**
   * How a round's KKT system is solved: "auto" (the default) by the sparse factorisation, and as
   * a network with gains (polish-storage-network.ts, in time linear in its size) from the first
   * system of a solve whose factorisation would pass `maxFactorWork`; "network" always as a
   * network; "ldl" always by the factorisation. A structure the network does not cover is
   * factorised.
   */
  kkt: StorageKkt = "auto";
  /** How the last round's system was solved. */
  lastKkt: "network" | "ldl" = "ldl";
  /** The most multiply–adds a factorisation may cost (MAX_FACTOR_WORK; tests lower it). */
  maxFactorWork = MAX_FACTOR_WORK;
  /** A factorisation of this solve passed the budget ("auto": the rest of the solve's systems are solved as networks). */
  private overBudget = false;
  private net: NetworkKkt | null = null;
  private pivotVars: Int32Array | null = null;
  private pivotStates: Int8Array | null = null;
  private netSystem: NetworkSystem | null = null;
  /** The "auto" ordering's threshold (multiply–adds of the period order's factor). */
  amdFrom = AMD_FROM;
  /** The order the last factorisation used. */
  lastOrdering: "amd" | "periods" = "periods";
  private readonly amd = new AmdOrder();
  private amdPerm: Int32Array = new Int32Array(0);
  /** The factor's work in the round of this try that computed the rows' minimum degree order (0: none to reuse). */
  private amdWork = 0;
  /** The graph of the rows for the "amd" order (two rows joined when a free variable has both), its order. */
  private readonly rgStart: Int32Array;
  private rgAdj: Int32Array = new Int32Array(0);
  private rgPerm: Int32Array = new Int32Array(0);
  private readonly tail: Int32Array;
  /** State per variable (2j: at breakpoint j; 2j + 1: inside piece j), values, duals. */
  readonly state: Int8Array;
  private readonly bestState: Int8Array;
  readonly x: Float64Array;
  readonly y: Float64Array;
  private readonly y0: Float64Array;
  private readonly x0: Float64Array;
  private readonly col: Int32Array;
  private readonly freeVars: Int32Array;
  /** Per row, while the KKT matrix is written: its free variables, then where the next one goes (`solveKkt`). */
  private readonly rowAt: Int32Array;
  /** The KKT system's factorisation and vectors (right-hand side, iterate, residual, last step). */
  private readonly ldl = new QuasiLdl();
  /** The best candidate of `repairRow` so far: variable, its new state, its reduced cost. */
  private repBest = -1;
  private repState = 0;
  private repCost = Infinity;
  private readonly kRhs: Float64Array;
  private readonly kV: Float64Array;
  private readonly kRes: Float64Array;
  private readonly kDv: Float64Array;
  private readonly viol: Float64Array;
  /** The violated variables of a round, for picking the worst of them (`correct`). */
  private readonly violList: Int32Array;
  /** Per directed trade: its pair. Per row: residual, its largest term, free variables, violated. */
  private readonly pairOf: Int32Array;
  private readonly rowRes: Float64Array;
  private readonly rowMag: Float64Array;
  private readonly rowFree: Int32Array;
  private readonly rowBad: Uint8Array;
  /** Whether the last KKT system was inconsistent, and its drift per variable and row (unscaled). */
  private inconsistent = false;
  private readonly driftX: Float64Array;
  private readonly driftY: Float64Array;
  private readonly uf: Int32Array;
  private readonly groupBest: Float64Array;
  private readonly groupArg: Int32Array;
  private readonly target: Int8Array;
  /** Per variable: its dual drift group in the last pivot (−1: none). */
  private readonly dualGroup: Int32Array;
  /**
   * Whether this try's dual pivots take long steps (DUAL_LONG_STEP) or one variable per group;
   * a failed try hands the next one to the other rule (`polish`), a new solve starts with long
   * steps (`begin`).
   */
  private longSteps = true;
  /** The rule the current round's dual pivots follow: the try's (`longSteps`), or long steps once single ones creep (CREEP_ROUNDS). */
  private longNow = true;
  /** Outputs in the market's layout. */
  readonly trade: Float64Array;
  readonly price: Float64Array;
  readonly mu: Float64Array;
  readonly charge: Float64Array;
  readonly discharge: Float64Array;
  readonly sigma: Float64Array;
  private P = 1;
  private L = 1;
  private readonly ver: StorageVerified = { primal: 0, dual: 0 };
  /** Diagnostics of the last attempt: KKT size, factor entries, refinement residual. */
  lastKktSize = 0;
  /** The solve's deadline (`performance.now()` scale) during a try. */
  private deadline = Infinity;
  lastFactorNnz = 0;
  /** Multiply–adds of the last factorisation (its symbolic count), and the time spent ordering in the last attempt (ms). */
  lastFactorWork = 0;
  lastOrderMs = 0;
  lastRefineResidual = 0;

  constructor(m: MarketArrays, H: HorizonArrays) {
    this.m = m;
    this.H = H;
    const nt = m.partner.length;
    const N = m.nAgents;
    const T = H.periods;
    const S = H.storage.count;
    this.N = N;
    this.T = T;
    this.nPairs = nt / 2;
    this.base = this.nPairs + N;
    this.nv = this.base + 3 * S * T;
    this.nr = N + S * T;
    const nv = this.nv;
    this.pairK = new Int32Array(this.nPairs);
    let p = 0;
    for (let k = 0; k < nt; k++) if (k < m.mirror[k]) this.pairK[p++] = k;
    this.nb = new Int8Array(nv);
    this.bp = new Float64Array(3 * nv);
    this.slope = new Float64Array(2 * nv);
    this.h = new Float64Array(nv);
    this.sx = new Float64Array(nv);
    this.colN = new Int8Array(nv);
    this.colRow = new Int32Array(3 * nv);
    this.colVal = new Float64Array(3 * nv);
    this.sr = new Float64Array(this.nr);
    this.b = new Float64Array(this.nr);
    this.rowOrder = new Int32Array(this.nr);
    this.tail = new Int32Array(S * T);
    this.rgStart = new Int32Array(this.nr + 1);
    this.state = new Int8Array(nv);
    this.bestState = new Int8Array(nv);
    this.x = new Float64Array(nv);
    this.x0 = new Float64Array(nv);
    this.y = new Float64Array(this.nr);
    this.y0 = new Float64Array(this.nr);
    this.col = new Int32Array(nv);
    this.freeVars = new Int32Array(nv);
    this.rowAt = new Int32Array(this.nr);
    this.viol = new Float64Array(nv);
    this.violList = new Int32Array(nv);
    this.kRhs = new Float64Array(nv + this.nr);
    this.kV = new Float64Array(nv + this.nr);
    this.kRes = new Float64Array(nv + this.nr);
    this.kDv = new Float64Array(nv + this.nr);
    this.pairOf = new Int32Array(nt);
    for (let q = 0; q < this.nPairs; q++) {
      this.pairOf[this.pairK[q]] = q;
      this.pairOf[m.mirror[this.pairK[q]]] = q;
    }
    this.rowRes = new Float64Array(this.nr);
    this.rowMag = new Float64Array(this.nr);
    this.rowFree = new Int32Array(this.nr);
    this.rowBad = new Uint8Array(this.nr);
    this.driftX = new Float64Array(nv);
    this.driftY = new Float64Array(this.nr);
    this.uf = new Int32Array(this.nr);
    this.groupBest = new Float64Array(this.nr);
    this.groupArg = new Int32Array(this.nr);
    this.target = new Int8Array(nv);
    this.dualGroup = new Int32Array(nv);
    this.trade = new Float64Array(nt);
    this.price = new Float64Array(nt);
    this.mu = new Float64Array(N);
    this.charge = new Float64Array(N);
    this.discharge = new Float64Array(N);
    this.sigma = new Float64Array(S * T);
    let o = 0;
    for (let t = 0; t < T; t++) {
      for (let n = t; n < N; n += T) this.rowOrder[o++] = n;
      for (let s = 0; s < S; s++) this.rowOrder[o++] = N + s * T + t;
    }
  }

  /** Variable i: nb breakpoints b0 < b1 (< b2), slopes s0 (, s1) of the pieces between them, curvature h. */
  private setVar(i: number, nb: number, b0: number, b1: number, b2: number, s0: number, s1: number, h: number): void {
    this.nb[i] = nb;
    this.bp[3 * i] = b0;
    this.bp[3 * i + 1] = b1;
    this.bp[3 * i + 2] = b2;
    this.slope[2 * i] = s0;
    this.slope[2 * i + 1] = s1;
    this.h[i] = h;
  }

  private addEntry(i: number, r: number, v: number): void {
    const c = this.colN[i]++;
    this.colRow[3 * i + c] = r;
    this.colVal[3 * i + c] = v;
  }

  /** Variables and rows from the data (costs may have changed since the last attempt). */
  private build(): void {
    const m = this.m;
    const H = this.H;
    const st = H.storage;
    const T = this.T;
    const N = this.N;
    const dt = H.periodHours;
    this.colN.fill(0);
    for (let p = 0; p < this.nPairs; p++) {
      const k = this.pairK[p];
      const j = m.mirror[k];
      const lo = m.lo[k];
      const hi = m.hi[k];
      const wf = m.costSell[k] + m.costBuy[j];
      const wb = m.costBuy[k] + m.costSell[j];
      if (lo < 0 && hi > 0) this.setVar(p, 3, lo, 0, hi, -wb, wf, 0);
      else if (hi > 0) this.setVar(p, 2, 0, hi, 0, wf, 0, 0);
      else if (lo < 0) this.setVar(p, 2, lo, 0, 0, -wb, 0, 0);
      else this.setVar(p, 1, 0, 0, 0, 0, 0, 0);
      this.addEntry(p, m.partner[j], 1);
      this.addEntry(p, m.partner[k], -1);
      this.sx[p] = this.P;
    }
    for (let n = 0; n < N; n++) {
      const i = this.nPairs + n;
      const lo = m.pMin[n];
      const hi = m.pMax[n];
      if (lo < hi) this.setVar(i, 2, lo, hi, 0, m.b[n], 0, m.a[n]);
      else this.setVar(i, 1, lo, 0, 0, 0, 0, m.a[n]);
      this.addEntry(i, n, -1);
      this.sx[i] = this.P;
      this.sr[n] = this.P;
      this.b[n] = 0;
    }
    for (let s = 0; s < st.count; s++) {
      const th = st.throughputCost[s];
      for (let t = 0; t < T; t++) {
        const n = st.first[s] + t;
        const r = N + s * T + t;
        const i = this.base + 3 * (s * T + t);
        const cmax = st.chargeMax[s];
        const dmax = st.dischargeMax[s];
        if (cmax > 0) this.setVar(i, 2, 0, cmax, 0, th, 0, 0);
        else this.setVar(i, 1, 0, 0, 0, 0, 0, 0);
        this.addEntry(i, n, 1);
        this.addEntry(i, r, -dt * st.etaCharge[s]);
        if (dmax > 0) this.setVar(i + 1, 2, 0, dmax, 0, th, 0, 0);
        else this.setVar(i + 1, 1, 0, 0, 0, 0, 0, 0);
        this.addEntry(i + 1, n, -1);
        this.addEntry(i + 1, r, dt / st.etaDischarge[s]);
        const eMin = t === T - 1 ? Math.max(st.socMin[s], st.socFinalMin[s]) : st.socMin[s];
        const eMax = st.socMax[s];
        if (eMin < eMax) this.setVar(i + 2, 2, eMin, eMax, 0, 0, 0, 0);
        else this.setVar(i + 2, 1, eMin, 0, 0, 0, 0, 0);
        this.addEntry(i + 2, r, 1);
        if (t < T - 1) this.addEntry(i + 2, r + 1, -1);
        this.sx[i] = this.P;
        this.sx[i + 1] = this.P;
        this.sx[i + 2] = this.P * dt;
        this.sr[r] = this.P * dt;
        this.b[r] = t === 0 ? st.socInitial[s] : 0;
      }
    }
  }

  /** The state of variable i for value v: the breakpoint within `tol`, else the piece holding v. */
  private classify(i: number, v: number, tol: number): number {
    const nb = this.nb[i];
    const o = 3 * i;
    let best = -1;
    let bestD = tol;
    for (let j = 0; j < nb; j++) {
      const d = Math.abs(v - this.bp[o + j]);
      if (d <= bestD) {
        best = j;
        bestD = d;
      }
    }
    if (best >= 0) return 2 * best;
    if (!(v > this.bp[o])) return 0;
    if (!(v < this.bp[o + nb - 1])) return 2 * (nb - 1);
    for (let j = 0; j < nb - 1; j++) if (v < this.bp[o + j + 1]) return 2 * j + 1;
    return 2 * (nb - 1);
  }

  /**
   * OSQP's guess of the active bounds from both the primal and the dual iterate: a variable inside
   * piece j at value v, whose dual residual g = −(Aᵀy)_i asks it to move down (slope − g > 0) by
   * more than ρ times its distance to the lower breakpoint, is guessed at that breakpoint; likewise
   * up. (ρ is the penalty of the local solves that produced the iterate; 0 leaves state s.)
   */
  private dualAware(i: number, s: number, v: number, g: number, rho: number): number {
    if (!(s & 1) || !(rho > 0) || !Number.isFinite(g)) return s;
    const o = 3 * i;
    const j = s >> 1;
    const slope = this.slope[2 * i + j] + this.h[i] * v;
    const down = slope - g;
    if (down > 0 && (v - this.bp[o + j]) * rho < down) return 2 * j;
    const up = g - slope;
    if (up > 0 && (this.bp[o + j + 1] - v) * rho < up) return 2 * j + 2;
    return s;
  }

  /**
   * Tries to polish from the iterate: `local` the agents' last local trades, `muIt` their
   * marginal prices, `lambdaIt` the prices, `chargeIt`/`dischargeIt` the storages' last local
   * solves. On success the outputs hold the exact optimum. `final`: the try at ADMM's converged
   * iterate (no later one will come), which goes on past MAX_FIRST_MOVES.
   */
  polish(
    local: Float64Array,
    muIt: Float64Array,
    lambdaIt: Float64Array,
    chargeIt: Float64Array,
    dischargeIt: Float64Array,
    rho = 0,
    deadline = Infinity,
    final = false,
  ): PolishResult {
    this.deadline = deadline;
    this.amdWork = 0;
    // The try at ADMM's converged iterate is the last: it goes on however far the guess is.
    const firstMoves = final ? Infinity : MAX_FIRST_MOVES;
    this.lastOrderMs = 0;
    const m = this.m;
    const H = this.H;
    const st = H.storage;
    const T = this.T;
    const N = this.N;
    const dt = H.periodHours;
    const res: PolishResult = {
      success: false,
      rounds: 0,
      moves: 0,
      reason: "",
      primalViolation: Infinity,
      dualViolation: Infinity,
    };
    // Scales: powers that flow, prices of the data and the iterate.
    let P = 1e-300;
    let L = 1;
    for (let k = 0; k < local.length; k++) {
      const a = Math.abs(local[k]);
      if (Number.isFinite(a)) P = Math.max(P, a);
      L = Math.max(L, Math.abs(m.costSell[k]), Math.abs(m.costBuy[k]));
    }
    for (let n = 0; n < N; n++) {
      L = Math.max(L, Math.abs(m.b[n]), Number.isFinite(muIt[n]) ? Math.abs(muIt[n]) : 0);
      if (st.count > 0 && H.storageOf[n] >= 0) P = Math.max(P, chargeIt[n], dischargeIt[n]);
    }
    if (!(P > 1e-300)) P = 1;
    for (let n = 0; n < N; n++)
      if (m.a[n] > 0) L = Math.max(L, m.a[n] * Math.min(P, Math.max(Math.abs(m.pMin[n]), Math.abs(m.pMax[n]))));
    this.P = P;
    this.L = L;
    this.build();
    const tolP = TOL * P;
    const tolD = TOL * L;

    // The guess.
    const x = this.x;
    for (let p = 0; p < this.nPairs; p++) {
      const k = this.pairK[p];
      const xn = local[k];
      const xm = -local[m.mirror[k]];
      let v: number;
      // Either side exactly at 0 (a kink of both costs): no trade; at a bound only when both are.
      if (xn === 0 || xm === 0) v = 0;
      else if (xn >= m.hi[k] && xm >= m.hi[k]) v = m.hi[k];
      else if (xn <= m.lo[k] && xm <= m.lo[k]) v = m.lo[k];
      else v = 0.5 * (xn + xm);
      x[p] = v;
      // Within the two sides' disagreement of a breakpoint counts as at it (the rounds correct it).
      const s0 = this.classify(p, v, tolP + SNAP * Math.abs(xn - xm));
      const n = m.partner[m.mirror[k]];
      this.state[p] = this.dualAware(p, s0, v, muIt[m.partner[k]] - muIt[n], rho);
    }
    for (let n = 0; n < N; n++) {
      let g = 0;
      for (let k = m.tradeStart[n]; k < m.tradeStart[n + 1]; k++) g += local[k];
      if (st.count > 0 && H.storageOf[n] >= 0) g += chargeIt[n] - dischargeIt[n];
      const i = this.nPairs + n;
      x[i] = g;
      this.state[i] = this.dualAware(i, this.classify(i, g, tolP), g, muIt[n], rho);
      this.y[n] = Number.isFinite(muIt[n]) ? muIt[n] : m.b[n];
    }
    for (let s = 0; s < st.count; s++) {
      let e = st.socInitial[s];
      const etaC = st.etaCharge[s];
      const etaD = st.etaDischarge[s];
      const th = st.throughputCost[s];
      for (let t = 0; t < T; t++) {
        const n = st.first[s] + t;
        const i = this.base + 3 * (s * T + t);
        const c = chargeIt[n];
        const d = dischargeIt[n];
        e += dt * (etaC * c - d / etaD);
        x[i] = c;
        x[i + 1] = d;
        x[i + 2] = e;
        this.state[i] = this.classify(i, c, tolP);
        this.state[i + 1] = this.classify(i + 1, d, tolP);
        this.state[i + 2] = this.classify(i + 2, e, tolP * dt * T);
        const mu = this.y[n];
        const sc = (mu + th) / (dt * etaC);
        const sd = ((mu - th) * etaD) / dt;
        const r = N + s * T + t;
        this.y[r] = this.state[i] & 1 ? sc : this.state[i + 1] & 1 ? sd : 0.5 * (sc + sd);
      }
    }
    this.x0.set(x);
    this.y0.set(this.y);
    // Rows whose variables are all at breakpoints that do not add up would make the KKT system
    // inconsistent: their variables move into the pieces that reduce the row's residual.
    this.rowResiduals(true);
    for (let r = 0; r < this.nr; r++) if (this.rowBad[r]) this.repairRow(r);

    let bestCount = Infinity;
    let stalled = 0;
    // States the next correction changes: every violated one, or after a round that made things
    // worse the worst `block` of them: one after the first such round, then doubled at each round
    // that reaches a new best and cut to a quarter (half the last block that helped) at each that
    // makes things worse again.
    let block = Infinity;
    let backup = BACKUP_EXCHANGES;
    this.longNow = this.longSteps;
    // Inconsistent rounds in a row whose single pivots changed at most CREEP_MOVES states.
    let creeping = 0;
    // Whether the rounds since the last counted one pivoted (inconsistent systems, rows repaired).
    let pivoted = false;
    for (let round = 0; round < MAX_ROUNDS; round++) {
      if (round >= FULL_ROUNDS && !(bestCount <= LATE_COUNT)) break;
      res.rounds = round + 1;
      if (performance.now() > deadline) {
        res.reason = `the time limit was reached after ${round} rounds`;
        break;
      }
      if (!this.solveKkt()) {
        const why = this.ldl.failure;
        res.reason =
          why === "work"
            ? `the KKT system's factorisation would take over ${this.maxFactorWork.toExponential(0)} multiply–adds (the limit; ${this.lastOrdering} order)`
            : why === "deadline"
              ? "the time limit was reached while factorising the KKT system"
              : "the KKT system of the active set could not be factorised";
        break;
      }
      // An inconsistent system: pivots along each independent drift (`pivot`).
      if (this.inconsistent) {
        const moves = this.loopPivots() + this.pivot();
        res.moves += moves;
        pivoted = true;
        creeping = moves <= CREEP_MOVES ? creeping + 1 : 0;
        if (!this.longNow && creeping >= CREEP_ROUNDS) this.longNow = true;
        res.reason = `inconsistent active set after ${round + 1} rounds`;
        if (moves === 0 || (round === 0 && res.moves > firstMoves)) break;
        continue;
      }
      // Rows that cannot balance: their duals mean nothing; repair the rows first.
      const rowsBad = this.rowResiduals(false);
      if (rowsBad > 0) {
        let moves = 0;
        for (let r = 0; r < this.nr; r++) if (this.rowBad[r]) moves += this.repairRow(r);
        res.moves += moves;
        pivoted = true;
        res.reason = `${rowsBad} rows do not balance after ${round + 1} rounds`;
        if (moves === 0 || (round === 0 && res.moves > firstMoves)) break;
        continue;
      }
      const count = this.violations(tolP, tolD);
      if (count === 0) {
        this.output(lambdaIt, tolP);
        verifyStoragePolished(
          m,
          H,
          this.trade,
          this.price,
          this.mu,
          this.charge,
          this.discharge,
          this.sigma,
          tolP,
          this.ver,
        );
        res.primalViolation = this.ver.primal;
        res.dualViolation = this.ver.dual;
        if (this.ver.primal <= 10 * tolP && this.ver.dual <= 10 * tolD) {
          res.success = true;
          res.reason = "";
        } else res.reason = `the self-check failed (primal ${this.ver.primal}, dual ${this.ver.dual})`;
        break;
      }
      if (count < bestCount) {
        bestCount = count;
        this.bestState.set(this.state);
        stalled = 0;
        block *= 2;
        backup = BACKUP_EXCHANGES;
      } else {
        stalled++;
        if (stalled >= 3) {
          res.reason = `no progress: ${count} violated conditions`;
          break;
        }
        // A round after pivots counts the pivots' jumps along with the last corrections: worse
        // than the best, it is a stalled round (the rounds go on) rather than proof that the
        // corrections overshoot. The complete 100-member day's try at iteration 286 went 1 663,
        // (two inconsistent rounds), 1 984 and, one change a round from then on, gave up; as a
        // stall its next rounds reach 0.
        if (count > bestCount && !pivoted) {
          if (block === Infinity && backup > 0) {
            // A backup exchange: the corrections go on from this round's states.
            backup--;
          } else {
            // Too many changes at once: back to the best states, and fix only the worst violations.
            this.state.set(this.bestState);
            block = block === Infinity ? 1 : Math.max(1, Math.floor(block / 4));
            if (!this.solveKkt() || this.inconsistent) {
              res.reason = "the KKT system of the active set could not be solved";
              break;
            }
            this.rowResiduals(false);
            this.violations(tolP, tolD);
          }
        }
      }
      // Blocks of a few changes a round (after a round that made things worse) cannot end hundreds
      // of violated conditions in the rounds left: (b)'s try at iteration ~475, one change a round,
      // spent its last 7 rounds going from 403 to 387.
      const left = MAX_ROUNDS - round - 1;
      if (block < Infinity && Math.min(count, bestCount) > VIOLATIONS_PER_CHANGE * blockReach(block, left)) {
        res.reason = `${Math.min(count, bestCount)} violated conditions, ${left} rounds of blocks from ${block} changes left`;
        break;
      }
      res.reason = `${count} violated conditions after ${round + 1} rounds`;
      pivoted = false;
      res.moves += this.correct(block);
      if (round === 0 && res.moves > firstMoves) break;
    }
    // Each pivot rule polishes markets the other does not (DUAL_LONG_STEP): after a failed try,
    // the next one uses the other.
    if (!res.success) this.longSteps = !this.longSteps;
    return res;
  }

  /** The system of the current states solved as a network (polish-storage-network.ts); false where it does not apply. */
  private solveNetwork(): boolean {
    this.net ??= new NetworkKkt(this.nv, this.nr);
    this.netSystem ??= {
      nv: this.nv,
      nr: this.nr,
      state: this.state,
      colN: this.colN,
      colRow: this.colRow,
      colVal: this.colVal,
      bp: this.bp,
      slope: this.slope,
      h: this.h,
      sx: this.sx,
      b: this.b,
      sr: this.sr,
      x0: this.x0,
      y0: this.y0,
      P: 1,
      L: 1,
    };
    this.netSystem.P = this.P;
    this.netSystem.L = this.L;
    const out = this.net.solve(this.netSystem, this.x, this.y, this.driftY);
    if (out === "unsupported") return false;
    this.driftX.fill(0);
    this.lastKkt = "network";
    this.inconsistent = out === "inconsistent";
    this.lastKktSize = this.nr;
    return true;
  }

  /** The network solve's pivots of loops of non-zero cost (NetworkKkt.loopPivots), applied. */
  private loopPivots(): number {
    if (this.lastKkt !== "network" || this.net === null || this.netSystem === null) return 0;
    this.pivotVars ??= new Int32Array(this.nv);
    this.pivotStates ??= new Int8Array(this.nv);
    const n = this.net.loopPivots(this.netSystem, this.x, this.y, this.pivotVars, this.pivotStates);
    let moves = 0;
    for (let q = 0; q < n; q++) {
      const i = this.pivotVars[q];
      if (this.state[i] === this.pivotStates[q]) continue;
      this.state[i] = this.pivotStates[q];
      moves++;
    }
    return moves;
  }

  /** A new solve: its first try's dual pivots take long steps. */
  begin(): void {
    this.longSteps = true;
    this.overBudget = false;
  }

  /**
   * The "amd" order into perm: the free variables first (each touches at most two rows, so
   * eliminating them first only joins those rows), then the rows in the minimum degree order of
   * the graph that joins two rows sharing a free variable, the storages' energy rows last, period
   * by period.
   */
  private amdOrder(nF: number, perm: Int32Array): void {
    const nr = this.nr;
    const start = this.rgStart;
    start.fill(0);
    for (let f = 0; f < nF; f++) {
      const i = this.freeVars[f];
      const c = this.colN[i];
      for (let q = 0; q < c; q++) start[this.colRow[3 * i + q] + 1] += c - 1;
    }
    for (let r = 0; r < nr; r++) start[r + 1] += start[r];
    this.rgAdj = growPerm(this.rgAdj, start[nr]);
    const adj = this.rgAdj;
    const fill = this.uf;
    for (let r = 0; r < nr; r++) fill[r] = start[r];
    for (let f = 0; f < nF; f++) {
      const i = this.freeVars[f];
      const o = 3 * i;
      const c = this.colN[i];
      for (let a = 0; a < c; a++)
        for (let b = 0; b < c; b++) if (a !== b) adj[fill[this.colRow[o + a]]++] = this.colRow[o + b];
    }
    // Duplicates (a charge and a discharge join the same two rows) removed, lists compacted.
    const seen = this.rowFree;
    seen.fill(-1);
    let w = 0;
    for (let r = 0; r < nr; r++) {
      const s0 = start[r];
      const e0 = fill[r];
      start[r] = w;
      for (let p = s0; p < e0; p++) {
        const x = adj[p];
        if (seen[x] === r) continue;
        seen[x] = r;
        adj[w++] = x;
      }
    }
    start[nr] = w;
    let nt = 0;
    for (let q = 0; q < nr; q++) if (this.rowOrder[q] >= this.N) this.tail[nt++] = this.rowOrder[q];
    this.rgPerm = growPerm(this.rgPerm, nr);
    // Dense by the usual rule applied to one period's rows: each period's hub (the grid, trading
    // with every home) is then put after all other agents (before the energy rows) instead of
    // being rescanned at every elimination of one of its partners.
    this.amd.denseDegree = Math.max(16, Math.floor(10 * Math.sqrt(nr / this.T)));
    this.amd.order(nr, start, adj, this.rgPerm, nt, this.tail);
    for (let f = 0; f < nF; f++) perm[f] = f;
    for (let q = 0; q < nr; q++) perm[nF + q] = nF + this.rgPerm[q];
  }

  /** Builds, factorises and solves the KKT system of the current states into x and y; false if it cannot. */
  private solveKkt(): boolean {
    const nv = this.nv;
    const nr = this.nr;
    if (this.kkt === "network" || this.overBudget) {
      if (this.solveNetwork()) return true;
    }
    this.lastKkt = "ldl";
    const c = this.P * this.L;
    const col = this.col;
    let nF = 0;
    for (let i = 0; i < nv; i++) {
      if (this.state[i] & 1) {
        col[i] = nF;
        this.freeVars[nF++] = i;
      } else {
        col[i] = -1;
        this.x[i] = this.bp[3 * i + (this.state[i] >> 1)];
      }
    }
    const n = nF + nr;
    // The matrix straight into K's compressed columns, both triangles, rows in increasing order:
    // column f (free variable i) holds its diagonal, then its rows nF + r; column nF + r (row r)
    // the free variables on the row, in order, then its diagonal.
    const K = this.ldl;
    const rowAt = this.rowAt;
    rowAt.fill(0, 0, nr);
    let offDiagonal = 0;
    for (let f = 0; f < nF; f++) {
      const i = this.freeVars[f];
      const k = this.colN[i];
      offDiagonal += k;
      for (let q = 0; q < k; q++) rowAt[this.colRow[3 * i + q]]++;
    }
    K.reserve(n, n + 2 * offDiagonal);
    const cs = K.colStart;
    const ri = K.rowIndex;
    const va = K.values;
    let at = 0;
    for (let f = 0; f < nF; f++) {
      cs[f] = at;
      at += 1 + this.colN[this.freeVars[f]];
    }
    for (let r = 0; r < nr; r++) {
      cs[nF + r] = at;
      const k = rowAt[r];
      rowAt[r] = at;
      at += k + 1;
    }
    cs[n] = at;
    const rhs = this.kRhs;
    for (let f = 0; f < nF; f++) {
      const i = this.freeVars[f];
      const sx = this.sx[i];
      let p = cs[f];
      ri[p] = f;
      va[p++] = (this.h[i] * sx * sx) / c + DELTA;
      // The variable's (at most 3, distinct) rows in increasing order.
      const o = 3 * i;
      const k = this.colN[i];
      for (let q = 0; q < k; q++) {
        const r = this.colRow[o + q];
        let before = 0;
        for (let u = 0; u < k; u++) if (this.colRow[o + u] < r) before++;
        const v = (this.colVal[o + q] * sx) / this.sr[r];
        ri[p + before] = nF + r;
        va[p + before] = v;
        ri[rowAt[r]] = f;
        va[rowAt[r]++] = v;
      }
      rhs[f] = (-this.slope[2 * i + (this.state[i] >> 1)] * sx) / c;
    }
    for (let r = 0; r < nr; r++) {
      ri[rowAt[r]] = nF + r;
      va[rowAt[r]] = -DELTA;
      rhs[nF + r] = this.b[r];
    }
    // Fixed variables move to the right-hand side.
    for (let i = 0; i < nv; i++) {
      if (col[i] >= 0) continue;
      const xi = this.x[i];
      if (xi === 0) continue;
      for (let q = 0; q < this.colN[i]; q++) rhs[nF + this.colRow[3 * i + q]] -= this.colVal[3 * i + q] * xi;
    }
    for (let r = 0; r < nr; r++) rhs[nF + r] /= this.sr[r];
    const perm = K.perm;
    const periodOrder = () => {
      for (let f = 0; f < nF; f++) perm[f] = f;
      for (let q = 0; q < nr; q++) perm[nF + q] = nF + this.rowOrder[q];
    };
    let order: "amd" | "periods" = this.ordering === "amd" ? "amd" : "periods";
    let periodWork = Infinity;
    // Whether K's symbolic analysis (elimination tree, counts) is that of `perm` as it will be
    // factorised: `factor` then does not repeat it.
    let analysed = false;
    // The rows' minimum degree order of an earlier round of the try, while it is still good: the
    // rows are the same in every round (only the free variables, eliminated first, change), so it
    // is always a valid order, and a round changes few states; it is kept while its factor costs
    // at most AMD_REUSE × what it cost in the round that computed it (ordering again costs as much
    // as a factorisation on (a)).
    let reused = false;
    if (this.ordering !== "periods" && this.amdWork > 0) {
      for (let f = 0; f < nF; f++) perm[f] = f;
      for (let q = 0; q < nr; q++) perm[nF + q] = nF + this.rgPerm[q];
      const limit = AMD_REUSE * this.amdWork;
      const work = K.analyse(Math.min(limit, this.maxFactorWork));
      if (work <= limit && work <= this.maxFactorWork) {
        reused = true;
        analysed = true;
        order = "amd";
      }
    }
    if (!reused && this.ordering === "auto") {
      periodOrder();
      // Stops counting past the threshold: a lower bound is all the choice needs.
      periodWork = K.analyse(this.amdFrom);
      if (periodWork > this.amdFrom) order = "amd";
    }
    if (order === "amd" && !reused) {
      const t0 = performance.now();
      let ordered = true;
      try {
        this.amdOrder(nF, perm);
      } catch {
        // Not expected; the period order is always valid.
        ordered = false;
        periodOrder();
        order = "periods";
      }
      this.lastOrderMs += performance.now() - t0;
      if (ordered && this.ordering === "auto") {
        // Minimum degree is a heuristic: keep the period order if it costs less after all (both
        // counts stop past the budget, where neither order would be factorised).
        const amdWork = K.analyse(this.maxFactorWork);
        analysed = true;
        if (amdWork > periodWork) {
          this.amdPerm = growPerm(this.amdPerm, n);
          this.amdPerm.set(perm.subarray(0, n));
          periodOrder();
          if (K.analyse(amdWork) < amdWork) order = "periods";
          else {
            perm.set(this.amdPerm.subarray(0, n));
            analysed = false;
          }
        }
      }
    } else if (this.ordering === "periods") periodOrder();
    else if (!reused) analysed = periodWork <= this.amdFrom;
    this.lastOrdering = order;
    this.lastKktSize = n;
    const factored = K.factor(this.maxFactorWork, this.deadline, analysed);
    this.lastFactorWork = K.factorWork;
    if (order === "amd" && !reused) this.amdWork = factored ? K.factorWork : 0;
    if (!factored) {
      // Past the budget: this system, and the rest of the solve's, as a network (kkt "auto").
      if (K.failure === "work" && this.kkt === "auto") {
        this.overBudget = true;
        return this.solveNetwork();
      }
      return false;
    }
    this.lastFactorNnz = K.nnz;
    // Iterative refinement on the unregularised system, from the iterate's values.
    const v = this.kV;
    for (let f = 0; f < nF; f++) {
      const i = this.freeVars[f];
      v[f] = this.x0[i] / this.sx[i];
    }
    for (let r = 0; r < nr; r++) v[nF + r] = (this.y0[r] * this.sr[r]) / c;
    const res = this.kRes;
    const dv = this.kDv;
    dv.fill(0);
    let taken = 0;
    this.inconsistent = false;
    let rhsNorm = 0;
    for (let q = 0; q < n; q++) rhsNorm = Math.max(rhsNorm, Math.abs(rhs[q]));
    let last = Infinity;
    for (let step = 0; step < MAX_REFINE; step++) {
      // res = rhs − K v (K without δ).
      for (let q = 0; q < n; q++) res[q] = rhs[q];
      let scale = rhsNorm;
      for (let p = 0; p < n; p++) {
        const vp = v[p];
        if (vp === 0) continue;
        for (let q = K.colStart[p]; q < K.colStart[p + 1]; q++) {
          const rI = K.rowIndex[q];
          let a = K.values[q];
          if (rI === p) a += p < nF ? -DELTA : DELTA;
          const t = a * vp;
          res[rI] -= t;
          const at = Math.abs(t);
          if (at > scale) scale = at;
        }
      }
      let rn = 0;
      for (let q = 0; q < n; q++) rn = Math.max(rn, Math.abs(res[q]));
      this.lastRefineResidual = rn / Math.max(scale, 1e-300);
      if (!Number.isFinite(rn)) return false;
      if (rn <= 1e-15 * scale) break;
      if (step >= 4 && rn > 0.5 * last) {
        // Stalled: a residual refinement cannot remove, so the system is inconsistent and every
        // step adds the same drift (a circulation of non-zero cost, or a group of rows that cannot
        // balance). The base point is the iterate less the drift accumulated over the steps.
        if (rn > 1e-10 * scale) {
          this.inconsistent = true;
          for (let q = 0; q < n; q++) v[q] -= taken * dv[q];
        }
        break;
      }
      last = rn;
      K.solveInPlace(res);
      for (let q = 0; q < n; q++) {
        v[q] += res[q];
        dv[q] = res[q];
      }
      taken++;
    }
    if (this.inconsistent) {
      this.driftX.fill(0);
      for (let f = 0; f < nF; f++) {
        const i = this.freeVars[f];
        this.driftX[i] = dv[f] * this.sx[i];
      }
      for (let r = 0; r < nr; r++) this.driftY[r] = (dv[nF + r] * c) / this.sr[r];
    }
    for (let f = 0; f < nF; f++) {
      const i = this.freeVars[f];
      this.x[i] = v[f] * this.sx[i];
    }
    for (let r = 0; r < nr; r++) this.y[r] = (v[nF + r] * c) / this.sr[r];
    return true;
  }

  /** Per variable, the violated condition's severity (0: none) and the state it should move to; returns how many. */
  private violations(tolP: number, tolD: number): number {
    const c = this.P * this.L;
    let count = 0;
    for (let i = 0; i < this.nv; i++) {
      const s = this.state[i];
      const o = 3 * i;
      const nb = this.nb[i];
      const sx = this.sx[i];
      const tp = (tolP * sx) / this.P;
      const td = (tolD * c) / (this.L * sx);
      let v = 0;
      let to = s;
      if (s & 1) {
        const j = s >> 1;
        const xi = this.x[i];
        if (xi < this.bp[o + j] - tp) {
          v = (this.bp[o + j] - xi) / sx;
          to = 2 * j;
        } else if (xi > this.bp[o + j + 1] + tp) {
          v = (xi - this.bp[o + j + 1]) / sx;
          to = 2 * j + 2;
        } else if (!Number.isFinite(xi)) {
          v = Infinity;
        }
        if (v > 0) v += 1e100; // primal violations first
      } else {
        const j = s >> 1;
        let g = 0;
        for (let q = 0; q < this.colN[i]; q++) g -= this.colVal[o + q] * this.y[this.colRow[o + q]];
        const x = this.bp[o + j];
        g -= this.h[i] * x;
        const left = j >= 1 ? this.slope[2 * i + j - 1] : -Infinity;
        const right = j <= nb - 2 ? this.slope[2 * i + j] : Infinity;
        if (g > right + td) {
          v = ((g - right) * sx) / c;
          to = 2 * j + 1;
        } else if (g < left - td) {
          v = ((left - g) * sx) / c;
          to = 2 * j - 1;
        } else if (!Number.isFinite(g)) v = Infinity;
      }
      this.viol[i] = v;
      this.target[i] = to;
      if (v > 0) count++;
    }
    return count;
  }

  /**
   * Per row, the residual A x − b (free variables at their values x, fixed ones at their
   * breakpoints) in `rowRes`, and whether it is violated in `rowBad` (beyond rounding; with
   * `fixedOnly`, only rows without a free variable count). Returns the number of violated rows.
   */
  private rowResiduals(fixedOnly: boolean): number {
    const rr = this.rowRes;
    const nFree = this.rowFree;
    const mag = this.rowMag;
    for (let r = 0; r < this.nr; r++) {
      rr[r] = -this.b[r];
      mag[r] = Math.abs(this.b[r]);
      nFree[r] = 0;
    }
    for (let i = 0; i < this.nv; i++) {
      const o = 3 * i;
      const free = this.state[i] & 1;
      const v = free ? this.x[i] : this.bp[o + (this.state[i] >> 1)];
      for (let q = 0; q < this.colN[i]; q++) {
        const r = this.colRow[o + q];
        const t = this.colVal[o + q] * v;
        rr[r] += t;
        mag[r] = Math.max(mag[r], Math.abs(t));
        if (free) nFree[r]++;
      }
    }
    let bad = 0;
    for (let r = 0; r < this.nr; r++) {
      const viol = (fixedOnly ? nFree[r] === 0 : true) && Math.abs(rr[r]) > Math.max(TOL * this.sr[r], 1e-12 * mag[r]);
      this.rowBad[r] = viol ? 1 : 0;
      if (viol) bad++;
    }
    return bad;
  }

  /** Moves the fixed variables of row r into the adjacent piece that reduces the row's residual. */
  private repairRow(r: number): number {
    this.repBest = -1;
    this.repCost = Infinity;
    const m = this.m;
    if (r < this.N) {
      for (let k = m.tradeStart[r]; k < m.tradeStart[r + 1]; k++) this.repairCandidate(r, this.pairOf[k]);
      this.repairCandidate(r, this.nPairs + r);
      const s = this.H.storage.count > 0 ? this.H.storageOf[r] : -1;
      if (s >= 0) {
        const i = this.base + 3 * (s * this.T + (r - this.H.storage.first[s]));
        this.repairCandidate(r, i);
        this.repairCandidate(r, i + 1);
      }
    } else {
      const q = r - this.N;
      const i = this.base + 3 * q;
      this.repairCandidate(r, i);
      this.repairCandidate(r, i + 1);
      this.repairCandidate(r, i + 2);
      if (q % this.T > 0) this.repairCandidate(r, i - 1);
    }
    if (this.repBest < 0) return 0;
    this.state[this.repBest] = this.repState;
    return 1;
  }

  /**
   * Variable i of row r as a candidate of `repairRow`: when fixed, its move into the adjacent piece
   * that reduces the row's residual, at its reduced cost (the cheapest so far is kept).
   */
  private repairCandidate(r: number, i: number): void {
    const s = this.state[i];
    if (s & 1) return;
    const o = 3 * i;
    let a = 0;
    let g = 0;
    for (let q = 0; q < this.colN[i]; q++) {
      const row = this.colRow[o + q];
      if (row === r) a = this.colVal[o + q];
      g -= this.colVal[o + q] * this.y[row];
    }
    if (a === 0) return;
    const j = s >> 1;
    const hx = this.h[i] * this.bp[o + j];
    // Direction of x that reduces the residual: −sign(res·a).
    const up = this.rowRes[r] * a < 0;
    let cost: number;
    let to: number;
    if (up && j <= this.nb[i] - 2) {
      cost = this.slope[2 * i + j] + hx - g;
      to = 2 * j + 1;
    } else if (!up && j >= 1) {
      cost = g - this.slope[2 * i + j - 1] - hx;
      to = 2 * j - 1;
    } else return;
    cost *= this.sx[i];
    if (!(cost >= this.repCost)) {
      this.repCost = cost;
      this.repBest = i;
      this.repState = to;
    }
  }

  private find(r: number): number {
    return ufFind(this.uf, r);
  }

  /**
   * Pivots of an inconsistent system. Primal drift (a circulation of free variables whose cost is
   * not zero): per connected group of drifting variables, the one that first reaches a breakpoint
   * moving along the drift (which lowers the cost) is fixed there. Dual drift (rows whose fixed
   * variables cannot balance): per connected group of drifting rows, the fixed variables whose
   * conditions become tight within DUAL_LONG_STEP × the first one's step as the prices move along
   * the drift are freed. Returns the moves (a dual group's long step counts as one move).
   */
  private pivot(): number {
    const nv = this.nv;
    const nr = this.nr;
    const uf = this.uf;
    const dX = this.driftX;
    const dY = this.driftY;
    let maxX = 0;
    for (let i = 0; i < nv; i++) if (this.state[i] & 1) maxX = Math.max(maxX, Math.abs(dX[i] / this.sx[i]));
    let maxY = 0;
    for (let r = 0; r < nr; r++) maxY = Math.max(maxY, Math.abs((dY[r] * this.sr[r]) / (this.P * this.L)));
    const top = Math.max(maxX, maxY);
    let moves = 0;
    if (maxX > 1e-6 * top) {
      const thr = 1e-6 * maxX;
      for (let r = 0; r < nr; r++) {
        uf[r] = r;
        this.groupBest[r] = Infinity;
        this.groupArg[r] = -1;
      }
      for (let i = 0; i < nv; i++) {
        if (!(this.state[i] & 1) || !(Math.abs(dX[i] / this.sx[i]) > thr)) continue;
        const o = 3 * i;
        const r0 = this.find(this.colRow[o]);
        for (let q = 1; q < this.colN[i]; q++) {
          const r1 = this.find(this.colRow[o + q]);
          if (r1 !== r0) uf[r1] = r0;
        }
      }
      for (let i = 0; i < nv; i++) {
        const s = this.state[i];
        if (!(s & 1) || !(Math.abs(dX[i] / this.sx[i]) > thr)) continue;
        const j = s >> 1;
        const d = dX[i];
        // From the iterate's value when it lies in the piece (the base point of an inconsistent
        // system is only known up to the drift), else from the solve's.
        const lo = this.bp[3 * i + j];
        const hi = this.bp[3 * i + j + 1];
        const x0 = this.x0[i];
        const xb = x0 >= lo && x0 <= hi ? x0 : this.x[i];
        const dist = d > 0 ? hi - xb : lo - xb;
        const t = Math.max(dist / d, 0);
        this.viol[i] = t;
        const g = this.find(this.colRow[3 * i]);
        if (t > 0 && t < this.groupBest[g]) {
          this.groupBest[g] = t;
          this.groupArg[g] = i;
        }
      }
      // Long steps: every variable of a group that blocks within LONG_STEP × the first blocking
      // step is fixed at once (tiny flows that the iterate has not yet brought to 0 block one
      // after the other along the same drift).
      for (let i = 0; i < nv; i++) {
        const s = this.state[i];
        if (!(s & 1) || !(Math.abs(dX[i] / this.sx[i]) > thr)) continue;
        const g = this.find(this.colRow[3 * i]);
        const t = this.viol[i];
        if (!Number.isFinite(t) || !(t <= LONG_STEP * this.groupBest[g] || t === 0)) continue;
        const j = s >> 1;
        this.state[i] = dX[i] > 0 ? 2 * j + 2 : 2 * j;
        moves++;
      }
    }
    if (maxY > 1e-6 * top) {
      const thr = 1e-6 * maxY;
      const cPL = this.P * this.L;
      for (let r = 0; r < nr; r++) {
        uf[r] = r;
        this.groupBest[r] = Infinity;
        this.groupArg[r] = -1;
      }
      for (let i = 0; i < nv; i++) {
        if (!(this.state[i] & 1)) continue;
        const o = 3 * i;
        let r0 = -1;
        for (let q = 0; q < this.colN[i]; q++) {
          const r = this.colRow[o + q];
          if (!(Math.abs((dY[r] * this.sr[r]) / cPL) > thr)) continue;
          if (r0 < 0) r0 = this.find(r);
          else {
            const r1 = this.find(r);
            if (r1 !== r0) uf[r1] = r0;
          }
        }
      }
      for (let i = 0; i < nv; i++) {
        const s = this.state[i];
        this.dualGroup[i] = -1;
        if (s & 1) continue;
        const o = 3 * i;
        let g = 0;
        let dg = 0;
        let grp = -1;
        for (let q = 0; q < this.colN[i]; q++) {
          const r = this.colRow[o + q];
          g -= this.colVal[o + q] * this.y[r];
          dg -= this.colVal[o + q] * dY[r];
          if (Math.abs((dY[r] * this.sr[r]) / cPL) > thr) grp = this.find(r);
        }
        if (grp < 0 || dg === 0) continue;
        const j = s >> 1;
        g -= this.h[i] * this.bp[o + j];
        const left = j >= 1 ? this.slope[2 * i + j - 1] : -Infinity;
        const right = j <= this.nb[i] - 2 ? this.slope[2 * i + j] : Infinity;
        const t = dg > 0 ? (right - g) / dg : (left - g) / dg;
        if (!Number.isFinite(t)) continue;
        const tt = Math.max(t, 0);
        // The step, the state it frees into and the group, for the long step below.
        this.viol[i] = tt;
        this.target[i] = dg > 0 ? s + 1 : s - 1;
        this.dualGroup[i] = grp;
        if (tt < this.groupBest[grp]) {
          this.groupBest[grp] = tt;
          this.groupArg[grp] = i;
        }
      }
      if (this.longNow) {
        // Long steps: every variable of a group whose condition becomes tight within
        // DUAL_LONG_STEP × the group's first step is freed; the group counts as one move.
        for (let i = 0; i < nv; i++) {
          if (this.state[i] & 1) continue;
          const grp = this.dualGroup[i];
          if (grp < 0 || !(this.viol[i] <= DUAL_LONG_STEP * this.groupBest[grp])) continue;
          this.state[i] = this.target[i];
          if (this.groupArg[grp] !== -1) {
            moves++;
            this.groupArg[grp] = -1;
          }
        }
      } else {
        // The group's first one alone, as the simplex method pivots.
        for (let r = 0; r < nr; r++) {
          const i = this.groupArg[r];
          if (uf[r] !== r || i === -1) continue;
          this.state[i] = this.target[i];
          moves++;
        }
      }
    }
    return moves;
  }

  /**
   * Moves the violated variables to their target states: all of them, or the `block` worst (the
   * most severe first, primal violations before dual ones; ties by index).
   */
  private correct(block: number): number {
    if (block < Infinity) {
      const list = this.violList;
      let count = 0;
      for (let i = 0; i < this.nv; i++) if (this.viol[i] > 0) list[count++] = i;
      if (count > block) {
        const viol = this.viol;
        list.subarray(0, count).sort((a, b) => viol[b] - viol[a] || a - b);
        let moves = 0;
        for (let q = 0; q < block; q++) {
          const i = list[q];
          if (this.target[i] !== this.state[i]) {
            this.state[i] = this.target[i];
            moves++;
          }
        }
        return moves;
      }
    }
    let moves = 0;
    for (let i = 0; i < this.nv; i++)
      if (this.viol[i] > 0 && this.target[i] !== this.state[i]) {
        this.state[i] = this.target[i];
        moves++;
      }
    return moves;
  }

  /** Writes the outputs in the market's layout; prices are the iterate's clipped to what both sides allow. */
  private output(lambdaIt: Float64Array, tolP: number): void {
    const m = this.m;
    const H = this.H;
    const st = H.storage;
    const T = this.T;
    for (let p = 0; p < this.nPairs; p++) {
      const k = this.pairK[p];
      const j = m.mirror[k];
      const v = this.x[p];
      this.trade[k] = v;
      this.trade[j] = v === 0 ? 0 : -v;
    }
    for (let n = 0; n < this.N; n++) this.mu[n] = this.y[n];
    this.charge.fill(0);
    this.discharge.fill(0);
    for (let s = 0; s < st.count; s++)
      for (let t = 0; t < T; t++) {
        const i = this.base + 3 * (s * T + t);
        const n = st.first[s] + t;
        this.charge[n] = this.x[i];
        this.discharge[n] = this.x[i + 1];
        this.sigma[s * T + t] = this.y[this.N + s * T + t];
      }
    for (let p = 0; p < this.nPairs; p++) {
      const k = this.pairK[p];
      const j = m.mirror[k];
      let lo = -Infinity;
      let hi = Infinity;
      for (let side = 0; side < 2; side++) {
        const kk = side === 0 ? k : j;
        const n = m.partner[side === 0 ? j : k];
        const x = this.trade[kk];
        const mu = this.mu[n];
        let l: number;
        let h: number;
        if (Math.abs(x) <= tolP) {
          l = m.lo[kk] < 0 ? mu - m.costBuy[kk] : -Infinity;
          h = m.hi[kk] > 0 ? mu + m.costSell[kk] : Infinity;
        } else if (x > 0) {
          l = mu + m.costSell[kk];
          h = x >= m.hi[kk] - tolP ? Infinity : l;
        } else {
          h = mu - m.costBuy[kk];
          l = x <= m.lo[kk] + tolP ? -Infinity : h;
        }
        lo = Math.max(lo, l);
        hi = Math.min(hi, h);
      }
      let l = lambdaIt[k];
      if (!Number.isFinite(l)) l = 0;
      if (lo > hi) l = 0.5 * (lo + hi);
      else l = Math.min(Math.max(l, lo), hi);
      this.price[k] = l;
      this.price[j] = l;
    }
  }
}
