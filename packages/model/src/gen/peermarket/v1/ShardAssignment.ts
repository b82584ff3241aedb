// Original file: peermarket/v1/negotiation.proto


/**
 * A shard of a market: agents [agent_begin, agent_begin + agent_count) of the coordinator's
 * arrays, renumbered from 0, with their directed trades. Arrays are little-endian float64
 * (int32 for trade_start and mirror). `mirror` indexes the shard's trades, or
 * trade_count + g for the g-th ghost: a trade of another shard, sent with every phase.
 */
export interface ShardAssignment {
  'solveId'?: (string);
  'shard'?: (number);
  'agentBegin'?: (number);
  'agentCount'?: (number);
  'tradeCount'?: (number);
  'ghostCount'?: (number);
  'costQuadratic'?: (Buffer | Uint8Array | string);
  'costLinear'?: (Buffer | Uint8Array | string);
  'powerMin'?: (Buffer | Uint8Array | string);
  'powerMax'?: (Buffer | Uint8Array | string);
  'tradeStart'?: (Buffer | Uint8Array | string);
  'tradeMin'?: (Buffer | Uint8Array | string);
  'tradeMax'?: (Buffer | Uint8Array | string);
  'costSell'?: (Buffer | Uint8Array | string);
  'costBuy'?: (Buffer | Uint8Array | string);
  'mirror'?: (Buffer | Uint8Array | string);
  /**
   * The iterate the next phase starts from: trades p, consensus z, prices λ, marginal prices μ.
   */
  'trades'?: (Buffer | Uint8Array | string);
  'consensus'?: (Buffer | Uint8Array | string);
  'prices'?: (Buffer | Uint8Array | string);
  'marginalPrices'?: (Buffer | Uint8Array | string);
}

/**
 * A shard of a market: agents [agent_begin, agent_begin + agent_count) of the coordinator's
 * arrays, renumbered from 0, with their directed trades. Arrays are little-endian float64
 * (int32 for trade_start and mirror). `mirror` indexes the shard's trades, or
 * trade_count + g for the g-th ghost: a trade of another shard, sent with every phase.
 */
export interface ShardAssignment__Output {
  'solveId': (string);
  'shard': (number);
  'agentBegin': (number);
  'agentCount': (number);
  'tradeCount': (number);
  'ghostCount': (number);
  'costQuadratic': (Buffer);
  'costLinear': (Buffer);
  'powerMin': (Buffer);
  'powerMax': (Buffer);
  'tradeStart': (Buffer);
  'tradeMin': (Buffer);
  'tradeMax': (Buffer);
  'costSell': (Buffer);
  'costBuy': (Buffer);
  'mirror': (Buffer);
  /**
   * The iterate the next phase starts from: trades p, consensus z, prices λ, marginal prices μ.
   */
  'trades': (Buffer);
  'consensus': (Buffer);
  'prices': (Buffer);
  'marginalPrices': (Buffer);
}
