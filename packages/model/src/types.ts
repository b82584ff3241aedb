/**
 * The peermarket.v1 messages as @grpc/proto-loader and the scenario reader produce them:
 * lowerCamelCase fields, enums as their names, every field present with its proto3 default,
 * `optional` scalars absent when unset, a oneof named by its virtual field, maps as plain objects,
 * bytes as Buffers. An unset sub-message is null from proto-loader but left out (undefined) by the
 * scenario reader: test it with `!x` or `x?.`, not `x === null`.
 *
 * All of it is generated from proto/ into src/gen/ (never edited by hand; proto/README.md):
 * `Foo` is the output form the loaders produce (`Foo__Output`), `FooInput` the permissive form a
 * writer may hand to a serializer (every field optional, numbers also as decimal strings). Adding a
 * field to a message needs no edit here.
 */

// market.proto
export type { Agent__Output as Agent, Agent as AgentInput } from "./gen/peermarket/v1/Agent.js";
export type { ChargeDesign__Output as ChargeDesign } from "./gen/peermarket/v1/ChargeDesign.js";
export type { Grid__Output as Grid, Grid as GridInput } from "./gen/peermarket/v1/Grid.js";
export type { Horizon__Output as Horizon, Horizon as HorizonInput } from "./gen/peermarket/v1/Horizon.js";
export type { Location__Output as Location, Location as LocationInput } from "./gen/peermarket/v1/Location.js";
export type { Market__Output as Market, Market as MarketInput } from "./gen/peermarket/v1/Market.js";
export type { Network__Output as Network, Network as NetworkInput } from "./gen/peermarket/v1/Network.js";
export type {
  NetworkCharges__Output as NetworkCharges,
  NetworkCharges as NetworkChargesInput,
} from "./gen/peermarket/v1/NetworkCharges.js";
export type {
  Preference__Output as Preference,
  Preference as PreferenceInput,
} from "./gen/peermarket/v1/Preference.js";
export type { Storage__Output as Storage, Storage as StorageInput } from "./gen/peermarket/v1/Storage.js";
export type { TradePair__Output as TradePair, TradePair as TradePairInput } from "./gen/peermarket/v1/TradePair.js";
export type { TradingGraph__Output as TradingGraph } from "./gen/peermarket/v1/TradingGraph.js";
export type {
  ZoneDistance__Output as ZoneDistance,
  ZoneDistance as ZoneDistanceInput,
} from "./gen/peermarket/v1/ZoneDistance.js";

// solution.proto
export type {
  AgentResult__Output as AgentResult,
  AgentResult as AgentResultInput,
} from "./gen/peermarket/v1/AgentResult.js";
export type {
  CostRecovery__Output as CostRecovery,
  CostRecovery as CostRecoveryInput,
} from "./gen/peermarket/v1/CostRecovery.js";
export type {
  PeriodResult__Output as PeriodResult,
  PeriodResult as PeriodResultInput,
} from "./gen/peermarket/v1/PeriodResult.js";
export type { Solution__Output as Solution, Solution as SolutionInput } from "./gen/peermarket/v1/Solution.js";
export type {
  SolveProgress__Output as SolveProgress,
  SolveProgress as SolveProgressInput,
} from "./gen/peermarket/v1/SolveProgress.js";
export type { SolveStatus__Output as SolveStatus } from "./gen/peermarket/v1/SolveStatus.js";
export type {
  SolverSettings__Output as SolverSettings,
  SolverSettings as SolverSettingsInput,
} from "./gen/peermarket/v1/SolverSettings.js";
export type { Trade__Output as Trade, Trade as TradeInput } from "./gen/peermarket/v1/Trade.js";
export type {
  Verification__Output as Verification,
  Verification as VerificationInput,
} from "./gen/peermarket/v1/Verification.js";

// network_charges.proto
export type {
  AgentCharge__Output as AgentCharge,
  AgentCharge as AgentChargeInput,
} from "./gen/peermarket/v1/AgentCharge.js";
export type { LineFlow__Output as LineFlow, LineFlow as LineFlowInput } from "./gen/peermarket/v1/LineFlow.js";
export type {
  NetworkChargeReport__Output as NetworkChargeReport,
  NetworkChargeReport as NetworkChargeReportInput,
} from "./gen/peermarket/v1/NetworkChargeReport.js";
export type {
  PeriodCharges__Output as PeriodCharges,
  PeriodCharges as PeriodChargesInput,
} from "./gen/peermarket/v1/PeriodCharges.js";
export type {
  TradeCharge__Output as TradeCharge,
  TradeCharge as TradeChargeInput,
} from "./gen/peermarket/v1/TradeCharge.js";
export type { ZoneFlow__Output as ZoneFlow, ZoneFlow as ZoneFlowInput } from "./gen/peermarket/v1/ZoneFlow.js";
export type { ZoneTotal__Output as ZoneTotal, ZoneTotal as ZoneTotalInput } from "./gen/peermarket/v1/ZoneTotal.js";

