import type { MarketArrays } from "./problem.js";

/** Whether a typed array lives on a SharedArrayBuffer. */
export function isShared(a: ArrayBufferView): boolean {
  return a.buffer instanceof SharedArrayBuffer;
}

/** A Float64Array of n zeros, on a SharedArrayBuffer when `shared`. */
export function f64(n: number, shared: boolean): Float64Array {
  return shared ? new Float64Array(new SharedArrayBuffer(8 * n)) : new Float64Array(n);
}

/** An Int32Array of n zeros, on a SharedArrayBuffer when `shared`. */
export function i32(n: number, shared: boolean): Int32Array {
  return shared ? new Int32Array(new SharedArrayBuffer(4 * n)) : new Int32Array(n);
}

function sharedCopy<T extends Float64Array | Int32Array>(a: T): T {
  if (isShared(a)) return a;
  const c = (a instanceof Float64Array ? f64(a.length, true) : i32(a.length, true)) as T;
  c.set(a);
  return c;
}

/** The market's arrays on SharedArrayBuffers (arrays already shared are kept, others copied). */
export function toSharedArrays(m: MarketArrays): MarketArrays {
  return {
    nAgents: m.nAgents,
    a: sharedCopy(m.a),
    b: sharedCopy(m.b),
    pMin: sharedCopy(m.pMin),
    pMax: sharedCopy(m.pMax),
    tradeStart: sharedCopy(m.tradeStart),
    partner: sharedCopy(m.partner),
    mirror: sharedCopy(m.mirror),
    lo: sharedCopy(m.lo),
    hi: sharedCopy(m.hi),
    costSell: sharedCopy(m.costSell),
    costBuy: sharedCopy(m.costBuy),
  };
}

/** Whether every array of the market is on a SharedArrayBuffer. */
export function arraysShared(m: MarketArrays): boolean {
  return [m.a, m.b, m.pMin, m.pMax, m.tradeStart, m.partner, m.mirror, m.lo, m.hi, m.costSell, m.costBuy].every(
    isShared,
  );
}
