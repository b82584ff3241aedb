import { status, type sendUnaryData, type ServerUnaryCall, type ServerWritableStream, type StatusObject, type UntypedServiceImplementation } from "@grpc/grpc-js";
import type { Logger } from "./logger.js";
import type {
  GetNetworkChargesRequest,
  GetSolutionRequest,
  ListSolutionsRequest,
  ListSolutionsResponse,
  SolveEvent,
  SolveMarketRequest,
  SolveProgress,
} from "./messages.js";
import { PageTokenError, decodePageToken, encodePageToken } from "./page-token.js";
import { QueueFullError, type SolverPool } from "./pool.js";
import type { MessageCodec } from "./proto.js";
import { RequestLog } from "./request-log.js";
import { goneStatus, solveCall } from "./solve-call.js";
import { statusError } from "./status-error.js";
import type { SolutionStore } from "./store.js";

/** What the MarketService implementation works with. */
export interface MarketServiceDeps {
  store: SolutionStore;
  pool: SolverPool;
  codec: MessageCodec;
  logger: Logger;
  limits: { maxAgents: number; maxPairs: number };
}

/** ListSolutions page sizes. */
export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 1000;

type Unary<Req> = (call: ServerUnaryCall<Req, unknown>, callback: sendUnaryData<unknown>) => void;

function required(field: string): Partial<StatusObject> {
  return statusError(status.INVALID_ARGUMENT, `${field}: required`, [{ field, description: "required" }]);
}

function notFound(field: string, id: string): Partial<StatusObject> {
  return statusError(status.NOT_FOUND, `${field}: no stored solution with id ${JSON.stringify(id)}`);
}

/**
 * A unary handler that logs one line per request and never lets an exception escape: whatever
 * goes wrong becomes INTERNAL and the server keeps serving. Handlers return the response (a message
 * object, or an encoded Buffer) or a status error.
 */
function unary<Req>(
  logger: Logger,
  method: string,
  handle: (request: Req, log: RequestLog, call: ServerUnaryCall<Req, unknown>) => Promise<{ value: unknown } | { error: Partial<StatusObject> }>,
): Unary<Req> {
  return (call, callback) => {
    const log = new RequestLog(logger, method, call.getPeer());
    handle(call.request, log, call)
      .catch((err: unknown) => {
        logger.error("unexpected error", { method, error: (err as Error)?.message, stack: (err as Error)?.stack });
        return { error: statusError(status.INTERNAL, `internal error: ${(err as Error)?.message ?? String(err)}`) };
      })
      .then((reply) => {
        if (call.cancelled) log.finish(goneStatus(call), "the client went away before the reply");
        else if ("error" in reply) log.finish(reply.error.code ?? status.UNKNOWN, reply.error.details);
        else log.finish(status.OK);
        if ("error" in reply) callback(reply.error);
        else callback(null, reply.value);
      })
      .catch((err: unknown) => logger.error("cannot reply", { method, error: (err as Error)?.message }));
  };
}

