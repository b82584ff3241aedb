/**
 * Brute-force solution of one agent's local problem by active-set enumeration: every trade is at
 * lo, on its negative slope, at 0, on its positive slope, or at hi, and the agent is at pMin, free or
 * at pMax. Each combination fixes μ by one linear equation and so a candidate point; the feasible
 * candidate with the lowest objective is the optimum. Exponential, for K ≤ 5 trades.
 */
export interface LocalCase {
  a: number;
  b: number;
  pMin: number;
  pMax: number;
  v: number[];
  lo: number[];
  hi: number[];
  cs: number[];
  cb: number[];
  rho: number;
}

export function localObjective(c: LocalCase, x: number[]): number {
  const p = x.reduce((s, t) => s + t, 0);
  let f = 0.5 * c.a * p * p + c.b * p;
  for (let k = 0; k < x.length; k++) {
    f += c.cs[k] * Math.max(x[k], 0) + c.cb[k] * Math.max(-x[k], 0) + 0.5 * c.rho * (x[k] - c.v[k]) ** 2;
  }
  return f;
}

const LO = 0,
  NEG = 1,
  ZERO = 2,
  POS = 3,
  HI = 4;

export function bruteLocal(c: LocalCase): { x: number[]; objective: number } {
  const K = c.v.length;
  let best: { x: number[]; objective: number } | null = null;
  const regimes = new Array<number>(K).fill(0);
  const tol = 1e-9;
  const total = 5 ** K;
  for (let code = 0; code < total; code++) {
    let ok = true;
    let t = code;
    for (let k = 0; k < K; k++) {
      regimes[k] = t % 5;
      t = Math.floor(t / 5);
      const r = regimes[k];
      if ((r === LO || r === NEG) && c.lo[k] === 0) ok = false;
      if ((r === POS || r === HI) && c.hi[k] === 0) ok = false;
      if (r === LO && c.lo[k] === -Infinity) ok = false;
      if (r === HI && c.hi[k] === Infinity) ok = false;
    }
    if (!ok) continue;
    // Σx(μ) = fixed + slopeCount·(const) − nFree·μ/ρ
    let fixed = 0;
    let freeConst = 0;
    let nFree = 0;
    for (let k = 0; k < K; k++) {
      const r = regimes[k];
      if (r === LO) fixed += c.lo[k];
      else if (r === HI) fixed += c.hi[k];
      else if (r === POS) {
        freeConst += c.v[k] - c.cs[k] / c.rho;
        nFree++;
      } else if (r === NEG) {
        freeConst += c.v[k] + c.cb[k] / c.rho;
        nFree++;
      }
    }
    // S(μ) = fixed + freeConst − nFree μ / ρ
    for (const agent of ["min", "free", "max"] as const) {
      let mu: number;
      if (agent === "free") {
        // μ = a S(μ) + b  →  μ (1 + a nFree/ρ) = a (fixed + freeConst) + b
        mu = (c.a * (fixed + freeConst) + c.b) / (1 + (c.a * nFree) / c.rho);
      } else {
        const target = agent === "min" ? c.pMin : c.pMax;
        if (!Number.isFinite(target)) continue;
        if (nFree === 0) {
          if (Math.abs(fixed - target) > tol * (1 + Math.abs(target))) continue;
          // μ is not pinned by the trades: any μ in the admissible range; take the agent's marginal cost side.
          mu = c.a * target + c.b;
        } else mu = ((fixed + freeConst - target) * c.rho) / nFree;
      }
      // Every combination yields a candidate point; the feasible candidate of lowest objective is the
      // optimum (the optimum is the candidate of its own active set, and the others are feasible points).
      const x = new Array<number>(K);
      let feasible = true;
      for (let k = 0; k < K; k++) {
        const r = regimes[k];
        let xk =
          r === LO
            ? c.lo[k]
            : r === HI
              ? c.hi[k]
              : r === ZERO
                ? 0
                : r === POS
                  ? c.v[k] - (mu + c.cs[k]) / c.rho
                  : c.v[k] - (mu - c.cb[k]) / c.rho;
        const s = tol * (1 + Math.abs(xk));
        if (xk < c.lo[k] - s || xk > c.hi[k] + s) feasible = false;
        xk = Math.min(Math.max(xk, c.lo[k]), c.hi[k]);
        x[k] = xk;
      }
      if (!feasible) continue;
      const p = x.reduce((s, v) => s + v, 0);
      const sp = 1e-7 * (1 + Math.abs(p));
      if (p < c.pMin - sp || p > c.pMax + sp) continue;
      const objective = localObjective(c, x);
      if (!best || objective < best.objective) best = { x, objective };
    }
  }
  if (!best) throw new Error("brute force found no consistent active set");
  return best;
}
