import { type MarketArrays, shardBounds } from "@peermarket/admm";

/** A contiguous range of agents run by a remote shard worker, with what it needs of the rest. */
export interface RemoteShard {
  /** Partial slot of the shard in the solve (after the local shards'). */
  slot: number;
  /** Index among the remote shards. */
  index: number;
  agentBegin: number;
  agentEnd: number;
  /** Its directed trades are [tradeBegin, tradeEnd) of the market. */
  tradeBegin: number;
  tradeEnd: number;
  /** Per ghost: the market's trade whose value the shard reads (the mirror of one of its trades owned by another shard). */
  ghostSource: Int32Array;
  /** Per trade of the shard: its mirror in shard numbering (a trade of the shard, or tradeCount + ghost). */
  mirror: Int32Array;
}

/** How a market's agents are split: the local block [0, localEnd) on `localThreads` threads, then the remote shards. */
export interface ShardPlan {
  localThreads: number;
  localEnd: number;
  remote: RemoteShard[];
  /** Partial slots in all. */
  slots: number;
}

/**
 * Splits the agents into `localThreads + remoteShards` contiguous ranges of about equal work (the
 * engine's `shardBounds`): the first `localThreads` form the local block, the others go to remote
 * workers. For each remote shard, its trades' mirrors are renumbered: a mirror inside the shard
 * keeps its place, one outside becomes a ghost whose value travels with every phase.
 */
export function planShards(m: MarketArrays, localThreads: number, remoteShards: number): ShardPlan {
  if (!(Number.isInteger(localThreads) && localThreads >= 0))
    throw new RangeError(`local threads must be an integer ≥ 0, got ${localThreads}`);
  if (!(Number.isInteger(remoteShards) && remoteShards >= 0))
    throw new RangeError(`remote shards must be an integer ≥ 0, got ${remoteShards}`);
  const count = localThreads + remoteShards;
  if (count === 0) throw new RangeError("a solve needs at least one local thread or one remote shard");
  const bounds = shardBounds(m.tradeStart, count);
  const remote: RemoteShard[] = [];
  for (let r = 0; r < remoteShards; r++) {
    const slot = localThreads + r;
    const agentBegin = bounds[slot];
    const agentEnd = bounds[slot + 1];
    const tradeBegin = m.tradeStart[agentBegin];
    const tradeEnd = m.tradeStart[agentEnd];
    const nt = tradeEnd - tradeBegin;
    const mirror = new Int32Array(nt);
    const ghosts: number[] = [];
    for (let k = tradeBegin; k < tradeEnd; k++) {
      const j = m.mirror[k];
      if (j >= tradeBegin && j < tradeEnd) mirror[k - tradeBegin] = j - tradeBegin;
      else {
        mirror[k - tradeBegin] = nt + ghosts.length;
        ghosts.push(j);
      }
    }
    remote.push({
      slot,
      index: r,
      agentBegin,
      agentEnd,
      tradeBegin,
      tradeEnd,
      ghostSource: Int32Array.from(ghosts),
      mirror,
    });
  }
  return { localThreads, localEnd: bounds[localThreads], remote, slots: count };
}
