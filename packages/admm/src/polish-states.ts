/**
 * Pair states of polishing (docs/polishing.md), stored on a pair's representative directed trade
 * k (k < mirror[k]) and read from its point of view: no trade, flowing strictly inside its bounds
 * (FWD: p_k > 0, BWD: p_k < 0), or at its upper (AT_HI: p_k = hi_k) or lower (AT_LO) bound.
 */
export const ZERO = 0,
  FWD = 1,
  BWD = 2,
  AT_HI = 3,
  AT_LO = 4;
