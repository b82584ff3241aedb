// Original file: peermarket/v1/market_service.proto


export interface GetComparisonRequest {
  /**
   * The id CompareMechanisms returned ("cmp_...").
   */
  'id'?: (string);
}

export interface GetComparisonRequest__Output {
  /**
   * The id CompareMechanisms returned ("cmp_...").
   */
  'id': (string);
}
