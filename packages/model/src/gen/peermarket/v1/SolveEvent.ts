// Original file: peermarket/v1/market_service.proto

import type { SolveProgress as _peermarket_v1_SolveProgress, SolveProgress__Output as _peermarket_v1_SolveProgress__Output } from '../../peermarket/v1/SolveProgress.js';
import type { Solution as _peermarket_v1_Solution, Solution__Output as _peermarket_v1_Solution__Output } from '../../peermarket/v1/Solution.js';

/**
 * One event of StreamSolveMarket.
 */
export interface SolveEvent {
  'progress'?: (_peermarket_v1_SolveProgress | null);
  'solution'?: (_peermarket_v1_Solution | null);
  'event'?: "progress"|"solution";
}

/**
 * One event of StreamSolveMarket.
 */
export interface SolveEvent__Output {
  'progress'?: (_peermarket_v1_SolveProgress__Output | null);
  'solution'?: (_peermarket_v1_Solution__Output | null);
  'event'?: "progress"|"solution";
}
