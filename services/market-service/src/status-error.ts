import { isAbsolute, join } from "node:path";
import { Metadata, status, type StatusObject } from "@grpc/grpc-js";
import protobuf from "protobufjs";
import { protoRoot } from "@peermarket/proto";
import type { FieldViolation } from "./task.js";

/**
 * The error model of the service: gRPC's rich status. Every error status carries a
 * `google.rpc.Status` (the same code and message) in the standard `grpc-status-details-bin`
 * trailer, with the details that fit the code:
 *
 * - INVALID_ARGUMENT: `google.rpc.BadRequest`, one field violation per invalid field
 *   (`market.agents[2].powerMin` and why);
 * - RESOURCE_EXHAUSTED: `google.rpc.QuotaFailure`, the limit hit (subject: the field or the client);
 * - FAILED_PRECONDITION: `google.rpc.PreconditionFailure` (type STORED_SOLUTION: the field naming it);
 * - NOT_FOUND: `google.rpc.ResourceInfo` (a peermarket.v1.Solution and its id).
 *
 * grpcurl, `buf curl`, Postman and Python's grpcio-status read this trailer. The copies of
 * googleapis' status.proto and error_details.proto are in proto/google/rpc.
 */
export const STATUS_DETAILS_KEY = "grpc-status-details-bin";

/** Type URL prefix of google.protobuf.Any. */
const TYPE_URL_PREFIX = "type.googleapis.com/";

/** A limit a request ran into (google.rpc.QuotaFailure.Violation). */
export interface QuotaViolation {
  subject: string;
  description: string;
}

/** A precondition that did not hold (google.rpc.PreconditionFailure.Violation). */
export interface PreconditionViolation {
  type: string;
  subject: string;
  description: string;
}

/** The resource a status is about (google.rpc.ResourceInfo). */
export interface ResourceInfo {
  resourceType: string;
  resourceName: string;
  owner: string;
  description: string;
}

/** The details of a google.rpc.Status this service sends, decoded. */
export interface StatusDetails {
  badRequest: FieldViolation[];
  quotaFailure: QuotaViolation[];
  preconditionFailure: PreconditionViolation[];
  resourceInfo: ResourceInfo[];
  /** Type URLs of details of other types (kept, not decoded). */
  other: string[];
}

/** A decoded google.rpc.Status. */
export interface RpcStatus {
  code: number;
  message: string;
  details: StatusDetails;
}

/** The type of a PreconditionFailure about a stored solution (warm start, charges). */
export const STORED_SOLUTION_PRECONDITION = "STORED_SOLUTION";

/** Longest status message sent, in characters; longer ones are cut (they may quote client input). */
export const MAX_MESSAGE_CHARS = 1024;
/** Longest description of one violation, in characters. */
export const MAX_DESCRIPTION_CHARS = 512;
/** Largest encoded google.rpc.Status: violations past it are left out (the message counts them). */
export const MAX_DETAILS_BYTES = 8 * 1024;

/**
 * `text` cut to at most `max` characters (code points counted as UTF-16 units; a surrogate pair is
 * never split), saying how much was left out.
 */
export function boundText(text: string, max: number): string {
  if (text.length <= max) return text;
  const note = ` … (${text.length - max} more characters)`;
  let end = Math.max(0, max - note.length);
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end--;
  return text.slice(0, end) + note;
}

/** A client-supplied string for a message: JSON-quoted and cut to `max` characters. */
export function quote(text: string, max = 64): string {
  return text.length <= max
    ? JSON.stringify(text)
    : `${JSON.stringify(text.slice(0, max))}… (${text.length} characters)`;
}

interface RpcTypes {
  Status: protobuf.Type;
  BadRequest: protobuf.Type;
  QuotaFailure: protobuf.Type;
  PreconditionFailure: protobuf.Type;
  ResourceInfo: protobuf.Type;
}

let rpcTypes: RpcTypes | undefined;

