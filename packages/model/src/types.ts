/**
 * TypeScript shapes of the peermarket.v1 messages, as @grpc/proto-loader and the scenario loader
 * produce them: lowerCamelCase fields, enums as their names, every scalar present (proto3
 * defaults), `optional` scalars absent (undefined) when unset, maps as plain objects.
 */

export type TradingGraph = "TRADING_GRAPH_UNSPECIFIED" | "TRADING_GRAPH_COMPLETE" | "TRADING_GRAPH_EXPLICIT";
export type ChargeDesign =
  | "CHARGE_DESIGN_UNSPECIFIED"
  | "CHARGE_DESIGN_NONE"
  | "CHARGE_DESIGN_UNIFORM"
  | "CHARGE_DESIGN_ELECTRICAL_DISTANCE"
  | "CHARGE_DESIGN_ZONAL";
export type SolveStatus =
  | "SOLVE_STATUS_UNSPECIFIED"
  | "SOLVE_STATUS_SOLVED"
  | "SOLVE_STATUS_SOLVED_INACCURATE"
  | "SOLVE_STATUS_MAX_ITER_REACHED"
  | "SOLVE_STATUS_TIME_LIMIT_REACHED"
  | "SOLVE_STATUS_PRIMAL_INFEASIBLE"
  | "SOLVE_STATUS_DUAL_INFEASIBLE"
  | "SOLVE_STATUS_CANCELLED"
  | "SOLVE_STATUS_NUMERICAL_ERROR";

export interface Location {
  xKm: number;
  yKm: number;
}

export interface Agent {
  id: string;
  bus: string;
  zone: string;
  costQuadratic: number;
  costLinear: number;
  powerMin: number;
  powerMax: number;
  location?: Location | null;
  attributes: Record<string, string>;
}

export interface TradePair {
  agentId: string;
  partnerId: string;
}

export interface Preference {
  agentId: string;
  partnerId: string;
  attributeKey: string;
  attributeValue: string;
  cost: number;
  costPerKm: number;
}

export interface Network {
  matpower?: string;
  bundledCase?: string;
  /** Which member of the oneof is set (proto-loader `oneofs: true`). */
  source?: "matpower" | "bundledCase";
}

export interface ZoneDistance {
  zoneA: string;
  zoneB: string;
  distance: number;
}

export interface NetworkCharges {
  design: ChargeDesign;
  unitFee: number;
  sellerShare?: number;
  targetRevenue?: number;
  zoneDistances: ZoneDistance[];
}

export interface Grid {
  bus: string;
  importPrice: number;
  exportPrice: number;
  importMax?: number;
  exportMax?: number;
}

export interface Market {
  name: string;
  agents: Agent[];
  tradingGraph: TradingGraph;
  pairs: TradePair[];
  preferences: Preference[];
  network?: Network | null;
  charges?: NetworkCharges | null;
  grid?: Grid | null;
}

export interface SolverSettings {
  rho?: number;
  epsAbs?: number;
  epsRel?: number;
  maxIter?: number;
  timeLimitS?: number;
  adaptiveRho?: boolean;
  alpha?: number;
  workers?: number;
  warmStartSolutionId: string;
  checkTermination?: number;
}

export interface AgentResult {
  id: string;
  power: number;
  marginalPrice: number;
  energyCost: number;
  tradeRevenue: number;
  networkCharge: number;
  preferenceCost: number;
}

export interface Trade {
  sellerId: string;
  buyerId: string;
  power: number;
  price: number;
  networkCharge: number;
}

export interface Verification {
  referenceObjective: number;
  objectiveGap: number;
  maxPowerDifference: number;
  referenceSolver: string;
  maxReciprocityViolation: number;
  maxBoundViolation: number;
  maxPriceViolation: number;
  worstAgentId: string;
  certificatePassed: boolean;
  referenceMessage: string;
}

export interface CostRecovery {
  targetRevenue: number;
  reachable: boolean;
  maxRevenue: number;
  feeAtMaxRevenue: number;
  solves: number;
}

export interface Solution {
  id: string;
  status: SolveStatus;
  iterations: number;
  primalResidual: number;
  dualResidual: number;
  objective: number;
  solveTimeS: number;
  agents: AgentResult[];
  trades: Trade[];
  networkRevenue: number;
  unitFee: number;
  rho: number;
  rhoUpdates: number;
  statusMessage: string;
  setupTimeS: number;
  marketName: string;
  createTime: string;
  verification?: Verification | null;
  costRecovery?: CostRecovery | null;
  pairCount: number;
}

export interface SolveProgress {
  iteration: number;
  primalResidual: number;
  dualResidual: number;
  rho: number;
  elapsedS: number;
}

export interface TradeCharge {
  sellerId: string;
  buyerId: string;
  power: number;
  distance: number;
  sellerCharge: number;
  buyerCharge: number;
  totalCharge: number;
  sellerZone: string;
  buyerZone: string;
}

export interface AgentCharge {
  agentId: string;
  zone: string;
  charge: number;
  volumeSold: number;
  volumeBought: number;
}

export interface ZoneTotal {
  zone: string;
  charges: number;
  internalVolume: number;
  exports: number;
  imports: number;
}

export interface ZoneFlow {
  fromZone: string;
  toZone: string;
  volume: number;
}

export interface LineFlow {
  index: number;
  fromBus: string;
  toBus: string;
  flow: number;
  rateA: number;
  loading: number;
  overloaded: boolean;
  inService: boolean;
}

export interface NetworkChargeReport {
  solutionId: string;
  design: ChargeDesign;
  unitFee: number;
  sellerShare: number;
  totalCollected: number;
  tradedVolume: number;
  interZoneVolume: number;
  trades: TradeCharge[];
  agents: AgentCharge[];
  zones: ZoneTotal[];
  zoneFlows: ZoneFlow[];
  lines: LineFlow[];
  overloadedLines: number[];
  maxLoading: number;
  networkName: string;
}
