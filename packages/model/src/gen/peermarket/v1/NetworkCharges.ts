// Original file: peermarket/v1/market.proto

import type { ChargeDesign as _peermarket_v1_ChargeDesign, ChargeDesign__Output as _peermarket_v1_ChargeDesign__Output } from '../../peermarket/v1/ChargeDesign.js';
import type { ZoneDistance as _peermarket_v1_ZoneDistance, ZoneDistance__Output as _peermarket_v1_ZoneDistance__Output } from '../../peermarket/v1/ZoneDistance.js';

/**
 * Exogenous network charges: a trade of q between buses i and j pays unit_fee·d_ij·q.
 */
export interface NetworkCharges {
  'design'?: (_peermarket_v1_ChargeDesign);
  /**
   * currency/MWh per unit distance.
   */
  'unitFee'?: (number | string);
  /**
   * Share of the charge borne by the seller; default 0.5.
   */
  'sellerShare'?: (number | string);
  /**
   * Find the smallest unit fee whose cleared market collects this revenue.
   */
  'targetRevenue'?: (number | string);
  /**
   * Explicit zone-to-zone distances for the zonal design (symmetric; missing pairs use hop counts).
   */
  'zoneDistances'?: (_peermarket_v1_ZoneDistance)[];
  /**
   * Time-of-use fees: the unit fee of each period (T values, Market.horizon), overriding unit_fee.
   */
  'unitFeeProfile'?: (number | string)[];
  '_sellerShare'?: "sellerShare";
  '_targetRevenue'?: "targetRevenue";
}

/**
 * Exogenous network charges: a trade of q between buses i and j pays unit_fee·d_ij·q.
 */
export interface NetworkCharges__Output {
  'design': (_peermarket_v1_ChargeDesign__Output);
  /**
   * currency/MWh per unit distance.
   */
  'unitFee': (number);
  /**
   * Share of the charge borne by the seller; default 0.5.
   */
  'sellerShare'?: (number);
  /**
   * Find the smallest unit fee whose cleared market collects this revenue.
   */
  'targetRevenue'?: (number);
  /**
   * Explicit zone-to-zone distances for the zonal design (symmetric; missing pairs use hop counts).
   */
  'zoneDistances': (_peermarket_v1_ZoneDistance__Output)[];
  /**
   * Time-of-use fees: the unit fee of each period (T values, Market.horizon), overriding unit_fee.
   */
  'unitFeeProfile': (number)[];
  '_sellerShare'?: "sellerShare";
  '_targetRevenue'?: "targetRevenue";
}
