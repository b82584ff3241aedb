import { LuDecomposition, Matrix } from "ml-matrix";
import { type AbortCheck, AbortTicker, neverAbort } from "./abort.js";
import type { DcNetwork } from "./dc.js";
import { checkNetworkSize, type NetworkLimits } from "./limits.js";
import { LdlFactor, SingularMatrixError, symmetricFromTriplets } from "./sparse-ldl.js";

/** Series susceptance of each branch in the DC model: b = status / (x · tap), 0 out of service. */
export function branchSusceptance(net: DcNetwork): Float64Array {
  const b = new Float64Array(net.nBranch);
  for (let l = 0; l < net.nBranch; l++) b[l] = net.status[l] ? 1 / (net.x[l] * net.tap[l]) : 0;
  return b;
}

function singular(net: DcNetwork): Error {
  return new Error(
    `network ${net.name}: the reduced bus susceptance matrix is singular; check for islands or reactances that cancel`,
  );
}

/** Options of the PTDF computations. */
export interface PtdfOptions {
  /** Called every so often; throws to stop (see abort.ts). */
  check?: AbortCheck;
  /** Network-size limits (defaults: DEFAULT_NETWORK_LIMITS). */
  limits?: Partial<NetworkLimits>;
}

/**
 * The PTDF of a DC network in factored form: the reduced bus susceptance matrix Bbus (reference
 * row and column removed) as a sparse P·L·D·Lᵀ·Pᵀ (sparse-ldl.ts, minimum-degree ordering), from
 * which any PTDF column, the line flows of an injection vector, or the whole dense matrix follow.
 * Column i of the PTDF is Bf·Bbus⁻¹·e_i: the flow b_l·(θ_from − θ_to) on each branch for a unit
 * injected at bus i and withdrawn at the reference (θ_ref = 0). Memory O(nnz(L)) — O(nBus) for a
 * radial network — instead of the nBranch × nBus dense matrix.
 */
export class PtdfFactor {
  private constructor(
    readonly net: DcNetwork,
    /** Reduced index of each bus (-1 for the reference). */
    private readonly red: Int32Array,
    /** Series susceptance of each branch. */
    private readonly b: Float64Array,
    /** null for a single-bus network. */
    private readonly ldl: LdlFactor | null,
  ) {}

  /** Factorises the network's reduced Bbus. Throws on a singular matrix or a network over the limits. */
  static of(net: DcNetwork, options: PtdfOptions = {}): PtdfFactor {
    checkNetworkSize(net, options.limits);
    const check = options.check ?? neverAbort;
    const { nBus, nBranch, reference } = net;
    const red = new Int32Array(nBus);
    for (let i = 0, k = 0; i < nBus; i++) red[i] = i === reference ? -1 : k++;
    const b = branchSusceptance(net);
    if (nBus === 1) return new PtdfFactor(net, red, b, null);
    const nr = nBus - 1;
    // Triplets: a diagonal entry per in-service branch end, an off-diagonal per branch.
    const cap = 3 * nBranch;
    const rows = new Int32Array(cap);
    const cols = new Int32Array(cap);
    const vals = new Float64Array(cap);
    let e = 0;
    for (let l = 0; l < nBranch; l++) {
      // A branch from a bus to itself adds b to the diagonal twice and takes it off twice.
      if (b[l] === 0 || net.from[l] === net.to[l]) continue;
      const f = red[net.from[l]];
      const t = red[net.to[l]];
      if (f >= 0) {
        rows[e] = f;
        cols[e] = f;
        vals[e++] = b[l];
      }
      if (t >= 0) {
        rows[e] = t;
        cols[e] = t;
        vals[e++] = b[l];
      }
      if (f >= 0 && t >= 0) {
        rows[e] = f;
        cols[e] = t;
        vals[e++] = -b[l];
      }
    }
    check("building the bus susceptance matrix");
    const a = symmetricFromTriplets(nr, rows, cols, vals, e);
    let ldl: LdlFactor;
    try {
      ldl = LdlFactor.factor(a, { check, maxFill: maxFill(net, options.limits) });
    } catch (err) {
      if (err instanceof SingularMatrixError) throw singular(net);
      if (err instanceof Error && err.constructor === Error) throw new Error(`network ${net.name}: ${err.message}`);
      throw err;
    }
    return new PtdfFactor(net, red, b, ldl);
  }

  /** Bytes held by the factor (for cache accounting). */
  get bytes(): number {
    return this.red.byteLength + this.b.byteLength + (this.ldl?.bytes ?? 0);
  }

  /** Bus angles θ (reduced order, θ_ref = 0 implicit) for reduced injections `w`, in place. */
  private anglesInPlace(w: Float64Array): void {
    this.ldl!.solvePermuted(w);
  }

  /**
   * Column `bus` of the PTDF (flow on every branch per unit injected at `bus` and withdrawn at the
   * reference) into `out` (length nBranch). `work` is scratch of length nBus - 1 (optional).
   */
  column(bus: number, out: Float64Array, work?: Float64Array): Float64Array {
    const { net, red, b } = this;
    out.fill(0);
    const r = red[bus];
    if (r < 0 || this.ldl === null) return out;
    const ldl = this.ldl;
    const w = work ?? new Float64Array(ldl.n);
    w.fill(0);
    w[ldl.pinv[r]] = 1;
    this.anglesInPlace(w);
    const { pinv } = ldl;
    for (let l = 0; l < net.nBranch; l++) {
      if (b[l] === 0) continue;
      const f = red[net.from[l]];
      const t = red[net.to[l]];
      const tf = f >= 0 ? w[pinv[f]] : 0;
      const tt = t >= 0 ? w[pinv[t]] : 0;
      out[l] = b[l] * (tf - tt);
    }
    return out;
  }

