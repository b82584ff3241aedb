// Original file: peermarket/v1/solution.proto

export const SolveStatus = {
  SOLVE_STATUS_UNSPECIFIED: 'SOLVE_STATUS_UNSPECIFIED',
  SOLVE_STATUS_SOLVED: 'SOLVE_STATUS_SOLVED',
  SOLVE_STATUS_SOLVED_INACCURATE: 'SOLVE_STATUS_SOLVED_INACCURATE',
  SOLVE_STATUS_MAX_ITER_REACHED: 'SOLVE_STATUS_MAX_ITER_REACHED',
  SOLVE_STATUS_TIME_LIMIT_REACHED: 'SOLVE_STATUS_TIME_LIMIT_REACHED',
  SOLVE_STATUS_PRIMAL_INFEASIBLE: 'SOLVE_STATUS_PRIMAL_INFEASIBLE',
  SOLVE_STATUS_CANCELLED: 'SOLVE_STATUS_CANCELLED',
  /**
   * The iteration produced a non-finite number (badly scaled data); nothing is reported as solved.
   */
  SOLVE_STATUS_NUMERICAL_ERROR: 'SOLVE_STATUS_NUMERICAL_ERROR',
  /**
   * The optimum is unbounded: a profitable trade without limits (detected before iterating).
   */
  SOLVE_STATUS_DUAL_INFEASIBLE: 'SOLVE_STATUS_DUAL_INFEASIBLE',
} as const;

export type SolveStatus =
  | 'SOLVE_STATUS_UNSPECIFIED'
  | 0
  | 'SOLVE_STATUS_SOLVED'
  | 1
  | 'SOLVE_STATUS_SOLVED_INACCURATE'
  | 2
  | 'SOLVE_STATUS_MAX_ITER_REACHED'
  | 3
  | 'SOLVE_STATUS_TIME_LIMIT_REACHED'
  | 4
  | 'SOLVE_STATUS_PRIMAL_INFEASIBLE'
  | 5
  | 'SOLVE_STATUS_CANCELLED'
  | 6
  /**
   * The iteration produced a non-finite number (badly scaled data); nothing is reported as solved.
   */
  | 'SOLVE_STATUS_NUMERICAL_ERROR'
  | 7
  /**
   * The optimum is unbounded: a profitable trade without limits (detected before iterating).
   */
  | 'SOLVE_STATUS_DUAL_INFEASIBLE'
  | 8

export type SolveStatus__Output = typeof SolveStatus[keyof typeof SolveStatus]
