/**
 * Splits agents [0, nAgents) into `count` contiguous ranges of about equal work, measured in
 * trades plus a fixed per-agent cost (an agent's local solve has an overhead beyond its trades),
 * so that a grid agent trading with everyone weighs what it costs. Returns count + 1 boundaries.
 */
export function shardBounds(tradeStart: Int32Array, count: number, perAgent = 4): Int32Array {
  const n = tradeStart.length - 1;
  const bounds = new Int32Array(count + 1);
  const total = tradeStart[n] + perAgent * n;
  let agent = 0;
  for (let s = 1; s < count; s++) {
    const target = (total * s) / count;
    while (agent < n && tradeStart[agent + 1] + perAgent * (agent + 1) <= target) agent++;
    // Put the agent straddling the target on the side that leaves the smaller imbalance.
    if (agent < n) {
      const before = tradeStart[agent] + perAgent * agent;
      const after = tradeStart[agent + 1] + perAgent * (agent + 1);
      if (after - target < target - before) agent++;
    }
    bounds[s] = Math.max(agent, bounds[s - 1]);
  }
  bounds[count] = n;
  return bounds;
}
