// Original file: peermarket/v1/market.proto


/**
 * The retailer / upstream grid: sells to the community at import_price, buys at export_price.
 * It is modelled as two agents with linear costs, "grid_import" and "grid_export", that trade
 * with every other agent.
 */
export interface Grid {
  'bus'?: (string);
  'importPrice'?: (number | string);
  'exportPrice'?: (number | string);
  'importMax'?: (number | string);
  'exportMax'?: (number | string);
  /**
   * Per-period values (T of them, Market.horizon) overriding the scalars above; empty: the scalar
   * in every period. A limit may be "Infinity".
   */
  'importPriceProfile'?: (number | string)[];
  'exportPriceProfile'?: (number | string)[];
  'importMaxProfile'?: (number | string)[];
  'exportMaxProfile'?: (number | string)[];
  '_importMax'?: "importMax";
  '_exportMax'?: "exportMax";
}

/**
 * The retailer / upstream grid: sells to the community at import_price, buys at export_price.
 * It is modelled as two agents with linear costs, "grid_import" and "grid_export", that trade
 * with every other agent.
 */
export interface Grid__Output {
  'bus': (string);
  'importPrice': (number);
  'exportPrice': (number);
  'importMax'?: (number);
  'exportMax'?: (number);
  /**
   * Per-period values (T of them, Market.horizon) overriding the scalars above; empty: the scalar
   * in every period. A limit may be "Infinity".
   */
  'importPriceProfile': (number)[];
  'exportPriceProfile': (number)[];
  'importMaxProfile': (number)[];
  'exportMaxProfile': (number)[];
  '_importMax'?: "importMax";
  '_exportMax'?: "exportMax";
}
