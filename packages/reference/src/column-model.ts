import type { HorizonArrays } from "@peermarket/admm";
import type { ModelData } from "highs";

/**
 * A small HiGHS model built column by column: each column with its cost, bounds, diagonal
 * quadratic term and (row, coefficient) entries; rows with their bounds. For the per-agent
 * problems over a horizon (a best response, a storage local solve), where a column list is the
 * plain way to write the model.
 */
export class ColumnModel {
  private readonly cols: { cost: number; lo: number; hi: number; quad: number; entries: [number, number][] }[] = [];
  private readonly rows: [number, number][] = [];

  /** A row lo ≤ Σ a x ≤ hi; returns its index. */
  row(lo: number, hi: number): number {
    return this.rows.push([lo, hi]) - 1;
  }

  /** A column with cost `cost·x + ½ quad·x²` on [lo, hi] and its entries; returns its index. */
  col(cost: number, lo: number, hi: number, quad = 0, ...entries: [number, number][]): number {
    return this.cols.push({ cost, lo, hi, quad, entries }) - 1;
  }

  /** Adds entry (row, value) to column `j`. */
  entry(j: number, row: number, value: number): void {
    this.cols[j].entries.push([row, value]);
  }

  /**
   * Battery `q`'s columns of period `t` against the period's balance row `bal` (convention
   * Σ trades − g − d + c = 0): charge c and discharge d at the throughput cost, and the stored
   * energy E_t ∈ [soc_min, soc_max] (≥ the final minimum at t = T − 1) with its SoC row
   * E_t − E_{t−1} − Δ η_c c + Δ d/η_d = 0 (= soc_initial at t = 0). `prevE` is E_{t−1}'s column
   * (−1 at t = 0); returns E_t's.
   */
  storagePeriod(h: HorizonArrays, q: number, t: number, bal: number, prevE: number): number {
    const st = h.storage;
    const dt = h.periodHours;
    const soc = this.row(t === 0 ? st.socInitial[q] : 0, t === 0 ? st.socInitial[q] : 0);
    this.col(st.throughputCost[q], 0, st.chargeMax[q], 0, [bal, 1], [soc, -dt * st.etaCharge[q]]);
    this.col(st.throughputCost[q], 0, st.dischargeMax[q], 0, [bal, -1], [soc, dt / st.etaDischarge[q]]);
    const last = t === h.periods - 1;
    const E = this.col(0, last ? Math.max(st.socMin[q], st.socFinalMin[q]) : st.socMin[q], st.socMax[q], 0, [soc, 1]);
    if (prevE >= 0) this.entry(prevE, soc, -1);
    return E;
  }

  /** The model in HiGHS's CSC form (entries sorted by row; a Hessian only when some quad > 0). */
  data(): ModelData {
    const cols = this.cols;
    const nCols = cols.length;
    const nRows = this.rows.length;
    const starts = new Int32Array(nCols + 1);
    const idx: number[] = [];
    const val: number[] = [];
    const hs = new Int32Array(nCols + 1);
    const hIdx: number[] = [];
    const hVal: number[] = [];
    cols.forEach((col, j) => {
      col.entries.sort((x, y) => x[0] - y[0]);
      for (const [r, v] of col.entries) {
        idx.push(r);
        val.push(v);
      }
      starts[j + 1] = idx.length;
      if (col.quad > 0) {
        hIdx.push(j);
        hVal.push(col.quad);
      }
      hs[j + 1] = hIdx.length;
    });
    return {
      numCols: nCols,
      numRows: nRows,
      colCost: Float64Array.from(cols, (c) => c.cost),
      colLower: Float64Array.from(cols, (c) => c.lo),
      colUpper: Float64Array.from(cols, (c) => c.hi),
      rowLower: Float64Array.from(this.rows, (r) => r[0]),
      rowUpper: Float64Array.from(this.rows, (r) => r[1]),
      matrix: {
        format: "csc",
        numRows: nRows,
        numCols: nCols,
        starts,
        indices: Int32Array.from(idx),
        values: Float64Array.from(val),
      },
      ...(hIdx.length > 0
        ? {
            hessian: {
              format: "triangular" as const,
              dimension: nCols,
              starts: hs,
              indices: Int32Array.from(hIdx),
              values: Float64Array.from(hVal),
            },
          }
        : {}),
    };
  }
}

/** The objective Σ c x + ½ xᵀ H x of a model (triangular Hessian, diagonal entries) at column values x. */
export function modelObjective(model: ModelData, x: ArrayLike<number>): number {
  let total = 0;
  for (let j = 0; j < model.numCols; j++) total += model.colCost[j] * x[j];
  const h = model.hessian;
  if (h)
    for (let j = 0; j < model.numCols; j++)
      for (let e = h.starts[j]; e < h.starts[j + 1]; e++) total += 0.5 * h.values[e] * x[j] * x[h.indices[e]];
  return total;
}
