// Original file: peermarket/v1/network_charges.proto

import type { ChargeDesign as _peermarket_v1_ChargeDesign, ChargeDesign__Output as _peermarket_v1_ChargeDesign__Output } from '../../peermarket/v1/ChargeDesign.js';
import type { TradeCharge as _peermarket_v1_TradeCharge, TradeCharge__Output as _peermarket_v1_TradeCharge__Output } from '../../peermarket/v1/TradeCharge.js';
import type { AgentCharge as _peermarket_v1_AgentCharge, AgentCharge__Output as _peermarket_v1_AgentCharge__Output } from '../../peermarket/v1/AgentCharge.js';
import type { ZoneTotal as _peermarket_v1_ZoneTotal, ZoneTotal__Output as _peermarket_v1_ZoneTotal__Output } from '../../peermarket/v1/ZoneTotal.js';
import type { ZoneFlow as _peermarket_v1_ZoneFlow, ZoneFlow__Output as _peermarket_v1_ZoneFlow__Output } from '../../peermarket/v1/ZoneFlow.js';
import type { LineFlow as _peermarket_v1_LineFlow, LineFlow__Output as _peermarket_v1_LineFlow__Output } from '../../peermarket/v1/LineFlow.js';
import type { PeriodCharges as _peermarket_v1_PeriodCharges, PeriodCharges__Output as _peermarket_v1_PeriodCharges__Output } from '../../peermarket/v1/PeriodCharges.js';

/**
 * The network operator's view of a solution: who paid what, where the energy went,
 * and the DC line flows the dispatch causes.
 */
export interface NetworkChargeReport {
  'solutionId'?: (string);
  'design'?: (_peermarket_v1_ChargeDesign);
  'unitFee'?: (number | string);
  'sellerShare'?: (number | string);
  /**
   * Σ over trades of unit_fee · distance · power.
   */
  'totalCollected'?: (number | string);
  /**
   * Σ over trades of power.
   */
  'tradedVolume'?: (number | string);
  /**
   * Σ over trades between agents of different zones.
   */
  'interZoneVolume'?: (number | string);
  'trades'?: (_peermarket_v1_TradeCharge)[];
  'agents'?: (_peermarket_v1_AgentCharge)[];
  'zones'?: (_peermarket_v1_ZoneTotal)[];
  'zoneFlows'?: (_peermarket_v1_ZoneFlow)[];
  'lines'?: (_peermarket_v1_LineFlow)[];
  /**
   * Indexes (into `lines`) of the branches loaded above their rateA.
   */
  'overloadedLines'?: (number)[];
  /**
   * Largest |flow| / rateA over branches with a rating.
   */
  'maxLoading'?: (number | string);
  /**
   * The network the report was computed on (bundled case name or the case's function name).
   */
  'networkName'?: (string);
  /**
   * Multi-period markets (0 / empty for one period). Then `trades` lists every (trade, period)
   * that carries power (power in MW, charges in currency over the period: period_hours · fee of
   * the period · distance · power); `agents`, `zones`, `zone_flows`, `total_collected`,
   * `traded_volume` and `inter_zone_volume` are totals over the horizon (volumes in MWh); each of
   * `lines` holds its flow in every period, its flow/loading/overloaded fields are those of its
   * peak period; `overloaded_lines` are the lines overloaded in some period and `max_loading` the
   * peak over lines and periods.
   */
  'periods'?: (number);
  'periodHours'?: (number | string);
  'periodCharges'?: (_peermarket_v1_PeriodCharges)[];
}

/**
 * The network operator's view of a solution: who paid what, where the energy went,
 * and the DC line flows the dispatch causes.
 */
export interface NetworkChargeReport__Output {
  'solutionId': (string);
  'design': (_peermarket_v1_ChargeDesign__Output);
  'unitFee': (number);
  'sellerShare': (number);
  /**
   * Σ over trades of unit_fee · distance · power.
   */
  'totalCollected': (number);
  /**
   * Σ over trades of power.
   */
  'tradedVolume': (number);
  /**
   * Σ over trades between agents of different zones.
   */
  'interZoneVolume': (number);
  'trades': (_peermarket_v1_TradeCharge__Output)[];
  'agents': (_peermarket_v1_AgentCharge__Output)[];
  'zones': (_peermarket_v1_ZoneTotal__Output)[];
  'zoneFlows': (_peermarket_v1_ZoneFlow__Output)[];
  'lines': (_peermarket_v1_LineFlow__Output)[];
  /**
   * Indexes (into `lines`) of the branches loaded above their rateA.
   */
  'overloadedLines': (number)[];
  /**
   * Largest |flow| / rateA over branches with a rating.
   */
  'maxLoading': (number);
  /**
   * The network the report was computed on (bundled case name or the case's function name).
   */
  'networkName': (string);
  /**
   * Multi-period markets (0 / empty for one period). Then `trades` lists every (trade, period)
   * that carries power (power in MW, charges in currency over the period: period_hours · fee of
   * the period · distance · power); `agents`, `zones`, `zone_flows`, `total_collected`,
   * `traded_volume` and `inter_zone_volume` are totals over the horizon (volumes in MWh); each of
   * `lines` holds its flow in every period, its flow/loading/overloaded fields are those of its
   * peak period; `overloaded_lines` are the lines overloaded in some period and `max_loading` the
   * peak over lines and periods.
   */
  'periods': (number);
  'periodHours': (number);
  'periodCharges': (_peermarket_v1_PeriodCharges__Output)[];
}
