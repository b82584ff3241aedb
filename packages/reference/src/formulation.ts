import type { MarketArrays } from "@peermarket/admm";
import type { HessianInput, ModelData } from "highs";

/**
 * The market problem as a HiGHS model (docs/market-model.md, docs/verification.md), together with the maps from market indices to
 * model columns and rows.
 *
 * Columns: p_n for every agent (bounds [p̲_n, p̄_n], cost b_n, Hessian a_n), then per directed trade
 * k a selling part u_k ∈ [0, max(hi_k, 0)] (cost c⁺_k) and a buying part w_k ∈ [0, max(−lo_k, 0)]
 * (cost c⁻_k), p_k = u_k − w_k; a part whose bound is 0 is omitted.
 * Rows: one balance row per agent, p_n − Σ_k (u_k − w_k) = 0, then one reciprocity row per pair,
 * p_k + p_mirror(k) = 0, whose dual is the trade's price λ.
 */
export interface HighsFormulation {
  model: ModelData;
  /** Whether some a_n > 0 (the model has a Hessian). */
  quadratic: boolean;
  /** Per directed trade: column of u_k, or -1 when omitted. */
  uCol: Int32Array;
  /** Per directed trade: column of w_k, or -1 when omitted. */
  wCol: Int32Array;
  /** Per directed trade: the reciprocity row of its pair (shared with the mirror). */
  pairRow: Int32Array;
}

/** Builds the HiGHS model of a market. Infinite power bounds become HiGHS's ±∞ (free columns). */
export function formulate(m: MarketArrays): HighsFormulation {
  const nAgents = m.nAgents;
  const nTrades = m.partner.length;
  const pairRow = new Int32Array(nTrades);
  let nRows = nAgents;
  for (let k = 0; k < nTrades; k++) {
    const j = m.mirror[k];
    if (k < j) {
      pairRow[k] = nRows;
      pairRow[j] = nRows;
      nRows++;
    }
  }
  const uCol = new Int32Array(nTrades).fill(-1);
  const wCol = new Int32Array(nTrades).fill(-1);
  let nCols = nAgents;
  for (let k = 0; k < nTrades; k++) {
    if (m.hi[k] > 0) uCol[k] = nCols++;
    if (m.lo[k] < 0) wCol[k] = nCols++;
  }
  const colCost = new Float64Array(nCols);
  const colLower = new Float64Array(nCols);
  const colUpper = new Float64Array(nCols);
  const starts = new Int32Array(nCols + 1);
  const nnz = nAgents + 2 * (nCols - nAgents);
  const indices = new Int32Array(nnz);
  const values = new Float64Array(nnz);
  let e = 0;
  for (let n = 0; n < nAgents; n++) {
    colCost[n] = m.b[n];
    colLower[n] = m.pMin[n];
    colUpper[n] = m.pMax[n];
    indices[e] = n;
    values[e++] = 1;
    starts[n + 1] = e;
  }
  for (let n = 0; n < nAgents; n++) {
    for (let k = m.tradeStart[n]; k < m.tradeStart[n + 1]; k++) {
      for (const [col, sign, cost, upper] of [
        [uCol[k], 1, m.costSell[k], m.hi[k]],
        [wCol[k], -1, m.costBuy[k], -m.lo[k]],
      ] as const) {
        if (col < 0) continue;
        colCost[col] = cost;
        colUpper[col] = upper;
        indices[e] = n;
        values[e++] = -sign;
        indices[e] = pairRow[k];
        values[e++] = sign;
        starts[col + 1] = e;
      }
    }
  }
  const hessian = agentHessian(m, nCols);
  const model: ModelData = {
    numCols: nCols,
    numRows: nRows,
    colCost,
    colLower,
    colUpper,
    rowLower: new Float64Array(nRows),
    rowUpper: new Float64Array(nRows),
    matrix: { format: "csc", numRows: nRows, numCols: nCols, starts, indices, values },
    ...(hessian ? { hessian } : {}),
  };
  return { model, quadratic: hessian !== null, uCol, wCol, pairRow };
}

/** The diagonal Hessian diag(a_n) on the agent columns, or null when every a_n is 0. */
function agentHessian(m: MarketArrays, nCols: number): HessianInput | null {
  const starts = new Int32Array(nCols + 1);
  const rows: number[] = [];
  const vals: number[] = [];
  for (let j = 0; j < nCols; j++) {
    if (j < m.nAgents && m.a[j] > 0) {
      rows.push(j);
      vals.push(m.a[j]);
    }
    starts[j + 1] = rows.length;
  }
  if (rows.length === 0) return null;
  return {
    format: "triangular",
    dimension: nCols,
    starts,
    indices: Int32Array.from(rows),
    values: Float64Array.from(vals),
  };
}

/** Agent powers, net trades u − w and reciprocity duals of a HiGHS solution of `formulate(m)`. */
export function readSolution(
  m: MarketArrays,
  f: HighsFormulation,
  colValue: Float64Array,
  rowDual: Float64Array,
): { agentPower: Float64Array; trade: Float64Array; price: Float64Array } {
  const nTrades = m.partner.length;
  const agentPower = colValue.slice(0, m.nAgents);
  const trade = new Float64Array(nTrades);
  const price = new Float64Array(nTrades);
  for (let k = 0; k < nTrades; k++) {
    const u = f.uCol[k] >= 0 ? colValue[f.uCol[k]] : 0;
    const w = f.wCol[k] >= 0 ? colValue[f.wCol[k]] : 0;
    trade[k] = u - w;
    price[k] = rowDual[f.pairRow[k]];
  }
  return { agentPower, trade, price };
}
