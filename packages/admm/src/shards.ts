import type { HorizonArrays } from "./horizon.js";

/**
 * Splits agents [0, nAgents) into `count` contiguous ranges of about equal work, measured in
 * trades plus a fixed per-agent cost (an agent's local solve has an overhead beyond its trades),
 * so that a grid agent trading with everyone weighs what it costs. Returns count + 1 boundaries.
 * With a multi-period market's `horizon`, no boundary falls inside a storage agent's periods
 * (its T period agents are solved together): such a boundary moves to the nearer end of them.
 */
export function shardBounds(
  tradeStart: Int32Array,
  count: number,
  perAgent = 4,
  horizon?: HorizonArrays | null,
): Int32Array {
  const n = tradeStart.length - 1;
  const bounds = new Int32Array(count + 1);
  const total = tradeStart[n] + perAgent * n;
  for (let s = 1; s < count; s++)
    bounds[s] = Math.max(boundaryAt(tradeStart, perAgent, horizon, (total * s) / count), bounds[s - 1]);
  bounds[count] = n;
  return bounds;
}

/** Work weight of agents [0, a): trades plus `perAgent` per agent. */
function weightBefore(tradeStart: Int32Array, perAgent: number, a: number): number {
  return tradeStart[a] + perAgent * a;
}

/**
 * The agent boundary nearest to weight `target` (a binary search on the prefix weights), moved off a
 * storage agent's periods to the nearer end of them.
 */
function boundaryAt(
  tradeStart: Int32Array,
  perAgent: number,
  horizon: HorizonArrays | null | undefined,
  target: number,
): number {
  const n = tradeStart.length - 1;
  // The first agent a with weightBefore(a + 1) > target (n if none).
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (weightBefore(tradeStart, perAgent, mid + 1) <= target) lo = mid + 1;
    else hi = mid;
  }
  let agent = lo;
  // Put the agent straddling the target on the side that leaves the smaller imbalance.
  if (agent < n) {
    const before = weightBefore(tradeStart, perAgent, agent);
    const after = weightBefore(tradeStart, perAgent, agent + 1);
    if (after - target < target - before) agent++;
  }
  if (horizon && horizon.storage.count > 0 && agent < n) {
    const st = horizon.storageOf[agent];
    if (st >= 0) {
      const first = horizon.storage.first[st];
      const end = first + horizon.periods;
      if (agent > first) {
        const wFirst = weightBefore(tradeStart, perAgent, first);
        const wEnd = weightBefore(tradeStart, perAgent, end);
        agent = wEnd - target < target - wFirst ? end : first;
      }
    }
  }
  return agent;
}

/** The most trades any period agent of a storage agent has (0 without storage). */
export function storageMaxDegree(tradeStart: Int32Array, horizon: HorizonArrays | null | undefined): number {
  if (!horizon) return 0;
  let deg = 0;
  const st = horizon.storage;
  for (let q = 0; q < st.count; q++) {
    for (let t = 0; t < horizon.periods; t++) {
      const i = st.first[q] + t;
      deg = Math.max(deg, tradeStart[i + 1] - tradeStart[i]);
    }
  }
  return deg;
}
