// Original file: peermarket/v1/market_service.proto


export interface ListSolutionTradesRequest {
  /**
   * The stored solution.
   */
  'solutionId'?: (string);
  /**
   * At most this many trades (default 10 000, at most 100 000).
   */
  'pageSize'?: (number);
  /**
   * From a previous response's next_page_token.
   */
  'pageToken'?: (string);
}

export interface ListSolutionTradesRequest__Output {
  /**
   * The stored solution.
   */
  'solutionId': (string);
  /**
   * At most this many trades (default 10 000, at most 100 000).
   */
  'pageSize': (number);
  /**
   * From a previous response's next_page_token.
   */
  'pageToken': (string);
}
