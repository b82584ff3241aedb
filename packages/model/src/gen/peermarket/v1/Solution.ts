// Original file: peermarket/v1/solution.proto

import type { SolveStatus as _peermarket_v1_SolveStatus, SolveStatus__Output as _peermarket_v1_SolveStatus__Output } from '../../peermarket/v1/SolveStatus.js';
import type { AgentResult as _peermarket_v1_AgentResult, AgentResult__Output as _peermarket_v1_AgentResult__Output } from '../../peermarket/v1/AgentResult.js';
import type { Trade as _peermarket_v1_Trade, Trade__Output as _peermarket_v1_Trade__Output } from '../../peermarket/v1/Trade.js';
import type { Verification as _peermarket_v1_Verification, Verification__Output as _peermarket_v1_Verification__Output } from '../../peermarket/v1/Verification.js';
import type { CostRecovery as _peermarket_v1_CostRecovery, CostRecovery__Output as _peermarket_v1_CostRecovery__Output } from '../../peermarket/v1/CostRecovery.js';
import type { PeriodResult as _peermarket_v1_PeriodResult, PeriodResult__Output as _peermarket_v1_PeriodResult__Output } from '../../peermarket/v1/PeriodResult.js';

/**
 * The outcome of a solve.
 */
export interface Solution {
  'id'?: (string);
  'status'?: (_peermarket_v1_SolveStatus);
  'iterations'?: (number);
  /**
   * ∞-norm of p_nm + p_mn.
   */
  'primalResidual'?: (number | string);
  /**
   * ∞-norm of ρ (z^{k+1} - z^k).
   */
  'dualResidual'?: (number | string);
  /**
   * Σ f_n + Σ trade costs (charges and preferences).
   */
  'objective'?: (number | string);
  'solveTimeS'?: (number | string);
  'agents'?: (_peermarket_v1_AgentResult)[];
  'trades'?: (_peermarket_v1_Trade)[];
  /**
   * Total network charges collected.
   */
  'networkRevenue'?: (number | string);
  /**
   * The unit fee used (found, when target_revenue was set).
   */
  'unitFee'?: (number | string);
  /**
   * Final ρ and how many times the adaptive rule changed it.
   */
  'rho'?: (number | string);
  'rhoUpdates'?: (number);
  /**
   * Why the solver stopped, in words (e.g. the reason a market is infeasible).
   */
  'statusMessage'?: (string);
  /**
   * Time to build the market's arrays (validation, graph, costs) before iterating.
   */
  'setupTimeS'?: (number | string);
  /**
   * The market's name.
   */
  'marketName'?: (string);
  /**
   * RFC 3339 time the solution was created.
   */
  'createTime'?: (string);
  /**
   * Check against an independent answer, when asked for.
   */
  'verification'?: (_peermarket_v1_Verification | null);
  /**
   * Outcome of the search for the unit fee, when target_revenue was set.
   */
  'costRecovery'?: (_peermarket_v1_CostRecovery | null);
  /**
   * Number of pairs in the trading graph and directed trade variables iterated.
   */
  'pairCount'?: (number);
  /**
   * Multi-period markets: T, Δ in hours, the count of all (pair, period) entries (trades lists
   * only those that carry power), and the per-period outcome.
   */
  'periods'?: (number);
  'periodHours'?: (number | string);
  'pairPeriodCount'?: (number);
  'periodResults'?: (_peermarket_v1_PeriodResult)[];
  /**
   * `trades` does not list every pair because the whole Solution would not fit in one message
   * (the service's max-message-bytes): it then lists the trades that carry power (power > 0), in
   * pair order, as many as fit. `pair_count` still counts every pair; ListSolutionTrades pages
   * through all of them. A single-period Solution that fits lists every pair, and this is false.
   */
  'tradesTruncated'?: (boolean);
  /**
   * The solution is the polished, exact optimum (docs/polishing.md), found at iteration
   * polish_iteration; status_polish as OSQP's: 1 polished, 0 not tried, -1 tried without success.
   */
  'polished'?: (boolean);
  'polishIteration'?: (number);
  'statusPolish'?: (number);
  /**
   * Polishing tries made (a failed try leaves ADMM to go on) and their time in seconds, part of
   * solve_time_s (OSQP's info.polish_time).
   */
  'polishTries'?: (number);
  'polishTimeS'?: (number | string);
}

/**
 * The outcome of a solve.
 */
export interface Solution__Output {
  'id': (string);
  'status': (_peermarket_v1_SolveStatus__Output);
  'iterations': (number);
  /**
   * ∞-norm of p_nm + p_mn.
   */
  'primalResidual': (number);
  /**
   * ∞-norm of ρ (z^{k+1} - z^k).
   */
  'dualResidual': (number);
  /**
   * Σ f_n + Σ trade costs (charges and preferences).
   */
  'objective': (number);
  'solveTimeS': (number);
  'agents': (_peermarket_v1_AgentResult__Output)[];
  'trades': (_peermarket_v1_Trade__Output)[];
  /**
   * Total network charges collected.
   */
  'networkRevenue': (number);
  /**
   * The unit fee used (found, when target_revenue was set).
   */
  'unitFee': (number);
  /**
   * Final ρ and how many times the adaptive rule changed it.
   */
  'rho': (number);
  'rhoUpdates': (number);
  /**
   * Why the solver stopped, in words (e.g. the reason a market is infeasible).
   */
  'statusMessage': (string);
  /**
   * Time to build the market's arrays (validation, graph, costs) before iterating.
   */
  'setupTimeS': (number);
  /**
   * The market's name.
   */
  'marketName': (string);
  /**
   * RFC 3339 time the solution was created.
   */
  'createTime': (string);
  /**
   * Check against an independent answer, when asked for.
   */
  'verification': (_peermarket_v1_Verification__Output | null);
  /**
   * Outcome of the search for the unit fee, when target_revenue was set.
   */
  'costRecovery': (_peermarket_v1_CostRecovery__Output | null);
  /**
   * Number of pairs in the trading graph and directed trade variables iterated.
   */
  'pairCount': (number);
  /**
   * Multi-period markets: T, Δ in hours, the count of all (pair, period) entries (trades lists
   * only those that carry power), and the per-period outcome.
   */
  'periods': (number);
  'periodHours': (number);
  'pairPeriodCount': (number);
  'periodResults': (_peermarket_v1_PeriodResult__Output)[];
  /**
   * `trades` does not list every pair because the whole Solution would not fit in one message
   * (the service's max-message-bytes): it then lists the trades that carry power (power > 0), in
   * pair order, as many as fit. `pair_count` still counts every pair; ListSolutionTrades pages
   * through all of them. A single-period Solution that fits lists every pair, and this is false.
   */
  'tradesTruncated': (boolean);
  /**
   * The solution is the polished, exact optimum (docs/polishing.md), found at iteration
   * polish_iteration; status_polish as OSQP's: 1 polished, 0 not tried, -1 tried without success.
   */
  'polished': (boolean);
  'polishIteration': (number);
  'statusPolish': (number);
  /**
   * Polishing tries made (a failed try leaves ADMM to go on) and their time in seconds, part of
   * solve_time_s (OSQP's info.polish_time).
   */
  'polishTries': (number);
  'polishTimeS': (number);
}
