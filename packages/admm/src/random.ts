/**
 * Small seeded generators of uniform numbers in [0, 1), for reproducible markets in tests,
 * benchmarks and fuzzing. Not for anything that needs unpredictability.
 */

/** Marsaglia's xorshift32 (a zero seed is replaced by a fixed non-zero one). */
export function xorshift32(seed: number): () => number {
  let s = seed >>> 0 || 0x9e3779b9;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
}

/** Mulberry32: a 32-bit generator with a better spread of low seeds than xorshift32. */
export function mulberry32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
