import assert from "node:assert/strict";

/** Asserts |actual − expected| ≤ tol, naming the quantity in the message. */
export function assertClose(actual: number, expected: number, tol: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= tol, `${what}: got ${actual}, expected ${expected} ± ${tol}`);
}

/** Largest |x_i − y_i| over two arrays of equal length. */
export function maxDiff(x: ArrayLike<number>, y: ArrayLike<number>): number {
  assert.equal(x.length, y.length, "arrays of different lengths");
  let d = 0;
  for (let i = 0; i < x.length; i++) d = Math.max(d, Math.abs(x[i] - y[i]));
  return d;
}
