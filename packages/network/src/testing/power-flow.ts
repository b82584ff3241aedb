import { Matrix, QrDecomposition } from "ml-matrix";
import { BR_STATUS, BR_X, BUS_I, F_BUS, T_BUS, TAP, type MatpowerCase } from "@peermarket/model";

/**
 * A B-θ DC power flow computed straight from the case rows, independently of the PTDF code:
 * angles from the reduced nodal susceptance system (QR), then branch flows (θf − θt) / (x · tap).
 * `injection` is per bus row (MW); the `slack` bus row balances it and has θ = 0.
 */
export function dcPowerFlow(
  c: MatpowerCase,
  injection: Float64Array,
  slack: number,
): { theta: Float64Array; flow: Float64Array } {
  const nb = c.bus.length;
  const row = new Map(c.bus.map((b, i) => [b[BUS_I], i]));
  const bmat = Matrix.zeros(nb, nb);
  const y = c.branch.map((br) => (br[BR_STATUS] > 0 ? 1 / (br[BR_X] * (br[TAP] === 0 ? 1 : br[TAP])) : 0));
  c.branch.forEach((br, l) => {
    const f = row.get(br[F_BUS])!;
    const t = row.get(br[T_BUS])!;
    bmat.set(f, f, bmat.get(f, f) + y[l]);
    bmat.set(t, t, bmat.get(t, t) + y[l]);
    bmat.set(f, t, bmat.get(f, t) - y[l]);
    bmat.set(t, f, bmat.get(t, f) - y[l]);
  });
  const keep = [...Array(nb).keys()].filter((i) => i !== slack);
  const reduced = bmat.selection(keep, keep);
  const rhs = Matrix.columnVector(keep.map((i) => injection[i]));
  const angles = new QrDecomposition(reduced).solve(rhs);
  const theta = new Float64Array(nb);
  keep.forEach((i, k) => (theta[i] = angles.get(k, 0)));
  const flow = Float64Array.from(c.branch, (br, l) => y[l] * (theta[row.get(br[F_BUS])!] - theta[row.get(br[T_BUS])!]));
  return { theta, flow };
}
