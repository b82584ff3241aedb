/**
 * The data of one market as the engine sees it: structure of arrays, trades in CSR order by agent.
 *
 * Agent n owns the directed trades k in [tradeStart[n], tradeStart[n+1]); trade k is p_nm with
 * m = partner[k], and mirror[k] is the index of p_mn. Every pair of the trading graph appears twice.
 *
 * Sign convention: p > 0 sells, p < 0 buys. Agent cost f_n(p) = ½ a_n p² + b_n p.
 */
export interface MarketArrays {
  nAgents: number;
  /** Quadratic cost coefficient a_n ≥ 0, per agent. */
  a: Float64Array;
  /** Linear cost coefficient b_n, per agent. */
  b: Float64Array;
  /** Power bounds p̲_n ≤ p_n ≤ p̄_n, per agent (may be infinite). */
  pMin: Float64Array;
  pMax: Float64Array;
  /** CSR offsets, length nAgents + 1. */
  tradeStart: Int32Array;
  /** Per directed trade: the partner agent. */
  partner: Int32Array;
  /** Per directed trade: index of the reverse trade. */
  mirror: Int32Array;
  /**
   * Per directed trade: bounds of p_nm, lo ≤ 0 ≤ hi. These are the agent's own trade bounds
   * (producer [0, p̄], consumer [p̲, 0], prosumer [p̲, p̄]) intersected with the partner's mirrored
   * ones ([-hi_mn, -lo_mn]); `tradeBounds` computes them.
   */
  lo: Float64Array;
  hi: Float64Array;
  /** Per directed trade: c⁺_nm (per unit when n sells to m) and c⁻_nm (per unit when n buys from m). */
  costSell: Float64Array;
  costBuy: Float64Array;
}

/** The own trade bounds of an agent with power bounds [pMin, pMax] (docs/market-model.md, "Trade bounds"). */
export function ownTradeBounds(pMin: number, pMax: number): [number, number] {
  if (pMin >= 0) return [0, pMax];
  if (pMax <= 0) return [pMin, 0];
  return [pMin, pMax];
}

/**
 * Bounds of p_nm: n's own trade bounds intersected with the mirror of m's ([-hi_m, -lo_m]).
 * A pair whose bounds are [0, 0] can never trade.
 */
export function tradeBounds(pMinN: number, pMaxN: number, pMinM: number, pMaxM: number): [number, number] {
  const [loN, hiN] = ownTradeBounds(pMinN, pMaxN);
  const [loM, hiM] = ownTradeBounds(pMinM, pMaxM);
  const lo = Math.max(loN, -hiM);
  const hi = Math.min(hiN, -loM);
  // Both intervals contain 0, so the intersection does too.
  return [lo === 0 ? 0 : lo, hi === 0 ? 0 : hi];
}

/** The most trades any of the agents 0..nAgents−1 has (0 without agents). */
export function maxTradeDegree(tradeStart: Int32Array, nAgents: number): number {
  let d = 0;
  for (let n = 0; n < nAgents; n++) d = Math.max(d, tradeStart[n + 1] - tradeStart[n]);
  return d;
}

/** Number of pairs (undirected trades) of a market. */
export function pairCount(m: MarketArrays): number {
  return m.partner.length / 2;
}

/**
 * Checks the structural invariants of a MarketArrays: CSR offsets, mirror involution, partner
 * consistency, bounds containing 0, finite costs. Returns the first problem found, or null.
 * Model validation should make these impossible; this guards the engine against hand-built data.
 */
export function checkArrays(m: MarketArrays): string | null {
  const n = m.nAgents;
  if (m.a.length !== n || m.b.length !== n || m.pMin.length !== n || m.pMax.length !== n) {
    return "per-agent arrays must have nAgents entries";
  }
  if (m.tradeStart.length !== n + 1 || m.tradeStart[0] !== 0)
    return "tradeStart must have nAgents + 1 entries starting at 0";
  const nt = m.tradeStart[n];
  for (const [name, arr] of [
    ["partner", m.partner],
    ["mirror", m.mirror],
    ["lo", m.lo],
    ["hi", m.hi],
    ["costSell", m.costSell],
    ["costBuy", m.costBuy],
  ] as const) {
    if (arr.length !== nt) return `${name} must have ${nt} entries (tradeStart[nAgents])`;
  }
  // One pass with the arrays in locals; the loop only notes the first problem (its kind and the
  // agent or trade), the message is built after it (string building inside the loop slows it down).
  const { a, b, pMin, pMax, tradeStart, partner, mirror, lo, hi, costSell, costBuy } = m;
  let fail = 0;
  let at = 0;
  let bad = 0;
  for (let i = 0; i < n && fail === 0; i++) {
    const s = tradeStart[i];
    const e = tradeStart[i + 1];
    at = i;
    if (e < s) fail = 1;
    else if (!(a[i] >= 0) || !Number.isFinite(a[i])) fail = 2;
    else if (!Number.isFinite(b[i])) fail = 3;
    else if (Number.isNaN(pMin[i]) || Number.isNaN(pMax[i]) || pMin[i] > pMax[i]) fail = 4;
    if (fail !== 0) break;
    for (let k = s; k < e; k++) {
      at = k;
      const j = mirror[k];
      if (j < 0 || j >= nt || mirror[j] !== k) {
        fail = 5;
        break;
      }
      const p = partner[k];
      if (p < 0 || p >= n || p === i) {
        fail = 6;
        bad = p;
        break;
      }
      if (j < tradeStart[p] || j >= tradeStart[p + 1] || partner[j] !== i) {
        fail = 7;
        break;
      }
      const l = lo[k];
      const h = hi[k];
      if (!(l <= 0 && h >= 0)) {
        fail = 8;
        break;
      }
      const cs = costSell[k];
      const cb = costBuy[k];
      if (!Number.isFinite(cs) || !Number.isFinite(cb)) {
        fail = 9;
        break;
      }
      if (l < 0 && h > 0 && cs + cb < 0) {
        fail = 10;
        break;
      }
    }
  }
  switch (fail) {
    case 1:
      return `tradeStart is not non-decreasing at agent ${at}`;
    case 2:
      return `agent ${at}: a must be finite and ≥ 0`;
    case 3:
      return `agent ${at}: b must be finite`;
    case 4:
      return `agent ${at}: bounds must satisfy pMin ≤ pMax`;
    case 5:
      return `trade ${at}: mirror is not an involution`;
    case 6:
      return `trade ${at}: bad partner ${bad}`;
    case 7:
      return `trade ${at}: mirror is not a trade of the partner with this agent`;
    case 8:
      return `trade ${at}: bounds must satisfy lo ≤ 0 ≤ hi`;
    case 9:
      return `trade ${at}: costs must be finite`;
    case 10:
      return `trade ${at}: c⁺ + c⁻ < 0 on a two-way trade (non-convex)`;
  }
  return null;
}
