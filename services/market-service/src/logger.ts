/** Fields of one structured log line. Never put market data (costs, bounds) here. */
export type LogFields = Record<string, string | number | boolean | null | undefined>;

/** Structured logger: one JSON object per line. */
export interface Logger {
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
}

/** A logger writing JSON lines (`{"time","level","msg",...fields}`) to a stream, stderr by default. */
export function jsonLogger(write: (line: string) => void = (line) => process.stderr.write(line)): Logger {
  const log = (level: string, msg: string, fields?: LogFields): void => {
    const entry: Record<string, unknown> = { time: new Date().toISOString(), level, msg };
    if (fields) for (const [k, v] of Object.entries(fields)) if (v !== undefined) entry[k] = v;
    write(JSON.stringify(entry) + "\n");
  };
  return {
    info: (msg, fields) => log("info", msg, fields),
    warn: (msg, fields) => log("warn", msg, fields),
    error: (msg, fields) => log("error", msg, fields),
  };
}

/** A logger that drops everything. */
export const silentLogger: Logger = { info() {}, warn() {}, error() {} };
