import {
  status,
  type handleServerStreamingCall,
  type handleUnaryCall,
  type Metadata,
  type ServerUnaryCall,
  type StatusObject,
} from "@grpc/grpc-js";
import { listingTenant, mayListFull, mayReadBasic, mayReadCharges, mayReadFull, maySolve } from "./access.js";
import { authenticate, type Principal, type TokenTable } from "./auth.js";
import { peerHost, type ClientLimiter } from "./client-limiter.js";
import type { Logger } from "./logger.js";
import type { ListSolutionsResponse, MarketServiceHandlers, SolveProgress } from "@peermarket/model";
import {
  DEFAULT_TRADE_PAGE,
  MAX_TRADE_PAGE,
  replySolution,
  solutionLayout,
  type SolutionLayout,
  tradePage,
} from "./solution-trades.js";
import { PageTokenError, decodePageToken, encodePageToken } from "./page-token.js";
import { QueueFullError, type SolverPool } from "./pool.js";
import type { MessageCodec } from "./proto.js";
import { RequestLog } from "./request-log.js";
import { goneStatus, solveCall, type SolveCaller, type SolveLimits } from "./solve-call.js";
import { RejectedRequest } from "./request-boundary.js";
import { solutionNotFound, statusError } from "./status-error.js";
import type { SolutionStore } from "./store.js";

/** What the MarketService implementation works with. */
export interface MarketServiceDeps {
  store: SolutionStore;
  pool: SolverPool;
  codec: MessageCodec;
  logger: Logger;
  limits: SolveLimits;
  /** Per-client limit of solves running or queued. */
  clients: ClientLimiter;
  /** Bearer tokens, or null to serve without authentication. */
  tokens: TokenTable | null;
}

/** The methods whose request the server receives as the encoded bytes (server.ts), decoded in a worker thread. */
export const RAW_REQUEST_METHODS = [
  "SolveMarket",
  "StreamSolveMarket",
  "CompareMechanisms",
] as const satisfies readonly MethodName[];
type RawRequestMethod = (typeof RAW_REQUEST_METHODS)[number];

/** What a handler of method M receives: the generated request message (or its bytes), or the wire check's refusal. */
type Received<M, Req> = (M extends RawRequestMethod ? Buffer : Req) | RejectedRequest;

/**
 * MarketService as this server implements it: the generated handler types (MarketServiceHandlers,
 * from the .proto files) with the server's two departures — a request may be a RejectedRequest
 * (refused on the wire before decoding) or, for RawRequestMethod, the encoded bytes; a response
 * may be a Buffer holding the message already encoded (sent as it is).
 */
export type MarketServiceImplementation = {
  [M in keyof Methods]: Methods[M] extends handleUnaryCall<infer Req, infer Res>
    ? handleUnaryCall<Received<M, Req>, Res | Buffer>
    : Methods[M] extends handleServerStreamingCall<infer Req, infer Res>
      ? handleServerStreamingCall<Received<M, Req>, Res | Buffer>
      : never;
};

/** The generated handlers by method name (without grpc-js's index signature of untyped handlers). */
type Methods = {
  [M in keyof MarketServiceHandlers as string extends M ? never : M]: MarketServiceHandlers[M];
};

/** The name of a MarketService method. */
type MethodName = keyof Methods;

/** The decoded request of a method (without the wire check's refusal). */
type RequestOf<M extends keyof MarketServiceImplementation> = Exclude<
  Parameters<MarketServiceImplementation[M]>[0]["request"],
  RejectedRequest
>;

/** The response of a unary method (the message, or the message already encoded). */
type ResponseOf<M extends MethodName> =
  MarketServiceImplementation[M] extends handleUnaryCall<never, infer Res> ? Res : never;

/** Default gRPC message limit of the service, when the limits do not say. */
const DEFAULT_MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

