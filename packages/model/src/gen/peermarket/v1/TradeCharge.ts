// Original file: peermarket/v1/network_charges.proto


/**
 * The charge of one trade that carries power.
 */
export interface TradeCharge {
  'sellerId'?: (string);
  'buyerId'?: (string);
  'power'?: (number | string);
  /**
   * d_ij of the design.
   */
  'distance'?: (number | string);
  'sellerCharge'?: (number | string);
  'buyerCharge'?: (number | string);
  'totalCharge'?: (number | string);
  'sellerZone'?: (string);
  'buyerZone'?: (string);
  /**
   * Multi-period reports: the period (0-based) the trade is in.
   */
  'period'?: (number);
}

/**
 * The charge of one trade that carries power.
 */
export interface TradeCharge__Output {
  'sellerId': (string);
  'buyerId': (string);
  'power': (number);
  /**
   * d_ij of the design.
   */
  'distance': (number);
  'sellerCharge': (number);
  'buyerCharge': (number);
  'totalCharge': (number);
  'sellerZone': (string);
  'buyerZone': (string);
  /**
   * Multi-period reports: the period (0-based) the trade is in.
   */
  'period': (number);
}
