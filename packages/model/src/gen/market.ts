import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { Agent as _peermarket_v1_Agent, Agent__Output as _peermarket_v1_Agent__Output } from './peermarket/v1/Agent.js';
import type { Grid as _peermarket_v1_Grid, Grid__Output as _peermarket_v1_Grid__Output } from './peermarket/v1/Grid.js';
import type { Horizon as _peermarket_v1_Horizon, Horizon__Output as _peermarket_v1_Horizon__Output } from './peermarket/v1/Horizon.js';
import type { Location as _peermarket_v1_Location, Location__Output as _peermarket_v1_Location__Output } from './peermarket/v1/Location.js';
import type { Market as _peermarket_v1_Market, Market__Output as _peermarket_v1_Market__Output } from './peermarket/v1/Market.js';
import type { Network as _peermarket_v1_Network, Network__Output as _peermarket_v1_Network__Output } from './peermarket/v1/Network.js';
import type { NetworkCharges as _peermarket_v1_NetworkCharges, NetworkCharges__Output as _peermarket_v1_NetworkCharges__Output } from './peermarket/v1/NetworkCharges.js';
import type { Preference as _peermarket_v1_Preference, Preference__Output as _peermarket_v1_Preference__Output } from './peermarket/v1/Preference.js';
import type { Storage as _peermarket_v1_Storage, Storage__Output as _peermarket_v1_Storage__Output } from './peermarket/v1/Storage.js';
import type { TradePair as _peermarket_v1_TradePair, TradePair__Output as _peermarket_v1_TradePair__Output } from './peermarket/v1/TradePair.js';
import type { ZoneDistance as _peermarket_v1_ZoneDistance, ZoneDistance__Output as _peermarket_v1_ZoneDistance__Output } from './peermarket/v1/ZoneDistance.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  peermarket: {
    v1: {
      Agent: MessageTypeDefinition<_peermarket_v1_Agent, _peermarket_v1_Agent__Output>
      ChargeDesign: EnumTypeDefinition
      Grid: MessageTypeDefinition<_peermarket_v1_Grid, _peermarket_v1_Grid__Output>
      Horizon: MessageTypeDefinition<_peermarket_v1_Horizon, _peermarket_v1_Horizon__Output>
      Location: MessageTypeDefinition<_peermarket_v1_Location, _peermarket_v1_Location__Output>
      Market: MessageTypeDefinition<_peermarket_v1_Market, _peermarket_v1_Market__Output>
      Network: MessageTypeDefinition<_peermarket_v1_Network, _peermarket_v1_Network__Output>
      NetworkCharges: MessageTypeDefinition<_peermarket_v1_NetworkCharges, _peermarket_v1_NetworkCharges__Output>
      Preference: MessageTypeDefinition<_peermarket_v1_Preference, _peermarket_v1_Preference__Output>
      Storage: MessageTypeDefinition<_peermarket_v1_Storage, _peermarket_v1_Storage__Output>
      TradePair: MessageTypeDefinition<_peermarket_v1_TradePair, _peermarket_v1_TradePair__Output>
      TradingGraph: EnumTypeDefinition
      ZoneDistance: MessageTypeDefinition<_peermarket_v1_ZoneDistance, _peermarket_v1_ZoneDistance__Output>
    }
  }
}

