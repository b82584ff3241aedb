// Original file: peermarket/v1/market_service.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { CompareMechanismsRequest as _peermarket_v1_CompareMechanismsRequest, CompareMechanismsRequest__Output as _peermarket_v1_CompareMechanismsRequest__Output } from '../../peermarket/v1/CompareMechanismsRequest.js';
import type { CompareMechanismsResponse as _peermarket_v1_CompareMechanismsResponse, CompareMechanismsResponse__Output as _peermarket_v1_CompareMechanismsResponse__Output } from '../../peermarket/v1/CompareMechanismsResponse.js';
import type { GetComparisonRequest as _peermarket_v1_GetComparisonRequest, GetComparisonRequest__Output as _peermarket_v1_GetComparisonRequest__Output } from '../../peermarket/v1/GetComparisonRequest.js';
import type { GetNetworkChargesRequest as _peermarket_v1_GetNetworkChargesRequest, GetNetworkChargesRequest__Output as _peermarket_v1_GetNetworkChargesRequest__Output } from '../../peermarket/v1/GetNetworkChargesRequest.js';
import type { GetSolutionRequest as _peermarket_v1_GetSolutionRequest, GetSolutionRequest__Output as _peermarket_v1_GetSolutionRequest__Output } from '../../peermarket/v1/GetSolutionRequest.js';
import type { ListSolutionTradesRequest as _peermarket_v1_ListSolutionTradesRequest, ListSolutionTradesRequest__Output as _peermarket_v1_ListSolutionTradesRequest__Output } from '../../peermarket/v1/ListSolutionTradesRequest.js';
import type { ListSolutionTradesResponse as _peermarket_v1_ListSolutionTradesResponse, ListSolutionTradesResponse__Output as _peermarket_v1_ListSolutionTradesResponse__Output } from '../../peermarket/v1/ListSolutionTradesResponse.js';
import type { ListSolutionsRequest as _peermarket_v1_ListSolutionsRequest, ListSolutionsRequest__Output as _peermarket_v1_ListSolutionsRequest__Output } from '../../peermarket/v1/ListSolutionsRequest.js';
import type { ListSolutionsResponse as _peermarket_v1_ListSolutionsResponse, ListSolutionsResponse__Output as _peermarket_v1_ListSolutionsResponse__Output } from '../../peermarket/v1/ListSolutionsResponse.js';
import type { NetworkChargeReport as _peermarket_v1_NetworkChargeReport, NetworkChargeReport__Output as _peermarket_v1_NetworkChargeReport__Output } from '../../peermarket/v1/NetworkChargeReport.js';
import type { Solution as _peermarket_v1_Solution, Solution__Output as _peermarket_v1_Solution__Output } from '../../peermarket/v1/Solution.js';
import type { SolveEvent as _peermarket_v1_SolveEvent, SolveEvent__Output as _peermarket_v1_SolveEvent__Output } from '../../peermarket/v1/SolveEvent.js';
import type { SolveMarketRequest as _peermarket_v1_SolveMarketRequest, SolveMarketRequest__Output as _peermarket_v1_SolveMarketRequest__Output } from '../../peermarket/v1/SolveMarketRequest.js';

/**
 * Clears peer-to-peer electricity markets and keeps their solutions.
 */