/**
 * Messages a stream may hold unsent (its client not reading; grpc-js streams count messages, not
 * bytes) before progress events are dropped: past it, or when write() says the buffer is full, only
 * the latest progress is kept until 'drain'. A progress event is about 50 bytes.
 */
export const MAX_STREAM_BUFFERED_EVENTS = 16;

function tradePageToken(id: string, next: number): string {
  return Buffer.from(JSON.stringify({ v: 1, s: id, k: next }), "utf8").toString("base64url");
}

/** The position a ListSolutionTrades token continues at; throws PageTokenError when it is not one for this solution. */
function decodeTradePageToken(token: string, id: string): number {
  const parse = (): { v?: unknown; s?: unknown; k?: unknown } | null => {
    try {
      return JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as {
        v?: unknown;
        s?: unknown;
        k?: unknown;
      } | null;
    } catch {
      return null;
    }
  };
  const v = parse();
  if (
    v === null ||
    typeof v !== "object" ||
    v.v !== 1 ||
    typeof v.s !== "string" ||
    typeof v.k !== "number" ||
    !Number.isSafeInteger(v.k) ||
    v.k < 0
  ) {
    throw new PageTokenError("pageToken: not a token returned by ListSolutionTrades");
  }
  if (v.s !== id)
    throw new PageTokenError(`pageToken: issued for solution ${JSON.stringify(v.s)}, not ${JSON.stringify(id)}`);
  return v.k;
}

/** ListSolutions page sizes. */
export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 1000;

type Reply<Res> = { value: Res } | { error: Partial<StatusObject> };

function required(field: string): Partial<StatusObject> {
  return statusError(status.INVALID_ARGUMENT, `${field}: required`, [{ field, description: "required" }]);
}

function notFound(field: string, id: string): Partial<StatusObject> {
  return solutionNotFound(field, id);
}

function denied(message: string): Partial<StatusObject> {
  return statusError(status.PERMISSION_DENIED, message);
}

const OTHER_TENANT = "the solution belongs to another tenant";
const DSO_BASIC_ONLY =
  "the dso role reads solutions in the BASIC view only (view = SOLUTION_VIEW_BASIC) and their network-charge reports";

/** Authenticates a call and names it in the request log; an error status when it cannot be. */
function identify(
  deps: MarketServiceDeps,
  metadata: Metadata,
  log: RequestLog,
): { principal: Principal } | { error: Partial<StatusObject> } {
  const auth = authenticate(metadata, deps.tokens);
  if (!auth.ok) return { error: statusError(status.UNAUTHENTICATED, auth.message) };
  if (deps.tokens !== null)
    log.set({ client: auth.principal.name, role: auth.principal.role, tenant: auth.principal.tenant || undefined });
  return { principal: auth.principal };
}

function internal(logger: Logger, method: string, err: unknown): Partial<StatusObject> {
  logger.error("unexpected error", { method, error: (err as Error)?.message, stack: (err as Error)?.stack });
  return statusError(status.INTERNAL, `internal error: ${(err as Error)?.message ?? String(err)}`);
}

/**
 * A unary handler that authenticates the caller, logs one line per request and never lets an
 * exception escape: whatever goes wrong becomes INTERNAL and the server keeps serving. Handlers
 * return the response (a message object, or an encoded Buffer) or a status error.
 */
function unary<M extends MethodName>(
  deps: MarketServiceDeps,
  method: M,
  handle: (
    request: RequestOf<M>,
    principal: Principal,
    log: RequestLog,
    call: ServerUnaryCall<unknown, unknown>,
  ) => Promise<Reply<ResponseOf<M>>>,
): handleUnaryCall<RequestOf<M> | RejectedRequest, ResponseOf<M>> {
  const { logger } = deps;
  return (call, callback) => {
    const log = new RequestLog(logger, method, call.getPeer());
    const who = identify(deps, call.metadata, log);
    const request = call.request;
    const work: Promise<Reply<ResponseOf<M>>> =
      "error" in who
        ? Promise.resolve(who)
        : request instanceof RejectedRequest
          ? Promise.resolve({ error: request.error })
          : handle(request, who.principal, log, call);
    work
      .catch((err: unknown): Reply<ResponseOf<M>> => ({ error: internal(logger, method, err) }))
      .then((reply) => {
        if (call.cancelled) log.finish(goneStatus(call), "the client went away before the reply");
        else if ("error" in reply) log.finishWith(reply.error);
        else log.finish(status.OK);
        if ("error" in reply) callback(reply.error);
        else callback(null, reply.value);
      })
      .catch((err: unknown) => logger.error("cannot reply", { method, error: (err as Error)?.message }));
  };
}

