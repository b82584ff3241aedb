// Original file: peermarket/v1/mechanisms.proto


export interface MechanismPeriod {
  'period'?: (number);
  /**
   * Average price paid by the period's net buyers and received by its net sellers (NaN without them).
   */
  'buyPrice'?: (number | string);
  'sellPrice'?: (number | string);
  /**
   * What the grid pays (negative: receives).
   */
  'gridPayment'?: (number | string);
}

export interface MechanismPeriod__Output {
  'period': (number);
  /**
   * Average price paid by the period's net buyers and received by its net sellers (NaN without them).
   */
  'buyPrice': (number);
  'sellPrice': (number);
  /**
   * What the grid pays (negative: receives).
   */
  'gridPayment': (number);
}
