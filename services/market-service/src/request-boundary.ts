import type { EventEmitter } from "node:events";
import { status, type StatusObject } from "@grpc/grpc-js";
import { validateSolverSettings, type SolverSettings } from "@peermarket/model";
import { statusError } from "./status-error.js";
import type { FieldViolation } from "./task.js";
import {
  checkMessage,
  checkSmallRequest,
  enumFields,
  hasMessageFields,
  LimitError,
  MAX_ID_BYTES,
  MAX_NAME_BYTES,
  methodRequestType,
  stringFields,
  WireFormatError,
  type RequestBudget,
} from "./wire.js";

/**
 * Checks at the request boundary, on the event loop, before a request costs anything: the small
 * unary requests are checked on the wire and decoded here (a decoding failure is the client's
 * INVALID_ARGUMENT, not grpc-js's INTERNAL), ids and names are bounded, the settings of a solve
 * are checked, and a call with two sets of credentials is refused.
 */

/** Most fields in a request of a method other than the solves (they have two to four). */
export const MAX_SMALL_REQUEST_FIELDS = 1024;
/** Longest page token (ours are about 100 characters). */
export const MAX_PAGE_TOKEN_CHARS = 1024;

/** A request refused while it was read: the handler answers with `error` instead of running. */
export class RejectedRequest {
  constructor(readonly error: Partial<StatusObject>) {}
}

/** The status of an error raised by the wire checks (undefined for any other error). */
export function boundaryStatus(err: unknown): Partial<StatusObject> | undefined {
  if (err instanceof WireFormatError)
    return statusError(status.INVALID_ARGUMENT, `${err.field}: ${err.message}`, [
      { field: err.field, description: err.message },
    ]);
  if (err instanceof LimitError)
    return statusError(status.RESOURCE_EXHAUSTED, err.message, [{ field: err.subject, description: err.description }]);
  return undefined;
}

function invalid(violations: FieldViolation[]): Partial<StatusObject> {
  const [first] = violations;
  const more = violations.length > 1 ? ` (and ${violations.length - 1} more: see the field violations)` : "";
  return statusError(status.INVALID_ARGUMENT, `${first.field}: ${first.description}${more}`, violations);
}

/** A violation when a client string is longer than `max` (counted in UTF-16 units, as JavaScript strings). */
function tooLong(field: string, value: unknown, max: number, what: string): FieldViolation[] {
  if (typeof value !== "string" || value.length <= max) return [];
  return [{ field, description: `${value.length} characters, longer than any ${what} (at most ${max})` }];
}

/**
 * The longest value of a string field of a small request, by its name: ids (`id`, `solutionId`,
 * any `…Id`) 128 bytes, page tokens and names 1 024; other strings are not bounded here.
 */
function idLimit(name: string): number | undefined {
  if (name === "id" || name.endsWith("Id")) return MAX_ID_BYTES;
  if (name === "pageToken") return MAX_PAGE_TOKEN_CHARS;
  if (name === "marketName" || name === "name") return MAX_NAME_BYTES;
  return undefined;
}

/**
 * The request deserializer of a unary method other than the solves (GetSolution, ListSolutions,
 * GetNetworkCharges, ListSolutionTrades, ...; the request type comes from the .proto files):
 * checks the bytes against the schema (wire types, fields, nesting, id lengths), decodes them and
 * refuses an enum value the schema does not have (`view: 7`); a request that fails becomes a
 * RejectedRequest for the handler to answer. Undefined for a method the schema does not have.
 */
export function smallRequestDeserializer(
  method: string,
  decode: (bytes: Buffer) => unknown,
  service = "MarketService",
): ((bytes: Buffer) => unknown) | undefined {
  const type = methodRequestType(service, method);
  if (type === undefined || hasMessageFields(type)) return undefined;
  const enums = enumFields(type);
  const maxIdBytes: Record<string, number> = {};
  for (const name of stringFields(type)) {
    const max = idLimit(name);
    if (max !== undefined) maxIdBytes[name] = max;
  }
  return (bytes: Buffer) => {
    try {
      checkSmallRequest(bytes, type, MAX_SMALL_REQUEST_FIELDS, maxIdBytes);
    } catch (err) {
      const rejected = boundaryStatus(err);
      if (rejected === undefined) throw err;
      return new RejectedRequest(rejected);
    }
    // Checked against the schema: a decoding failure now would be a fault here (grpc-js answers INTERNAL).
    const request = decode(bytes) as Record<string, unknown>;
    // proto3 keeps an unknown enum value, and the decoder hands it over as its number
    const violations: FieldViolation[] = enums
      .filter((e) => typeof request[e.name] === "number")
      .map((e) => ({
        field: e.name,
        description: `unknown value ${String(request[e.name])} (expected ${e.values.join(", ")})`,
      }));
    return violations.length > 0 ? new RejectedRequest(invalid(violations)) : request;
  };
}

