// Original file: peermarket/v1/solution.proto


/**
 * One agent's outcome.
 */
export interface AgentResult {
  'id'?: (string);
  /**
   * p_n.
   */
  'power'?: (number | string);
  /**
   * f'_n(p_n).
   */
  'marginalPrice'?: (number | string);
  /**
   * f_n(p_n).
   */
  'energyCost'?: (number | string);
  /**
   * Σ_m λ_nm p_nm (negative for a buyer).
   */
  'tradeRevenue'?: (number | string);
  /**
   * What n pays in network charges.
   */
  'networkCharge'?: (number | string);
  'preferenceCost'?: (number | string);
  /**
   * Multi-period markets (Market.horizon): money fields above are totals over the horizon,
   * `power` is the average net power and `marginal_price` the average of the profile below.
   * Per period (T values): net power p_t (own power + discharge − charge), own power g_t, charge
   * c_t and discharge d_t of its storage (MW), stored energy E_t at the end of period t (MWh),
   * and the marginal cost of its own power f'_t(g_t).
   */
  'powerProfile'?: (number | string)[];
  'ownPowerProfile'?: (number | string)[];
  'chargeProfile'?: (number | string)[];
  'dischargeProfile'?: (number | string)[];
  'socProfile'?: (number | string)[];
  'marginalPriceProfile'?: (number | string)[];
  /**
   * Throughput cost of its storage over the horizon.
   */
  'storageCost'?: (number | string);
  /**
   * The storage charged and discharged in the same period (energy then had no value to it).
   */
  'simultaneousChargeDischarge'?: (boolean);
}

/**
 * One agent's outcome.
 */
export interface AgentResult__Output {
  'id': (string);
  /**
   * p_n.
   */
  'power': (number);
  /**
   * f'_n(p_n).
   */
  'marginalPrice': (number);
  /**
   * f_n(p_n).
   */
  'energyCost': (number);
  /**
   * Σ_m λ_nm p_nm (negative for a buyer).
   */
  'tradeRevenue': (number);
  /**
   * What n pays in network charges.
   */
  'networkCharge': (number);
  'preferenceCost': (number);
  /**
   * Multi-period markets (Market.horizon): money fields above are totals over the horizon,
   * `power` is the average net power and `marginal_price` the average of the profile below.
   * Per period (T values): net power p_t (own power + discharge − charge), own power g_t, charge
   * c_t and discharge d_t of its storage (MW), stored energy E_t at the end of period t (MWh),
   * and the marginal cost of its own power f'_t(g_t).
   */
  'powerProfile': (number)[];
  'ownPowerProfile': (number)[];
  'chargeProfile': (number)[];
  'dischargeProfile': (number)[];
  'socProfile': (number)[];
  'marginalPriceProfile': (number)[];
  /**
   * Throughput cost of its storage over the horizon.
   */
  'storageCost': (number);
  /**
   * The storage charged and discharged in the same period (energy then had no value to it).
   */
  'simultaneousChargeDischarge': (boolean);
}
