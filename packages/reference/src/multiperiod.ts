import { checkArrays, type HorizonArrays, type MarketArrays } from "@peermarket/admm";
import type { HessianInput, ModelData } from "highs";
import type { HighsFormulation } from "./formulation.js";
import { runAttempt, type AttemptResult } from "./highs-attempt.js";
import { getHighs } from "./highs-runtime.js";
import type { ReferenceAttempt } from "./solution.js";

/**
 * The centralized multi-period market problem (docs/multi-period.md) solved by HiGHS.
 *
 * The market is given in the engine's layout: `arrays` holds the period agents (engine agent n·T + t
 * is original agent n in period t; its a, b, pMin, pMax describe the OWN power g), `horizon` the
 * storage. Everything is in per-hour units as in the engine: the model minimises
 *
 *   Σ_{period agents i} ½ a_i g_i² + b_i g_i + Σ_k c⁺_k u_k + c⁻_k w_k + Σ_{storage, t} θ (c_t + d_t)
 *
 * over g_i ∈ [p̲_i, p̄_i]; per directed trade k, p_k = u_k − w_k with u_k ∈ [0, hi_k], w_k ∈ [0, −lo_k];
 * per storage and period c_t ∈ [0, cmax], d_t ∈ [0, dmax], E_t ∈ [socMin, socMax] (E_T ≥ socFinalMin);
 * rows: balance g_i + d_i − c_i − Σ_k p_k = 0 per period agent, reciprocity p_k + p_mirror(k) = 0 per
 * (pair, period) — its dual is the price λ (€/MWh) — and the SoC chain
 * E_t − E_{t−1} − Δ ηc c_t + Δ d_t / ηd = 0. Money over the horizon is Δ × the model's objective.
 */

/** Options of `solveReferenceMultiPeriod`. */
export interface MultiPeriodReferenceOptions {
  /** Wall-clock budget in seconds (default 60). */
  timeLimit?: number;
  /** First proximal weight of the fallback ladder (as `solveReference`; default 1e-4, 0 disables). */
  regularization?: number;
  /** Largest model accepted, in columns (default 20 000): HiGHS's QP solver is slow beyond. */
  maxColumns?: number;
}

/** A centralized solution of the multi-period market. Per-agent arrays are per ENGINE (period) agent. */
export interface MultiPeriodReference {
  solver: "highs-qp" | "highs-lp";
  status: string;
  optimal: boolean;
  /** € over the horizon: Δ × Σ_t [Σ f_{n,t}(g_{n,t}) + trade costs_t + Σ θ (c_t + d_t)]. */
  objective: number;
  /** The same in per-hour units (the engine's objective): objective / Δ. */
  objectivePerHour: number;
  periods: number;
  periodHours: number;
  /** Net power p = g + d − c per period agent (MW). */
  agentPower: Float64Array;
  /** Own power g per period agent. */
  ownPower: Float64Array;
  /** Charge c and discharge d per period agent (0 without storage). */
  charge: Float64Array;
  discharge: Float64Array;
  /** Stored energy E after the period, per period agent (MWh; NaN without storage). */
  soc: Float64Array;
  /** p_k per directed trade. */
  trade: Float64Array;
  /** λ_k per directed trade (€/MWh), the reciprocity dual of its (pair, period). */
  price: Float64Array;
  /** Seconds, including model construction. */
  time: number;
  regularized: boolean;
  attempts: ReferenceAttempt[];
}

/** The HiGHS model with its column maps. */
export interface MultiPeriodFormulation extends HighsFormulation {
  /** Per period agent: column of g. */
  gCol: Int32Array;
  /** Per period agent: columns of c, d and E (−1 without storage). */
  cCol: Int32Array;
  dCol: Int32Array;
  eCol: Int32Array;
}

/** Default size limit of `solveReferenceMultiPeriod`, in model columns. */
export const MULTIPERIOD_MAX_COLUMNS = 20000;

