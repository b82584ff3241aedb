// Original file: peermarket/v1/mechanisms.proto

export const CoreTestMethod = {
  CORE_TEST_METHOD_UNSPECIFIED: 'CORE_TEST_METHOD_UNSPECIFIED',
  /**
   * Every coalition (up to 16 members).
   */
  CORE_TEST_METHOD_EXACT: 'CORE_TEST_METHOD_EXACT',
  /**
   * A search for the most dissatisfied coalition: finding none is not a proof.
   */
  CORE_TEST_METHOD_SEARCH: 'CORE_TEST_METHOD_SEARCH',
  CORE_TEST_METHOD_SKIPPED: 'CORE_TEST_METHOD_SKIPPED',
} as const;

export type CoreTestMethod =
  | 'CORE_TEST_METHOD_UNSPECIFIED'
  | 0
  /**
   * Every coalition (up to 16 members).
   */
  | 'CORE_TEST_METHOD_EXACT'
  | 1
  /**
   * A search for the most dissatisfied coalition: finding none is not a proof.
   */
  | 'CORE_TEST_METHOD_SEARCH'
  | 2
  | 'CORE_TEST_METHOD_SKIPPED'
  | 3

export type CoreTestMethod__Output = typeof CoreTestMethod[keyof typeof CoreTestMethod]
