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
  /** Per-period values (T of them) overriding the scalars; empty: the scalar in every period. */
  costQuadraticProfile?: number[];
  costLinearProfile?: number[];
  powerMinProfile?: number[];
  powerMaxProfile?: number[];
  /** A battery behind the agent's meter. */
  storage?: Storage | null;
}

/** A battery (docs/multi-period.md). */
export interface Storage {
  energyCapacity: number;
  chargeMax: number;
  dischargeMax: number;
  chargeEfficiency?: number;
  dischargeEfficiency?: number;
  socInitial: number;
  socFinalMin?: number;
  socMin: number;
  socMax?: number;
  throughputCost: number;
}

/** The periods of a multi-period market. */
export interface Horizon {
  periods: number;
  periodHours: number;
  startTime: string;
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
  /** Time-of-use unit fees, one per period. */
  unitFeeProfile?: number[];
}

export interface Grid {
  bus: string;
  importPrice: number;
  exportPrice: number;
  importMax?: number;
  exportMax?: number;
  importPriceProfile?: number[];
  exportPriceProfile?: number[];
  importMaxProfile?: number[];
  exportMaxProfile?: number[];
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
  /** T periods of Δ hours; unset: one period of one hour. */
  horizon?: Horizon | null;
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
  /** Solution polishing (default on; docs/polishing.md). */
  polish?: boolean;
}

export interface AgentResult {
  id: string;
  power: number;
  marginalPrice: number;
  energyCost: number;
  tradeRevenue: number;
  networkCharge: number;
  preferenceCost: number;
  /** Multi-period markets: per-period schedules (T values each). */
  powerProfile?: number[];
  ownPowerProfile?: number[];
  chargeProfile?: number[];
  dischargeProfile?: number[];
  socProfile?: number[];
  marginalPriceProfile?: number[];
  storageCost?: number;
  simultaneousChargeDischarge?: boolean;
}

export interface Trade {
  sellerId: string;
  buyerId: string;
  power: number;
  price: number;
  networkCharge: number;
  /** Period of the trade (0-based) in a multi-period market. */
  period?: number;
}

/** The community's outcome in one period of a multi-period market. */
export interface PeriodResult {
  period: number;
  gridImport: number;
  gridExport: number;
  networkRevenue: number;
  priceMin: number;
  priceMax: number;
  tradedEnergy: number;
  startTime: string;
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
  /** Multi-period markets with storage: the equilibrium certificate (€ over the horizon, MWh). */
  maxRegret?: number;
  worstRegretAgentId?: string;
  maxSocViolation?: number;
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
  /** Multi-period markets: T, Δ, pairs × periods, and the per-period outcome. */
  periods?: number;
  periodHours?: number;
  pairPeriodCount?: number;
  periodResults?: PeriodResult[];
  /** Polishing (docs/polishing.md): the exact optimum found at polishIteration; statusPolish 1 polished, 0 not tried, −1 failed. */
  polished?: boolean;
  polishIteration?: number;
  statusPolish?: number;
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
  /** Multi-period reports: the period of the trade (0-based); its charges are € over that period. */
  period?: number;
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
  /**
   * Multi-period reports: the DC flow (MW) and loading of every period; flow, loading and
   * overloaded above are those of the peak period (the largest loading, or the largest |flow| on
   * an unrated line; the first such period).
   */
  flowProfile?: number[];
  loadingProfile?: number[];
  peakPeriod?: number;
  /** Periods in which the line is overloaded. */
  overloadedPeriods?: number[];
}

/** The network charges and line loadings of one period of a multi-period report. */
export interface PeriodCharges {
  period: number;
  startTime: string;
  /** The unit fee of the period (time-of-use fees) in €/MWh. */
  unitFee: number;
  /** Charges collected in the period, €. */
  totalCollected: number;
  /** Energy traded and energy traded across zones in the period, MWh. */
  tradedEnergy: number;
  interZoneEnergy: number;
  /** Largest line loading of the period and the lines overloaded in it. */
  maxLoading: number;
  overloadedLines: number[];
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
  /** Multi-period reports: T, Δ (hours) and the per-period totals. */
  periods?: number;
  periodHours?: number;
  periodCharges?: PeriodCharges[];
}