/** google.rpc types from proto/google/rpc (google/protobuf/*.proto come with protobufjs). */
function types(): RpcTypes {
  if (rpcTypes) return rpcTypes;
  const root = new protobuf.Root();
  root.resolvePath = (_origin: string, target: string) =>
    isAbsolute(target) || target.startsWith("google/protobuf/") ? target : join(protoRoot, target);
  root.loadSync(["google/rpc/status.proto", "google/rpc/error_details.proto"], { keepCase: false });
  root.resolveAll();
  rpcTypes = {
    Status: root.lookupType("google.rpc.Status"),
    BadRequest: root.lookupType("google.rpc.BadRequest"),
    QuotaFailure: root.lookupType("google.rpc.QuotaFailure"),
    PreconditionFailure: root.lookupType("google.rpc.PreconditionFailure"),
    ResourceInfo: root.lookupType("google.rpc.ResourceInfo"),
  };
  return rpcTypes;
}

/** A google.protobuf.Any (protobufjs's bundled descriptor keeps the field name type_url). */
interface AnyMessage {
  type_url: string;
  value: Uint8Array;
}

function any(type: protobuf.Type, value: object): AnyMessage {
  return {
    type_url: TYPE_URL_PREFIX + type.fullName.replace(/^\./, ""),
    value: type.encode(type.fromObject(value)).finish(),
  };
}

/** What to attach to a status besides its violations. */
export interface StatusExtras {
  /** The resource the status is about (a NOT_FOUND id). */
  resource?: Omit<ResourceInfo, "owner"> & { owner?: string };
}

/**
 * The encoded google.rpc.Status of an error: `violations` become the detail that fits `code`
 * (BadRequest, QuotaFailure or PreconditionFailure), `extras.resource` a ResourceInfo. Violations
 * that would make it larger than MAX_DETAILS_BYTES are left out.
 */
export function encodeRpcStatus(
  code: number,
  message: string,
  violations: FieldViolation[] = [],
  extras: StatusExtras = {},
): Buffer {
  const t = types();
  const bounded = violations.map((v) => ({
    field: boundText(v.field, 256),
    description: boundText(v.description, MAX_DESCRIPTION_CHARS),
  }));
  const details = (kept: typeof bounded): AnyMessage[] => {
    const out: AnyMessage[] = [];
    if (kept.length > 0) {
      if (code === status.RESOURCE_EXHAUSTED) {
        out.push(
          any(t.QuotaFailure, { violations: kept.map((v) => ({ subject: v.field, description: v.description })) }),
        );
      } else if (code === status.FAILED_PRECONDITION) {
        out.push(
          any(t.PreconditionFailure, {
            violations: kept.map((v) => ({
              type: STORED_SOLUTION_PRECONDITION,
              subject: v.field,
              description: v.description,
            })),
          }),
        );
      } else {
        out.push(any(t.BadRequest, { fieldViolations: kept }));
      }
    }
    if (extras.resource) {
      const r = extras.resource;
      out.push(
        any(t.ResourceInfo, {
          resourceType: r.resourceType,
          resourceName: boundText(r.resourceName, 256),
          owner: r.owner ?? "",
          description: boundText(r.description, MAX_DESCRIPTION_CHARS),
        }),
      );
    }
    return out;
  };
  const encode = (kept: typeof bounded): Buffer =>
    Buffer.from(t.Status.encode(t.Status.fromObject({ code, message, details: details(kept) })).finish());
  let kept = bounded;
  let bytes = encode(kept);
  while (bytes.length > MAX_DETAILS_BYTES && kept.length > 0) {
    kept = kept.slice(0, Math.floor(kept.length / 2));
    bytes = encode(kept);
  }
  return bytes;
}

/**
 * A status to send to a client: the message (cut to MAX_MESSAGE_CHARS) and a google.rpc.Status
 * with the same code and message and the violations as the details that fit the code, in the
 * `grpc-status-details-bin` trailer.
 */
