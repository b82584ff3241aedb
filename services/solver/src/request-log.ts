import { performance } from "node:perf_hooks";
import type { LogFields, Logger } from "./logger.js";
import { statusName } from "./status-error.js";

/**
 * The one log line of a request: method, status code, duration, market size and solution id
 * (never market data). Collects fields while the request runs and writes them once.
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
    if (code === 13) this.logger.error("request", line);
    else this.logger.info("request", line);
  }
}