export interface MarketServiceClient extends grpc.Client {
  /**
   * Community pricing rules side by side on the market's cleared schedule, and whether members
   * or coalitions would leave (docs/mechanisms.md). Stored, with the caller's tenant.
   */
  CompareMechanisms(argument: _peermarket_v1_CompareMechanismsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_peermarket_v1_CompareMechanismsResponse__Output>): grpc.ClientUnaryCall;
  CompareMechanisms(argument: _peermarket_v1_CompareMechanismsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_peermarket_v1_CompareMechanismsResponse__Output>): grpc.ClientUnaryCall;
  CompareMechanisms(argument: _peermarket_v1_CompareMechanismsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_peermarket_v1_CompareMechanismsResponse__Output>): grpc.ClientUnaryCall;
  CompareMechanisms(argument: _peermarket_v1_CompareMechanismsRequest, callback: grpc.requestCallback<_peermarket_v1_CompareMechanismsResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Community pricing rules side by side on the market's cleared schedule, and whether members
   * or coalitions would leave (docs/mechanisms.md). Stored, with the caller's tenant.
   */
  compareMechanisms(argument: _peermarket_v1_CompareMechanismsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_peermarket_v1_CompareMechanismsResponse__Output>): grpc.ClientUnaryCall;
  compareMechanisms(argument: _peermarket_v1_CompareMechanismsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_peermarket_v1_CompareMechanismsResponse__Output>): grpc.ClientUnaryCall;
  compareMechanisms(argument: _peermarket_v1_CompareMechanismsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_peermarket_v1_CompareMechanismsResponse__Output>): grpc.ClientUnaryCall;
  compareMechanisms(argument: _peermarket_v1_CompareMechanismsRequest, callback: grpc.requestCallback<_peermarket_v1_CompareMechanismsResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * A stored comparison by id.
   */
  GetComparison(argument: _peermarket_v1_GetComparisonRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_peermarket_v1_CompareMechanismsResponse__Output>): grpc.ClientUnaryCall;
  GetComparison(argument: _peermarket_v1_GetComparisonRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_peermarket_v1_CompareMechanismsResponse__Output>): grpc.ClientUnaryCall;
  GetComparison(argument: _peermarket_v1_GetComparisonRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_peermarket_v1_CompareMechanismsResponse__Output>): grpc.ClientUnaryCall;
  GetComparison(argument: _peermarket_v1_GetComparisonRequest, callback: grpc.requestCallback<_peermarket_v1_CompareMechanismsResponse__Output>): grpc.ClientUnaryCall;
  /**
   * A stored comparison by id.
   */
  getComparison(argument: _peermarket_v1_GetComparisonRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_peermarket_v1_CompareMechanismsResponse__Output>): grpc.ClientUnaryCall;
  getComparison(argument: _peermarket_v1_GetComparisonRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_peermarket_v1_CompareMechanismsResponse__Output>): grpc.ClientUnaryCall;
  getComparison(argument: _peermarket_v1_GetComparisonRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_peermarket_v1_CompareMechanismsResponse__Output>): grpc.ClientUnaryCall;
  getComparison(argument: _peermarket_v1_GetComparisonRequest, callback: grpc.requestCallback<_peermarket_v1_CompareMechanismsResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * The DSO view of a stored solution: charges and line flows.
   */
  GetNetworkCharges(argument: _peermarket_v1_GetNetworkChargesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_peermarket_v1_NetworkChargeReport__Output>): grpc.ClientUnaryCall;
  GetNetworkCharges(argument: _peermarket_v1_GetNetworkChargesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_peermarket_v1_NetworkChargeReport__Output>): grpc.ClientUnaryCall;
  GetNetworkCharges(argument: _peermarket_v1_GetNetworkChargesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_peermarket_v1_NetworkChargeReport__Output>): grpc.ClientUnaryCall;
  GetNetworkCharges(argument: _peermarket_v1_GetNetworkChargesRequest, callback: grpc.requestCallback<_peermarket_v1_NetworkChargeReport__Output>): grpc.ClientUnaryCall;
  /**
   * The DSO view of a stored solution: charges and line flows.
   */
  getNetworkCharges(argument: _peermarket_v1_GetNetworkChargesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_peermarket_v1_NetworkChargeReport__Output>): grpc.ClientUnaryCall;
  getNetworkCharges(argument: _peermarket_v1_GetNetworkChargesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_peermarket_v1_NetworkChargeReport__Output>): grpc.ClientUnaryCall;
  getNetworkCharges(argument: _peermarket_v1_GetNetworkChargesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_peermarket_v1_NetworkChargeReport__Output>): grpc.ClientUnaryCall;
  getNetworkCharges(argument: _peermarket_v1_GetNetworkChargesRequest, callback: grpc.requestCallback<_peermarket_v1_NetworkChargeReport__Output>): grpc.ClientUnaryCall;
  
  /**
   * A stored solution by id.
   */
  GetSolution(argument: _peermarket_v1_GetSolutionRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_peermarket_v1_Solution__Output>): grpc.ClientUnaryCall;
  GetSolution(argument: _peermarket_v1_GetSolutionRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_peermarket_v1_Solution__Output>): grpc.ClientUnaryCall;
  GetSolution(argument: _peermarket_v1_GetSolutionRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_peermarket_v1_Solution__Output>): grpc.ClientUnaryCall;
  GetSolution(argument: _peermarket_v1_GetSolutionRequest, callback: grpc.requestCallback<_peermarket_v1_Solution__Output>): grpc.ClientUnaryCall;
  /**
   * A stored solution by id.
   */
  getSolution(argument: _peermarket_v1_GetSolutionRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_peermarket_v1_Solution__Output>): grpc.ClientUnaryCall;
  getSolution(argument: _peermarket_v1_GetSolutionRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_peermarket_v1_Solution__Output>): grpc.ClientUnaryCall;
  getSolution(argument: _peermarket_v1_GetSolutionRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_peermarket_v1_Solution__Output>): grpc.ClientUnaryCall;
  getSolution(argument: _peermarket_v1_GetSolutionRequest, callback: grpc.requestCallback<_peermarket_v1_Solution__Output>): grpc.ClientUnaryCall;
  
  /**
   * Every trade entry of a stored solution, in pages, in the order of Solution.trades: for
   * solutions too large for one message (Solution.trades_truncated), whose replies list only the
   * trades that carry power.
   */
  ListSolutionTrades(argument: _peermarket_v1_ListSolutionTradesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_peermarket_v1_ListSolutionTradesResponse__Output>): grpc.ClientUnaryCall;
  ListSolutionTrades(argument: _peermarket_v1_ListSolutionTradesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_peermarket_v1_ListSolutionTradesResponse__Output>): grpc.ClientUnaryCall;
  ListSolutionTrades(argument: _peermarket_v1_ListSolutionTradesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_peermarket_v1_ListSolutionTradesResponse__Output>): grpc.ClientUnaryCall;
  ListSolutionTrades(argument: _peermarket_v1_ListSolutionTradesRequest, callback: grpc.requestCallback<_peermarket_v1_ListSolutionTradesResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Every trade entry of a stored solution, in pages, in the order of Solution.trades: for
   * solutions too large for one message (Solution.trades_truncated), whose replies list only the
   * trades that carry power.
   */
  listSolutionTrades(argument: _peermarket_v1_ListSolutionTradesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_peermarket_v1_ListSolutionTradesResponse__Output>): grpc.ClientUnaryCall;
  listSolutionTrades(argument: _peermarket_v1_ListSolutionTradesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_peermarket_v1_ListSolutionTradesResponse__Output>): grpc.ClientUnaryCall;
  listSolutionTrades(argument: _peermarket_v1_ListSolutionTradesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_peermarket_v1_ListSolutionTradesResponse__Output>): grpc.ClientUnaryCall;
  listSolutionTrades(argument: _peermarket_v1_ListSolutionTradesRequest, callback: grpc.requestCallback<_peermarket_v1_ListSolutionTradesResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Stored solutions, newest first.
   */
  ListSolutions(argument: _peermarket_v1_ListSolutionsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_peermarket_v1_ListSolutionsResponse__Output>): grpc.ClientUnaryCall;
  ListSolutions(argument: _peermarket_v1_ListSolutionsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_peermarket_v1_ListSolutionsResponse__Output>): grpc.ClientUnaryCall;
  ListSolutions(argument: _peermarket_v1_ListSolutionsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_peermarket_v1_ListSolutionsResponse__Output>): grpc.ClientUnaryCall;
  ListSolutions(argument: _peermarket_v1_ListSolutionsRequest, callback: grpc.requestCallback<_peermarket_v1_ListSolutionsResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Stored solutions, newest first.
   */
  listSolutions(argument: _peermarket_v1_ListSolutionsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_peermarket_v1_ListSolutionsResponse__Output>): grpc.ClientUnaryCall;
  listSolutions(argument: _peermarket_v1_ListSolutionsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_peermarket_v1_ListSolutionsResponse__Output>): grpc.ClientUnaryCall;
  listSolutions(argument: _peermarket_v1_ListSolutionsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_peermarket_v1_ListSolutionsResponse__Output>): grpc.ClientUnaryCall;
  listSolutions(argument: _peermarket_v1_ListSolutionsRequest, callback: grpc.requestCallback<_peermarket_v1_ListSolutionsResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Clears a market. Honours deadlines and cancellation.
   */
  SolveMarket(argument: _peermarket_v1_SolveMarketRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_peermarket_v1_Solution__Output>): grpc.ClientUnaryCall;
  SolveMarket(argument: _peermarket_v1_SolveMarketRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_peermarket_v1_Solution__Output>): grpc.ClientUnaryCall;
  SolveMarket(argument: _peermarket_v1_SolveMarketRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_peermarket_v1_Solution__Output>): grpc.ClientUnaryCall;
  SolveMarket(argument: _peermarket_v1_SolveMarketRequest, callback: grpc.requestCallback<_peermarket_v1_Solution__Output>): grpc.ClientUnaryCall;
  /**
   * Clears a market. Honours deadlines and cancellation.
   */
  solveMarket(argument: _peermarket_v1_SolveMarketRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_peermarket_v1_Solution__Output>): grpc.ClientUnaryCall;
  solveMarket(argument: _peermarket_v1_SolveMarketRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_peermarket_v1_Solution__Output>): grpc.ClientUnaryCall;
  solveMarket(argument: _peermarket_v1_SolveMarketRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_peermarket_v1_Solution__Output>): grpc.ClientUnaryCall;
  solveMarket(argument: _peermarket_v1_SolveMarketRequest, callback: grpc.requestCallback<_peermarket_v1_Solution__Output>): grpc.ClientUnaryCall;
  
  /**
   * Clears a market, streaming progress; the last event holds the Solution.
   */
  StreamSolveMarket(argument: _peermarket_v1_SolveMarketRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_peermarket_v1_SolveEvent__Output>;
  StreamSolveMarket(argument: _peermarket_v1_SolveMarketRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_peermarket_v1_SolveEvent__Output>;
  /**
   * Clears a market, streaming progress; the last event holds the Solution.
   */
  streamSolveMarket(argument: _peermarket_v1_SolveMarketRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_peermarket_v1_SolveEvent__Output>;
  streamSolveMarket(argument: _peermarket_v1_SolveMarketRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_peermarket_v1_SolveEvent__Output>;
  
}

/**
 * Clears peer-to-peer electricity markets and keeps their solutions.
 */
export interface MarketServiceHandlers extends grpc.UntypedServiceImplementation {
  /**
   * Community pricing rules side by side on the market's cleared schedule, and whether members
   * or coalitions would leave (docs/mechanisms.md). Stored, with the caller's tenant.
   */
  CompareMechanisms: grpc.handleUnaryCall<_peermarket_v1_CompareMechanismsRequest__Output, _peermarket_v1_CompareMechanismsResponse>;
  
  /**
   * A stored comparison by id.
   */
  GetComparison: grpc.handleUnaryCall<_peermarket_v1_GetComparisonRequest__Output, _peermarket_v1_CompareMechanismsResponse>;
  
  /**
   * The DSO view of a stored solution: charges and line flows.
   */
  GetNetworkCharges: grpc.handleUnaryCall<_peermarket_v1_GetNetworkChargesRequest__Output, _peermarket_v1_NetworkChargeReport>;
  
  /**
   * A stored solution by id.
   */
  GetSolution: grpc.handleUnaryCall<_peermarket_v1_GetSolutionRequest__Output, _peermarket_v1_Solution>;
  
  /**
   * Every trade entry of a stored solution, in pages, in the order of Solution.trades: for
   * solutions too large for one message (Solution.trades_truncated), whose replies list only the
   * trades that carry power.
   */
  ListSolutionTrades: grpc.handleUnaryCall<_peermarket_v1_ListSolutionTradesRequest__Output, _peermarket_v1_ListSolutionTradesResponse>;
  
  /**
   * Stored solutions, newest first.
   */
  ListSolutions: grpc.handleUnaryCall<_peermarket_v1_ListSolutionsRequest__Output, _peermarket_v1_ListSolutionsResponse>;
  
  /**
   * Clears a market. Honours deadlines and cancellation.
   */
  SolveMarket: grpc.handleUnaryCall<_peermarket_v1_SolveMarketRequest__Output, _peermarket_v1_Solution>;
  
  /**
   * Clears a market, streaming progress; the last event holds the Solution.
   */
  StreamSolveMarket: grpc.handleServerStreamingCall<_peermarket_v1_SolveMarketRequest__Output, _peermarket_v1_SolveEvent>;
  
}

export interface MarketServiceDefinition extends grpc.ServiceDefinition {
  CompareMechanisms: MethodDefinition<_peermarket_v1_CompareMechanismsRequest, _peermarket_v1_CompareMechanismsResponse, _peermarket_v1_CompareMechanismsRequest__Output, _peermarket_v1_CompareMechanismsResponse__Output>
  GetComparison: MethodDefinition<_peermarket_v1_GetComparisonRequest, _peermarket_v1_CompareMechanismsResponse, _peermarket_v1_GetComparisonRequest__Output, _peermarket_v1_CompareMechanismsResponse__Output>
  GetNetworkCharges: MethodDefinition<_peermarket_v1_GetNetworkChargesRequest, _peermarket_v1_NetworkChargeReport, _peermarket_v1_GetNetworkChargesRequest__Output, _peermarket_v1_NetworkChargeReport__Output>
  GetSolution: MethodDefinition<_peermarket_v1_GetSolutionRequest, _peermarket_v1_Solution, _peermarket_v1_GetSolutionRequest__Output, _peermarket_v1_Solution__Output>
  ListSolutionTrades: MethodDefinition<_peermarket_v1_ListSolutionTradesRequest, _peermarket_v1_ListSolutionTradesResponse, _peermarket_v1_ListSolutionTradesRequest__Output, _peermarket_v1_ListSolutionTradesResponse__Output>
  ListSolutions: MethodDefinition<_peermarket_v1_ListSolutionsRequest, _peermarket_v1_ListSolutionsResponse, _peermarket_v1_ListSolutionsRequest__Output, _peermarket_v1_ListSolutionsResponse__Output>
  SolveMarket: MethodDefinition<_peermarket_v1_SolveMarketRequest, _peermarket_v1_Solution, _peermarket_v1_SolveMarketRequest__Output, _peermarket_v1_Solution__Output>
  StreamSolveMarket: MethodDefinition<_peermarket_v1_SolveMarketRequest, _peermarket_v1_SolveEvent, _peermarket_v1_SolveMarketRequest__Output, _peermarket_v1_SolveEvent__Output>
}
