// Original file: peermarket/v1/network_charges.proto


/**
 * Totals of one zone.
 */
export interface ZoneTotal {
  'zone'?: (string);
  /**
   * Charges paid by the zone's agents.
   */
  'charges'?: (number | string);
  /**
   * Energy traded between agents of the zone.
   */
  'internalVolume'?: (number | string);
  /**
   * Energy sold to, and bought from, other zones.
   */
  'exports'?: (number | string);
  'imports'?: (number | string);
}

/**
 * Totals of one zone.
 */
export interface ZoneTotal__Output {
  'zone': (string);
  /**
   * Charges paid by the zone's agents.
   */
  'charges': (number);
  /**
   * Energy traded between agents of the zone.
   */
  'internalVolume': (number);
  /**
   * Energy sold to, and bought from, other zones.
   */
  'exports': (number);
  'imports': (number);
}
