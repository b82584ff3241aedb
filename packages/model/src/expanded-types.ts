import type { HorizonArrays, MarketArrays } from "@peermarket/admm";
import type { MatpowerCase } from "./matpower-types.js";
import type { Market } from "./types.js";

/**
 * A validated market expanded into the engine's arrays, with what is needed to read the results
 * back (ids, buses, zones, pairs) and the two parts of every trade cost kept apart.
 */
export interface ExpandedMarket {
  /** The validated market, proto3 defaults filled in. */
  market: Market;
  /** Agent index → id: the market's agents in order, then "grid_import" and "grid_export" when a grid is set. */
  agentIds: string[];
  /** Agent index → bus as named in the case ("" when none). */
  agentBus: string[];
  /** Agent index → Agent.zone ("" when unset: the network fills it from the bus area). */
  agentZone: string[];
  /** Indices of the grid agents, or -1. */
  gridImport: number;
  gridExport: number;
  /** The engine's data; costSell/costBuy = preference part + charge part (see combineCosts). */
  arrays: MarketArrays;
  /** Per directed trade: the preference part of c⁺ and c⁻. */
  prefSell: Float64Array;
  prefBuy: Float64Array;
  /** Per directed trade: the network-charge part of c⁺ and c⁻ (zeros until charges are applied). */
  chargeSell: Float64Array;
  chargeBuy: Float64Array;
  /** Per kept pair: its agents (first < second) and their directed trades. */
  pairFirst: Int32Array;
  pairSecond: Int32Array;
  tradeOfFirst: Int32Array;
  tradeOfSecond: Int32Array;
  /** Pairs of the trading graph dropped because they can never trade (two sell-only or two buy-only agents). */
  droppedPairs: number;
  /** Remarks worth showing to a user (dropped pairs, preferences on pairs outside the graph, ...). */
  notes: string[];
  /** The market's network case, parsed during validation (null without a network). */
  networkCase?: MatpowerCase | null;
  /**
   * Multi-period markets (docs/multi-period.md): the agents above are "period agents" — index
   * n·T + t is agent n of the market in period t (ids, buses and zones repeat) — and the pairs
   * are (pair q, period t) at index q·T + t. Absent for a single-period market.
   */
  horizon?: ExpandedHorizon;
}

/** The time structure of an expanded multi-period market. */
export interface ExpandedHorizon {
  periods: number;
  periodHours: number;
  startTime: string;
  /** The engine's horizon: storage columns, per-agent storage index, charge/discharge. */
  arrays: HorizonArrays;
  /** Agents of the market (market agents, then the grid agents): ids, and how many. */
  agentIds: string[];
  agentCount: number;
  /** Pairs of the trading graph (the same in every period). */
  pairCount: number;
  /** Per agent of the market: its index in the storage columns, or −1. */
  storageIndex: Int32Array;
  /** Grid agents (market indices), or −1. */
  gridImport: number;
  gridExport: number;
  /** Time-of-use unit fees per period, or null (the scalar fee in every period). */
  unitFeeProfile: Float64Array | null;
}
