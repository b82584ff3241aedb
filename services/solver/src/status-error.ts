import { Metadata, status, type StatusObject } from "@grpc/grpc-js";
import type { FieldViolation } from "./task.js";

/**
 * Trailing-metadata key carrying every field violation of an INVALID_ARGUMENT (or
 * FAILED_PRECONDITION) status: UTF-8 JSON `[{"field": "market.agents[2].powerMin", "description": "..."}]`
 * (the shape of google.rpc.BadRequest.FieldViolation).
 */
export const FIELD_VIOLATIONS_KEY = "peermarket-field-violations-bin";

/** A status to send to a client, with the field violations attached as trailing metadata. */
export function statusError(code: status, message: string, violations: FieldViolation[] = []): Partial<StatusObject> {
  const metadata = new Metadata();
  if (violations.length > 0) metadata.set(FIELD_VIOLATIONS_KEY, Buffer.from(JSON.stringify(violations), "utf8"));
  return { code, details: message, metadata };
}

/** The field violations attached to a status by `statusError` (empty when there are none). */
export function fieldViolations(metadata: Metadata | undefined): FieldViolation[] {
  const values = metadata?.get(FIELD_VIOLATIONS_KEY) ?? [];
  const out: FieldViolation[] = [];
  for (const value of values) {
    const parsed: unknown = JSON.parse(Buffer.isBuffer(value) ? value.toString("utf8") : String(value));
    if (Array.isArray(parsed)) out.push(...(parsed as FieldViolation[]));
  }
  return out;
}

/** The name of a status code ("INVALID_ARGUMENT"). */
export function statusName(code: number): string {
  return status[code] ?? `CODE_${code}`;
}