// mechanisms.proto
export type { Coalition__Output as Coalition, Coalition as CoalitionInput } from "./gen/peermarket/v1/Coalition.js";
export type {
  CompareMechanismsRequest__Output as CompareMechanismsRequest,
  CompareMechanismsRequest as CompareMechanismsRequestInput,
} from "./gen/peermarket/v1/CompareMechanismsRequest.js";
export type {
  CompareMechanismsResponse__Output as CompareMechanismsResponse,
  CompareMechanismsResponse as CompareMechanismsResponseInput,
} from "./gen/peermarket/v1/CompareMechanismsResponse.js";
export type { CoreTest__Output as CoreTest, CoreTest as CoreTestInput } from "./gen/peermarket/v1/CoreTest.js";
export type { CoreTestMethod__Output as CoreTestMethod } from "./gen/peermarket/v1/CoreTestMethod.js";
export type { Mechanism__Output as Mechanism } from "./gen/peermarket/v1/Mechanism.js";
export type {
  MechanismPeriod__Output as MechanismPeriod,
  MechanismPeriod as MechanismPeriodInput,
} from "./gen/peermarket/v1/MechanismPeriod.js";
export type {
  MechanismTable__Output as MechanismTable,
  MechanismTable as MechanismTableInput,
} from "./gen/peermarket/v1/MechanismTable.js";
export type {
  MemberBill__Output as MemberBill,
  MemberBill as MemberBillInput,
} from "./gen/peermarket/v1/MemberBill.js";
export type {
  MemberSchedule__Output as MemberSchedule,
  MemberSchedule as MemberScheduleInput,
} from "./gen/peermarket/v1/MemberSchedule.js";

// market_service.proto
export type {
  GetComparisonRequest__Output as GetComparisonRequest,
  GetComparisonRequest as GetComparisonRequestInput,
} from "./gen/peermarket/v1/GetComparisonRequest.js";
export type {
  GetNetworkChargesRequest__Output as GetNetworkChargesRequest,
  GetNetworkChargesRequest as GetNetworkChargesRequestInput,
} from "./gen/peermarket/v1/GetNetworkChargesRequest.js";
export type {
  GetSolutionRequest__Output as GetSolutionRequest,
  GetSolutionRequest as GetSolutionRequestInput,
} from "./gen/peermarket/v1/GetSolutionRequest.js";
export type {
  ListSolutionTradesRequest__Output as ListSolutionTradesRequest,
  ListSolutionTradesRequest as ListSolutionTradesRequestInput,
} from "./gen/peermarket/v1/ListSolutionTradesRequest.js";
export type {
  ListSolutionTradesResponse__Output as ListSolutionTradesResponse,
  ListSolutionTradesResponse as ListSolutionTradesResponseInput,
} from "./gen/peermarket/v1/ListSolutionTradesResponse.js";
export type {
  ListSolutionsRequest__Output as ListSolutionsRequest,
  ListSolutionsRequest as ListSolutionsRequestInput,
} from "./gen/peermarket/v1/ListSolutionsRequest.js";
export type {
  ListSolutionsResponse__Output as ListSolutionsResponse,
  ListSolutionsResponse as ListSolutionsResponseInput,
} from "./gen/peermarket/v1/ListSolutionsResponse.js";
export type {
  MarketServiceClient,
  MarketServiceDefinition,
  MarketServiceHandlers,
} from "./gen/peermarket/v1/MarketService.js";
export type { SolutionView__Output as SolutionView } from "./gen/peermarket/v1/SolutionView.js";
export type {
  SolveEvent__Output as SolveEvent,
  SolveEvent as SolveEventInput,
} from "./gen/peermarket/v1/SolveEvent.js";
export type {
  SolveMarketRequest__Output as SolveMarketRequest,
  SolveMarketRequest as SolveMarketRequestInput,
} from "./gen/peermarket/v1/SolveMarketRequest.js";

