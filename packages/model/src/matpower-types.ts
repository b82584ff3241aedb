/**
 * A parsed MATPOWER case (format version 2). Matrices keep MATPOWER's column order (1-based in
 * MATPOWER's documentation, 0-based here: see the column constants). Unit conversions written as
 * MATLAB code after the matrices (the Baran–Wu feeders' ohms → p.u. and kW → MW) are applied.
 */
export interface MatpowerCase {
  /** The function name of the case (`function mpc = case39` → "case39"). */
  name: string;
  baseMVA: number;
  bus: number[][];
  gen: number[][];
  branch: number[][];
  /** Empty when the case has no costs. */
  gencost: number[][];
  /** Any other numeric matrix assigned as `mpc.<name> = [...]` (e.g. `genpos`, `bus_add`). */
  extra: Record<string, number[][]>;
}

/** Bus matrix columns (0-based). */
export const BUS_I = 0,
  BUS_TYPE = 1,
  PD = 2,
  QD = 3,
  GS = 4,
  BS = 5,
  BUS_AREA = 6,
  VM = 7,
  VA = 8,
  BASE_KV = 9,
  ZONE = 10;
/** Gen matrix columns (0-based). */
export const GEN_BUS = 0,
  PG = 1,
  QG = 2,
  QMAX = 3,
  QMIN = 4,
  VG = 5,
  MBASE = 6,
  GEN_STATUS = 7,
  PMAX = 8,
  PMIN = 9;
/** Branch matrix columns (0-based). */
export const F_BUS = 0,
  T_BUS = 1,
  BR_R = 2,
  BR_X = 3,
  BR_B = 4,
  RATE_A = 5,
  RATE_B = 6,
  RATE_C = 7,
  TAP = 8,
  SHIFT = 9,
  BR_STATUS = 10;
/** Gencost columns (0-based): MODEL (1 piecewise linear, 2 polynomial), STARTUP, SHUTDOWN, NCOST, then coefficients. */
export const MODEL = 0,
  STARTUP = 1,
  SHUTDOWN = 2,
  NCOST = 3,
  COST = 4;