  /** DC line flows (from → to) of bus injections (length nBus; the reference balances them). */
  flows(injections: ArrayLike<number>): Float64Array {
    const { net, red, b } = this;
    const out = new Float64Array(net.nBranch);
    if (this.ldl === null) return out;
    const ldl = this.ldl;
    const w = new Float64Array(ldl.n);
    for (let i = 0; i < net.nBus; i++) if (red[i] >= 0) w[ldl.pinv[red[i]]] = injections[i];
    this.anglesInPlace(w);
    for (let l = 0; l < net.nBranch; l++) {
      if (b[l] === 0) continue;
      const f = red[net.from[l]];
      const t = red[net.to[l]];
      out[l] = b[l] * ((f >= 0 ? w[ldl.pinv[f]] : 0) - (t >= 0 ? w[ldl.pinv[t]] : 0));
    }
    return out;
  }

  /** The dense PTDF (row-major nBranch × nBus, as `ptdf`). */
  dense(options: PtdfOptions = {}): Float64Array {
    const { nBus, nBranch } = this.net;
    checkDenseSize(this.net, options.limits);
    const out = new Float64Array(nBranch * nBus);
    const col = new Float64Array(nBranch);
    const work = this.ldl ? new Float64Array(this.ldl.n) : undefined;
    const ticker = new AbortTicker(options.check ?? neverAbort, "computing the PTDF", 1 << 16);
    for (let i = 0; i < nBus; i++) {
      this.column(i, col, work);
      for (let l = 0; l < nBranch; l++) out[l * nBus + i] = col[l];
      ticker.tick(nBranch + (this.ldl?.nnz ?? 0));
    }
    return out;
  }
}

function maxFill(net: DcNetwork, limits: Partial<NetworkLimits> | undefined): number {
  const perBus = limits?.maxFactorEntriesPerBus ?? DEFAULT_FACTOR_ENTRIES_PER_BUS;
  return Math.max(1_000_000, perBus * net.nBus);
}

/** Entries of L allowed per bus before a network counts as too dense for the sparse solver. */
const DEFAULT_FACTOR_ENTRIES_PER_BUS = 200;

function checkDenseSize(net: DcNetwork, limits: Partial<NetworkLimits> | undefined): void {
  checkNetworkSize(net, limits);
  const max = limits?.maxDensePtdfEntries ?? 50_000_000;
  const entries = net.nBranch * net.nBus;
  if (entries > max) {
    throw new Error(
      `network ${net.name}: the dense PTDF would have ${net.nBranch} branches × ${net.nBus} buses = ${entries} entries, over the limit of ${max} (maxDensePtdfEntries)`,
    );
  }
}

/**
 * Power transfer distribution factors, as MATPOWER's makePTDF with the slack at the reference bus:
 * PTDF = Bf · Bbus⁻¹ with the reference row and column removed. Row-major nBranch × nBus: entry
 * [l · nBus + i] is the flow on branch l (from → to) per unit injected at bus i and withdrawn at
 * the reference bus. The reference column and out-of-service rows are zero.
 *
 * Computed column by column from the sparse factorisation (`PtdfFactor`); the dense matrix itself
 * is nBranch × nBus doubles, so it is refused beyond `maxDensePtdfEntries`: use PtdfFactor for
 * large networks.
 */
export function ptdf(net: DcNetwork, options: PtdfOptions = {}): Float64Array {
  checkDenseSize(net, options.limits);
  return PtdfFactor.of(net, options).dense(options);
}

/**
 * The PTDF by dense LU of the reduced Bbus, solved against Bfᵀ (O(nBus³)): the reference the sparse
 * factorisation is tested against. LU rather than Cholesky: series capacitors (x < 0, e.g. case300)
 * make Bbus indefinite.
 */
export function densePtdf(net: DcNetwork): Float64Array {
  const { nBus, nBranch, reference } = net;
  const out = new Float64Array(nBranch * nBus);
  if (nBus === 1) return out;
  const red = new Int32Array(nBus);
  for (let i = 0, k = 0; i < nBus; i++) red[i] = i === reference ? -1 : k++;
  const b = branchSusceptance(net);
  const nr = nBus - 1;
  const bbus = Matrix.zeros(nr, nr);
  const bfT = Matrix.zeros(nr, nBranch);
  for (let l = 0; l < nBranch; l++) {
    if (b[l] === 0) continue;
    const f = red[net.from[l]];
    const t = red[net.to[l]];
    if (f >= 0) {
      bbus.set(f, f, bbus.get(f, f) + b[l]);
      bfT.set(f, l, bfT.get(f, l) + b[l]);
    }
    if (t >= 0) {
      bbus.set(t, t, bbus.get(t, t) + b[l]);
      bfT.set(t, l, bfT.get(t, l) - b[l]);
    }
    if (f >= 0 && t >= 0) {
      bbus.set(f, t, bbus.get(f, t) - b[l]);
      bbus.set(t, f, bbus.get(t, f) - b[l]);
    }
  }
  const lu = new LuDecomposition(bbus);
  if (lu.isSingular()) throw singular(net);
  const sol = lu.solve(bfT);
  for (let i = 0; i < nBus; i++) {
    const r = red[i];
    if (r < 0) continue;
    for (let l = 0; l < nBranch; l++) out[l * nBus + i] = sol.get(r, l);
  }
  return out;
}
