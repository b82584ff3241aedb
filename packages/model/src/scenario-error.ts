/** Where a scenario loading error happened. */
export interface ScenarioErrorOptions {
  /** Field path in proto3 JSON names (`agents[3].powerMin`), or a MATPOWER field (`mpc.gen`). */
  path?: string;
  /** File name or other description of the input (`scenario.json`, `network.matpower`). */
  source?: string;
  /** 1-based line and column in the source text, when known. */
  line?: number;
  column?: number;
  cause?: unknown;
}

/**
 * An error while reading a scenario (JSON or MATPOWER) or a network case. The message is
 * `source:line:column: path: detail`, leaving out the parts that are unknown.
 */
export class ScenarioError extends Error {
  /** Field path (proto3 JSON names), "" when the error is not about one field. */
  readonly path: string;
  /** The input the error is in, "" when not given. */
  readonly source: string;
  /** 1-based position in the source text, when known. */
  readonly line: number | undefined;
  readonly column: number | undefined;
  /** The message without source, position and path. */
  readonly detail: string;

  constructor(detail: string, options: ScenarioErrorOptions = {}) {
    super(formatScenarioMessage(detail, options), options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "ScenarioError";
    this.path = options.path ?? "";
    this.source = options.source ?? "";
    this.line = options.line;
    this.column = options.column;
    this.detail = detail;
  }
}

/** A MATPOWER case file that cannot be read: always carries the 1-based line and column. */
export class MatpowerParseError extends ScenarioError {
  declare readonly line: number;
  declare readonly column: number;

  constructor(detail: string, line: number, column: number, source = "", path = "") {
    super(detail, { source, line, column, path });
    this.name = "MatpowerParseError";
  }
}

function formatScenarioMessage(detail: string, o: ScenarioErrorOptions): string {
  const parts: string[] = [];
  let where = o.source ?? "";
  if (o.line !== undefined) {
    const pos = `${o.line}:${o.column ?? 1}`;
    where = where === "" ? `line ${pos}` : `${where}:${pos}`;
  }
  if (where !== "") parts.push(where);
  if (o.path) parts.push(o.path);
  parts.push(detail);
  return parts.join(": ");
}
