/**
 * Worker-thread side of the solver pool (Piscina). Decodes the request, runs the clearing pipeline
 * and returns encoded protobuf blobs: the service thread only stores and forwards them.
 */
import { status } from "@grpc/grpc-js";
import { decodeIterate, encodeIterate, networkChargeReport, solveMarket } from "@peermarket/market";
import type { Solution, SolverSettings } from "@peermarket/model";
import { classifyError } from "./classify-error.js";
import { faultsFromEnv, withFault } from "./fault.js";
import type { SolveMarketRequest } from "./messages.js";
import { marketServiceDefinition, messageCodec } from "./proto.js";
import {
  STOP_MESSAGES,
  StopReason,
  type ChargesTask,
  type ChargesTaskResult,
  type ProgressMessage,
  type SolveTask,
  type SolveTaskResult,
  type TaskFailure,
} from "./task.js";
import { wrapField } from "./wire.js";

const codec = messageCodec();
const service = marketServiceDefinition();
const faults = faultsFromEnv();
/** Field number of `solution` in peermarket.v1.SolveEvent. */
const SOLVE_EVENT_SOLUTION = 2;

/** A copy that owns exactly its bytes (a pooled Buffer would drag its whole pool through postMessage). */
function exact(bytes: Uint8Array): Uint8Array {
  return bytes.slice();
}

function undecodable(err: unknown): TaskFailure {
  const description = `not a valid peermarket.v1.SolveMarketRequest: ${(err as Error)?.message ?? String(err)}`;
  return { code: status.INVALID_ARGUMENT, message: `request: ${description}`, violations: [{ field: "request", description }] };
}

/** The request's settings with the server's cap on the time limit applied. */
export function cappedSettings(settings: SolverSettings | null | undefined, maxTimeLimitS: number): SolverSettings | null {
  if (!(maxTimeLimitS > 0)) return settings ?? null;
  const requested = settings?.timeLimitS;
  const limit = typeof requested === "number" && requested > 0 ? Math.min(requested, maxTimeLimitS) : maxTimeLimitS;
  return { ...(settings ?? ({} as SolverSettings)), timeLimitS: limit };
}

/** Clears one market. Never throws: failures come back classified. */
export async function solve(task: SolveTask): Promise<SolveTaskResult> {
  const stop = new Int32Array(task.stop);
  const port = task.progressPort;
  const startMs = Date.now();
  try {
    const before = Atomics.load(stop, 0) as StopReason;
    if (before !== StopReason.none) return { kind: "skipped", reason: before };
    let request: SolveMarketRequest;
    try {
      request = codec.decodeRequest(task.request);
    } catch (err) {
      return { kind: "failed", failure: undecodable(err) };
    }
    const market = request.market;
    if (!market) return { kind: "failed", failure: { code: status.INVALID_ARGUMENT, message: "market: required", violations: [{ field: "market", description: "required" }] } };
    const outcome = await solveMarket(market, {
      settings: cappedSettings(request.settings, task.maxTimeLimitS) ?? undefined,
      warmStart: task.warmStart === null ? undefined : decodeIterate(task.warmStart),
      onProgress: port === null ? undefined : (progress) => port.postMessage({ type: "progress", progress } satisfies ProgressMessage),
      progressInterval: task.progressInterval,
      shouldStop: withFault(() => Atomics.load(stop, 0) !== StopReason.none, faults, market.name, task.attempt),
      limits: task.limits,
    });
    const createMs = Date.now();
    const solution: Solution = {
      ...outcome.solution,
      id: task.id,
      createTime: new Date(createMs).toISOString(),
      marketName: market.name,
    };
    const reason = Atomics.load(stop, 0);
    if (solution.status === "SOLVE_STATUS_CANCELLED" && reason !== StopReason.none) {
      solution.statusMessage = solution.statusMessage ? `${STOP_MESSAGES[reason]} (${solution.statusMessage})` : STOP_MESSAGES[reason];
    }
    const full = exact(codec.encodeSolution(solution));
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
      solution: full,
      basic: exact(codec.encodeSolution({ ...solution, agents: [], trades: [] })),
      iterate: exact(encodeIterate(outcome.iterate)),
      event: task.encodeEvent ? wrapField(SOLVE_EVENT_SOLUTION, full) : null,
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
    if (solution.agents.length === 0 && request.market.agents.length > 0) {
      const description = `solution ${task.solutionId} holds no dispatch to report on (${solution.status}: ${solution.statusMessage})`;
      return { kind: "failed", failure: { code: status.FAILED_PRECONDITION, message: `solutionId: ${description}`, violations: [{ field: "solutionId", description }] } };
    }
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
