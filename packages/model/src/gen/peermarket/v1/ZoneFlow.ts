// Original file: peermarket/v1/network_charges.proto


/**
 * Energy sold from one zone to another.
 */
export interface ZoneFlow {
  'fromZone'?: (string);
  'toZone'?: (string);
  'volume'?: (number | string);
}

/**
 * Energy sold from one zone to another.
 */
export interface ZoneFlow__Output {
  'fromZone': (string);
  'toZone': (string);
  'volume': (number);
}
