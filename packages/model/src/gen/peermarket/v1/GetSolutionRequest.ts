// Original file: peermarket/v1/market_service.proto

import type { SolutionView as _peermarket_v1_SolutionView, SolutionView__Output as _peermarket_v1_SolutionView__Output } from '../../peermarket/v1/SolutionView.js';

export interface GetSolutionRequest {
  'id'?: (string);
  'view'?: (_peermarket_v1_SolutionView);
}

export interface GetSolutionRequest__Output {
  'id': (string);
  'view': (_peermarket_v1_SolutionView__Output);
}