/**
 * Checks the settings of a solve request (decoded on the event loop from the request without its
 * market): every setting in its range (a NaN or negative time limit is refused, not replaced by
 * the server's cap) and a warm-start id no longer than an id. Null when they are fine.
 */
export function settingsStatus(settings: Partial<SolverSettings> | null | undefined): Partial<StatusObject> | null {
  const violations: FieldViolation[] = validateSolverSettings(settings).map((issue) => ({
    field: `settings.${issue.path}`,
    description: issue.message,
  }));
  violations.push(
    ...tooLong("settings.warmStartSolutionId", settings?.warmStartSolutionId, MAX_ID_BYTES, "solution id"),
  );
  return violations.length > 0 ? invalid(violations) : null;
}

/**
 * Makes a call with more than one `authorization` header visible as such. Node's HTTP/2 keeps only
 * the first value of a header it knows as single-valued (authorization is one), so grpc-js would
 * see one token and the call would act with the first of two sets of credentials. This listener,
 * placed before grpc-js's, puts every value back from the raw headers; authentication then refuses
 * the call (UNAUTHENTICATED). Returns false when the server exposes no HTTP/2 server to watch.
 */
export function refuseDuplicateCredentials(grpcServer: object): boolean {
  const servers = (grpcServer as { http2Servers?: Map<EventEmitter, unknown> }).http2Servers;
  if (!(servers instanceof Map) || servers.size === 0) return false;
  for (const http2Server of servers.keys()) {
    http2Server.prependListener(
      "stream",
      (_stream: unknown, headers: Record<string, unknown>, _flags: unknown, rawHeaders: unknown) => {
        if (!Array.isArray(rawHeaders)) return;
        const values: string[] = [];
        for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
          if (String(rawHeaders[i]).toLowerCase() === "authorization") values.push(String(rawHeaders[i + 1]));
        }
        if (values.length > 1) headers.authorization = values;
      },
    );
  }
  return true;
}

/**
 * RESOURCE_EXHAUSTED for a solver thread ended by its heap limit (`--worker-heap-mb`), else null:
 * the request needs more memory than a thread may have, so running it again would end the same way.
 */
export function workerOutOfMemory(err: unknown): Partial<StatusObject> | null {
  if ((err as { code?: unknown })?.code !== "ERR_WORKER_OUT_OF_MEMORY") return null;
  const description =
    "solving it needs more memory than a solver thread may use (--worker-heap-mb); nothing was stored";
  return statusError(status.RESOURCE_EXHAUSTED, `market: ${description}`, [{ field: "market", description }]);
}

/**
 * The request deserializer of a method whose request holds messages (a market) other than the
 * solves, which check theirs themselves (CompareMechanisms, ...): the bytes are walked against the
 * schema and the service's budget before anything decodes them, and handed on as they are (`raw`)
 * or decoded; a request that fails becomes a RejectedRequest. Undefined for the other methods.
 */
export function marketRequestDeserializer(
  method: string,
  decode: (bytes: Buffer) => unknown,
  raw: boolean,
  budget: RequestBudget,
  service = "MarketService",
): ((bytes: Buffer) => unknown) | undefined {
  const type = methodRequestType(service, method);
  if (type === undefined || !hasMessageFields(type) || method === "SolveMarket" || method === "StreamSolveMarket")
    return undefined;
  return (bytes: Buffer) => {
    try {
      checkMessage(bytes, type, budget);
    } catch (err) {
      const rejected = boundaryStatus(err);
      if (rejected === undefined) throw err;
      return new RejectedRequest(rejected);
    }
    return raw ? bytes : decode(bytes);
  };
}
