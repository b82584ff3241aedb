// Original file: peermarket/v1/market_service.proto

import type { SolutionView as _peermarket_v1_SolutionView, SolutionView__Output as _peermarket_v1_SolutionView__Output } from '../../peermarket/v1/SolutionView.js';

export interface ListSolutionsRequest {
  /**
   * At most this many (default 50, at most 1000).
   */
  'pageSize'?: (number);
  /**
   * From a previous response's next_page_token.
   */
  'pageToken'?: (string);
  /**
   * Only solutions of markets with this name.
   */
  'marketName'?: (string);
  'view'?: (_peermarket_v1_SolutionView);
}

export interface ListSolutionsRequest__Output {
  /**
   * At most this many (default 50, at most 1000).
   */
  'pageSize': (number);
  /**
   * From a previous response's next_page_token.
   */
  'pageToken': (string);
  /**
   * Only solutions of markets with this name.
   */
  'marketName': (string);
  'view': (_peermarket_v1_SolutionView__Output);
}
