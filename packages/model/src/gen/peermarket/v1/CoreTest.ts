// Original file: peermarket/v1/mechanisms.proto

import type { CoreTestMethod as _peermarket_v1_CoreTestMethod, CoreTestMethod__Output as _peermarket_v1_CoreTestMethod__Output } from '../../peermarket/v1/CoreTestMethod.js';
import type { Coalition as _peermarket_v1_Coalition, Coalition__Output as _peermarket_v1_Coalition__Output } from '../../peermarket/v1/Coalition.js';

export interface CoreTest {
  'method'?: (_peermarket_v1_CoreTestMethod);
  /**
   * Coalitions compared.
   */
  'examined'?: (number);
  /**
   * Examined coalitions that block.
   */
  'blockingCount'?: (number);
  /**
   * The examined coalition with the largest excess, blocking or not.
   */
  'mostDissatisfied'?: (_peermarket_v1_Coalition | null);
  /**
   * Up to 5 blocking coalitions, largest excess first.
   */
  'blocking'?: (_peermarket_v1_Coalition)[];
  /**
   * One sentence, e.g. "no blocking coalition found among 160 examined (a search, not a proof)".
   */
  'summary'?: (string);
}

export interface CoreTest__Output {
  'method': (_peermarket_v1_CoreTestMethod__Output);
  /**
   * Coalitions compared.
   */
  'examined': (number);
  /**
   * Examined coalitions that block.
   */
  'blockingCount': (number);
  /**
   * The examined coalition with the largest excess, blocking or not.
   */
  'mostDissatisfied': (_peermarket_v1_Coalition__Output | null);
  /**
   * Up to 5 blocking coalitions, largest excess first.
   */
  'blocking': (_peermarket_v1_Coalition__Output)[];
  /**
   * One sentence, e.g. "no blocking coalition found among 160 examined (a search, not a proof)".
   */
  'summary': (string);
}
