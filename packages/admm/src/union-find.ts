/** The root of r in a union–find forest `uf` (uf[x] = x at a root), halving the path on the way. */
export function ufFind(uf: Int32Array, r: number): number {
  let x = r;
  while (uf[x] !== x) {
    uf[x] = uf[uf[x]];
    x = uf[x];
  }
  return x;
}
