// Original file: peermarket/v1/network_charges.proto


/**
 * One period of a multi-period report.
 */
export interface PeriodCharges {
  'period'?: (number);
  /**
   * RFC 3339 start of the period ("" when the horizon has no start time).
   */
  'startTime'?: (string);
  /**
   * The unit fee charged in the period (time-of-use fees).
   */
  'unitFee'?: (number | string);
  /**
   * Charges collected in the period (currency).
   */
  'totalCollected'?: (number | string);
  /**
   * Energy traded, and traded between agents of different zones, in the period (MWh).
   */
  'tradedEnergy'?: (number | string);
  'interZoneEnergy'?: (number | string);
  /**
   * Largest |flow| / rate_a of the period, and the indexes (into `lines`) overloaded in it.
   */
  'maxLoading'?: (number | string);
  'overloadedLines'?: (number)[];
}

/**
 * One period of a multi-period report.
 */
export interface PeriodCharges__Output {
  'period': (number);
  /**
   * RFC 3339 start of the period ("" when the horizon has no start time).
   */
  'startTime': (string);
  /**
   * The unit fee charged in the period (time-of-use fees).
   */
  'unitFee': (number);
  /**
   * Charges collected in the period (currency).
   */
  'totalCollected': (number);
  /**
   * Energy traded, and traded between agents of different zones, in the period (MWh).
   */
  'tradedEnergy': (number);
  'interZoneEnergy': (number);
  /**
   * Largest |flow| / rate_a of the period, and the indexes (into `lines`) overloaded in it.
   */
  'maxLoading': (number);
  'overloadedLines': (number)[];
}
