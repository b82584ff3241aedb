// Original file: peermarket/v1/market_service.proto

import type { Market as _peermarket_v1_Market, Market__Output as _peermarket_v1_Market__Output } from '../../peermarket/v1/Market.js';
import type { SolverSettings as _peermarket_v1_SolverSettings, SolverSettings__Output as _peermarket_v1_SolverSettings__Output } from '../../peermarket/v1/SolverSettings.js';

export interface SolveMarketRequest {
  'market'?: (_peermarket_v1_Market | null);
  'settings'?: (_peermarket_v1_SolverSettings | null);
  /**
   * Emit a progress event every this many iterations (StreamSolveMarket; default 10).
   */
  'progressInterval'?: (number);
}

export interface SolveMarketRequest__Output {
  'market': (_peermarket_v1_Market__Output | null);
  'settings': (_peermarket_v1_SolverSettings__Output | null);
  /**
   * Emit a progress event every this many iterations (StreamSolveMarket; default 10).
   */
  'progressInterval': (number);
}
