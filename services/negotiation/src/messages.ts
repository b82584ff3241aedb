import type { Location, Solution } from "@peermarket/model";

/** peermarket.v1 negotiation and shard messages as grpc-js objects (lowerCamelCase, defaults filled). */

export interface PeerAgent {
  id: string;
  bus: string;
  zone: string;
  powerMin: number;
  powerMax: number;
  location?: Location | null;
  attributes: Record<string, string>;
}

export interface Registration {
  agents: PeerAgent[];
  client: string;
}

export interface AgentTrades {
  agentId: string;
  trades: number[];
}

export interface Proposal {
  epoch: number;
  round: number;
  agents: AgentTrades[];
}

export interface PeerFault {
  message: string;
}

export interface PeerMessage {
  registration?: Registration | null;
  proposal?: Proposal | null;
  fault?: PeerFault | null;
  message?: "registration" | "proposal" | "fault";
}

export interface Registered {
  marketName: string;
  agentIds: string[];
}

export interface TradeTerms {
  partnerId: string;
  tradeMin: number;
  tradeMax: number;
  chargeSell: number;
  chargeBuy: number;
}

export interface AgentTerms {
  agentId: string;
  trades: TradeTerms[];
}

export interface PeerProfile {
  id: string;
  location?: Location | null;
  attributes: Record<string, string>;
}

export interface DroppedAgent {
  agentId: string;
  reason: string;
  epoch: number;
  round: number;
}

export interface Welcome {
  epoch: number;
  marketName: string;
  agents: AgentTerms[];
  partners: PeerProfile[];
  dropped: DroppedAgent[];
}

export interface AgentTargets {
  agentId: string;
  targets: number[];
  prices: number[];
}

export interface Round {
  epoch: number;
  round: number;
  rho: number;
  agents: AgentTargets[];
}

export interface Settlement {
  solution: Solution;
  dropped: DroppedAgent[];
}

export interface CoordinatorMessage {
  registered?: Registered | null;
  welcome?: Welcome | null;
  round?: Round | null;
  settlement?: Settlement | null;
  message?: "registered" | "welcome" | "round" | "settlement";
}

export interface ShardWorkerHello {
  name: string;
}

export interface ShardPhaseResult {
  solveId: string;
  sequence: number;
  trades: Buffer;
  marginalPrices: Buffer;
  partials: number[];
  phaseSeconds: number;
}

export interface ShardWorkerMessage {
  hello?: ShardWorkerHello | null;
  result?: ShardPhaseResult | null;
  message?: "hello" | "result";
}

export interface ShardAssignment {
  solveId: string;
  shard: number;
  agentBegin: number;
  agentCount: number;
  tradeCount: number;
  ghostCount: number;
  costQuadratic: Buffer;
  costLinear: Buffer;
  powerMin: Buffer;
  powerMax: Buffer;
  tradeStart: Buffer;
  tradeMin: Buffer;
  tradeMax: Buffer;
  costSell: Buffer;
  costBuy: Buffer;
  mirror: Buffer;
  trades: Buffer;
  consensus: Buffer;
  prices: Buffer;
  marginalPrices: Buffer;
}

export interface ShardPhase {
  solveId: string;
  sequence: number;
  rho: number;
  rhoDual: number;
  alpha: number;
  ghostTrades: Buffer;
}

export interface ShardRelease {
  solveId: string;
}

export interface ShardCommand {
  assignment?: ShardAssignment | null;
  phase?: ShardPhase | null;
  release?: ShardRelease | null;
  command?: "assignment" | "phase" | "release";
}
