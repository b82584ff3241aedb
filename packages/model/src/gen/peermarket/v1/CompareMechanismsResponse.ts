// Original file: peermarket/v1/mechanisms.proto

import type { SolveStatus as _peermarket_v1_SolveStatus, SolveStatus__Output as _peermarket_v1_SolveStatus__Output } from '../../peermarket/v1/SolveStatus.js';
import type { MemberSchedule as _peermarket_v1_MemberSchedule, MemberSchedule__Output as _peermarket_v1_MemberSchedule__Output } from '../../peermarket/v1/MemberSchedule.js';
import type { MechanismTable as _peermarket_v1_MechanismTable, MechanismTable__Output as _peermarket_v1_MechanismTable__Output } from '../../peermarket/v1/MechanismTable.js';
import type { CoreTestMethod as _peermarket_v1_CoreTestMethod, CoreTestMethod__Output as _peermarket_v1_CoreTestMethod__Output } from '../../peermarket/v1/CoreTestMethod.js';

/**
 * The comparison, as stored: GetComparison returns it again by id.
 */
export interface CompareMechanismsResponse {
  'marketName'?: (string);
  /**
   * Status of the market's clearing (the schedule every rule settles).
   */
  'status'?: (_peermarket_v1_SolveStatus);
  'periods'?: (number);
  'periodHours'?: (number | string);
  'members'?: (_peermarket_v1_MemberSchedule)[];
  'mechanisms'?: (_peermarket_v1_MechanismTable)[];
  'coreMethod'?: (_peermarket_v1_CoreTestMethod);
  /**
   * Coalitions cleared by the engine, and the seconds they took.
   */
  'coalitionsCleared'?: (number);
  'coalitionSolveTimeS'?: (number | string);
  /**
   * Largest duality gap of a coalition clearing (what the blocking tolerance is built from).
   */
  'maxDualityGap'?: (number | string);
  /**
   * Seconds: clearing the market, and the whole comparison.
   */
  'solveTimeS'?: (number | string);
  'totalTimeS'?: (number | string);
  'notes'?: (string)[];
  /**
   * Server-assigned id of the stored comparison ("cmp_" and a ULID), for GetComparison.
   */
  'id'?: (string);
  /**
   * When the request was received (RFC 3339, UTC).
   */
  'createTime'?: (string);
  /**
   * With storage: the sum over members of their certified regret bounds at the cleared schedule,
   * in currency units; how far the unpolished clearing may be from an equilibrium (a coalition's
   * blocking tolerance includes its members' share). 0 without storage.
   */
  'scheduleSlack'?: (number | string);
}

/**
 * The comparison, as stored: GetComparison returns it again by id.
 */
export interface CompareMechanismsResponse__Output {
  'marketName': (string);
  /**
   * Status of the market's clearing (the schedule every rule settles).
   */
  'status': (_peermarket_v1_SolveStatus__Output);
  'periods': (number);
  'periodHours': (number);
  'members': (_peermarket_v1_MemberSchedule__Output)[];
  'mechanisms': (_peermarket_v1_MechanismTable__Output)[];
  'coreMethod': (_peermarket_v1_CoreTestMethod__Output);
  /**
   * Coalitions cleared by the engine, and the seconds they took.
   */
  'coalitionsCleared': (number);
  'coalitionSolveTimeS': (number);
  /**
   * Largest duality gap of a coalition clearing (what the blocking tolerance is built from).
   */
  'maxDualityGap': (number);
  /**
   * Seconds: clearing the market, and the whole comparison.
   */
  'solveTimeS': (number);
  'totalTimeS': (number);
  'notes': (string)[];
  /**
   * Server-assigned id of the stored comparison ("cmp_" and a ULID), for GetComparison.
   */
  'id': (string);
  /**
   * When the request was received (RFC 3339, UTC).
   */
  'createTime': (string);
  /**
   * With storage: the sum over members of their certified regret bounds at the cleared schedule,
   * in currency units; how far the unpolished clearing may be from an equilibrium (a coalition's
   * blocking tolerance includes its members' share). 0 without storage.
   */
  'scheduleSlack': (number);
}
