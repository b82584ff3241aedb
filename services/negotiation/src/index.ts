/**
 * @peermarket/negotiation — consensus ADMM across processes and machines over gRPC: peer agents
 * that keep their costs (NegotiationService) and remote shard workers of one large market
 * (ShardService), with the coordinator that drives both.
 */
export { ShardCoordinator, type ShardCoordinatorOptions } from "./shard-coordinator.js";
export {
  solveDistributed,
  prepareDistributedMarket,
  type DistributedSolveOptions,
  type DistributedOutcome,
  type ShardPlacement,
} from "./distributed-solve.js";
export { runShardWorker, type ShardWorkerOptions, type ShardWorkerSummary } from "./shard-worker.js";
export type { ShardTakeover } from "./remote-shards.js";
export { planShards, type ShardPlan, type RemoteShard } from "./shard-plan.js";
export { SecurityConfigError, readTokenFile, type ServerSecurity, type ClientSecurity } from "./security.js";
export { TlsConfigError } from "@peermarket/market-service";
export {
  NegotiationCoordinator,
  type NegotiationCoordinatorOptions,
  type NegotiateOptions,
  type NegotiationOutcome,
} from "./negotiation-coordinator.js";
export { PeerPortfolio } from "./peer-portfolio.js";
export { runPeer, type PeerOptions, type PeerOutcome } from "./peer-client.js";
export type { RoundPolicy } from "./peer-rounds.js";
export { coordinatorMarketIssues } from "./coordinator-market.js";
export { preferenceCost, type PartnerView } from "./preferences.js";
// The messages of the negotiation and shard services (generated from proto/, see @peermarket/model).
export type {
  AgentTargets,
  AgentTerms,
  AgentTrades,
  CoordinatorMessage,
  DroppedAgent,
  NegotiationServiceHandlers,
  PeerAgent,
  PeerFault,
  PeerMessage,
  PeerProfile,
  Proposal,
  Registered,
  Registration,
  Round,
  Settlement,
  ShardAssignment,
  ShardCommand,
  ShardPhase,
  ShardPhaseResult,
  ShardRelease,
  ShardServiceHandlers,
  ShardWorkerHello,
  ShardWorkerMessage,
  TradeTerms,
  Welcome,
} from "@peermarket/model";
export { agentCommand, AGENT_USAGE } from "./agent-command.js";
export { workerCommand, WORKER_USAGE } from "./worker-command.js";
export { coordinatorCommand, COORDINATOR_USAGE, DEFAULT_COORDINATOR_PORT } from "./coordinator-command.js";
export { splitScenario, publicPart } from "./split-scenario.js";
export { loadAgentFiles, parseAgentFile, portfolioIssues, type AgentFiles } from "./agent-files.js";
