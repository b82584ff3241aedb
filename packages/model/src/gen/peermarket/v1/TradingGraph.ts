// Original file: peermarket/v1/market.proto

/**
 * Which pairs of agents may trade.
 */
export const TradingGraph = {
  TRADING_GRAPH_UNSPECIFIED: 'TRADING_GRAPH_UNSPECIFIED',
  /**
   * Every pair of agents (pairs that can never trade are dropped).
   */
  TRADING_GRAPH_COMPLETE: 'TRADING_GRAPH_COMPLETE',
  /**
   * Only the pairs listed in Market.pairs.
   */
  TRADING_GRAPH_EXPLICIT: 'TRADING_GRAPH_EXPLICIT',
} as const;

/**
 * Which pairs of agents may trade.
 */
export type TradingGraph =
  | 'TRADING_GRAPH_UNSPECIFIED'
  | 0
  /**
   * Every pair of agents (pairs that can never trade are dropped).
   */
  | 'TRADING_GRAPH_COMPLETE'
  | 1
  /**
   * Only the pairs listed in Market.pairs.
   */
  | 'TRADING_GRAPH_EXPLICIT'
  | 2

/**
 * Which pairs of agents may trade.
 */
export type TradingGraph__Output = typeof TradingGraph[keyof typeof TradingGraph]