/** The implementation of peermarket.v1.MarketService. Responses that are Buffers are sent as encoded. */
export function marketServiceImplementation(deps: MarketServiceDeps): UntypedServiceImplementation {
  const { store, pool, codec, logger } = deps;

  const SolveMarket = unary<SolveMarketRequest>(logger, "SolveMarket", async (request, log, call) => {
    const reply = await solveCall(request, call, deps, log);
    return reply.ok ? { value: reply.solution } : { error: reply.error };
  });

  const StreamSolveMarket = (call: ServerWritableStream<SolveMarketRequest, SolveEvent | Buffer>): void => {
    const log = new RequestLog(logger, "StreamSolveMarket", call.getPeer());
    let progressEvents = 0;
    let lastIteration = -1;
    const onProgress = (progress: SolveProgress): void => {
      // the engine reports at the cadence and once at the end, which may be the same iteration
      if (call.cancelled || call.writableEnded || progress.iteration === lastIteration) return;
      lastIteration = progress.iteration;
      progressEvents++;
      call.write({ progress });
    };
    solveCall(call.request, call, deps, log, onProgress)
      .catch((err: unknown) => {
        logger.error("unexpected error", { method: "StreamSolveMarket", error: (err as Error)?.message, stack: (err as Error)?.stack });
        return { ok: false as const, error: statusError(status.INTERNAL, `internal error: ${(err as Error)?.message ?? String(err)}`) };
      })
      .then((reply) => {
        log.set({ progressEvents });
        if (call.cancelled) {
          log.finish(goneStatus(call), "the client went away before the reply");
          return;
        }
        if (!reply.ok) {
          log.finish(reply.error.code ?? status.UNKNOWN, reply.error.details);
          call.emit("error", reply.error);
          return;
        }
        log.finish(status.OK);
        call.write(reply.event ?? { solution: codec.decodeSolution(reply.solution) });
        call.end();
      })
      .catch((err: unknown) => logger.error("cannot reply", { method: "StreamSolveMarket", error: (err as Error)?.message }));
  };

  const GetSolution = unary<GetSolutionRequest>(logger, "GetSolution", async (request) => {
    if (!request.id) return { error: required("id") };
    const blob = store.solution(request.id, request.view !== "SOLUTION_VIEW_BASIC");
    return blob === undefined ? { error: notFound("id", request.id) } : { value: blob };
  });

  const ListSolutions = unary<ListSolutionsRequest>(logger, "ListSolutions", async (request, log) => {
    const size = request.pageSize ?? 0;
    if (!Number.isInteger(size) || size < 0) {
      const description = `must be a non-negative integer, got ${size}`;
      return { error: statusError(status.INVALID_ARGUMENT, `pageSize: ${description}`, [{ field: "pageSize", description }]) };
    }
    const limit = size === 0 ? DEFAULT_PAGE_SIZE : Math.min(size, MAX_PAGE_SIZE);
    const marketName = request.marketName ?? "";
    let after;
    if (request.pageToken) {
      try {
        after = decodePageToken(request.pageToken, marketName);
      } catch (err) {
        if (!(err instanceof PageTokenError)) throw err;
        return { error: statusError(status.INVALID_ARGUMENT, err.message, [{ field: "pageToken", description: err.message }]) };
      }
    }
    const rows = store.list({ limit: limit + 1, after, marketName, full: request.view === "SOLUTION_VIEW_FULL" });
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    const response: ListSolutionsResponse = {
      solutions: page.map((row) => codec.decodeSolution(row.blob)),
      nextPageToken: rows.length > limit && last ? encodePageToken({ createMs: last.createMs, id: last.id, marketName }) : "",
    };
    log.set({ results: page.length });
    return { value: response };
  });

  const GetNetworkCharges = unary<GetNetworkChargesRequest>(logger, "GetNetworkCharges", async (request, log) => {
    const id = request.solutionId;
    if (!id) return { error: required("solutionId") };
    const solution = store.solution(id, true);
    const stored = store.request(id);
    if (solution === undefined || stored === undefined) return { error: notFound("solutionId", id) };
    log.set({ solutionId: id });
    try {
      const result = await pool.charges({ solutionId: id, request: stored, solution });
      if (result.kind === "report") return { value: Buffer.from(result.report.buffer, result.report.byteOffset, result.report.byteLength) };
      if (result.failure.stack) logger.error("charges failed", { solutionId: id, error: result.failure.message, stack: result.failure.stack });
      return { error: statusError(result.failure.code, result.failure.message, result.failure.violations) };
    } catch (err) {
      if (err instanceof QueueFullError) return { error: statusError(status.RESOURCE_EXHAUSTED, err.message) };
      throw err;
    }
  });

  return { SolveMarket, StreamSolveMarket, GetSolution, ListSolutions, GetNetworkCharges } as UntypedServiceImplementation;
}
