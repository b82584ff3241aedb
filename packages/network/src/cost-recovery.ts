/** Options of `findUnitFee`. */
export interface CostRecoveryOptions {
  /** Largest fee tried (currency/MWh per unit distance). Default 1e4 × initialStep. */
  maxFee?: number;
  /** Absolute fee tolerance of the bisection and of the golden-section search. Default 1e-4 × initialStep. */
  tolerance?: number;
  /** First fee of the upward scan. Default 1. */
  initialStep?: number;
  /** Ratio between successive fees of the scan (> 1). Default 2. */
  growth?: number;
}

/** Outcome of a cost-recovery search. */
export interface CostRecoveryResult {
  /** Whether some fee up to maxFee collects the target. */
  reachable: boolean;
  /** The smallest fee found collecting the target; when unreachable, the fee collecting the most. */
  unitFee: number;
  /** Revenue at unitFee. */
  revenue: number;
  /** Largest revenue seen, and the fee that collected it. */
  maxRevenue: number;
  feeAtMaxRevenue: number;
  /** Number of calls to revenueAt (market clearings). */
  evaluations: number;
}

const GOLDEN = (Math.sqrt(5) - 1) / 2;

/**
 * Finds the smallest unit fee u whose cleared market collects `target` in network charges.
 *
 * R(u) = u · Σ d·q(u) starts at 0 and eventually falls as fees drive trades away. Σ d·q(u) is
 * non-increasing in u (it is the slope of the concave optimal cost), which the search uses: once it
 * is 0, or once even maxFee times it is below the target, no larger fee can succeed. The scan goes
 * upward geometrically from `initialStep`; when R ≥ target it bisects between the last two fees.
 * It gives up when Σ d·q = 0, when the bound above rules the target out, when maxFee is reached,
 * or when R has clearly passed its maximum (two successive declines ending below half the best
 * revenue). Both the bisection and that stop assume R rises then falls; linear-cost markets have a
 * step-shaped Σ d·q(u), and R may then peak several times: the search returns the first crossing
 * within the scanned bracket and a peak between two scanned fees can be missed (a finer `growth`
 * and a bounded `maxFee` help). Unreachable targets get the maximum revenue, refined by a
 * golden-section search around the best scanned fee. `revenueAt` is called sequentially and
 * synchronously (a market clearing), so it may warm-start each clearing from the previous one.
 */
export function findUnitFee(
  target: number,
  revenueAt: (fee: number) => number,
  opts: CostRecoveryOptions = {},
): CostRecoveryResult {
  const initialStep = opts.initialStep ?? 1;
  const growth = opts.growth ?? 2;
  const maxFee = opts.maxFee ?? 1e4 * initialStep;
  const tolerance = opts.tolerance ?? 1e-4 * initialStep;
  if (!Number.isFinite(target) || target < 0)
    throw new Error(`cost recovery: target revenue must be finite and ≥ 0, got ${target}`);
  if (!(initialStep > 0) || !Number.isFinite(initialStep))
    throw new Error(`cost recovery: initialStep must be finite and > 0, got ${initialStep}`);
  if (!(growth > 1) || !Number.isFinite(growth))
    throw new Error(`cost recovery: growth must be finite and > 1, got ${growth}`);
  if (!(maxFee > 0) || !Number.isFinite(maxFee))
    throw new Error(`cost recovery: maxFee must be finite and > 0, got ${maxFee}`);
  if (!(tolerance > 0) || !Number.isFinite(tolerance))
    throw new Error(`cost recovery: tolerance must be finite and > 0, got ${tolerance}`);

  let evaluations = 0;
  let best = { fee: 0, revenue: 0 };
  const evaluate = (fee: number): number => {
    const r = revenueAt(fee);
    evaluations++;
    if (typeof r !== "number" || !Number.isFinite(r))
      throw new Error(`cost recovery: revenue at unit fee ${fee} is not a finite number (${r})`);
    if (r > best.revenue) best = { fee, revenue: r };
    return r;
  };
  const result = (reachable: boolean, unitFee: number, revenue: number): CostRecoveryResult => ({
    reachable,
    unitFee,
    revenue,
    maxRevenue: best.revenue,
    feeAtMaxRevenue: best.fee,
    evaluations,
  });
  if (target === 0) return result(true, 0, 0);

  const scanned: { fee: number; revenue: number }[] = [{ fee: 0, revenue: 0 }];
  let declines = 0;
  for (let fee = Math.min(initialStep, maxFee); ; fee = Math.min(fee * growth, maxFee)) {
    const r = evaluate(fee);
    const prev = scanned[scanned.length - 1];
    scanned.push({ fee, revenue: r });
    if (r >= target) return bisect(prev.fee, fee, r);
    declines = r < prev.revenue ? declines + 1 : 0;
    const chargedVolume = r / fee; // Σ d·q at this fee; bounds Σ d·q at every larger fee
    const exhausted = chargedVolume <= 0 || maxFee * chargedVolume < target || fee >= maxFee;
    const pastPeak = declines >= 2 && r < 0.5 * best.revenue;
    if (exhausted || pastPeak) break;
  }
  const ib = scanned.reduce((bi, s, i) => (s.revenue > scanned[bi].revenue ? i : bi), 0);
  const lo = scanned[Math.max(0, ib - 1)].fee;
  const hi = ib + 1 < scanned.length ? scanned[ib + 1].fee : Math.min(scanned[ib].fee * growth, maxFee);
  if (hi > lo) goldenMax(lo, hi);
  return result(false, best.fee, best.revenue);

  function bisect(lo: number, hi: number, rHi: number): CostRecoveryResult {
    while (hi - lo > tolerance) {
      const mid = 0.5 * (lo + hi);
      const r = evaluate(mid);
      if (r >= target) {
        hi = mid;
        rHi = r;
      } else lo = mid;
    }
    return result(true, hi, rHi);
  }

  function goldenMax(a: number, b: number): void {
    let c = b - GOLDEN * (b - a);
    let d = a + GOLDEN * (b - a);
    let rc = evaluate(c);
    let rd = evaluate(d);
    while (b - a > tolerance) {
      if (rc >= rd) {
        b = d;
        d = c;
        rd = rc;
        c = b - GOLDEN * (b - a);
        rc = evaluate(c);
      } else {
        a = c;
        c = d;
        rc = rd;
        d = a + GOLDEN * (b - a);
        rd = evaluate(d);
      }
    }
  }
}
