// Original file: peermarket/v1/mechanisms.proto

import type { Market as _peermarket_v1_Market, Market__Output as _peermarket_v1_Market__Output } from '../../peermarket/v1/Market.js';
import type { SolverSettings as _peermarket_v1_SolverSettings, SolverSettings__Output as _peermarket_v1_SolverSettings__Output } from '../../peermarket/v1/SolverSettings.js';

export interface CompareMechanismsRequest {
  /**
   * The community's market; it must have a grid (the members' outside option).
   */
  'market'?: (_peermarket_v1_Market | null);
  /**
   * Settings of the market's clearing; unset tolerances default to eps_abs 1e-9, eps_rel 1e-8.
   */
  'settings'?: (_peermarket_v1_SolverSettings | null);
  /**
   * Enumerate every coalition up to this many members (default 16, at most 16); search beyond.
   */
  'exactLimit'?: (number);
  /**
   * Coalitions cleared per rule by the search (default 60).
   */
  'searchBudget'?: (number);
  /**
   * Seed of the search (default 1).
   */
  'seed'?: (number);
  /**
   * Skip the core test (individual rationality is always checked).
   */
  'skipCore'?: (boolean);
  /**
   * Seconds of search per rule (default 60; the service's time limit bounds the whole call).
   */
  'searchTimeLimitS'?: (number | string);
  '_exactLimit'?: "exactLimit";
  '_searchBudget'?: "searchBudget";
  '_searchTimeLimitS'?: "searchTimeLimitS";
}

export interface CompareMechanismsRequest__Output {
  /**
   * The community's market; it must have a grid (the members' outside option).
   */
  'market': (_peermarket_v1_Market__Output | null);
  /**
   * Settings of the market's clearing; unset tolerances default to eps_abs 1e-9, eps_rel 1e-8.
   */
  'settings': (_peermarket_v1_SolverSettings__Output | null);
  /**
   * Enumerate every coalition up to this many members (default 16, at most 16); search beyond.
   */
  'exactLimit'?: (number);
  /**
   * Coalitions cleared per rule by the search (default 60).
   */
  'searchBudget'?: (number);
  /**
   * Seed of the search (default 1).
   */
  'seed': (number);
  /**
   * Skip the core test (individual rationality is always checked).
   */
  'skipCore': (boolean);
  /**
   * Seconds of search per rule (default 60; the service's time limit bounds the whole call).
   */
  'searchTimeLimitS'?: (number);
  '_exactLimit'?: "exactLimit";
  '_searchBudget'?: "searchBudget";
  '_searchTimeLimitS'?: "searchTimeLimitS";
}
