// Original file: peermarket/v1/market_service.proto

/**
 * How much of a Solution to return.
 */
export const SolutionView = {
  /**
   * BASIC for ListSolutions, FULL for GetSolution.
   */
  SOLUTION_VIEW_UNSPECIFIED: 'SOLUTION_VIEW_UNSPECIFIED',
  /**
   * Status, residuals, objective and timings, without agents and trades.
   */
  SOLUTION_VIEW_BASIC: 'SOLUTION_VIEW_BASIC',
  SOLUTION_VIEW_FULL: 'SOLUTION_VIEW_FULL',
} as const;

/**
 * How much of a Solution to return.
 */
export type SolutionView =
  /**
   * BASIC for ListSolutions, FULL for GetSolution.
   */
  | 'SOLUTION_VIEW_UNSPECIFIED'
  | 0
  /**
   * Status, residuals, objective and timings, without agents and trades.
   */
  | 'SOLUTION_VIEW_BASIC'
  | 1
  | 'SOLUTION_VIEW_FULL'
  | 2

/**
 * How much of a Solution to return.
 */
export type SolutionView__Output = typeof SolutionView[keyof typeof SolutionView]
