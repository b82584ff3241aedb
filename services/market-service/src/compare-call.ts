import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import { status, type StatusObject } from "@grpc/grpc-js";
import type { CompareMechanismsRequest } from "@peermarket/model";
import { mayListFull, mayReadFull, maySolve } from "./access.js";
import { authenticate, type TokenTable } from "./auth.js";
import { classifyError } from "./classify-error.js";
import { newSolutionId } from "./ids.js";
import type { Logger } from "./logger.js";
import { marketServiceDefinition } from "./proto.js";
import { RejectedRequest } from "./request-boundary.js";
import { RequestLog } from "./request-log.js";
import type { MarketServiceImplementation } from "./service.js";
import { quote, statusError } from "./status-error.js";
import { storeFailureStatus } from "./store-errors.js";
import type { SolutionStore } from "./store.js";
import type { FieldViolation } from "./task.js";

/** What a CompareMechanisms call works with. */
export interface CompareDeps {
  logger: Logger;
  /** Where comparisons are kept (the solution store, table `comparisons`). */
  store: SolutionStore;
  tokens: TokenTable | null;
  /** Largest market (agents) and longest comparison the service accepts. */
  maxAgents: number;
  maxTimeLimitS: number;
}

const WORKER_FLAG = "peermarket.compareMechanisms";

type WorkerReply =
  | { ok: true; response: unknown }
  | { ok: false; code: number; message: string; violations: FieldViolation[] };

const MECHANISM_ENUM: Record<string, string> = {
  grid_only: "MECHANISM_GRID_ONLY",
  bill_sharing: "MECHANISM_BILL_SHARING",
  mid_market: "MECHANISM_MID_MARKET",
  supply_demand_ratio: "MECHANISM_SUPPLY_DEMAND_RATIO",
  bilateral: "MECHANISM_BILATERAL",
};
const METHOD_ENUM: Record<string, string> = {
  exact: "CORE_TEST_METHOD_EXACT",
  search: "CORE_TEST_METHOD_SEARCH",
  skipped: "CORE_TEST_METHOD_SKIPPED",
};

/** Runs one comparison in this worker thread and posts the CompareMechanismsResponse (or the failure). */
async function runInWorker(request: CompareMechanismsRequest): Promise<WorkerReply> {
  const { compareMechanisms } = await import("@peermarket/mechanisms");
  try {
    // checkRequest refused a request without a market
    const c = await compareMechanisms(request.market!, {
      settings: request.settings ?? undefined,
      exactLimit: request.exactLimit ?? undefined,
      searchBudget: request.searchBudget ?? undefined,
      searchTimeLimitS: request.searchTimeLimitS ?? undefined,
      seed: request.seed || undefined,
      skipCore: request.skipCore === true,
    });
    const coalition = (
      f: {
        members: string[];
        cost: number;
        value: number;
        lowerBound: number;
        excess: number;
        tolerance: number;
      } | null,
    ) =>
      f === null
        ? null
        : {
            memberIds: f.members,
            cost: f.cost,
            value: f.value,
            lowerBound: f.lowerBound,
            excess: f.excess,
            tolerance: f.tolerance,
          };
    const response = {
      marketName: c.market,
      status: `SOLVE_STATUS_${c.status}`,
      periods: c.periods,
      periodHours: c.periodHours,
      members: c.members.map((m) => ({
        memberId: m.id,
        power: m.power,
        energyCost: m.energyCost,
        networkCharges: m.networkCharges,
        preferenceCost: m.preferenceCost,
        gridOnlyPower: m.gridOnlyPower,
        gridOnlyCost: m.gridOnlyCost,
      })),
      mechanisms: c.mechanisms.map((m) => ({
        mechanism: MECHANISM_ENUM[m.mechanism],
        displayName: m.label,
        bills: c.members.map((mem, i) => ({
          memberId: mem.id,
          payment: m.payment[i],
          totalCost: m.totalCost[i],
          saving: m.saving[i],
          individuallyRational: m.individuallyRational[i],
          periodPayments: m.periods.payment[i],
        })),
        periods: m.periods.buyPrice.map((buy, t) => ({
          period: t,
          buyPrice: buy,
          sellPrice: m.periods.sellPrice[t],
          gridPayment: m.periods.gridPayment[t],
        })),
        budgetImbalance: m.budgetImbalance,
        jainIndex: m.jainIndex,
        clippedSavings: m.clippedSavings,
        leavingMemberIds: m.leavers,
        core: m.core
          ? {
              method: METHOD_ENUM[m.core.method],
              examined: m.core.examined,
              blockingCount: m.core.blockingCount,
              mostDissatisfied: coalition(m.core.mostDissatisfied),
              blocking: m.core.blocking.map((b) => coalition(b)),
              summary: m.core.summary,
            }
          : null,
      })),
      coreMethod: METHOD_ENUM[c.stability.method],
      coalitionsCleared: c.stability.coalitionsCleared,
      coalitionSolveTimeS: c.stability.coalitionSeconds,
      maxDualityGap: c.stability.maxGap,
      scheduleSlack: c.stability.scheduleSlack,
      solveTimeS: c.clearSeconds,
      totalTimeS: c.totalSeconds,
      notes: c.notes,
    };
    return { ok: true, response };
  } catch (err) {
    const f = classifyError(err);
    return { ok: false, code: f.code, message: f.message, violations: f.violations };
  }
}