// negotiation.proto
export type {
  AgentTargets__Output as AgentTargets,
  AgentTargets as AgentTargetsInput,
} from "./gen/peermarket/v1/AgentTargets.js";
export type {
  AgentTerms__Output as AgentTerms,
  AgentTerms as AgentTermsInput,
} from "./gen/peermarket/v1/AgentTerms.js";
export type {
  AgentTrades__Output as AgentTrades,
  AgentTrades as AgentTradesInput,
} from "./gen/peermarket/v1/AgentTrades.js";
export type {
  CoordinatorMessage__Output as CoordinatorMessage,
  CoordinatorMessage as CoordinatorMessageInput,
} from "./gen/peermarket/v1/CoordinatorMessage.js";
export type {
  DroppedAgent__Output as DroppedAgent,
  DroppedAgent as DroppedAgentInput,
} from "./gen/peermarket/v1/DroppedAgent.js";
export type {
  NegotiationServiceClient,
  NegotiationServiceDefinition,
  NegotiationServiceHandlers,
} from "./gen/peermarket/v1/NegotiationService.js";
export type { PeerAgent__Output as PeerAgent, PeerAgent as PeerAgentInput } from "./gen/peermarket/v1/PeerAgent.js";
export type { PeerFault__Output as PeerFault, PeerFault as PeerFaultInput } from "./gen/peermarket/v1/PeerFault.js";
export type {
  PeerMessage__Output as PeerMessage,
  PeerMessage as PeerMessageInput,
} from "./gen/peermarket/v1/PeerMessage.js";
export type {
  PeerProfile__Output as PeerProfile,
  PeerProfile as PeerProfileInput,
} from "./gen/peermarket/v1/PeerProfile.js";
export type { Proposal__Output as Proposal, Proposal as ProposalInput } from "./gen/peermarket/v1/Proposal.js";
export type {
  Registered__Output as Registered,
  Registered as RegisteredInput,
} from "./gen/peermarket/v1/Registered.js";
export type {
  Registration__Output as Registration,
  Registration as RegistrationInput,
} from "./gen/peermarket/v1/Registration.js";
export type { Round__Output as Round, Round as RoundInput } from "./gen/peermarket/v1/Round.js";
export type {
  Settlement__Output as Settlement,
  Settlement as SettlementInput,
} from "./gen/peermarket/v1/Settlement.js";
export type {
  ShardAssignment__Output as ShardAssignment,
  ShardAssignment as ShardAssignmentInput,
} from "./gen/peermarket/v1/ShardAssignment.js";
export type {
  ShardCommand__Output as ShardCommand,
  ShardCommand as ShardCommandInput,
} from "./gen/peermarket/v1/ShardCommand.js";
export type {
  ShardPhase__Output as ShardPhase,
  ShardPhase as ShardPhaseInput,
} from "./gen/peermarket/v1/ShardPhase.js";
export type {
  ShardPhaseResult__Output as ShardPhaseResult,
  ShardPhaseResult as ShardPhaseResultInput,
} from "./gen/peermarket/v1/ShardPhaseResult.js";
export type {
  ShardRelease__Output as ShardRelease,
  ShardRelease as ShardReleaseInput,
} from "./gen/peermarket/v1/ShardRelease.js";
export type {
  ShardServiceClient,
  ShardServiceDefinition,
  ShardServiceHandlers,
} from "./gen/peermarket/v1/ShardService.js";
export type {
  ShardWorkerHello__Output as ShardWorkerHello,
  ShardWorkerHello as ShardWorkerHelloInput,
} from "./gen/peermarket/v1/ShardWorkerHello.js";
export type {
  ShardWorkerMessage__Output as ShardWorkerMessage,
  ShardWorkerMessage as ShardWorkerMessageInput,
} from "./gen/peermarket/v1/ShardWorkerMessage.js";
export type {
  TradeTerms__Output as TradeTerms,
  TradeTerms as TradeTermsInput,
} from "./gen/peermarket/v1/TradeTerms.js";
export type { Welcome__Output as Welcome, Welcome as WelcomeInput } from "./gen/peermarket/v1/Welcome.js";
// The packages of the service files as grpc-js loadPackageDefinition returns them.
export type { ProtoGrpcType as MarketServiceProto } from "./gen/market_service.js";
export type { ProtoGrpcType as NegotiationServiceProto } from "./gen/negotiation.js";
