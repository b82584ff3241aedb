import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { Agent as _peermarket_v1_Agent, Agent__Output as _peermarket_v1_Agent__Output } from './peermarket/v1/Agent.js';
import type { AgentCharge as _peermarket_v1_AgentCharge, AgentCharge__Output as _peermarket_v1_AgentCharge__Output } from './peermarket/v1/AgentCharge.js';
import type { AgentResult as _peermarket_v1_AgentResult, AgentResult__Output as _peermarket_v1_AgentResult__Output } from './peermarket/v1/AgentResult.js';
import type { Coalition as _peermarket_v1_Coalition, Coalition__Output as _peermarket_v1_Coalition__Output } from './peermarket/v1/Coalition.js';
import type { CompareMechanismsRequest as _peermarket_v1_CompareMechanismsRequest, CompareMechanismsRequest__Output as _peermarket_v1_CompareMechanismsRequest__Output } from './peermarket/v1/CompareMechanismsRequest.js';
import type { CompareMechanismsResponse as _peermarket_v1_CompareMechanismsResponse, CompareMechanismsResponse__Output as _peermarket_v1_CompareMechanismsResponse__Output } from './peermarket/v1/CompareMechanismsResponse.js';
import type { CoreTest as _peermarket_v1_CoreTest, CoreTest__Output as _peermarket_v1_CoreTest__Output } from './peermarket/v1/CoreTest.js';
import type { CostRecovery as _peermarket_v1_CostRecovery, CostRecovery__Output as _peermarket_v1_CostRecovery__Output } from './peermarket/v1/CostRecovery.js';
import type { GetComparisonRequest as _peermarket_v1_GetComparisonRequest, GetComparisonRequest__Output as _peermarket_v1_GetComparisonRequest__Output } from './peermarket/v1/GetComparisonRequest.js';
import type { GetNetworkChargesRequest as _peermarket_v1_GetNetworkChargesRequest, GetNetworkChargesRequest__Output as _peermarket_v1_GetNetworkChargesRequest__Output } from './peermarket/v1/GetNetworkChargesRequest.js';
import type { GetSolutionRequest as _peermarket_v1_GetSolutionRequest, GetSolutionRequest__Output as _peermarket_v1_GetSolutionRequest__Output } from './peermarket/v1/GetSolutionRequest.js';
import type { Grid as _peermarket_v1_Grid, Grid__Output as _peermarket_v1_Grid__Output } from './peermarket/v1/Grid.js';
import type { Horizon as _peermarket_v1_Horizon, Horizon__Output as _peermarket_v1_Horizon__Output } from './peermarket/v1/Horizon.js';
import type { LineFlow as _peermarket_v1_LineFlow, LineFlow__Output as _peermarket_v1_LineFlow__Output } from './peermarket/v1/LineFlow.js';
import type { ListSolutionTradesRequest as _peermarket_v1_ListSolutionTradesRequest, ListSolutionTradesRequest__Output as _peermarket_v1_ListSolutionTradesRequest__Output } from './peermarket/v1/ListSolutionTradesRequest.js';
import type { ListSolutionTradesResponse as _peermarket_v1_ListSolutionTradesResponse, ListSolutionTradesResponse__Output as _peermarket_v1_ListSolutionTradesResponse__Output } from './peermarket/v1/ListSolutionTradesResponse.js';
import type { ListSolutionsRequest as _peermarket_v1_ListSolutionsRequest, ListSolutionsRequest__Output as _peermarket_v1_ListSolutionsRequest__Output } from './peermarket/v1/ListSolutionsRequest.js';
import type { ListSolutionsResponse as _peermarket_v1_ListSolutionsResponse, ListSolutionsResponse__Output as _peermarket_v1_ListSolutionsResponse__Output } from './peermarket/v1/ListSolutionsResponse.js';
import type { Location as _peermarket_v1_Location, Location__Output as _peermarket_v1_Location__Output } from './peermarket/v1/Location.js';
import type { Market as _peermarket_v1_Market, Market__Output as _peermarket_v1_Market__Output } from './peermarket/v1/Market.js';
import type { MarketServiceClient as _peermarket_v1_MarketServiceClient, MarketServiceDefinition as _peermarket_v1_MarketServiceDefinition } from './peermarket/v1/MarketService.js';
import type { MechanismPeriod as _peermarket_v1_MechanismPeriod, MechanismPeriod__Output as _peermarket_v1_MechanismPeriod__Output } from './peermarket/v1/MechanismPeriod.js';
import type { MechanismTable as _peermarket_v1_MechanismTable, MechanismTable__Output as _peermarket_v1_MechanismTable__Output } from './peermarket/v1/MechanismTable.js';
import type { MemberBill as _peermarket_v1_MemberBill, MemberBill__Output as _peermarket_v1_MemberBill__Output } from './peermarket/v1/MemberBill.js';
import type { MemberSchedule as _peermarket_v1_MemberSchedule, MemberSchedule__Output as _peermarket_v1_MemberSchedule__Output } from './peermarket/v1/MemberSchedule.js';
import type { Network as _peermarket_v1_Network, Network__Output as _peermarket_v1_Network__Output } from './peermarket/v1/Network.js';
import type { NetworkChargeReport as _peermarket_v1_NetworkChargeReport, NetworkChargeReport__Output as _peermarket_v1_NetworkChargeReport__Output } from './peermarket/v1/NetworkChargeReport.js';
import type { NetworkCharges as _peermarket_v1_NetworkCharges, NetworkCharges__Output as _peermarket_v1_NetworkCharges__Output } from './peermarket/v1/NetworkCharges.js';
import type { PeriodCharges as _peermarket_v1_PeriodCharges, PeriodCharges__Output as _peermarket_v1_PeriodCharges__Output } from './peermarket/v1/PeriodCharges.js';
import type { PeriodResult as _peermarket_v1_PeriodResult, PeriodResult__Output as _peermarket_v1_PeriodResult__Output } from './peermarket/v1/PeriodResult.js';
import type { Preference as _peermarket_v1_Preference, Preference__Output as _peermarket_v1_Preference__Output } from './peermarket/v1/Preference.js';
import type { Solution as _peermarket_v1_Solution, Solution__Output as _peermarket_v1_Solution__Output } from './peermarket/v1/Solution.js';
import type { SolveEvent as _peermarket_v1_SolveEvent, SolveEvent__Output as _peermarket_v1_SolveEvent__Output } from './peermarket/v1/SolveEvent.js';
import type { SolveMarketRequest as _peermarket_v1_SolveMarketRequest, SolveMarketRequest__Output as _peermarket_v1_SolveMarketRequest__Output } from './peermarket/v1/SolveMarketRequest.js';
import type { SolveProgress as _peermarket_v1_SolveProgress, SolveProgress__Output as _peermarket_v1_SolveProgress__Output } from './peermarket/v1/SolveProgress.js';
import type { SolverSettings as _peermarket_v1_SolverSettings, SolverSettings__Output as _peermarket_v1_SolverSettings__Output } from './peermarket/v1/SolverSettings.js';
import type { Storage as _peermarket_v1_Storage, Storage__Output as _peermarket_v1_Storage__Output } from './peermarket/v1/Storage.js';
import type { Trade as _peermarket_v1_Trade, Trade__Output as _peermarket_v1_Trade__Output } from './peermarket/v1/Trade.js';
import type { TradeCharge as _peermarket_v1_TradeCharge, TradeCharge__Output as _peermarket_v1_TradeCharge__Output } from './peermarket/v1/TradeCharge.js';
import type { TradePair as _peermarket_v1_TradePair, TradePair__Output as _peermarket_v1_TradePair__Output } from './peermarket/v1/TradePair.js';
import type { Verification as _peermarket_v1_Verification, Verification__Output as _peermarket_v1_Verification__Output } from './peermarket/v1/Verification.js';
import type { ZoneDistance as _peermarket_v1_ZoneDistance, ZoneDistance__Output as _peermarket_v1_ZoneDistance__Output } from './peermarket/v1/ZoneDistance.js';
import type { ZoneFlow as _peermarket_v1_ZoneFlow, ZoneFlow__Output as _peermarket_v1_ZoneFlow__Output } from './peermarket/v1/ZoneFlow.js';
import type { ZoneTotal as _peermarket_v1_ZoneTotal, ZoneTotal__Output as _peermarket_v1_ZoneTotal__Output } from './peermarket/v1/ZoneTotal.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  peermarket: {
    v1: {
      Agent: MessageTypeDefinition<_peermarket_v1_Agent, _peermarket_v1_Agent__Output>
      AgentCharge: MessageTypeDefinition<_peermarket_v1_AgentCharge, _peermarket_v1_AgentCharge__Output>
      AgentResult: MessageTypeDefinition<_peermarket_v1_AgentResult, _peermarket_v1_AgentResult__Output>
      ChargeDesign: EnumTypeDefinition
      Coalition: MessageTypeDefinition<_peermarket_v1_Coalition, _peermarket_v1_Coalition__Output>
      CompareMechanismsRequest: MessageTypeDefinition<_peermarket_v1_CompareMechanismsRequest, _peermarket_v1_CompareMechanismsRequest__Output>
      CompareMechanismsResponse: MessageTypeDefinition<_peermarket_v1_CompareMechanismsResponse, _peermarket_v1_CompareMechanismsResponse__Output>
      CoreTest: MessageTypeDefinition<_peermarket_v1_CoreTest, _peermarket_v1_CoreTest__Output>
      CoreTestMethod: EnumTypeDefinition
      CostRecovery: MessageTypeDefinition<_peermarket_v1_CostRecovery, _peermarket_v1_CostRecovery__Output>
      GetComparisonRequest: MessageTypeDefinition<_peermarket_v1_GetComparisonRequest, _peermarket_v1_GetComparisonRequest__Output>
      GetNetworkChargesRequest: MessageTypeDefinition<_peermarket_v1_GetNetworkChargesRequest, _peermarket_v1_GetNetworkChargesRequest__Output>
      GetSolutionRequest: MessageTypeDefinition<_peermarket_v1_GetSolutionRequest, _peermarket_v1_GetSolutionRequest__Output>
      Grid: MessageTypeDefinition<_peermarket_v1_Grid, _peermarket_v1_Grid__Output>
      Horizon: MessageTypeDefinition<_peermarket_v1_Horizon, _peermarket_v1_Horizon__Output>
      LineFlow: MessageTypeDefinition<_peermarket_v1_LineFlow, _peermarket_v1_LineFlow__Output>
      ListSolutionTradesRequest: MessageTypeDefinition<_peermarket_v1_ListSolutionTradesRequest, _peermarket_v1_ListSolutionTradesRequest__Output>
      ListSolutionTradesResponse: MessageTypeDefinition<_peermarket_v1_ListSolutionTradesResponse, _peermarket_v1_ListSolutionTradesResponse__Output>
      ListSolutionsRequest: MessageTypeDefinition<_peermarket_v1_ListSolutionsRequest, _peermarket_v1_ListSolutionsRequest__Output>
      ListSolutionsResponse: MessageTypeDefinition<_peermarket_v1_ListSolutionsResponse, _peermarket_v1_ListSolutionsResponse__Output>
      Location: MessageTypeDefinition<_peermarket_v1_Location, _peermarket_v1_Location__Output>
      Market: MessageTypeDefinition<_peermarket_v1_Market, _peermarket_v1_Market__Output>
      /**
       * Clears peer-to-peer electricity markets and keeps their solutions.
       */
      MarketService: SubtypeConstructor<typeof grpc.Client, _peermarket_v1_MarketServiceClient> & { service: _peermarket_v1_MarketServiceDefinition }
      Mechanism: EnumTypeDefinition
      MechanismPeriod: MessageTypeDefinition<_peermarket_v1_MechanismPeriod, _peermarket_v1_MechanismPeriod__Output>
      MechanismTable: MessageTypeDefinition<_peermarket_v1_MechanismTable, _peermarket_v1_MechanismTable__Output>
      MemberBill: MessageTypeDefinition<_peermarket_v1_MemberBill, _peermarket_v1_MemberBill__Output>
      MemberSchedule: MessageTypeDefinition<_peermarket_v1_MemberSchedule, _peermarket_v1_MemberSchedule__Output>
      Network: MessageTypeDefinition<_peermarket_v1_Network, _peermarket_v1_Network__Output>
      NetworkChargeReport: MessageTypeDefinition<_peermarket_v1_NetworkChargeReport, _peermarket_v1_NetworkChargeReport__Output>
      NetworkCharges: MessageTypeDefinition<_peermarket_v1_NetworkCharges, _peermarket_v1_NetworkCharges__Output>
      PeriodCharges: MessageTypeDefinition<_peermarket_v1_PeriodCharges, _peermarket_v1_PeriodCharges__Output>
      PeriodResult: MessageTypeDefinition<_peermarket_v1_PeriodResult, _peermarket_v1_PeriodResult__Output>
      Preference: MessageTypeDefinition<_peermarket_v1_Preference, _peermarket_v1_Preference__Output>
      Solution: MessageTypeDefinition<_peermarket_v1_Solution, _peermarket_v1_Solution__Output>
      SolutionView: EnumTypeDefinition
      SolveEvent: MessageTypeDefinition<_peermarket_v1_SolveEvent, _peermarket_v1_SolveEvent__Output>
      SolveMarketRequest: MessageTypeDefinition<_peermarket_v1_SolveMarketRequest, _peermarket_v1_SolveMarketRequest__Output>
      SolveProgress: MessageTypeDefinition<_peermarket_v1_SolveProgress, _peermarket_v1_SolveProgress__Output>
      SolveStatus: EnumTypeDefinition
      SolverSettings: MessageTypeDefinition<_peermarket_v1_SolverSettings, _peermarket_v1_SolverSettings__Output>
      Storage: MessageTypeDefinition<_peermarket_v1_Storage, _peermarket_v1_Storage__Output>
      Trade: MessageTypeDefinition<_peermarket_v1_Trade, _peermarket_v1_Trade__Output>
      TradeCharge: MessageTypeDefinition<_peermarket_v1_TradeCharge, _peermarket_v1_TradeCharge__Output>
      TradePair: MessageTypeDefinition<_peermarket_v1_TradePair, _peermarket_v1_TradePair__Output>
      TradingGraph: EnumTypeDefinition
      Verification: MessageTypeDefinition<_peermarket_v1_Verification, _peermarket_v1_Verification__Output>
      ZoneDistance: MessageTypeDefinition<_peermarket_v1_ZoneDistance, _peermarket_v1_ZoneDistance__Output>
      ZoneFlow: MessageTypeDefinition<_peermarket_v1_ZoneFlow, _peermarket_v1_ZoneFlow__Output>
      ZoneTotal: MessageTypeDefinition<_peermarket_v1_ZoneTotal, _peermarket_v1_ZoneTotal__Output>
    }
  }
}