if (!isMainThread && (workerData as Record<string, unknown> | null)?.[WORKER_FLAG]) {
  const request = (workerData as Record<string, unknown>).request as CompareMechanismsRequest;
  void runInWorker(request).then((reply) => parentPort!.postMessage(reply));
}

function invalid(field: string, description: string): Partial<StatusObject> {
  return statusError(status.INVALID_ARGUMENT, `${field}: ${description}`, [{ field, description }]);
}

/** Checks a request before any work: the market and its grid present, the options in range. */
function checkRequest(request: CompareMechanismsRequest, deps: CompareDeps): Partial<StatusObject> | null {
  if (!request.market) return invalid("market", "required");
  if (!request.market.grid) return invalid("market.grid", "required: the grid is the members' outside option");
  if ((request.market.agents?.length ?? 0) > deps.maxAgents)
    return statusError(status.RESOURCE_EXHAUSTED, `market.agents: more than the service's ${deps.maxAgents} agents`);
  const limit = request.exactLimit;
  if (limit !== undefined && limit !== null && !(Number.isInteger(limit) && limit >= 0 && limit <= 16))
    return invalid("exactLimit", `must be between 0 and 16, got ${limit}`);
  const budget = request.searchBudget;
  if (budget !== undefined && budget !== null && !(Number.isInteger(budget) && budget >= 0 && budget <= 10_000))
    return invalid("searchBudget", `must be between 0 and 10000, got ${budget}`);
  const seconds = request.searchTimeLimitS;
  if (seconds !== undefined && seconds !== null && !(seconds > 0 && Number.isFinite(seconds)))
    return invalid("searchTimeLimitS", `must be a positive number of seconds, got ${seconds}`);
  return null;
}

/**
 * The CompareMechanisms handler (docs/mechanisms.md): authenticates (the roles that may clear
 * markets), checks the request, and runs the comparison in its own worker thread so that the
 * event loop keeps serving; the thread is stopped when the client goes away or after the
 * service's time limit. The request arrives as bytes (decoded here). The response gets an id
 * ("cmp_" and a ULID) and the time the request was received, and is stored with the caller's
 * tenant (group commit, as solutions are) before it is sent: GetComparison returns it again.
 */
export function compareMechanismsHandler(deps: CompareDeps): MarketServiceImplementation["CompareMechanisms"] {
  const method = marketServiceDefinition().CompareMechanisms;
  return (call, callback) => {
    const receivedMs = Date.now();
    const log = new RequestLog(deps.logger, "CompareMechanisms", call.getPeer());
    const fail = (error: Partial<StatusObject>) => {
      log.finishWith(error);
      callback(error);
    };
    const auth = authenticate(call.metadata, deps.tokens);
    if (!auth.ok) return fail(statusError(status.UNAUTHENTICATED, auth.message));
    if (deps.tokens !== null) log.set({ client: auth.principal.name, role: auth.principal.role });
    if (!maySolve(auth.principal))
      return fail(statusError(status.PERMISSION_DENIED, `the ${auth.principal.role} role may not clear markets`));
    // refused while read: the bytes did not pass the wire check (request-boundary.ts)
    if (call.request instanceof RejectedRequest) return fail(call.request.error);
    let request: CompareMechanismsRequest;
    try {
      request = method.requestDeserialize(call.request);
    } catch (err) {
      return fail(invalid("request", `not a CompareMechanismsRequest: ${(err as Error).message}`));
    }
    const bad = checkRequest(request, deps);
    if (bad) return fail(bad);
    log.set({ market: request.market!.name, agents: request.market!.agents?.length ?? 0 });
    const worker = new Worker(new URL(import.meta.url), { workerData: { [WORKER_FLAG]: true, request } });
    let settled = false;
    const finish = (reply: { value: unknown } | { error: Partial<StatusObject> }) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      call.removeListener("cancelled", onCancel);
      void worker.terminate();
      if ("error" in reply) fail(reply.error);
      else void store(reply.value as Record<string, unknown>);
    };
    /** Names, stores and sends a comparison; the reply is sent once it is committed. */
    const store = async (response: Record<string, unknown>) => {
      const id = "cmp_" + newSolutionId(receivedMs).slice("sol_".length);
      const createTime = new Date(receivedMs).toISOString();
      let bytes: Buffer;
      try {
        bytes = method.responseSerialize({ ...response, id, createTime });
        await deps.store.comparisonFinished({
          id,
          createMs: receivedMs,
          createTime,
          marketName: request.market!.name ?? "",
          tenant: auth.principal.tenant,
          response: bytes,
        });
      } catch (err) {
        const failure = storeFailureStatus(err, "compared, but the comparison could not be stored");
        deps.logger.error("store write failed", { comparisonId: id, error: (err as Error)?.message });
        return fail(statusError(failure.code, failure.message));
      }
      log.set({ comparisonId: id });
      log.finish(status.OK);
      callback(null, bytes);
    };
    const limitS = deps.maxTimeLimitS > 0 ? deps.maxTimeLimitS : 600;
    const timer = setTimeout(
      () =>
        finish({
          error: statusError(
            status.DEADLINE_EXCEEDED,
            `the comparison took longer than the service's limit of ${limitS} s`,
          ),
        }),
      limitS * 1000,
    );
    const onCancel = () => finish({ error: statusError(status.CANCELLED, "the client went away") });
    call.on("cancelled", onCancel);
    worker.once("message", (reply: WorkerReply) => {
      if (reply.ok) finish({ value: reply.response });
      else finish({ error: statusError(reply.code, reply.message, reply.violations) });
    });
    worker.once("error", (err) => {
      deps.logger.error("compare failed", { error: err.message, stack: err.stack });
      finish({ error: statusError(status.INTERNAL, `internal error: ${err.message}`) });
    });
    worker.once("exit", (code) =>
      finish({ error: statusError(status.INTERNAL, `the comparison stopped (exit ${code})`) }),
    );
  };
}

