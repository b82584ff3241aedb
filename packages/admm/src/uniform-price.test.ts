import { test } from "node:test";
import assert from "node:assert/strict";
import { buildMarketArrays } from "./build.js";
import { uniformPrice } from "./uniform-price.js";

function market(a: number[], b: number[], pMin: number[], pMax: number[]) {
  const n = a.length;
  const first: number[] = [];
  const second: number[] = [];
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) first.push(i), second.push(j);
  const zero = () => new Float64Array(first.length);
  return buildMarketArrays(
    { a: Float64Array.from(a), b: Float64Array.from(b), pMin: Float64Array.from(pMin), pMax: Float64Array.from(pMax) },
    {
      first: Int32Array.from(first),
      second: Int32Array.from(second),
      sellFirst: zero(),
      buyFirst: zero(),
      sellSecond: zero(),
      buySecond: zero(),
    },
  ).arrays;
}

test("the uniform price clears the agents' best responses", () => {
  // A seller (a = 1, b = 10) and a buyer (a = 1, b = 50, demand up to 100): p − 10 = 50 − p at 30.
  assert.ok(Math.abs(uniformPrice(market([1, 1], [10, 50], [0, -100], [100, 0]))! - 30) < 1e-9);
  // The seller capped at 5: it sells 5, the buyer takes 5 at 50 − 5 = 45.
  assert.ok(Math.abs(uniformPrice(market([1, 1], [10, 50], [0, -100], [5, 0]))! - 45) < 1e-9);
  // A linear grid selling without limit at 70 caps the price there; a linear buyer at 20 floors it.
  const p = uniformPrice(market([1, 0, 0], [10, 70, 20], [-100, 0, -Infinity], [100, Infinity, 0]))!;
  assert.ok(p >= 20 && p <= 70 && Math.abs(p - 20) < 1e-9, `${p}`);
});

test("no uniform price: unlimited sellers and buyers at once, or a market that cannot balance", () => {
  // A seller unlimited from 10 and a buyer unlimited up to 50: any price between gives ∞ − ∞.
  assert.equal(uniformPrice(market([0, 0], [10, 50], [0, -Infinity], [Infinity, 0])), null);
  // Two must-run sellers (p ≥ 1) and nobody to buy.
  assert.equal(uniformPrice(market([1, 1], [10, 20], [1, 1], [5, 5])), null);
});
