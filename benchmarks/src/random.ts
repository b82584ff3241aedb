import { mulberry32 } from "@peermarket/admm";

/** The benchmarks' seeded generator (mulberry32): the same instances for the same seed on every machine. */
export const rng = mulberry32;

/** A uniform number in [lo, hi) from `r`. */
export function uniform(r: () => number, lo: number, hi: number): number {
  return lo + (hi - lo) * r();
}
