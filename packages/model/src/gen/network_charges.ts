import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { Agent as _peermarket_v1_Agent, Agent__Output as _peermarket_v1_Agent__Output } from './peermarket/v1/Agent.js';
import type { AgentCharge as _peermarket_v1_AgentCharge, AgentCharge__Output as _peermarket_v1_AgentCharge__Output } from './peermarket/v1/AgentCharge.js';
import type { Grid as _peermarket_v1_Grid, Grid__Output as _peermarket_v1_Grid__Output } from './peermarket/v1/Grid.js';
import type { Horizon as _peermarket_v1_Horizon, Horizon__Output as _peermarket_v1_Horizon__Output } from './peermarket/v1/Horizon.js';
import type { LineFlow as _peermarket_v1_LineFlow, LineFlow__Output as _peermarket_v1_LineFlow__Output } from './peermarket/v1/LineFlow.js';
import type { Location as _peermarket_v1_Location, Location__Output as _peermarket_v1_Location__Output } from './peermarket/v1/Location.js';
import type { Market as _peermarket_v1_Market, Market__Output as _peermarket_v1_Market__Output } from './peermarket/v1/Market.js';
import type { Network as _peermarket_v1_Network, Network__Output as _peermarket_v1_Network__Output } from './peermarket/v1/Network.js';
import type { NetworkChargeReport as _peermarket_v1_NetworkChargeReport, NetworkChargeReport__Output as _peermarket_v1_NetworkChargeReport__Output } from './peermarket/v1/NetworkChargeReport.js';
import type { NetworkCharges as _peermarket_v1_NetworkCharges, NetworkCharges__Output as _peermarket_v1_NetworkCharges__Output } from './peermarket/v1/NetworkCharges.js';
import type { PeriodCharges as _peermarket_v1_PeriodCharges, PeriodCharges__Output as _peermarket_v1_PeriodCharges__Output } from './peermarket/v1/PeriodCharges.js';
import type { Preference as _peermarket_v1_Preference, Preference__Output as _peermarket_v1_Preference__Output } from './peermarket/v1/Preference.js';
import type { Storage as _peermarket_v1_Storage, Storage__Output as _peermarket_v1_Storage__Output } from './peermarket/v1/Storage.js';
import type { TradeCharge as _peermarket_v1_TradeCharge, TradeCharge__Output as _peermarket_v1_TradeCharge__Output } from './peermarket/v1/TradeCharge.js';
import type { TradePair as _peermarket_v1_TradePair, TradePair__Output as _peermarket_v1_TradePair__Output } from './peermarket/v1/TradePair.js';
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
      ChargeDesign: EnumTypeDefinition
      Grid: MessageTypeDefinition<_peermarket_v1_Grid, _peermarket_v1_Grid__Output>
      Horizon: MessageTypeDefinition<_peermarket_v1_Horizon, _peermarket_v1_Horizon__Output>
      LineFlow: MessageTypeDefinition<_peermarket_v1_LineFlow, _peermarket_v1_LineFlow__Output>
      Location: MessageTypeDefinition<_peermarket_v1_Location, _peermarket_v1_Location__Output>
      Market: MessageTypeDefinition<_peermarket_v1_Market, _peermarket_v1_Market__Output>
      Network: MessageTypeDefinition<_peermarket_v1_Network, _peermarket_v1_Network__Output>
      NetworkChargeReport: MessageTypeDefinition<_peermarket_v1_NetworkChargeReport, _peermarket_v1_NetworkChargeReport__Output>
      NetworkCharges: MessageTypeDefinition<_peermarket_v1_NetworkCharges, _peermarket_v1_NetworkCharges__Output>
      PeriodCharges: MessageTypeDefinition<_peermarket_v1_PeriodCharges, _peermarket_v1_PeriodCharges__Output>
      Preference: MessageTypeDefinition<_peermarket_v1_Preference, _peermarket_v1_Preference__Output>
      Storage: MessageTypeDefinition<_peermarket_v1_Storage, _peermarket_v1_Storage__Output>
      TradeCharge: MessageTypeDefinition<_peermarket_v1_TradeCharge, _peermarket_v1_TradeCharge__Output>
      TradePair: MessageTypeDefinition<_peermarket_v1_TradePair, _peermarket_v1_TradePair__Output>
      TradingGraph: EnumTypeDefinition
      ZoneDistance: MessageTypeDefinition<_peermarket_v1_ZoneDistance, _peermarket_v1_ZoneDistance__Output>
      ZoneFlow: MessageTypeDefinition<_peermarket_v1_ZoneFlow, _peermarket_v1_ZoneFlow__Output>
      ZoneTotal: MessageTypeDefinition<_peermarket_v1_ZoneTotal, _peermarket_v1_ZoneTotal__Output>
    }
  }
}

