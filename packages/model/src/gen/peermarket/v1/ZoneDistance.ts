// Original file: peermarket/v1/market.proto


/**
 * A distance between two zones, for CHARGE_DESIGN_ZONAL.
 */
export interface ZoneDistance {
  'zoneA'?: (string);
  'zoneB'?: (string);
  'distance'?: (number | string);
}

/**
 * A distance between two zones, for CHARGE_DESIGN_ZONAL.
 */
export interface ZoneDistance__Output {
  'zoneA': (string);
  'zoneB': (string);
  'distance': (number);
}