/** The key of the per-client limit: the token's name, or the peer's IP address without authentication. */
function clientKey(deps: MarketServiceDeps, principal: Principal, peer: string): string {
  return deps.tokens !== null ? `token:${principal.name}` : `peer:${peerHost(peer)}`;
}

/**
 * The implementation of peermarket.v1.MarketService. SolveMarket and StreamSolveMarket receive the
 * request as encoded bytes (see `rawSolveRequests`); responses that are Buffers are sent as encoded.
 */
export function marketServiceImplementation(
  deps: MarketServiceDeps,
): Omit<MarketServiceImplementation, "CompareMechanisms" | "GetComparison"> {
  const { store, pool, codec, logger } = deps;
  const maxMessageBytes = deps.limits.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
  /** The last solution paged by ListSolutionTrades (its blob and layout), so that the next pages do not read it again. */
  let paged: { id: string; blob: Buffer; layout: SolutionLayout; at: number } | null = null;

  const SolveMarket = unary(deps, "SolveMarket", async (request, principal, log, call) => {
    if (!maySolve(principal)) return { error: denied(`the ${principal.role} role may not clear markets`) };
    const caller: SolveCaller = { principal, client: clientKey(deps, principal, call.getPeer()) };
    const reply = await solveCall(request, call, deps, caller, log);
    return reply.ok ? { value: reply.solution } : { error: reply.error };
  });

  const StreamSolveMarket: MarketServiceImplementation["StreamSolveMarket"] = (call) => {
    const log = new RequestLog(logger, "StreamSolveMarket", call.getPeer());
    let progressEvents = 0;
    let progressDropped = 0;
    let maxBuffered = 0;
    let lastIteration = -1;
    // Back-pressure: while the stream's buffer is full (write() returned false, or more than
    // MAX_STREAM_BUFFERED_EVENTS messages wait unsent) progress is not written; only the latest is kept and
    // written at 'drain'. The final event is always written.
    let waiting = false;
    let pending: SolveProgress | null = null;
    let finished = false;
    const send = (progress: SolveProgress): void => {
      progressEvents++;
      const ok = call.write({ progress });
      maxBuffered = Math.max(maxBuffered, call.writableLength);
      if (!ok || call.writableLength > MAX_STREAM_BUFFERED_EVENTS) {
        waiting = true;
        call.once("drain", () => {
          waiting = false;
          const next = pending;
          pending = null;
          if (next !== null && !finished && !call.cancelled && !call.writableEnded) send(next);
        });
      }
    };
    const onProgress = (progress: SolveProgress): void => {
      // the engine reports at the cadence and once at the end, which may be the same iteration
      if (finished || call.cancelled || call.writableEnded || progress.iteration === lastIteration) return;
      lastIteration = progress.iteration;
      if (waiting) {
        if (pending !== null) progressDropped++;
        pending = progress;
        return;
      }
      send(progress);
    };
    const who = identify(deps, call.metadata, log);
    let work: Promise<
      { ok: true; solution: Buffer; event: Buffer | null } | { ok: false; error: Partial<StatusObject> }
    >;
    if ("error" in who) work = Promise.resolve({ ok: false as const, error: who.error });
    else if (call.request instanceof RejectedRequest)
      work = Promise.resolve({ ok: false as const, error: call.request.error });
    else if (!maySolve(who.principal))
      work = Promise.resolve({
        ok: false as const,
        error: denied(`the ${who.principal.role} role may not clear markets`),
      });
    else
      work = solveCall(
        call.request,
        call,
        deps,
        { principal: who.principal, client: clientKey(deps, who.principal, call.getPeer()) },
        log,
        onProgress,
      );
    work
      .catch((err: unknown) => ({ ok: false as const, error: internal(logger, "StreamSolveMarket", err) }))
      .then((reply) => {
        finished = true;
        if (pending !== null) progressDropped++;
        pending = null;
        log.set({ progressEvents, progressDropped, maxBufferedEvents: maxBuffered });
        if (call.cancelled) {
          log.finish(goneStatus(call), "the client went away before the reply");
          return;
        }
        if (!reply.ok) {
          log.finishWith(reply.error);
          call.emit("error", reply.error);
          return;
        }
        log.finish(status.OK);
        call.write(reply.event ?? { solution: codec.decodeSolution(reply.solution) });
        call.end();
      })
      .catch((err: unknown) =>
        logger.error("cannot reply", { method: "StreamSolveMarket", error: (err as Error)?.message }),
      );
  };

  const GetSolution = unary(deps, "GetSolution", async (request, principal) => {
    if (!request.id) return { error: required("id") };
    const full = request.view !== "SOLUTION_VIEW_BASIC";
    if (full && !mayListFull(principal)) return { error: denied(DSO_BASIC_ONLY) };
    const found = store.find(request.id, full);
    if (found === undefined) return { error: notFound("id", request.id) };
    if (!(full ? mayReadFull(principal, found.tenant) : mayReadBasic(principal, found.tenant)))
      return { error: denied(OTHER_TENANT) };
    if (found.blob.length <= maxMessageBytes - 1024) return { value: found.blob };
    // Too large for one message: the trades that carry power, as many as fit (trades_truncated).
    const reply = replySolution(found.blob, maxMessageBytes);
    if (reply === null) {
      const description = `solution ${JSON.stringify(request.id)} without its trades is over the message limit of ${maxMessageBytes} bytes; read it in the BASIC view`;
      return { error: statusError(status.RESOURCE_EXHAUSTED, `id: ${description}`, [{ field: "id", description }]) };
    }
    return { value: Buffer.from(reply.buffer, reply.byteOffset, reply.byteLength) };
  });

  const ListSolutions = unary(deps, "ListSolutions", async (request, principal, log) => {
    const size = request.pageSize ?? 0;
    if (!Number.isInteger(size) || size < 0) {
      const description = `must be a non-negative integer, got ${size}`;
      return {
        error: statusError(status.INVALID_ARGUMENT, `pageSize: ${description}`, [{ field: "pageSize", description }]),
      };
    }
    const full = request.view === "SOLUTION_VIEW_FULL";
    if (full && !mayListFull(principal)) return { error: denied(DSO_BASIC_ONLY) };
    const limit = size === 0 ? DEFAULT_PAGE_SIZE : Math.min(size, MAX_PAGE_SIZE);
    const marketName = request.marketName ?? "";
    let after;
    if (request.pageToken) {
      try {
        after = decodePageToken(request.pageToken, marketName);
      } catch (err) {
        if (!(err instanceof PageTokenError)) throw err;
        return {
          error: statusError(status.INVALID_ARGUMENT, err.message, [{ field: "pageToken", description: err.message }]),
        };
      }
    }
    const rows = store.list({ limit: limit + 1, after, marketName, tenant: listingTenant(principal), full });
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    const response: ListSolutionsResponse = {
      solutions: page.map((row) => {
        // A page of FULL solutions shares the message limit: each large one gives up its trades first.
        const share = Math.floor(maxMessageBytes / Math.max(1, page.length));
        const blob = full && row.blob.length > share - 1024 ? replySolution(row.blob, share) : row.blob;
        if (blob !== null) return codec.decodeSolution(blob);
        return { ...codec.decodeSolution(row.blob), agents: [], trades: [], tradesTruncated: true };
      }),
      nextPageToken:
        rows.length > limit && last ? encodePageToken({ createMs: last.createMs, id: last.id, marketName }) : "",
    };
    log.set({ results: page.length });
    return { value: response };
  });

  const GetNetworkCharges = unary(deps, "GetNetworkCharges", async (request, principal, log) => {
    const id = request.solutionId;
    if (!id) return { error: required("solutionId") };
    const tenant = store.tenantOf(id);
    if (tenant === undefined) return { error: notFound("solutionId", id) };
    if (!mayReadCharges(principal, tenant)) return { error: denied(OTHER_TENANT) };
    const solution = store.solution(id, true);
    const stored = store.request(id);
    if (solution === undefined || stored === undefined) return { error: notFound("solutionId", id) };
    log.set({ solutionId: id });
    try {
      const result = await pool.charges({ solutionId: id, request: stored, solution });
      if (result.kind === "report")
        return { value: Buffer.from(result.report.buffer, result.report.byteOffset, result.report.byteLength) };
      if (result.failure.stack)
        logger.error("charges failed", {
          solutionId: id,
          error: result.failure.message,
          stack: result.failure.stack,
        });
      return { error: statusError(result.failure.code, result.failure.message, result.failure.violations) };
    } catch (err) {
      if (err instanceof QueueFullError) return { error: statusError(status.RESOURCE_EXHAUSTED, err.message) };
      throw err;
    }
  });

  const ListSolutionTrades = unary(deps, "ListSolutionTrades", async (request, principal, log) => {
    const id = request.solutionId;
    if (!id) return { error: required("solutionId") };
    if (!mayListFull(principal)) return { error: denied(DSO_BASIC_ONLY) };
    const size = request.pageSize ?? 0;
    if (!Number.isInteger(size) || size < 0) {
      const description = `must be a non-negative integer, got ${size}`;
      return {
        error: statusError(status.INVALID_ARGUMENT, `pageSize: ${description}`, [{ field: "pageSize", description }]),
      };
    }
    const limit = size === 0 ? DEFAULT_TRADE_PAGE : Math.min(size, MAX_TRADE_PAGE);
    let first = 0;
    if (request.pageToken) {
      try {
        first = decodeTradePageToken(request.pageToken, id);
      } catch (err) {
        if (!(err instanceof PageTokenError)) throw err;
        return {
          error: statusError(status.INVALID_ARGUMENT, err.message, [{ field: "pageToken", description: err.message }]),
        };
      }
    }
    const tenant = store.tenantOf(id);
    if (tenant === undefined) return { error: notFound("solutionId", id) };
    if (!mayReadFull(principal, tenant)) return { error: denied(OTHER_TENANT) };
    if (paged === null || paged.id !== id || Date.now() - paged.at > 60_000) {
      paged = null;
      const found = store.find(id, true);
      if (found === undefined) return { error: notFound("solutionId", id) };
      paged = { id, blob: found.blob, layout: solutionLayout(found.blob), at: Date.now() };
    }
    const { blob, layout } = paged;
    paged.at = Date.now();
    if (first > layout.tradeCount) {
      const description = `position ${first} is past the ${layout.tradeCount} trades of the solution`;
      return {
        error: statusError(status.INVALID_ARGUMENT, `pageToken: ${description}`, [{ field: "pageToken", description }]),
      };
    }
    log.set({ solutionId: id, first, results: Math.min(limit, layout.tradeCount - first) });
    return { value: tradePage(blob, layout, first, limit, maxMessageBytes, (next) => tradePageToken(id, next)) };
  });

  return {
    SolveMarket,
    StreamSolveMarket,
    GetSolution,
    ListSolutions,
    GetNetworkCharges,
    ListSolutionTrades,
  };
}
