// Original file: peermarket/v1/mechanisms.proto

export const Mechanism = {
  MECHANISM_UNSPECIFIED: 'MECHANISM_UNSPECIFIED',
  /**
   * Each member alone with the grid, with its own best schedule.
   */
  MECHANISM_GRID_ONLY: 'MECHANISM_GRID_ONLY',
  /**
   * The community's net bill shared by consumption (or, a credit, by generation).
   */
  MECHANISM_BILL_SHARING: 'MECHANISM_BILL_SHARING',
  /**
   * Mid-market rate: (import + export price) / 2 inside the community.
   */
  MECHANISM_MID_MARKET: 'MECHANISM_MID_MARKET',
  /**
   * Supply-demand ratio pricing.
   */
  MECHANISM_SUPPLY_DEMAND_RATIO: 'MECHANISM_SUPPLY_DEMAND_RATIO',
  /**
   * The cleared bilateral market's trades and prices, grid trades at the grid's tariff.
   */
  MECHANISM_BILATERAL: 'MECHANISM_BILATERAL',
} as const;

export type Mechanism =
  | 'MECHANISM_UNSPECIFIED'
  | 0
  /**
   * Each member alone with the grid, with its own best schedule.
   */
  | 'MECHANISM_GRID_ONLY'
  | 1
  /**
   * The community's net bill shared by consumption (or, a credit, by generation).
   */
  | 'MECHANISM_BILL_SHARING'
  | 2
  /**
   * Mid-market rate: (import + export price) / 2 inside the community.
   */
  | 'MECHANISM_MID_MARKET'
  | 3
  /**
   * Supply-demand ratio pricing.
   */
  | 'MECHANISM_SUPPLY_DEMAND_RATIO'
  | 4
  /**
   * The cleared bilateral market's trades and prices, grid trades at the grid's tariff.
   */
  | 'MECHANISM_BILATERAL'
  | 5

export type Mechanism__Output = typeof Mechanism[keyof typeof Mechanism]