export function statusError(
  code: status,
  message: string,
  violations: FieldViolation[] = [],
  extras: StatusExtras = {},
): Partial<StatusObject> {
  const details = boundText(message, MAX_MESSAGE_CHARS);
  const metadata = new Metadata();
  metadata.set(STATUS_DETAILS_KEY, encodeRpcStatus(code, details, violations, extras));
  return { code, details, metadata };
}

function emptyDetails(): StatusDetails {
  return { badRequest: [], quotaFailure: [], preconditionFailure: [], resourceInfo: [], other: [] };
}

/**
 * The google.rpc.Status in a status's trailing metadata, decoded (undefined when there is none).
 * @throws Error when the trailer is not a google.rpc.Status.
 */
export function rpcStatus(metadata: Metadata | undefined): RpcStatus | undefined {
  const value = metadata?.get(STATUS_DETAILS_KEY)[0];
  if (value === undefined) return undefined;
  const t = types();
  const bytes = Buffer.isBuffer(value) ? value : Buffer.from(String(value), "base64");
  const decoded = t.Status.toObject(t.Status.decode(bytes), { defaults: true }) as {
    code: number;
    message: string;
    details: AnyMessage[];
  };
  const details = emptyDetails();
  for (const d of decoded.details) {
    const name = d.type_url.slice(d.type_url.lastIndexOf("/") + 1);
    const read = (type: protobuf.Type) => type.toObject(type.decode(d.value), { defaults: true });
    if (name === "google.rpc.BadRequest") {
      for (const v of (read(t.BadRequest) as { fieldViolations: FieldViolation[] }).fieldViolations)
        details.badRequest.push({ field: v.field, description: v.description });
    } else if (name === "google.rpc.QuotaFailure") {
      for (const v of (read(t.QuotaFailure) as { violations: QuotaViolation[] }).violations)
        details.quotaFailure.push({ subject: v.subject, description: v.description });
    } else if (name === "google.rpc.PreconditionFailure") {
      for (const v of (read(t.PreconditionFailure) as { violations: PreconditionViolation[] }).violations) {
        details.preconditionFailure.push({ type: v.type, subject: v.subject, description: v.description });
      }
    } else if (name === "google.rpc.ResourceInfo") {
      details.resourceInfo.push(read(t.ResourceInfo) as ResourceInfo);
    } else {
      details.other.push(d.type_url);
    }
  }
  return { code: decoded.code, message: decoded.message, details };
}

/**
 * The fields a status names, from its google.rpc.Status: BadRequest field violations, and the
 * subjects of QuotaFailure and PreconditionFailure violations (empty when there are none).
 */
export function fieldViolations(metadata: Metadata | undefined): FieldViolation[] {
  const s = rpcStatus(metadata);
  if (s === undefined) return [];
  return [
    ...s.details.badRequest,
    ...s.details.quotaFailure.map((v) => ({ field: v.subject, description: v.description })),
    ...s.details.preconditionFailure.map((v) => ({ field: v.subject, description: v.description })),
  ];
}

/** The name of a status code ("INVALID_ARGUMENT"). */
export function statusName(code: number): string {
  return status[code] ?? `CODE_${code}`;
}

/** Resource type of a stored solution in google.rpc.ResourceInfo. */
export const SOLUTION_RESOURCE = "peermarket.v1.Solution";

/**
 * NOT_FOUND for a solution id the store does not hold: the message names the field, a
 * ResourceInfo the solution; the id is quoted only in part when it is long (ids are bounded
 * before the lookup anyway).
 */
export function solutionNotFound(field: string, id: string): Partial<StatusObject> {
  const description = `no stored solution with id ${quote(id)}`;
  return statusError(status.NOT_FOUND, `${field}: ${description}`, [], {
    resource: { resourceType: SOLUTION_RESOURCE, resourceName: id, description },
  });
}
