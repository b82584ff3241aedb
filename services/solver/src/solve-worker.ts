/**
 * Worker-thread side of the solver pool (Piscina). Runs the clearing pipeline and returns encoded
 * protobuf blobs: the service thread only stores and forwards them.
 */
import { decodeIterate, encodeIterate, networkChargeReport, solveMarket } from "@peermarket/market";
import type { Solution } from "@peermarket/model";
import { classifyError } from "./classify-error.js";
import { marketServiceDefinition, messageCodec } from "./proto.js";
import {
  STOP_MESSAGES,
  StopReason,
  type ChargesTask,
  type ChargesTaskResult,
  type ProgressMessage,
  type SolveTask,
  type SolveTaskResult,
} from "./task.js";

const codec = messageCodec();
const service = marketServiceDefinition();

/** A copy that owns exactly its bytes (a pooled Buffer would drag its whole pool through postMessage). */
function exact(bytes: Uint8Array): Uint8Array {
  return bytes.slice();
}

/** Clears one market. Never throws: failures come back classified. */
export async function solve(task: SolveTask): Promise<SolveTaskResult> {
  const stop = new Int32Array(task.stop);
  const port = task.progressPort;
  const startMs = Date.now();
  try {
    const before = Atomics.load(stop, 0) as StopReason;
    if (before !== StopReason.none) return { kind: "skipped", reason: before };
    const outcome = await solveMarket(task.market, {
      settings: task.settings ?? undefined,
      warmStart: task.warmStart === null ? undefined : decodeIterate(task.warmStart),
      onProgress: port === null ? undefined : (progress) => port.postMessage({ type: "progress", progress } satisfies ProgressMessage),
      progressInterval: task.progressInterval,
      shouldStop: () => Atomics.load(stop, 0) !== StopReason.none,
      limits: task.limits,
    });
    const createMs = Date.now();
    const solution: Solution = {
      ...outcome.solution,
      id: task.id,
      createTime: new Date(createMs).toISOString(),
      marketName: task.market.name,
    };
    const reason = Atomics.load(stop, 0);
    if (solution.status === "SOLVE_STATUS_CANCELLED" && reason !== StopReason.none) {
      solution.statusMessage = solution.statusMessage ? `${STOP_MESSAGES[reason]} (${solution.statusMessage})` : STOP_MESSAGES[reason];
    }
    const request = { market: task.market, settings: task.settings, progressInterval: task.progressInterval };
    return {
      kind: "solved",
      summary: {
        status: solution.status,
        iterations: solution.iterations,
        agentCount: solution.agents.length,
        pairCount: solution.pairCount,
        solveTimeS: solution.solveTimeS,
        setupTimeS: solution.setupTimeS,
      },
      startMs,
      createMs,
      createTime: solution.createTime,
      request: exact(codec.encodeRequest(request)),
      solution: exact(codec.encodeSolution(solution)),
      basic: exact(codec.encodeSolution({ ...solution, agents: [], trades: [] })),
      iterate: exact(encodeIterate(outcome.iterate)),
      event: task.encodeEvent ? exact(service.StreamSolveMarket.responseSerialize({ solution })) : null,
    };
  } catch (err) {
    return { kind: "failed", failure: classifyError(err) };
  } finally {
    if (port !== null) {
      port.postMessage({ type: "end" } satisfies ProgressMessage);
      port.close();
    }
  }
}

/** The DSO report of a stored solution. Never throws: failures come back classified. */
export function charges(task: ChargesTask): ChargesTaskResult {
  try {
    const request = codec.decodeRequest(task.request);
    const solution = codec.decodeSolution(task.solution);
    if (!request.market) throw new Error(`stored solution ${task.solutionId} has no market`);
    const report = { ...networkChargeReport(request.market, solution), solutionId: task.solutionId };
    return { kind: "report", report: exact(service.GetNetworkCharges.responseSerialize(report)) };
  } catch (err) {
    return { kind: "failed", failure: classifyError(err) };
  }
}

/** Loads the worker's modules; the pool runs it once per thread at start-up. */
export function ping(): boolean {
  return true;
}
