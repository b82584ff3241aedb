// Original file: peermarket/v1/market.proto

/**
 * How the network operator charges for trades (Baroche et al., 2019).
 */
export const ChargeDesign = {
  CHARGE_DESIGN_UNSPECIFIED: 'CHARGE_DESIGN_UNSPECIFIED',
  CHARGE_DESIGN_NONE: 'CHARGE_DESIGN_NONE',
  /**
   * The same fee for every trade (distance 1).
   */
  CHARGE_DESIGN_UNIFORM: 'CHARGE_DESIGN_UNIFORM',
  /**
   * Power-transfer distance Σ_l |PTDF_li - PTDF_lj| between the two buses.
   */
  CHARGE_DESIGN_ELECTRICAL_DISTANCE: 'CHARGE_DESIGN_ELECTRICAL_DISTANCE',
  /**
   * Number of zone borders crossed, or an explicit zone-to-zone distance.
   */
  CHARGE_DESIGN_ZONAL: 'CHARGE_DESIGN_ZONAL',
} as const;

/**
 * How the network operator charges for trades (Baroche et al., 2019).
 */
export type ChargeDesign =
  | 'CHARGE_DESIGN_UNSPECIFIED'
  | 0
  | 'CHARGE_DESIGN_NONE'
  | 1
  /**
   * The same fee for every trade (distance 1).
   */
  | 'CHARGE_DESIGN_UNIFORM'
  | 2
  /**
   * Power-transfer distance Σ_l |PTDF_li - PTDF_lj| between the two buses.
   */
  | 'CHARGE_DESIGN_ELECTRICAL_DISTANCE'
  | 3
  /**
   * Number of zone borders crossed, or an explicit zone-to-zone distance.
   */
  | 'CHARGE_DESIGN_ZONAL'
  | 4

/**
 * How the network operator charges for trades (Baroche et al., 2019).
 */
export type ChargeDesign__Output = typeof ChargeDesign[keyof typeof ChargeDesign]
