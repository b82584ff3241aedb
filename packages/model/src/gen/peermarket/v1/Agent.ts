// Original file: peermarket/v1/market.proto

import type { Location as _peermarket_v1_Location, Location__Output as _peermarket_v1_Location__Output } from '../../peermarket/v1/Location.js';
import type { Storage as _peermarket_v1_Storage, Storage__Output as _peermarket_v1_Storage__Output } from '../../peermarket/v1/Storage.js';

/**
 * One prosumer, producer or consumer.
 * Cost f(p) = ½·cost_quadratic·p² + cost_linear·p; a consumer's marginal value at
 * consumption d = -p is cost_linear - cost_quadratic·d.
 */
export interface Agent {
  /**
   * Unique, non-empty.
   */
  'id'?: (string);
  /**
   * Bus of the network as named in the case ("16"); may be empty without a network.
   */
  'bus'?: (string);
  /**
   * Overrides the zone of the bus when set.
   */
  'zone'?: (string);
  /**
   * a ≥ 0 (currency/MW²h).
   */
  'costQuadratic'?: (number | string);
  /**
   * b (currency/MWh).
   */
  'costLinear'?: (number | string);
  /**
   * Lower bound of p; < 0 means it can consume. May be "-Infinity".
   */
  'powerMin'?: (number | string);
  /**
   * Upper bound of p; > 0 means it can produce. May be "Infinity".
   */
  'powerMax'?: (number | string);
  /**
   * Position, for distance-based preferences.
   */
  'location'?: (_peermarket_v1_Location | null);
  /**
   * Free attributes (technology, co2_intensity, ...), for attribute-based preferences.
   */
  'attributes'?: ({[key: string]: string});
  /**
   * Per-period values (T of them, Market.horizon) overriding the scalars above; empty: the scalar
   * in every period. power_min/power_max bound the agent's own power (without its storage).
   */
  'costQuadraticProfile'?: (number | string)[];
  'costLinearProfile'?: (number | string)[];
  'powerMinProfile'?: (number | string)[];
  'powerMaxProfile'?: (number | string)[];
  /**
   * A battery behind the agent's meter.
   */
  'storage'?: (_peermarket_v1_Storage | null);
}

/**
 * One prosumer, producer or consumer.
 * Cost f(p) = ½·cost_quadratic·p² + cost_linear·p; a consumer's marginal value at
 * consumption d = -p is cost_linear - cost_quadratic·d.
 */
export interface Agent__Output {
  /**
   * Unique, non-empty.
   */
  'id': (string);
  /**
   * Bus of the network as named in the case ("16"); may be empty without a network.
   */
  'bus': (string);
  /**
   * Overrides the zone of the bus when set.
   */
  'zone': (string);
  /**
   * a ≥ 0 (currency/MW²h).
   */
  'costQuadratic': (number);
  /**
   * b (currency/MWh).
   */
  'costLinear': (number);
  /**
   * Lower bound of p; < 0 means it can consume. May be "-Infinity".
   */
  'powerMin': (number);
  /**
   * Upper bound of p; > 0 means it can produce. May be "Infinity".
   */
  'powerMax': (number);
  /**
   * Position, for distance-based preferences.
   */
  'location': (_peermarket_v1_Location__Output | null);
  /**
   * Free attributes (technology, co2_intensity, ...), for attribute-based preferences.
   */
  'attributes': ({[key: string]: string});
  /**
   * Per-period values (T of them, Market.horizon) overriding the scalars above; empty: the scalar
   * in every period. power_min/power_max bound the agent's own power (without its storage).
   */
  'costQuadraticProfile': (number)[];
  'costLinearProfile': (number)[];
  'powerMinProfile': (number)[];
  'powerMaxProfile': (number)[];
  /**
   * A battery behind the agent's meter.
   */
  'storage': (_peermarket_v1_Storage__Output | null);
}