/** What a GetComparison call works with. */
export interface GetComparisonDeps {
  logger: Logger;
  store: SolutionStore;
  tokens: TokenTable | null;
}

/** Resource type of a stored comparison in google.rpc.ResourceInfo. */
export const COMPARISON_RESOURCE = "peermarket.v1.CompareMechanismsResponse";

/** NOT_FOUND for a comparison id the store does not hold, with a ResourceInfo naming it. */
export function comparisonNotFound(field: string, id: string): Partial<StatusObject> {
  const description = `no stored comparison with id ${quote(id)}`;
  return statusError(status.NOT_FOUND, `${field}: ${description}`, [], {
    resource: { resourceType: COMPARISON_RESOURCE, resourceName: id, description },
  });
}

/**
 * The GetComparison handler: a stored CompareMechanismsResponse by id, read as GetSolution reads
 * a solution in the FULL view (the comparison holds every member's costs): an aggregator reads its
 * own tenant's, an admin every one, a DSO none. The id's length is bounded on the wire before the
 * lookup (request-boundary.ts); the stored bytes are sent as they are.
 */
export function getComparisonHandler(deps: GetComparisonDeps): MarketServiceImplementation["GetComparison"] {
  return (call, callback) => {
    const log = new RequestLog(deps.logger, "GetComparison", call.getPeer());
    const reply = (error: Partial<StatusObject> | null, value?: Buffer) => {
      if (error) {
        log.finishWith(error);
        callback(error);
      } else {
        log.finish(status.OK);
        callback(null, value);
      }
    };
    try {
      const auth = authenticate(call.metadata, deps.tokens);
      if (!auth.ok) return reply(statusError(status.UNAUTHENTICATED, auth.message));
      if (deps.tokens !== null)
        log.set({ client: auth.principal.name, role: auth.principal.role, tenant: auth.principal.tenant || undefined });
      if (call.request instanceof RejectedRequest) return reply(call.request.error);
      const request = call.request;
      if (!request.id)
        return reply(statusError(status.INVALID_ARGUMENT, "id: required", [{ field: "id", description: "required" }]));
      if (!mayListFull(auth.principal))
        return reply(
          statusError(
            status.PERMISSION_DENIED,
            `the ${auth.principal.role} role may not read comparisons (they hold the members' costs)`,
          ),
        );
      const found = deps.store.findComparison(request.id);
      if (found === undefined) return reply(comparisonNotFound("id", request.id));
      if (!mayReadFull(auth.principal, found.tenant))
        return reply(statusError(status.PERMISSION_DENIED, "the comparison belongs to another tenant"));
      reply(null, found.blob);
    } catch (err) {
      deps.logger.error("unexpected error", {
        method: "GetComparison",
        error: (err as Error)?.message,
        stack: (err as Error)?.stack,
      });
      reply(statusError(status.INTERNAL, `internal error: ${(err as Error)?.message ?? String(err)}`));
    }
  };
}
