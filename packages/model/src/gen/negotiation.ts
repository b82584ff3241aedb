import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { Agent as _peermarket_v1_Agent, Agent__Output as _peermarket_v1_Agent__Output } from './peermarket/v1/Agent.js';
import type { AgentResult as _peermarket_v1_AgentResult, AgentResult__Output as _peermarket_v1_AgentResult__Output } from './peermarket/v1/AgentResult.js';
import type { AgentTargets as _peermarket_v1_AgentTargets, AgentTargets__Output as _peermarket_v1_AgentTargets__Output } from './peermarket/v1/AgentTargets.js';
import type { AgentTerms as _peermarket_v1_AgentTerms, AgentTerms__Output as _peermarket_v1_AgentTerms__Output } from './peermarket/v1/AgentTerms.js';
import type { AgentTrades as _peermarket_v1_AgentTrades, AgentTrades__Output as _peermarket_v1_AgentTrades__Output } from './peermarket/v1/AgentTrades.js';
import type { CoordinatorMessage as _peermarket_v1_CoordinatorMessage, CoordinatorMessage__Output as _peermarket_v1_CoordinatorMessage__Output } from './peermarket/v1/CoordinatorMessage.js';
import type { CostRecovery as _peermarket_v1_CostRecovery, CostRecovery__Output as _peermarket_v1_CostRecovery__Output } from './peermarket/v1/CostRecovery.js';
import type { DroppedAgent as _peermarket_v1_DroppedAgent, DroppedAgent__Output as _peermarket_v1_DroppedAgent__Output } from './peermarket/v1/DroppedAgent.js';
import type { Grid as _peermarket_v1_Grid, Grid__Output as _peermarket_v1_Grid__Output } from './peermarket/v1/Grid.js';
import type { Horizon as _peermarket_v1_Horizon, Horizon__Output as _peermarket_v1_Horizon__Output } from './peermarket/v1/Horizon.js';
import type { Location as _peermarket_v1_Location, Location__Output as _peermarket_v1_Location__Output } from './peermarket/v1/Location.js';
import type { Market as _peermarket_v1_Market, Market__Output as _peermarket_v1_Market__Output } from './peermarket/v1/Market.js';
import type { NegotiationServiceClient as _peermarket_v1_NegotiationServiceClient, NegotiationServiceDefinition as _peermarket_v1_NegotiationServiceDefinition } from './peermarket/v1/NegotiationService.js';
import type { Network as _peermarket_v1_Network, Network__Output as _peermarket_v1_Network__Output } from './peermarket/v1/Network.js';
import type { NetworkCharges as _peermarket_v1_NetworkCharges, NetworkCharges__Output as _peermarket_v1_NetworkCharges__Output } from './peermarket/v1/NetworkCharges.js';
import type { PeerAgent as _peermarket_v1_PeerAgent, PeerAgent__Output as _peermarket_v1_PeerAgent__Output } from './peermarket/v1/PeerAgent.js';
import type { PeerFault as _peermarket_v1_PeerFault, PeerFault__Output as _peermarket_v1_PeerFault__Output } from './peermarket/v1/PeerFault.js';
import type { PeerMessage as _peermarket_v1_PeerMessage, PeerMessage__Output as _peermarket_v1_PeerMessage__Output } from './peermarket/v1/PeerMessage.js';
import type { PeerProfile as _peermarket_v1_PeerProfile, PeerProfile__Output as _peermarket_v1_PeerProfile__Output } from './peermarket/v1/PeerProfile.js';
import type { PeriodResult as _peermarket_v1_PeriodResult, PeriodResult__Output as _peermarket_v1_PeriodResult__Output } from './peermarket/v1/PeriodResult.js';
import type { Preference as _peermarket_v1_Preference, Preference__Output as _peermarket_v1_Preference__Output } from './peermarket/v1/Preference.js';
import type { Proposal as _peermarket_v1_Proposal, Proposal__Output as _peermarket_v1_Proposal__Output } from './peermarket/v1/Proposal.js';
import type { Registered as _peermarket_v1_Registered, Registered__Output as _peermarket_v1_Registered__Output } from './peermarket/v1/Registered.js';
import type { Registration as _peermarket_v1_Registration, Registration__Output as _peermarket_v1_Registration__Output } from './peermarket/v1/Registration.js';
import type { Round as _peermarket_v1_Round, Round__Output as _peermarket_v1_Round__Output } from './peermarket/v1/Round.js';
import type { Settlement as _peermarket_v1_Settlement, Settlement__Output as _peermarket_v1_Settlement__Output } from './peermarket/v1/Settlement.js';
import type { ShardAssignment as _peermarket_v1_ShardAssignment, ShardAssignment__Output as _peermarket_v1_ShardAssignment__Output } from './peermarket/v1/ShardAssignment.js';
import type { ShardCommand as _peermarket_v1_ShardCommand, ShardCommand__Output as _peermarket_v1_ShardCommand__Output } from './peermarket/v1/ShardCommand.js';
import type { ShardPhase as _peermarket_v1_ShardPhase, ShardPhase__Output as _peermarket_v1_ShardPhase__Output } from './peermarket/v1/ShardPhase.js';
import type { ShardPhaseResult as _peermarket_v1_ShardPhaseResult, ShardPhaseResult__Output as _peermarket_v1_ShardPhaseResult__Output } from './peermarket/v1/ShardPhaseResult.js';
import type { ShardRelease as _peermarket_v1_ShardRelease, ShardRelease__Output as _peermarket_v1_ShardRelease__Output } from './peermarket/v1/ShardRelease.js';
import type { ShardServiceClient as _peermarket_v1_ShardServiceClient, ShardServiceDefinition as _peermarket_v1_ShardServiceDefinition } from './peermarket/v1/ShardService.js';
import type { ShardWorkerHello as _peermarket_v1_ShardWorkerHello, ShardWorkerHello__Output as _peermarket_v1_ShardWorkerHello__Output } from './peermarket/v1/ShardWorkerHello.js';
import type { ShardWorkerMessage as _peermarket_v1_ShardWorkerMessage, ShardWorkerMessage__Output as _peermarket_v1_ShardWorkerMessage__Output } from './peermarket/v1/ShardWorkerMessage.js';
import type { Solution as _peermarket_v1_Solution, Solution__Output as _peermarket_v1_Solution__Output } from './peermarket/v1/Solution.js';
import type { SolveProgress as _peermarket_v1_SolveProgress, SolveProgress__Output as _peermarket_v1_SolveProgress__Output } from './peermarket/v1/SolveProgress.js';
import type { SolverSettings as _peermarket_v1_SolverSettings, SolverSettings__Output as _peermarket_v1_SolverSettings__Output } from './peermarket/v1/SolverSettings.js';
import type { Storage as _peermarket_v1_Storage, Storage__Output as _peermarket_v1_Storage__Output } from './peermarket/v1/Storage.js';
import type { Trade as _peermarket_v1_Trade, Trade__Output as _peermarket_v1_Trade__Output } from './peermarket/v1/Trade.js';
import type { TradePair as _peermarket_v1_TradePair, TradePair__Output as _peermarket_v1_TradePair__Output } from './peermarket/v1/TradePair.js';
import type { TradeTerms as _peermarket_v1_TradeTerms, TradeTerms__Output as _peermarket_v1_TradeTerms__Output } from './peermarket/v1/TradeTerms.js';
import type { Verification as _peermarket_v1_Verification, Verification__Output as _peermarket_v1_Verification__Output } from './peermarket/v1/Verification.js';
import type { Welcome as _peermarket_v1_Welcome, Welcome__Output as _peermarket_v1_Welcome__Output } from './peermarket/v1/Welcome.js';
import type { ZoneDistance as _peermarket_v1_ZoneDistance, ZoneDistance__Output as _peermarket_v1_ZoneDistance__Output } from './peermarket/v1/ZoneDistance.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  peermarket: {
    v1: {
      Agent: MessageTypeDefinition<_peermarket_v1_Agent, _peermarket_v1_Agent__Output>
      AgentResult: MessageTypeDefinition<_peermarket_v1_AgentResult, _peermarket_v1_AgentResult__Output>
      AgentTargets: MessageTypeDefinition<_peermarket_v1_AgentTargets, _peermarket_v1_AgentTargets__Output>
      AgentTerms: MessageTypeDefinition<_peermarket_v1_AgentTerms, _peermarket_v1_AgentTerms__Output>
      AgentTrades: MessageTypeDefinition<_peermarket_v1_AgentTrades, _peermarket_v1_AgentTrades__Output>
      ChargeDesign: EnumTypeDefinition
      CoordinatorMessage: MessageTypeDefinition<_peermarket_v1_CoordinatorMessage, _peermarket_v1_CoordinatorMessage__Output>
      CostRecovery: MessageTypeDefinition<_peermarket_v1_CostRecovery, _peermarket_v1_CostRecovery__Output>
      DroppedAgent: MessageTypeDefinition<_peermarket_v1_DroppedAgent, _peermarket_v1_DroppedAgent__Output>
      Grid: MessageTypeDefinition<_peermarket_v1_Grid, _peermarket_v1_Grid__Output>
      Horizon: MessageTypeDefinition<_peermarket_v1_Horizon, _peermarket_v1_Horizon__Output>
      Location: MessageTypeDefinition<_peermarket_v1_Location, _peermarket_v1_Location__Output>
      Market: MessageTypeDefinition<_peermarket_v1_Market, _peermarket_v1_Market__Output>
      /**
       * A coordinator clears a market with peer agents that keep their costs to themselves
       * (consensus ADMM, docs/admm.md). Each agent process (one agent, or an aggregator's portfolio)
       * opens one Join stream:
       * 
       * peer → coordinator: Registration, then one Proposal per Round (its local trades);
       * coordinator → peer: Registered, Welcome (its trades' partners, bounds and network charges),
       * one Round per iteration (targets v_nm, prices λ_nm, ρ), Settlement.
       * 
       * The coordinator never receives cost coefficients, marginal prices or preferences: a peer
       * adds its own preference costs to its local problem. When agents are dropped (a closed stream,
       * too many missed rounds) the market is re-cleared without them: a new epoch with a new Welcome.
       */
      NegotiationService: SubtypeConstructor<typeof grpc.Client, _peermarket_v1_NegotiationServiceClient> & { service: _peermarket_v1_NegotiationServiceDefinition }
      Network: MessageTypeDefinition<_peermarket_v1_Network, _peermarket_v1_Network__Output>
      NetworkCharges: MessageTypeDefinition<_peermarket_v1_NetworkCharges, _peermarket_v1_NetworkCharges__Output>
      PeerAgent: MessageTypeDefinition<_peermarket_v1_PeerAgent, _peermarket_v1_PeerAgent__Output>
      PeerFault: MessageTypeDefinition<_peermarket_v1_PeerFault, _peermarket_v1_PeerFault__Output>
      PeerMessage: MessageTypeDefinition<_peermarket_v1_PeerMessage, _peermarket_v1_PeerMessage__Output>
      PeerProfile: MessageTypeDefinition<_peermarket_v1_PeerProfile, _peermarket_v1_PeerProfile__Output>
      PeriodResult: MessageTypeDefinition<_peermarket_v1_PeriodResult, _peermarket_v1_PeriodResult__Output>
      Preference: MessageTypeDefinition<_peermarket_v1_Preference, _peermarket_v1_Preference__Output>
      Proposal: MessageTypeDefinition<_peermarket_v1_Proposal, _peermarket_v1_Proposal__Output>
      Registered: MessageTypeDefinition<_peermarket_v1_Registered, _peermarket_v1_Registered__Output>
      Registration: MessageTypeDefinition<_peermarket_v1_Registration, _peermarket_v1_Registration__Output>
      Round: MessageTypeDefinition<_peermarket_v1_Round, _peermarket_v1_Round__Output>
      Settlement: MessageTypeDefinition<_peermarket_v1_Settlement, _peermarket_v1_Settlement__Output>
      ShardAssignment: MessageTypeDefinition<_peermarket_v1_ShardAssignment, _peermarket_v1_ShardAssignment__Output>
      ShardCommand: MessageTypeDefinition<_peermarket_v1_ShardCommand, _peermarket_v1_ShardCommand__Output>
      ShardPhase: MessageTypeDefinition<_peermarket_v1_ShardPhase, _peermarket_v1_ShardPhase__Output>
      ShardPhaseResult: MessageTypeDefinition<_peermarket_v1_ShardPhaseResult, _peermarket_v1_ShardPhaseResult__Output>
      ShardRelease: MessageTypeDefinition<_peermarket_v1_ShardRelease, _peermarket_v1_ShardRelease__Output>
      /**
       * A coordinator spreads the agents of one large market over remote shard workers: each runs the
       * engine's per-iteration phase (consensus and price update, exact local solves) on a contiguous
       * range of agents. A worker dials the coordinator and answers its commands on one Serve stream.
       */
      ShardService: SubtypeConstructor<typeof grpc.Client, _peermarket_v1_ShardServiceClient> & { service: _peermarket_v1_ShardServiceDefinition }
      ShardWorkerHello: MessageTypeDefinition<_peermarket_v1_ShardWorkerHello, _peermarket_v1_ShardWorkerHello__Output>
      ShardWorkerMessage: MessageTypeDefinition<_peermarket_v1_ShardWorkerMessage, _peermarket_v1_ShardWorkerMessage__Output>
      Solution: MessageTypeDefinition<_peermarket_v1_Solution, _peermarket_v1_Solution__Output>
      SolveProgress: MessageTypeDefinition<_peermarket_v1_SolveProgress, _peermarket_v1_SolveProgress__Output>
      SolveStatus: EnumTypeDefinition
      SolverSettings: MessageTypeDefinition<_peermarket_v1_SolverSettings, _peermarket_v1_SolverSettings__Output>
      Storage: MessageTypeDefinition<_peermarket_v1_Storage, _peermarket_v1_Storage__Output>
      Trade: MessageTypeDefinition<_peermarket_v1_Trade, _peermarket_v1_Trade__Output>
      TradePair: MessageTypeDefinition<_peermarket_v1_TradePair, _peermarket_v1_TradePair__Output>
      TradeTerms: MessageTypeDefinition<_peermarket_v1_TradeTerms, _peermarket_v1_TradeTerms__Output>
      TradingGraph: EnumTypeDefinition
      Verification: MessageTypeDefinition<_peermarket_v1_Verification, _peermarket_v1_Verification__Output>
      Welcome: MessageTypeDefinition<_peermarket_v1_Welcome, _peermarket_v1_Welcome__Output>
      ZoneDistance: MessageTypeDefinition<_peermarket_v1_ZoneDistance, _peermarket_v1_ZoneDistance__Output>
    }
  }
}

