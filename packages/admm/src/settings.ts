/** Solver settings, named as OSQP names them. */
export interface AdmmSettings {
  /** Initial penalty ρ; 0 (the default) picks one from the market's cost curvature. */
  rho: number;
  /** Absolute tolerance of the primal and dual residuals (∞-norms). */
  epsAbs: number;
  /** Relative tolerance: primal scaled by max|p_nm|, dual by max|λ_nm|. */
  epsRel: number;
  maxIter: number;
  /** Wall-clock limit of the iteration, in seconds; 0 means none. */
  timeLimit: number;
  /** Residual balancing of ρ (OSQP's adaptive_rho). */
  adaptiveRho: boolean;
  /** Check for a ρ update every this many iterations. */
  adaptiveRhoInterval: number;
  /**
   * Update ρ only when the balancing factor leaves [1/t, t]; 0 (the default) picks t: 2 on a
   * market without storage, solved by ADMM alone (polish off) or with trade costs, else 5
   * (`autoRhoTolerance`).
   */
  adaptiveRhoTolerance: number;
  /** Over-relaxation α ∈ (0, 2). */
  alpha: number;
  /** Test the stopping criteria every this many iterations. */
  checkTermination: number;
  /** Factor by which the tolerances are relaxed to call an unfinished solve SOLVED_INACCURATE. */
  inaccurateFactor: number;
  /**
   * Solution polishing (OSQP's `polish`): once the iterate suggests which trades flow, try to
   * compute the exact optimum from that active set (docs/polishing.md); the solve then ends
   * SOLVED with `info.polished`; markets with storage are polished over the whole horizon
   * (polish-storage.ts).
   */
  polish: boolean;
}

/**
 * Defaults. The tolerances are mostly relative (eps_rel = 1e-6 of the largest trade and price),
 * so that a market gets the same accuracy in kW as in MW; measured on the test markets, they put
 * the objective within about 1e-6 (relative) of the centralized optimum at a modest iteration cost.
 */
export const defaultSettings: Readonly<AdmmSettings> = Object.freeze({
  rho: 0,
  epsAbs: 1e-8,
  epsRel: 1e-6,
  maxIter: 10_000,
  timeLimit: 0,
  adaptiveRho: true,
  adaptiveRhoInterval: 10,
  adaptiveRhoTolerance: 0,
  alpha: 1.6,
  checkTermination: 1,
  inaccurateFactor: 10,
  polish: true,
});

/** The automatic balancing tolerance never widens past OSQP's. */
export const RHO_TOLERANCE_WIDEST = 5;

/**
 * The balancing tolerance `adaptiveRhoTolerance` 0 stands for (docs/admm.md, "Choosing t").
 * OSQP's 5 keeps ρ updates rare because each one refactorises its KKT matrix; here an update costs
 * nothing (the local solves are exact for any ρ), and ADMM alone (polish off, as in a negotiation)
 * on a market without storage starts at 2: up to 2.4× fewer iterations to 1e-4 on the benchmarks'
 * single-period markets (one of 67 took more: 66 → 77). It widens (×2, at most 5), and the update
 * takes half its step (in log), each time ρ would turn back: residual balancing that overshoots on
 * a degenerate market (agents without costs) otherwise oscillated and, there, did not converge.
 * A polished solve of a market whose trades cost (`costs`: preferences, network charges, per-pair
 * costs) starts at 2 too: ADMM then sorts out which pairs trade sooner, the rounds and the
 * finisher find the optimum earlier (the 10 000-member community with preferences: exact at
 * iteration 1 426 in 27 s instead of 1 601 in 35–44 s). A polished solve of a market whose trades
 * cost nothing ends when the rounds find its active set, before balancing matters, except at
 * 100 000 members, where 2 took 52 iterations instead of 42; and days with batteries converged
 * worse at 1.5: both keep 5.
 */
export function autoRhoTolerance(polish: boolean, storage: boolean, costs: boolean): number {
  return storage || (polish && !costs) ? RHO_TOLERANCE_WIDEST : 2;
}

/** A solver setting out of its range: bad input from whoever chose the settings (a RangeError, named). */
export class SettingError extends RangeError {
  override readonly name = "SettingError";
}

/** Merges partial settings over the defaults and checks their ranges; throws a SettingError naming the setting. */
export function resolveSettings(partial: Partial<AdmmSettings> = {}): AdmmSettings {
  const s: AdmmSettings = { ...defaultSettings };
  for (const [key, value] of Object.entries(partial) as [keyof AdmmSettings, unknown][]) {
    if (value !== undefined) (s as unknown as Record<string, unknown>)[key] = value;
  }
  const positive = (name: keyof AdmmSettings, allowZero = false) => {
    const v = s[name] as number;
    if (typeof v !== "number" || !Number.isFinite(v) || v < 0 || (!allowZero && v === 0)) {
      throw new SettingError(
        `${settingName(name)} must be a finite number ${allowZero ? "≥ 0" : "> 0"}, got ${String(v)}`,
      );
    }
  };
  positive("rho", true);
  if (s.rho > 1e100) throw new SettingError(`rho must be at most 1e100, got ${s.rho}`);
  positive("epsAbs", true);
  positive("epsRel", true);
  positive("timeLimit", true);
  positive("adaptiveRhoTolerance", true);
  positive("inaccurateFactor");
  if (s.epsAbs === 0 && s.epsRel === 0) throw new SettingError("eps_abs and eps_rel cannot both be 0");
  for (const name of ["maxIter", "adaptiveRhoInterval", "checkTermination"] as const) {
    if (!Number.isInteger(s[name]) || s[name] < 1)
      throw new SettingError(`${settingName(name)} must be an integer ≥ 1, got ${String(s[name])}`);
  }
  if (!(s.alpha > 0 && s.alpha < 2)) throw new SettingError(`alpha must be in (0, 2), got ${String(s.alpha)}`);
  if (typeof s.adaptiveRho !== "boolean") throw new SettingError("adaptive_rho must be a boolean");
  if (typeof s.polish !== "boolean") throw new SettingError("polish must be a boolean");
  return s;
}

/** The OSQP-style snake_case name of a setting, for messages. */
export function settingName(key: keyof AdmmSettings): string {
  return key.replace(/[A-Z]/g, (c) => "_" + c.toLowerCase());
}
