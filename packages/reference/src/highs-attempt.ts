import type { Highs, Model, ModelStatusCode } from "highs";
import type { HighsFormulation } from "./formulation.js";
import { modelStatusName } from "./highs-runtime.js";
import type { ReferenceAttempt } from "./solution.js";

/** HiGHS's model status code for an optimal solve. */
const OPTIMAL = 7;

/** Relative change of the variables between two proximal runs below which the sequence has converged. */
export const PROXIMAL_STEP_TOLERANCE = 1e-9;

/** Largest number of HiGHS runs in one proximal sequence. */
export const MAX_PROXIMAL_RUNS = 100;

/**
 * QP iterations allowed per run, per model column (plus a constant). Healthy active-set solves of
 * these markets take about one iteration per column; a stalled one cycles for millions, so this
 * stops a stall long before the time limit.
 */
const ITERATIONS_PER_COLUMN = 20;
const ITERATIONS_BASE = 1000;

/** The outcome of one attempt: its record, and the last point of an optimal run, if any. */
export interface AttemptResult {
  attempt: ReferenceAttempt;
  /** HiGHS model status code of the last run, or -1 when HiGHS failed. */
  statusCode: number;
  /** Whether the attempt ended at an optimum of the unregularised problem. */
  converged: boolean;
  /** Column values and row duals of the last optimal run. */
  colValue: Float64Array | null;
  rowDual: Float64Array | null;
}

/**
 * Runs HiGHS on the formulation. With `regularization` ε = 0 this is one plain solve (HiGHS's own
 * default regularisation is switched off so the optimum is exact). With ε > 0 it is a proximal-point
 * sequence: each run minimises the objective + ε/2 ‖x − c‖², where HiGHS adds ε/2 ‖x‖² through
 * `qp_regularization_value` and the linear costs are shifted by −ε c; the centre c is the previous
 * run's solution (or `center`), and the sequence stops when x moves less than
 * PROXIMAL_STEP_TOLERANCE · max(1, ‖x‖∞), a fixed point being an optimum of the original problem.
 */
export function runAttempt(
  highs: Highs,
  f: HighsFormulation,
  regularization: number,
  deadline: number,
  center: Float64Array | null,
): AttemptResult {
  const started = performance.now();
  const nCols = f.model.numCols;
  const baseCost = Float64Array.from(f.model.colCost);
  const model = highs.createModel(f.model);
  let statusCode = -1;
  let status = "Not Set";
  let runs = 0;
  let iterations = 0;
  let lastStep = 0;
  let converged = false;
  let colValue: Float64Array | null = null;
  let rowDual: Float64Array | null = null;
  let prox = center;
  try {
    const maxRuns = regularization > 0 ? MAX_PROXIMAL_RUNS : 1;
    while (runs < maxRuns) {
      const remaining = (deadline - performance.now()) / 1000;
      if (remaining <= 0) {
        statusCode = 13;
        status = modelStatusName(13);
        break;
      }
      model.options.set({
        output_flag: false,
        time_limit: remaining,
        qp_regularization_value: regularization,
        qp_iteration_limit: ITERATIONS_PER_COLUMN * nCols + ITERATIONS_BASE,
      });
      if (regularization > 0 && prox !== null && nCols > 0) {
        const cost = new Float64Array(nCols);
        for (let j = 0; j < nCols; j++) cost[j] = baseCost[j] - regularization * prox[j];
        model.changeColsCost({ kind: "range", from: 0, to: nCols - 1 }, cost);
      }
      runs++;
      const code = runModel(model);
      iterations += iterationCount(model, f.quadratic);
      statusCode = code;
      status = code < 0 ? "Solve error" : modelStatusName(code as ModelStatusCode);
      if (code !== OPTIMAL) break;
      const solution = model.getSolution();
      colValue = solution.colValue;
      rowDual = solution.rowDual;
      if (regularization === 0) {
        converged = true;
        break;
      }
      let scale = 1;
      lastStep = prox === null ? Infinity : 0;
      for (let j = 0; j < nCols; j++) {
        scale = Math.max(scale, Math.abs(colValue[j]));
        if (prox !== null) lastStep = Math.max(lastStep, Math.abs(colValue[j] - prox[j]));
      }
      prox = colValue;
      if (lastStep <= PROXIMAL_STEP_TOLERANCE * scale) {
        converged = true;
        break;
      }
    }
    if (!converged && statusCode === OPTIMAL) status = "Not converged";
  } finally {
    model.dispose();
  }
  const attempt: ReferenceAttempt = {
    regularization,
    status,
    runs,
    iterations,
    lastStep: Number.isFinite(lastStep) ? lastStep : 0,
    time: (performance.now() - started) / 1000,
  };
  return { attempt, statusCode, converged, colValue, rowDual };
}

/** Runs the model; returns its model status code, or -1 when HiGHS reports an error (e.g. it judged the QP non-convex). */
function runModel(model: Model): number {
  try {
    model.run();
  } catch (err) {
    if ((err as { operation?: unknown }).operation === "run") return -1;
    throw err;
  }
  return model.getModelStatus();
}

/** QP or simplex iterations of the last run; 0 when HiGHS has no count (e.g. an empty model). */
function iterationCount(model: Model, quadratic: boolean): number {
  try {
    return Number(model.info.get(quadratic ? "qp_iteration_count" : "simplex_iteration_count"));
  } catch {
    return 0;
  }
}
