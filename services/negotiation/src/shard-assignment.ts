import type { IterateArrays, MarketArrays } from "@peermarket/admm";
import type { ShardAssignment } from "@peermarket/model";
import type { RemoteShard } from "./shard-plan.js";
import { toBytes } from "./wire.js";

/**
 * The assignment of a remote shard: its agents' data and trades renumbered from 0, the mirror map
 * with ghosts, and the iterate the next phase starts from (`pCur`: the trades of the last
 * completed phase; z, λ and μ as they are now).
 */
export function shardAssignment(
  solveId: string,
  m: MarketArrays,
  it: IterateArrays,
  pCur: Float64Array,
  s: RemoteShard,
): ShardAssignment {
  const { agentBegin: a0, agentEnd: a1, tradeBegin: t0, tradeEnd: t1 } = s;
  const tradeStart = new Int32Array(a1 - a0 + 1);
  for (let n = a0; n <= a1; n++) tradeStart[n - a0] = m.tradeStart[n] - t0;
  return {
    solveId,
    shard: s.index,
    agentBegin: a0,
    agentCount: a1 - a0,
    tradeCount: t1 - t0,
    ghostCount: s.ghostSource.length,
    costQuadratic: toBytes(m.a, a0, a1),
    costLinear: toBytes(m.b, a0, a1),
    powerMin: toBytes(m.pMin, a0, a1),
    powerMax: toBytes(m.pMax, a0, a1),
    tradeStart: toBytes(tradeStart),
    tradeMin: toBytes(m.lo, t0, t1),
    tradeMax: toBytes(m.hi, t0, t1),
    costSell: toBytes(m.costSell, t0, t1),
    costBuy: toBytes(m.costBuy, t0, t1),
    mirror: toBytes(s.mirror),
    trades: toBytes(pCur, t0, t1),
    consensus: toBytes(it.z, t0, t1),
    prices: toBytes(it.lambda, t0, t1),
    marginalPrices: toBytes(it.mu, a0, a1),
  };
}

/** The current values of a shard's ghost trades, as bytes. */
export function ghostValues(s: RemoteShard, pCur: Float64Array, scratch: Float64Array): Buffer {
  const g = s.ghostSource;
  for (let i = 0; i < g.length; i++) scratch[i] = pCur[g[i]];
  return toBytes(scratch, 0, g.length);
}
