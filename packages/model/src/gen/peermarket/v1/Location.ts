// Original file: peermarket/v1/market.proto


/**
 * A position on a plane, in kilometres.
 */
export interface Location {
  'xKm'?: (number | string);
  'yKm'?: (number | string);
}

/**
 * A position on a plane, in kilometres.
 */
export interface Location__Output {
  'xKm': (number);
  'yKm': (number);
}
