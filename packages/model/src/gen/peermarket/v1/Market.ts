// Original file: peermarket/v1/market.proto

import type { Agent as _peermarket_v1_Agent, Agent__Output as _peermarket_v1_Agent__Output } from '../../peermarket/v1/Agent.js';
import type { TradingGraph as _peermarket_v1_TradingGraph, TradingGraph__Output as _peermarket_v1_TradingGraph__Output } from '../../peermarket/v1/TradingGraph.js';
import type { TradePair as _peermarket_v1_TradePair, TradePair__Output as _peermarket_v1_TradePair__Output } from '../../peermarket/v1/TradePair.js';
import type { Preference as _peermarket_v1_Preference, Preference__Output as _peermarket_v1_Preference__Output } from '../../peermarket/v1/Preference.js';
import type { Network as _peermarket_v1_Network, Network__Output as _peermarket_v1_Network__Output } from '../../peermarket/v1/Network.js';
import type { NetworkCharges as _peermarket_v1_NetworkCharges, NetworkCharges__Output as _peermarket_v1_NetworkCharges__Output } from '../../peermarket/v1/NetworkCharges.js';
import type { Grid as _peermarket_v1_Grid, Grid__Output as _peermarket_v1_Grid__Output } from '../../peermarket/v1/Grid.js';
import type { Horizon as _peermarket_v1_Horizon, Horizon__Output as _peermarket_v1_Horizon__Output } from '../../peermarket/v1/Horizon.js';

/**
 * A peer-to-peer electricity market: the scenario of one clearing.
 * A scenario file on disk is the proto3 JSON mapping of this message.
 * 
 * Sign convention: power > 0 sells / generates, power < 0 buys / consumes.
 * Units: power in MW (or kW, consistently), prices in currency per MWh (or per kWh).
 */
export interface Market {
  /**
   * Free-form name, used to list and filter stored solutions.
   */
  'name'?: (string);
  'agents'?: (_peermarket_v1_Agent)[];
  /**
   * Unspecified means complete: every agent may trade with every other.
   */
  'tradingGraph'?: (_peermarket_v1_TradingGraph);
  /**
   * The undirected pairs that may trade, for TRADING_GRAPH_EXPLICIT.
   */
  'pairs'?: (_peermarket_v1_TradePair)[];
  /**
   * Product differentiation: extra per-unit costs on some trades.
   */
  'preferences'?: (_peermarket_v1_Preference)[];
  /**
   * Buses, branches and zones used by network charges and line flows.
   * Its `gen` rows are not agents.
   */
  'network'?: (_peermarket_v1_Network | null);
  'charges'?: (_peermarket_v1_NetworkCharges | null);
  /**
   * The retailer / upstream grid as residual balancer.
   */
  'grid'?: (_peermarket_v1_Grid | null);
  /**
   * A market over T periods (a day of 24 hours, 96 quarter-hours, …). Unset: one period of one
   * hour. Every profile below has T values; money in the Solution is in currency over the horizon.
   */
  'horizon'?: (_peermarket_v1_Horizon | null);
}

/**
 * A peer-to-peer electricity market: the scenario of one clearing.
 * A scenario file on disk is the proto3 JSON mapping of this message.
 * 
 * Sign convention: power > 0 sells / generates, power < 0 buys / consumes.
 * Units: power in MW (or kW, consistently), prices in currency per MWh (or per kWh).
 */
export interface Market__Output {
  /**
   * Free-form name, used to list and filter stored solutions.
   */
  'name': (string);
  'agents': (_peermarket_v1_Agent__Output)[];
  /**
   * Unspecified means complete: every agent may trade with every other.
   */
  'tradingGraph': (_peermarket_v1_TradingGraph__Output);
  /**
   * The undirected pairs that may trade, for TRADING_GRAPH_EXPLICIT.
   */
  'pairs': (_peermarket_v1_TradePair__Output)[];
  /**
   * Product differentiation: extra per-unit costs on some trades.
   */
  'preferences': (_peermarket_v1_Preference__Output)[];
  /**
   * Buses, branches and zones used by network charges and line flows.
   * Its `gen` rows are not agents.
   */
  'network': (_peermarket_v1_Network__Output | null);
  'charges': (_peermarket_v1_NetworkCharges__Output | null);
  /**
   * The retailer / upstream grid as residual balancer.
   */
  'grid': (_peermarket_v1_Grid__Output | null);
  /**
   * A market over T periods (a day of 24 hours, 96 quarter-hours, …). Unset: one period of one
   * hour. Every profile below has T values; money in the Solution is in currency over the horizon.
   */
  'horizon': (_peermarket_v1_Horizon__Output | null);
}