/** Checks that `horizon` fits `arrays`; returns the first problem found, or null. */
export function checkHorizon(m: MarketArrays, h: HorizonArrays): string | null {
  const T = h.periods;
  if (!(Number.isInteger(T) && T >= 1)) return `periods must be an integer ≥ 1, got ${T}`;
  if (!(h.periodHours > 0) || !Number.isFinite(h.periodHours))
    return `periodHours must be positive, got ${h.periodHours}`;
  if (m.nAgents % T !== 0) return `${m.nAgents} engine agents is not a multiple of ${T} periods`;
  if (h.storageOf.length !== m.nAgents) return `storageOf must have ${m.nAgents} entries`;
  const st = h.storage;
  for (let s = 0; s < st.count; s++) {
    const f = st.first[s];
    if (!(f >= 0 && f + T <= m.nAgents) || f % T !== 0)
      return `storage ${s}: first ${f} is not a period-0 engine agent`;
    for (let t = 0; t < T; t++) if (h.storageOf[f + t] !== s) return `storage ${s}: storageOf[${f + t}] is not ${s}`;
    const ec = st.etaCharge[s];
    const ed = st.etaDischarge[s];
    if (!(ec > 0 && ec <= 1 && ed > 0 && ed <= 1)) return `storage ${s}: efficiencies must be in (0, 1]`;
    if (
      !(st.chargeMax[s] >= 0 && st.dischargeMax[s] >= 0) ||
      !Number.isFinite(st.chargeMax[s]) ||
      !Number.isFinite(st.dischargeMax[s])
    )
      return `storage ${s}: charge and discharge limits must be finite and ≥ 0`;
    if (!(st.socMin[s] <= st.socMax[s])) return `storage ${s}: socMin > socMax`;
    if (!(st.throughputCost[s] >= 0)) return `storage ${s}: throughput cost must be ≥ 0`;
  }
  return null;
}

