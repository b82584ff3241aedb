// Original file: peermarket/v1/solution.proto


/**
 * The community's outcome in one period of a multi-period market.
 */
export interface PeriodResult {
  'period'?: (number);
  /**
   * Power bought from and sold to the grid (MW, ≥ 0).
   */
  'gridImport'?: (number | string);
  'gridExport'?: (number | string);
  /**
   * Network charges collected in the period (currency).
   */
  'networkRevenue'?: (number | string);
  /**
   * Lowest and highest price of the trades that carry power in the period (currency/MWh; 0 when none).
   */
  'priceMin'?: (number | string);
  'priceMax'?: (number | string);
  /**
   * Energy traded between members, grid excluded (MWh).
   */
  'tradedEnergy'?: (number | string);
  /**
   * RFC 3339 start of the period, from Market.horizon.start_time (empty when unset).
   */
  'startTime'?: (string);
}

/**
 * The community's outcome in one period of a multi-period market.
 */
export interface PeriodResult__Output {
  'period': (number);
  /**
   * Power bought from and sold to the grid (MW, ≥ 0).
   */
  'gridImport': (number);
  'gridExport': (number);
  /**
   * Network charges collected in the period (currency).
   */
  'networkRevenue': (number);
  /**
   * Lowest and highest price of the trades that carry power in the period (currency/MWh; 0 when none).
   */
  'priceMin': (number);
  'priceMax': (number);
  /**
   * Energy traded between members, grid excluded (MWh).
   */
  'tradedEnergy': (number);
  /**
   * RFC 3339 start of the period, from Market.horizon.start_time (empty when unset).
   */
  'startTime': (string);
}
