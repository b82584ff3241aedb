// Original file: peermarket/v1/market.proto


/**
 * An extra per-unit cost that agent_id bears on some of its trades (both directions).
 */
export interface Preference {
  'agentId'?: (string);
  /**
   * One partner, or empty: every partner matching the attribute (or every partner).
   */
  'partnerId'?: (string);
  /**
   * With attribute_value: only partners whose attribute matches. Without a value,
   * `cost` is multiplied by the partner's numeric attribute (e.g. co2_intensity).
   */
  'attributeKey'?: (string);
  'attributeValue'?: (string);
  /**
   * currency/MWh; may be negative (a premium) only on trades that go one way.
   */
  'cost'?: (number | string);
  /**
   * Plus this times the distance in km between the two agents' locations.
   */
  'costPerKm'?: (number | string);
}

/**
 * An extra per-unit cost that agent_id bears on some of its trades (both directions).
 */
export interface Preference__Output {
  'agentId': (string);
  /**
   * One partner, or empty: every partner matching the attribute (or every partner).
   */
  'partnerId': (string);
  /**
   * With attribute_value: only partners whose attribute matches. Without a value,
   * `cost` is multiplied by the partner's numeric attribute (e.g. co2_intensity).
   */
  'attributeKey': (string);
  'attributeValue': (string);
  /**
   * currency/MWh; may be negative (a premium) only on trades that go one way.
   */
  'cost': (number);
  /**
   * Plus this times the distance in km between the two agents' locations.
   */
  'costPerKm': (number);
}