/** Builds the HiGHS model of a multi-period market (see the file comment). */
export function formulateMultiPeriod(m: MarketArrays, h: HorizonArrays): MultiPeriodFormulation {
  const nAgents = m.nAgents;
  const nTrades = m.partner.length;
  const T = h.periods;
  const dt = h.periodHours;
  const st = h.storage;
  // Columns.
  let nCols = 0;
  const gCol = new Int32Array(nAgents);
  for (let i = 0; i < nAgents; i++) gCol[i] = nCols++;
  const uCol = new Int32Array(nTrades).fill(-1);
  const wCol = new Int32Array(nTrades).fill(-1);
  for (let k = 0; k < nTrades; k++) {
    if (m.hi[k] > 0) uCol[k] = nCols++;
    if (m.lo[k] < 0) wCol[k] = nCols++;
  }
  const cCol = new Int32Array(nAgents).fill(-1);
  const dCol = new Int32Array(nAgents).fill(-1);
  const eCol = new Int32Array(nAgents).fill(-1);
  for (let s = 0; s < st.count; s++) {
    for (let t = 0; t < T; t++) {
      const i = st.first[s] + t;
      cCol[i] = nCols++;
      dCol[i] = nCols++;
      eCol[i] = nCols++;
    }
  }
  // Rows: balance per period agent, reciprocity per pair, SoC per storage period.
  let nRows = nAgents;
  const pairRow = new Int32Array(nTrades);
  for (let k = 0; k < nTrades; k++) {
    const j = m.mirror[k];
    if (k < j) {
      pairRow[k] = nRows;
      pairRow[j] = nRows;
      nRows++;
    }
  }
  const socRow = new Int32Array(nAgents).fill(-1);
  for (let s = 0; s < st.count; s++) for (let t = 0; t < T; t++) socRow[st.first[s] + t] = nRows++;

  const colCost = new Float64Array(nCols);
  const colLower = new Float64Array(nCols);
  const colUpper = new Float64Array(nCols);
  const rowLower = new Float64Array(nRows);
  const rowUpper = new Float64Array(nRows);
  // Column-wise entries.
  const entries: { row: number; value: number }[][] = Array.from({ length: nCols }, () => []);
  const hRows: number[] = [];
  const hVals: number[] = [];
  for (let i = 0; i < nAgents; i++) {
    const j = gCol[i];
    colCost[j] = m.b[i];
    colLower[j] = m.pMin[i];
    colUpper[j] = m.pMax[i];
    entries[j].push({ row: i, value: 1 });
  }
  for (let i = 0; i < nAgents; i++) {
    for (let k = m.tradeStart[i]; k < m.tradeStart[i + 1]; k++) {
      if (uCol[k] >= 0) {
        const j = uCol[k];
        colCost[j] = m.costSell[k];
        colUpper[j] = m.hi[k];
        entries[j].push({ row: i, value: -1 }, { row: pairRow[k], value: 1 });
      }
      if (wCol[k] >= 0) {
        const j = wCol[k];
        colCost[j] = m.costBuy[k];
        colUpper[j] = -m.lo[k];
        entries[j].push({ row: i, value: 1 }, { row: pairRow[k], value: -1 });
      }
    }
  }
  for (let s = 0; s < st.count; s++) {
    const theta = st.throughputCost[s];
    const ec = st.etaCharge[s];
    const ed = st.etaDischarge[s];
    for (let t = 0; t < T; t++) {
      const i = st.first[s] + t;
      const r = socRow[i];
      const c = cCol[i];
      const d = dCol[i];
      const e = eCol[i];
      colCost[c] = theta;
      colUpper[c] = st.chargeMax[s];
      entries[c].push({ row: i, value: -1 }, { row: r, value: -dt * ec });
      colCost[d] = theta;
      colUpper[d] = st.dischargeMax[s];
      entries[d].push({ row: i, value: 1 }, { row: r, value: dt / ed });
      colLower[e] = t === T - 1 ? Math.max(st.socMin[s], st.socFinalMin[s]) : st.socMin[s];
      colUpper[e] = st.socMax[s];
      entries[e].push({ row: r, value: 1 });
      if (t + 1 < T) entries[e].push({ row: socRow[i + 1], value: -1 });
      if (t === 0) {
        rowLower[r] = st.socInitial[s];
        rowUpper[r] = st.socInitial[s];
      }
    }
  }
  const starts = new Int32Array(nCols + 1);
  let nnz = 0;
  for (let j = 0; j < nCols; j++) nnz += entries[j].length;
  const indices = new Int32Array(nnz);
  const values = new Float64Array(nnz);
  let e = 0;
  for (let j = 0; j < nCols; j++) {
    entries[j].sort((x, y) => x.row - y.row);
    for (const x of entries[j]) {
      indices[e] = x.row;
      values[e++] = x.value;
    }
    starts[j + 1] = e;
  }
  for (let i = 0; i < nAgents; i++) {
    if (m.a[i] > 0) {
      hRows.push(gCol[i]);
      hVals.push(m.a[i]);
    }
  }
  let hessian: HessianInput | null = null;
  if (hRows.length > 0) {
    const hs = new Int32Array(nCols + 1);
    let q = 0;
    for (let j = 0; j < nCols; j++) {
      if (q < hRows.length && hRows[q] === j) q++;
      hs[j + 1] = q;
    }
    hessian = {
      format: "triangular",
      dimension: nCols,
      starts: hs,
      indices: Int32Array.from(hRows),
      values: Float64Array.from(hVals),
    };
  }
  const model: ModelData = {
    numCols: nCols,
    numRows: nRows,
    colCost,
    colLower,
    colUpper,
    rowLower,
    rowUpper,
    matrix: { format: "csc", numRows: nRows, numCols: nCols, starts, indices, values },
    ...(hessian ? { hessian } : {}),
  };
  return { model, quadratic: hessian !== null, uCol, wCol, pairRow, gCol, cCol, dCol, eCol };
}

/** HiGHS statuses that answer the question about the market itself. */
const FINAL_STATUS = new Set([8, 9, 10, 13]);

/**
 * Solves the multi-period market centrally (see the file comment). Refuses models larger than
 * `maxColumns` with an error naming the size. Infeasible markets return `optimal: false` and NaN
 * arrays; throws on invalid arrays.
 */
