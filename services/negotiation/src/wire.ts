import { endianness } from "node:os";

/**
 * Arrays travel in `bytes` fields as little-endian float64 / int32, the memory layout of typed
 * arrays on every platform Node runs on here; a big-endian host is refused rather than misread.
 */
export function assertLittleEndian(): void {
  if (endianness() !== "LE")
    throw new Error("the shard protocol sends typed arrays as little-endian bytes; this host is big-endian");
}

/** The bytes of a typed array's elements [begin, end) (a copy, safe to send while the array changes). */
export function toBytes(a: Float64Array | Int32Array, begin = 0, end = a.length): Buffer {
  const size = a.BYTES_PER_ELEMENT;
  return Buffer.from(new Uint8Array(a.buffer, a.byteOffset + begin * size, (end - begin) * size));
}

/** The float64 values of `bytes` (any alignment), checked to hold exactly `count` values. */
export function float64s(bytes: Uint8Array, count: number, what: string): Float64Array {
  if (bytes.byteLength !== 8 * count)
    throw new RangeError(
      `${what}: expected ${count} float64 values (${8 * count} bytes), got ${bytes.byteLength} bytes`,
    );
  const out = new Float64Array(count);
  new Uint8Array(out.buffer).set(bytes);
  return out;
}

/** The int32 values of `bytes` (any alignment), checked to hold exactly `count` values. */
export function int32s(bytes: Uint8Array, count: number, what: string): Int32Array {
  if (bytes.byteLength !== 4 * count)
    throw new RangeError(`${what}: expected ${count} int32 values (${4 * count} bytes), got ${bytes.byteLength} bytes`);
  const out = new Int32Array(count);
  new Uint8Array(out.buffer).set(bytes);
  return out;
}

/** Copies `count` float64 values from `bytes` into `target` starting at element `at`. */
export function copyFloat64sInto(
  target: Float64Array,
  at: number,
  bytes: Uint8Array,
  count: number,
  what: string,
): void {
  if (bytes.byteLength !== 8 * count)
    throw new RangeError(
      `${what}: expected ${count} float64 values (${8 * count} bytes), got ${bytes.byteLength} bytes`,
    );
  if (at < 0 || at + count > target.length)
    throw new RangeError(`${what}: ${count} values at ${at} do not fit an array of ${target.length}`);
  new Uint8Array(target.buffer, target.byteOffset + 8 * at, 8 * count).set(bytes);
}
