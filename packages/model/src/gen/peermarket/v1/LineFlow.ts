// Original file: peermarket/v1/network_charges.proto


/**
 * The DC flow of one branch: PTDF · net bus injections.
 */
export interface LineFlow {
  /**
   * 0-based row of the case's branch matrix.
   */
  'index'?: (number);
  'fromBus'?: (string);
  'toBus'?: (string);
  /**
   * From → to, in MW.
   */
  'flow'?: (number | string);
  /**
   * 0 when the branch has no rating.
   */
  'rateA'?: (number | string);
  /**
   * |flow| / rate_a (0 without a rating).
   */
  'loading'?: (number | string);
  'overloaded'?: (boolean);
  'inService'?: (boolean);
  /**
   * Multi-period reports: the flow (MW) and loading of every period, the peak period (the first
   * of the largest loading; of the largest |flow| without a rating), and the periods in which the
   * branch is overloaded.
   */
  'flowProfile'?: (number | string)[];
  'loadingProfile'?: (number | string)[];
  'peakPeriod'?: (number);
  'overloadedPeriods'?: (number)[];
}

/**
 * The DC flow of one branch: PTDF · net bus injections.
 */
export interface LineFlow__Output {
  /**
   * 0-based row of the case's branch matrix.
   */
  'index': (number);
  'fromBus': (string);
  'toBus': (string);
  /**
   * From → to, in MW.
   */
  'flow': (number);
  /**
   * 0 when the branch has no rating.
   */
  'rateA': (number);
  /**
   * |flow| / rate_a (0 without a rating).
   */
  'loading': (number);
  'overloaded': (boolean);
  'inService': (boolean);
  /**
   * Multi-period reports: the flow (MW) and loading of every period, the peak period (the first
   * of the largest loading; of the largest |flow| without a rating), and the periods in which the
   * branch is overloaded.
   */
  'flowProfile': (number)[];
  'loadingProfile': (number)[];
  'peakPeriod': (number);
  'overloadedPeriods': (number)[];
}