export async function solveReferenceMultiPeriod(
  m: MarketArrays,
  h: HorizonArrays,
  opts: MultiPeriodReferenceOptions = {},
): Promise<MultiPeriodReference> {
  const timeLimit = opts.timeLimit ?? 60;
  const regularization = opts.regularization ?? 1e-4;
  const maxColumns = opts.maxColumns ?? MULTIPERIOD_MAX_COLUMNS;
  if (!(timeLimit > 0) || !Number.isFinite(timeLimit))
    throw new Error(`solveReferenceMultiPeriod: timeLimit must be a positive number of seconds, got ${timeLimit}`);
  const problem = checkArrays(m) ?? checkHorizon(m, h);
  if (problem !== null) throw new Error(`solveReferenceMultiPeriod: invalid market: ${problem}`);
  const started = performance.now();
  const f = formulateMultiPeriod(m, h);
  if (f.model.numCols > maxColumns) {
    throw new Error(
      `solveReferenceMultiPeriod: the model has ${f.model.numCols} columns (${m.nAgents} period agents, ${m.partner.length} directed trades, ${h.storage.count} storage × ${h.periods} periods), above the limit of ${maxColumns}: HiGHS's QP solver is too slow for a reference at this size`,
    );
  }
  const highs = await getHighs();
  const deadline = started + timeLimit * 1000;
  const ladder =
    f.quadratic && regularization > 0 ? [0, regularization, 10 * regularization, 100 * regularization] : [0];
  const attempts: ReferenceAttempt[] = [];
  let last: AttemptResult | null = null;
  let point: AttemptResult | null = null;
  for (const eps of ladder) {
    last = runAttempt(highs, f, eps, deadline, point?.colValue ?? null);
    attempts.push(last.attempt);
    if (last.colValue !== null) point = last;
    if (last.converged || FINAL_STATUS.has(last.statusCode)) break;
  }
  const optimal = last !== null && last.converged;
  const status = optimal ? "Optimal" : (last?.attempt.status ?? "Not Set");
  const solver = f.quadratic ? "highs-qp" : "highs-lp";
  const source = optimal ? last : point;
  const n = m.nAgents;
  const nt = m.partner.length;
  const out: MultiPeriodReference = {
    solver,
    status,
    optimal,
    objective: NaN,
    objectivePerHour: NaN,
    periods: h.periods,
    periodHours: h.periodHours,
    agentPower: new Float64Array(n).fill(NaN),
    ownPower: new Float64Array(n).fill(NaN),
    charge: new Float64Array(n),
    discharge: new Float64Array(n),
    soc: new Float64Array(n).fill(NaN),
    trade: new Float64Array(nt).fill(NaN),
    price: new Float64Array(nt).fill(NaN),
    time: 0,
    regularized: false,
    attempts,
  };
  if (source !== null && source.colValue !== null && source.rowDual !== null) {
    const x = source.colValue;
    for (let i = 0; i < n; i++) {
      const g = x[f.gCol[i]];
      const c = f.cCol[i] >= 0 ? x[f.cCol[i]] : 0;
      const d = f.dCol[i] >= 0 ? x[f.dCol[i]] : 0;
      out.ownPower[i] = g;
      out.charge[i] = c;
      out.discharge[i] = d;
      out.agentPower[i] = g + d - c;
      if (f.eCol[i] >= 0) out.soc[i] = x[f.eCol[i]];
    }
    for (let k = 0; k < nt; k++) {
      const u = f.uCol[k] >= 0 ? x[f.uCol[k]] : 0;
      const w = f.wCol[k] >= 0 ? x[f.wCol[k]] : 0;
      out.trade[k] = u - w;
      out.price[k] = source.rowDual[f.pairRow[k]];
    }
    out.objectivePerHour = multiPeriodObjective(m, h, out.ownPower, out.charge, out.discharge, out.trade);
    out.objective = h.periodHours * out.objectivePerHour;
    out.regularized = source.attempt.regularization > 0;
  }
  out.time = (performance.now() - started) / 1000;
  return out;
}

/**
 * The multi-period objective in per-hour units at a point: Σ_i ½ a_i g_i² + b_i g_i + trade costs
 * + Σ θ (c + d). Multiply by Δ for € over the horizon.
 */
export function multiPeriodObjective(
  m: MarketArrays,
  h: HorizonArrays,
  ownPower: ArrayLike<number>,
  charge: ArrayLike<number>,
  discharge: ArrayLike<number>,
  trade: ArrayLike<number>,
): number {
  let total = 0;
  for (let i = 0; i < m.nAgents; i++) {
    const g = ownPower[i];
    total += 0.5 * m.a[i] * g * g + m.b[i] * g;
    const s = h.storageOf[i];
    if (s >= 0) total += h.storage.throughputCost[s] * (charge[i] + discharge[i]);
  }
  for (let k = 0; k < m.partner.length; k++) {
    const x = trade[k];
    if (x > 0) total += m.costSell[k] * x;
    else if (x < 0) total -= m.costBuy[k] * x;
  }
  return total;
}
