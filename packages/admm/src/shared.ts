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

/** Bytes rounded up to a multiple of 8, so that every view `Carver` cuts starts 8-byte aligned. */
function r8(bytes: number): number {
  return Math.ceil(bytes / 8) * 8;
}

/**
 * Typed arrays cut one after the other from one zero-filled buffer: scratch of many arrays for
 * one allocation. Allocating each on its own cost 2.5–5 µs an array of a few hundred entries (the
 * allocation, its registration with the garbage collector and the collections that external
 * memory then triggers), a quarter of a small market's polished solve, against about 0.4 µs cut
 * from one buffer. Size the buffer with `carvedBytes` of the same arrays' byte lengths.
 */
export class Carver {
  private off = 0;
  private readonly buf: ArrayBuffer;
  constructor(bytes: number) {
    this.buf = new ArrayBuffer(bytes);
  }
  f64(n: number): Float64Array {
    return this.cut(Float64Array, n);
  }
  f32(n: number): Float32Array {
    return this.cut(Float32Array, n);
  }
  i32(n: number): Int32Array {
    return this.cut(Int32Array, n);
  }
  i8(n: number): Int8Array {
    return this.cut(Int8Array, n);
  }
  u8(n: number): Uint8Array {
    return this.cut(Uint8Array, n);
  }
  /** The next n entries of type `View`, the offset then moved on to an 8-byte boundary. */
  private cut<T>(View: { new (buf: ArrayBuffer, off: number, n: number): T; BYTES_PER_ELEMENT: number }, n: number): T {
    const a = new View(this.buf, this.off, n);
    this.off += r8(View.BYTES_PER_ELEMENT * n);
    return a;
  }
}

/** The buffer `Carver` needs for arrays of these byte lengths. */
export function carvedBytes(...bytes: number[]): number {
  let sum = 0;
  for (const b of bytes) sum += r8(b);
  return sum;
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
