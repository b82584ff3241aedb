import { test } from "node:test";
import assert from "node:assert/strict";
import { Carver, carvedBytes } from "./shared.js";

test("Carver cuts aligned, zero-filled, disjoint arrays from one buffer of carvedBytes", () => {
  for (const n of [0, 1, 3, 7, 8, 421]) {
    const bytes = carvedBytes(n, 4 * n, 8 * n, 4 * (n + 1), n, 8 * (2 * n + 2));
    const c = new Carver(bytes);
    const arrays = [c.i8(n), c.f32(n), c.f64(n), c.i32(n + 1), c.u8(n), c.f64(2 * n + 2)];
    const buffer = arrays[0].buffer;
    assert.equal(buffer.byteLength, bytes);
    let end = 0;
    for (const a of arrays) {
      assert.equal(a.buffer, buffer, "one buffer");
      assert.equal(a.byteOffset % 8, 0, "each view starts 8-byte aligned");
      assert.ok(a.byteOffset >= end, "views do not overlap");
      end = a.byteOffset + a.byteLength;
      assert.ok(a.every((x) => x === 0));
    }
    assert.ok(end <= bytes);
    // Writing one array leaves the others as they were.
    for (const a of arrays) a.fill(1);
    for (const a of arrays) assert.ok(a.every((x) => x === 1));
  }
  // Too small a buffer is an error, not an overlap.
  assert.throws(() => new Carver(8).f64(2), RangeError);
});
