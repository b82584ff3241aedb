// Original file: peermarket/v1/mechanisms.proto


export interface MemberBill {
  'memberId'?: (string);
  /**
   * Energy money paid under the rule (negative: received).
   */
  'payment'?: (number | string);
  /**
   * energy cost + network charges + preference cost + payment.
   */
  'totalCost'?: (number | string);
  /**
   * grid-only cost − total cost (> 0: better off than alone).
   */
  'saving'?: (number | string);
  /**
   * No worse off than alone (within 1e-7 relative).
   */
  'individuallyRational'?: (boolean);
  /**
   * Payment per period.
   */
  'periodPayments'?: (number | string)[];
}

export interface MemberBill__Output {
  'memberId': (string);
  /**
   * Energy money paid under the rule (negative: received).
   */
  'payment': (number);
  /**
   * energy cost + network charges + preference cost + payment.
   */
  'totalCost': (number);
  /**
   * grid-only cost − total cost (> 0: better off than alone).
   */
  'saving': (number);
  /**
   * No worse off than alone (within 1e-7 relative).
   */
  'individuallyRational': (boolean);
  /**
   * Payment per period.
   */
  'periodPayments': (number)[];
}
