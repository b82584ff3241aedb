/**
 * Paths of every number in a value that is not finite (NaN, ±Infinity), e.g.
 * `["agents[2].power", "trades[0].price"]`: walks plain objects, arrays and typed arrays.
 * At most `limit` paths are returned (default 20).
 */
export function nonFiniteNumbers(value: unknown, limit = 20): string[] {
  const found: string[] = [];
  const walk = (v: unknown, path: string): void => {
    if (found.length >= limit) return;
    if (typeof v === "number") {
      if (!Number.isFinite(v)) found.push(`${path || "(value)"} = ${v}`);
      return;
    }
    if (v === null || typeof v !== "object") return;
    if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
      const arr = v as unknown as ArrayLike<number | bigint>;
      for (let i = 0; i < arr.length && found.length < limit; i++) walk(arr[i], `${path}[${i}]`);
      return;
    }
    if (Array.isArray(v)) {
      v.forEach((item, i) => walk(item, `${path}[${i}]`));
      return;
    }
    for (const [key, item] of Object.entries(v)) walk(item, path ? `${path}.${key}` : key);
  };
  walk(value, "");
  return found;
}
