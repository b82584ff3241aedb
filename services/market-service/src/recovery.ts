import { solutionWithoutResult } from "./empty-solution.js";
import type { Logger } from "./logger.js";
import type { MessageCodec } from "./proto.js";
import type { SolutionStore } from "./store.js";

/** Status message of a solve that was running when the service stopped without finishing it. */
export const INTERRUPTED_MESSAGE =
  "interrupted by a server restart: the service stopped while this solve ran; its request is kept, its result is not";

/**
 * Turns every solve recorded as running (the previous process died with them: SIGKILL, crash,
 * power loss) into a stored solution with status SOLVE_STATUS_CANCELLED and `INTERRUPTED_MESSAGE`,
 * no agents, trades or iterate, and the request it was given (so it can be listed, inspected and
 * sent again). Runs once at start-up, before the service accepts calls. Returns their ids.
 */
export function markInterrupted(store: SolutionStore, codec: MessageCodec, logger: Logger): string[] {
  const ids: string[] = [];
  for (const run of store.interrupted()) {
    const createTime = new Date(run.createMs).toISOString();
    const solution = solutionWithoutResult({
      id: run.id,
      status: "SOLVE_STATUS_CANCELLED",
      statusMessage: INTERRUPTED_MESSAGE,
      setupTimeS: 0,
      marketName: run.marketName,
      createTime,
    });
    const blob = codec.encodeSolution(solution);
    store.resolveInterrupted({
      id: run.id,
      createMs: run.createMs,
      createTime,
      marketName: run.marketName,
      tenant: run.tenant,
      status: solution.status,
      iterations: 0,
      agentCount: 0,
      pairCount: 0,
      solveTimeS: 0,
      setupTimeS: 0,
      queueMs: 0,
      totalMs: 0,
      request: run.request,
      summary: blob,
      solution: blob,
      iterate: null,
    });
    ids.push(run.id);
  }
  if (ids.length > 0) logger.warn("interrupted solves", { count: ids.length, solutionIds: ids.slice(0, 20).join(",") });
  return ids;
}
