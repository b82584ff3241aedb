// Original file: peermarket/v1/market_service.proto

import type { Trade as _peermarket_v1_Trade, Trade__Output as _peermarket_v1_Trade__Output } from '../../peermarket/v1/Trade.js';

export interface ListSolutionTradesResponse {
  'trades'?: (_peermarket_v1_Trade)[];
  /**
   * Empty on the last page.
   */
  'nextPageToken'?: (string);
  /**
   * Trade entries of the stored solution in all: every pair of the trading graph (with T > 1
   * periods, the (pair, period) entries that carry power, as the stored Solution lists them).
   */
  'totalSize'?: (number);
}

export interface ListSolutionTradesResponse__Output {
  'trades': (_peermarket_v1_Trade__Output)[];
  /**
   * Empty on the last page.
   */
  'nextPageToken': (string);
  /**
   * Trade entries of the stored solution in all: every pair of the trading graph (with T > 1
   * periods, the (pair, period) entries that carry power, as the stored Solution lists them).
   */
  'totalSize': (number);
}
