// Original file: peermarket/v1/market_service.proto


export interface GetNetworkChargesRequest {
  'solutionId'?: (string);
}

export interface GetNetworkChargesRequest__Output {
  'solutionId': (string);
}
