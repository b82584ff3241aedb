import { costsZero } from "@peermarket/admm";

/** The typed arrays one ADMM iteration reads and writes, per directed trade. */
export interface StreamArrays {
  pCur: Float64Array;
  pNext: Float64Array;
  z: Float64Array;
  lambda: Float64Array;
  lo: Float64Array;
  hi: Float64Array;
  /** null when every cost is zero: the iteration does not read them then (docs/admm.md). */
  costSell: Float64Array | null;
  costBuy: Float64Array | null;
  mirror: Int32Array;
}

/**
 * One plain streaming pass over the memory an iteration touches, with no algorithm in it: for
 * every directed trade k it reads pCur[k], pCur[mirror[k]] (the gather through the mirror),
 * z[k], λ[k], lo[k], hi[k], c⁺[k], c⁻[k], and writes z[k], λ[k], pNext[k]. The few additions
 * keep every load live; the values written stay bounded (z and λ are only mixed with constants),
 * so the pass can be repeated. 68 bytes read and 24 written per trade; 52 read without the costs
 * (a market whose costs are all zero, whose iterations skip them). Returns a checksum so that the
 * work cannot be dropped.
 */
export function streamPass(s: StreamArrays): number {
  const { pCur, pNext, z, lambda, lo, hi, costSell, costBuy, mirror } = s;
  const n = pCur.length;
  let sum = 0;
  const costs = costSell !== null && costBuy !== null;
  for (let k = 0; k < n; k++) {
    const pk = pCur[k];
    const pj = pCur[mirror[k]];
    const zk = z[k];
    const lk = lambda[k];
    const x = pk - pj + lo[k] + hi[k] + (costs ? costSell[k] - costBuy[k] : 0);
    z[k] = 0.5 * zk + 0.25 * x;
    lambda[k] = 0.5 * lk + 0.25 * x;
    pNext[k] = x;
    sum += x;
  }
  return sum;
}

/**
 * Arrays for `streamPass` with the sizes and mirror of a market's trades (copies: the pass writes);
 * without the costs when they are all zero, as the iterations then skip them.
 */
export function streamArraysLike(
  m: { mirror: Int32Array; lo: Float64Array; hi: Float64Array; costSell: Float64Array; costBuy: Float64Array },
  pCur: Float64Array,
): StreamArrays {
  const n = m.mirror.length;
  const zero = costsZero(m.costSell, m.costBuy);
  return {
    pCur: pCur.slice(),
    pNext: new Float64Array(n),
    z: new Float64Array(n),
    lambda: new Float64Array(n),
    lo: m.lo.slice(),
    hi: m.hi.slice(),
    costSell: zero ? null : m.costSell.slice(),
    costBuy: zero ? null : m.costBuy.slice(),
    mirror: m.mirror.slice(),
  };
}

/** Bytes `streamPass` moves per directed trade: 92, or 76 without the costs. */
export function streamPassBytes(s: StreamArrays): number {
  return s.costSell === null || s.costBuy === null ? 76 : 92;
}
