// Original file: peermarket/v1/market_service.proto

import type { Solution as _peermarket_v1_Solution, Solution__Output as _peermarket_v1_Solution__Output } from '../../peermarket/v1/Solution.js';

export interface ListSolutionsResponse {
  'solutions'?: (_peermarket_v1_Solution)[];
  /**
   * Empty on the last page.
   */
  'nextPageToken'?: (string);
}

export interface ListSolutionsResponse__Output {
  'solutions': (_peermarket_v1_Solution__Output)[];
  /**
   * Empty on the last page.
   */
  'nextPageToken': (string);
}
