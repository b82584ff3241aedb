import { performance } from "node:perf_hooks";
import { status, type StatusObject } from "@grpc/grpc-js";
import type { LogFields, Logger } from "./logger.js";
import { fieldViolations, statusName } from "./status-error.js";

/**
 * The one log line of a request: method, status code, duration, caller (the token's name, never
 * the token), market name and size, and solution id — never market data. Collects fields while
 * the request runs and writes them once.
 */
export class RequestLog {
  private readonly start = performance.now();
  private readonly fields: LogFields;
  private done = false;

  constructor(
    private readonly logger: Logger,
    method: string,
    peer: string,
  ) {
    this.fields = { method, peer };
  }

  /** Adds fields to the line. */
  set(fields: LogFields): void {
    Object.assign(this.fields, fields);
  }

  /** Writes the line with the status sent to the client; later calls do nothing. */
  finish(code: number, message?: string): void {
    if (this.done) return;
    this.done = true;
    const durationMs = Math.round((performance.now() - this.start) * 1000) / 1000;
    const line = { ...this.fields, code: statusName(code), durationMs, error: code === 0 ? undefined : message };
    if (code === status.INTERNAL) this.logger.error("request", line);
    else this.logger.info("request", line);
  }

  /**
   * Writes the line of a request answered with an error status. The message of an
   * INVALID_ARGUMENT or FAILED_PRECONDITION status quotes the client's data (bounds, costs), so
   * only the paths of the invalid fields are logged for those.
   */
  finishWith(error: Partial<StatusObject>): void {
    const code = error.code ?? status.UNKNOWN;
    if (code === status.INVALID_ARGUMENT || code === status.FAILED_PRECONDITION) {
      const fields = fieldViolations(error.metadata).map((v) => v.field);
      this.set({ fields: fields.length > 0 ? fields.join(", ") : undefined });
      this.finish(code, fields.length > 0 ? "invalid fields (see fields)" : "invalid request");
    } else {
      this.finish(code, error.details);
    }
  }
}
