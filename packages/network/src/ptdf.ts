import { LuDecomposition, Matrix } from "ml-matrix";
import type { DcNetwork } from "./dc.js";

/** Series susceptance of each branch in the DC model: b = status / (x · tap), 0 out of service. */
export function branchSusceptance(net: DcNetwork): Float64Array {
  const b = new Float64Array(net.nBranch);
  for (let l = 0; l < net.nBranch; l++) b[l] = net.status[l] ? 1 / (net.x[l] * net.tap[l]) : 0;
  return b;
}

/**
 * Power transfer distribution factors, as MATPOWER's makePTDF with the slack at the reference bus:
 * PTDF = Bf · Bbus⁻¹ with the reference row and column removed. Row-major nBranch × nBus: entry
 * [l · nBus + i] is the flow on branch l (from → to) per unit injected at bus i and withdrawn at
 * the reference bus. The reference column and out-of-service rows are zero.
 *
 * The reduced Bbus is LU-factorised and solved against Bfᵀ (Bbus is symmetric), so no inverse
 * is formed. LU rather than Cholesky: series capacitors (x < 0, e.g. case300) make Bbus indefinite.
 */
export function ptdf(net: DcNetwork): Float64Array {
  const { nBus, nBranch, reference } = net;
  const out = new Float64Array(nBranch * nBus);
  if (nBus === 1) return out;
  // Reduced index of each bus (-1 for the reference).
  const red = new Int32Array(nBus);
  for (let i = 0, k = 0; i < nBus; i++) red[i] = i === reference ? -1 : k++;
  const b = branchSusceptance(net);
  const nr = nBus - 1;
  const bbus = Matrix.zeros(nr, nr);
  const bfT = Matrix.zeros(nr, nBranch);
  for (let l = 0; l < nBranch; l++) {
    if (b[l] === 0) continue;
    const f = red[net.from[l]];
    const t = red[net.to[l]];
    if (f >= 0) {
      bbus.set(f, f, bbus.get(f, f) + b[l]);
      bfT.set(f, l, bfT.get(f, l) + b[l]);
    }
    if (t >= 0) {
      bbus.set(t, t, bbus.get(t, t) + b[l]);
      bfT.set(t, l, bfT.get(t, l) - b[l]);
    }
    if (f >= 0 && t >= 0) {
      bbus.set(f, t, bbus.get(f, t) - b[l]);
      bbus.set(t, f, bbus.get(t, f) - b[l]);
    }
  }
  const lu = new LuDecomposition(bbus);
  if (lu.isSingular()) {
    throw new Error(`network ${net.name}: the reduced bus susceptance matrix is singular; check for islands or reactances that cancel`);
  }
  // X = Bbus_r⁻¹ Bf_rᵀ, so PTDF_r = Xᵀ.
  const sol = lu.solve(bfT);
  for (let i = 0; i < nBus; i++) {
    const r = red[i];
    if (r < 0) continue;
    for (let l = 0; l < nBranch; l++) out[l * nBus + i] = sol.get(r, l);
  }
  return out;
}
