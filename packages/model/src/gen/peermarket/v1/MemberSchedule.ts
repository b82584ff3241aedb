// Original file: peermarket/v1/mechanisms.proto


/**
 * What every rule shares for one member: its schedule, the costs of that schedule, its outside option.
 */
export interface MemberSchedule {
  'memberId'?: (string);
  /**
   * Net power, average over the periods (> 0 supplies).
   */
  'power'?: (number | string);
  /**
   * Its own cost curve at that power (negative for a consumer: the value of its energy).
   */
  'energyCost'?: (number | string);
  /**
   * Network charges and preference costs of its trades (with the grid's share on its grid trades).
   */
  'networkCharges'?: (number | string);
  'preferenceCost'?: (number | string);
  /**
   * Grid only: its own best power alone with the grid, and its total cost there.
   */
  'gridOnlyPower'?: (number | string);
  'gridOnlyCost'?: (number | string);
}

/**
 * What every rule shares for one member: its schedule, the costs of that schedule, its outside option.
 */
export interface MemberSchedule__Output {
  'memberId': (string);
  /**
   * Net power, average over the periods (> 0 supplies).
   */
  'power': (number);
  /**
   * Its own cost curve at that power (negative for a consumer: the value of its energy).
   */
  'energyCost': (number);
  /**
   * Network charges and preference costs of its trades (with the grid's share on its grid trades).
   */
  'networkCharges': (number);
  'preferenceCost': (number);
  /**
   * Grid only: its own best power alone with the grid, and its total cost there.
   */
  'gridOnlyPower': (number);
  'gridOnlyCost': (number);
}
