import { checkArrays, type MarketArrays } from "@peermarket/admm";
import lpSolverModule, { type Model as LpModel, type SolveResult } from "javascript-lp-solver";
import { marketObjective } from "./objective.js";
import type { ReferenceSolution } from "./solution.js";

type LpSolver = typeof lpSolverModule.default;
/**
 * `javascript-lp-solver` ships CommonJS type declarations with `export default`; under NodeNext
 * TypeScript types the default import as the whole module while Node's ESM entry exports the
 * solver itself. Accept either shape.
 */
const lpSolver: LpSolver = "Solve" in lpSolverModule ? (lpSolverModule as unknown as LpSolver) : lpSolverModule.default;

/**
 * How agent n's power is written with non-negative variables (javascript-lp-solver has no free
 * variables that work): p = pMin + q, p = pMax − q, or p = q⁺ − q⁻ when both bounds are infinite.
 */
type PowerForm = { kind: "above"; origin: number } | { kind: "below"; origin: number } | { kind: "free" };

function powerForm(pMin: number, pMax: number): PowerForm {
  if (Number.isFinite(pMin)) return { kind: "above", origin: pMin };
  if (Number.isFinite(pMax)) return { kind: "below", origin: pMax };
  return { kind: "free" };
}

/**
 * Solves a linear-cost market (every a_n = 0) with javascript-lp-solver, as a second, independent
 * reference for the HiGHS LP. Every variable is non-negative: p_n is shifted by a finite bound
 * (or split in two), and each trade is split into u_k − w_k as in the HiGHS model. The solver
 * gives no duals, so `price` is null. Infeasible or unbounded markets return `optimal: false`.
 * Throws when some a_n > 0 or the arrays are invalid.
 */
export function solveLinearReference(m: MarketArrays): ReferenceSolution {
  const problem = checkArrays(m);
  if (problem !== null) throw new Error(`solveLinearReference: invalid market arrays: ${problem}`);
  for (let n = 0; n < m.nAgents; n++) {
    if (m.a[n] !== 0)
      throw new Error(
        `solveLinearReference: agent ${n} has a quadratic cost a = ${m.a[n]}; javascript-lp-solver only solves linear-cost markets (use solveReference)`,
      );
  }
  const started = performance.now();
  const model = linearModel(m);
  const result = lpSolver.Solve(model) as SolveResult;
  const value = (name: string): number => {
    const v = result[name];
    return typeof v === "number" ? v : 0;
  };
  const agentPower = new Float64Array(m.nAgents);
  for (let n = 0; n < m.nAgents; n++) {
    const form = powerForm(m.pMin[n], m.pMax[n]);
    if (form.kind === "above") agentPower[n] = form.origin + value(`p${n}`);
    else if (form.kind === "below") agentPower[n] = form.origin - value(`p${n}`);
    else agentPower[n] = value(`p${n}+`) - value(`p${n}-`);
  }
  const trade = new Float64Array(m.partner.length);
  for (let k = 0; k < trade.length; k++) trade[k] = value(`u${k}`) - value(`w${k}`);
  const feasible = result.feasible === true;
  const bounded = result.bounded !== false;
  const optimal = feasible && bounded;
  const status = !feasible ? "Infeasible" : !bounded ? "Unbounded" : "Optimal";
  if (!optimal) {
    agentPower.fill(NaN);
    trade.fill(NaN);
  }
  return {
    solver: "javascript-lp-solver",
    status,
    optimal,
    objective: optimal ? marketObjective(m, agentPower, trade) : NaN,
    agentPower,
    trade,
    price: null,
    time: (performance.now() - started) / 1000,
    regularized: false,
    attempts: [],
  };
}

/** The javascript-lp-solver model: objective "cost", balance rows b<n>, reciprocity rows r<k>, caps. */
function linearModel(m: MarketArrays): LpModel {
  const constraints: LpModel["constraints"] = {};
  const variables: LpModel["variables"] = {};
  for (let n = 0; n < m.nAgents; n++) {
    const balance = `b${n}`;
    const form = powerForm(m.pMin[n], m.pMax[n]);
    if (form.kind === "free") {
      variables[`p${n}+`] = { cost: m.b[n], [balance]: 1 };
      variables[`p${n}-`] = { cost: -m.b[n], [balance]: -1 };
      constraints[balance] = { equal: 0 };
      continue;
    }
    const sign = form.kind === "above" ? 1 : -1;
    // p = origin + sign·q, so the balance p − Σ(u − w) = 0 reads sign·q − Σ(u − w) = −origin.
    constraints[balance] = { equal: -form.origin };
    const column: Record<string, number> = { cost: sign * m.b[n], [balance]: sign };
    const width = m.pMax[n] - m.pMin[n];
    if (Number.isFinite(width)) {
      constraints[`cap_p${n}`] = { max: width };
      column[`cap_p${n}`] = 1;
    }
    variables[`p${n}`] = column;
  }
  for (let n = 0; n < m.nAgents; n++) {
    for (let k = m.tradeStart[n]; k < m.tradeStart[n + 1]; k++) {
      const pair = `r${Math.min(k, m.mirror[k])}`;
      constraints[pair] = { equal: 0 };
      if (m.hi[k] > 0)
        variables[`u${k}`] = tradePart(constraints, `u${k}`, m.costSell[k], m.hi[k], `b${n}`, -1, pair, 1);
      if (m.lo[k] < 0)
        variables[`w${k}`] = tradePart(constraints, `w${k}`, m.costBuy[k], -m.lo[k], `b${n}`, 1, pair, -1);
    }
  }
  return { optimize: "cost", opType: "min", constraints, variables };
}

/** Column of a trade part u or w (≥ 0, at most `upper`, with its cap row when finite). */
function tradePart(
  constraints: LpModel["constraints"],
  name: string,
  cost: number,
  upper: number,
  balance: string,
  balanceSign: number,
  pair: string,
  pairSign: number,
): Record<string, number> {
  const column: Record<string, number> = { cost, [balance]: balanceSign, [pair]: pairSign };
  if (Number.isFinite(upper)) {
    constraints[`cap_${name}`] = { max: upper };
    column[`cap_${name}`] = 1;
  }
  return column;
}
