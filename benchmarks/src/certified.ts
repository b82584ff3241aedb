import type { MarketArrays } from "@peermarket/admm";
import { certify } from "@peermarket/reference";

/** A solution's arrays, as the engine returns them. */
export interface SolutionLike {
  agentPower: Float64Array;
  trade: Float64Array;
  price: Float64Array;
}

/** The KKT certificate at `tol` (1e-9 by default) of the data's power and price scales. */
export interface ScaledCertificate {
  /** Whether every condition holds within `tol` of its scale. */
  certified: boolean;
  /** Largest certificate violation relative to the power or price scale. */
  worst: number;
  /** The scales: largest |power| (bounds and the solution's powers, at least 1) and |price| (at least 1). */
  power: number;
  price: number;
}

/**
 * Certifies a solution as the benchmarks accept a reference optimum: `certify` (packages/reference)
 * with primal and complementarity tolerances `tol` × the power scale and dual tolerance `tol` ×
 * the price scale (linear cost coefficients, trade costs and the solution's prices).
 */
export function certifiedAtScale(m: MarketArrays, sol: SolutionLike, tol = 1e-9): ScaledCertificate {
  let power = 1;
  let price = 1;
  for (let n = 0; n < m.nAgents; n++) {
    for (const v of [m.pMin[n], m.pMax[n], sol.agentPower[n]])
      if (Number.isFinite(v)) power = Math.max(power, Math.abs(v));
    price = Math.max(price, Math.abs(m.b[n]));
  }
  for (let k = 0; k < m.partner.length; k++)
    price = Math.max(price, Math.abs(sol.price[k]), Math.abs(m.costSell[k]), Math.abs(m.costBuy[k]));
  const cert = certify(m, sol as never, { primal: tol * power, dual: tol * price, active: tol * power });
  return {
    certified: cert.passed,
    worst: Math.max(
      cert.maxPriceViolation / price,
      cert.maxBoundViolation / power,
      cert.maxReciprocityViolation / power,
    ),
    power,
    price,
  };
}
