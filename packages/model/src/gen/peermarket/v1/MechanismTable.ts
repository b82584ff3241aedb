// Original file: peermarket/v1/mechanisms.proto

import type { Mechanism as _peermarket_v1_Mechanism, Mechanism__Output as _peermarket_v1_Mechanism__Output } from '../../peermarket/v1/Mechanism.js';
import type { MemberBill as _peermarket_v1_MemberBill, MemberBill__Output as _peermarket_v1_MemberBill__Output } from '../../peermarket/v1/MemberBill.js';
import type { MechanismPeriod as _peermarket_v1_MechanismPeriod, MechanismPeriod__Output as _peermarket_v1_MechanismPeriod__Output } from '../../peermarket/v1/MechanismPeriod.js';
import type { CoreTest as _peermarket_v1_CoreTest, CoreTest__Output as _peermarket_v1_CoreTest__Output } from '../../peermarket/v1/CoreTest.js';

/**
 * One rule's table.
 */
export interface MechanismTable {
  'mechanism'?: (_peermarket_v1_Mechanism);
  'displayName'?: (string);
  'bills'?: (_peermarket_v1_MemberBill)[];
  'periods'?: (_peermarket_v1_MechanismPeriod)[];
  /**
   * Largest |members' payments + the grid's| over the periods (budget balance).
   */
  'budgetImbalance'?: (number | string);
  /**
   * Jain's index of the savings, negative savings counted as 0 (NaN when nobody saves).
   */
  'jainIndex'?: (number | string);
  'clippedSavings'?: (number);
  /**
   * Members who would rather leave (not individually rational).
   */
  'leavingMemberIds'?: (string)[];
  'core'?: (_peermarket_v1_CoreTest | null);
}

/**
 * One rule's table.
 */
export interface MechanismTable__Output {
  'mechanism': (_peermarket_v1_Mechanism__Output);
  'displayName': (string);
  'bills': (_peermarket_v1_MemberBill__Output)[];
  'periods': (_peermarket_v1_MechanismPeriod__Output)[];
  /**
   * Largest |members' payments + the grid's| over the periods (budget balance).
   */
  'budgetImbalance': (number);
  /**
   * Jain's index of the savings, negative savings counted as 0 (NaN when nobody saves).
   */
  'jainIndex': (number);
  'clippedSavings': (number);
  /**
   * Members who would rather leave (not individually rational).
   */
  'leavingMemberIds': (string)[];
  'core': (_peermarket_v1_CoreTest__Output | null);
}
