import { existsSync } from "node:fs";
import { bundledCaseNames, loadScenario, loadScenarioText, type Market, MarketValidationError, readBundledCase, ScenarioError, type SolverSettings } from "@peermarket/model";
import { TlsConfigError } from "@peermarket/solver";
import { type ClientSecurity, readTokenFile, SecurityConfigError, type ServerSecurity } from "./security.js";

/** Exit codes, as the rest of the `peermarket` command uses them. */
export const EXIT = { ok: 0, internal: 1, badInput: 2, notSolved: 3 } as const;

/** A bad flag or argument: one line on stderr, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** A number given to a flag; NaN, empty or trailing garbage is a usage error naming the flag. */
export function numberFlag(flag: string, value: string | undefined, options: { integer?: boolean; min?: number } = {}): number | undefined {
  if (value === undefined) return undefined;
  const v = value.trim() === "" ? Number.NaN : Number(value);
  if (!Number.isFinite(v) || (options.integer && !Number.isInteger(v)) || (options.min !== undefined && v < options.min)) {
    const what = options.integer ? "an integer" : "a number";
    throw new UsageError(`--${flag}: expected ${what}${options.min !== undefined ? ` ≥ ${options.min}` : ""}, got "${value}"`);
  }
  return v;
}

/** parseArgs specs of the TLS and token flags of peers and workers. */
export const clientSecurityOptions = {
  tls: { type: "boolean" },
  "tls-ca": { type: "string" },
  "tls-cert": { type: "string" },
  "tls-key": { type: "string" },
  "tls-server-name": { type: "string" },
  "token-file": { type: "string" },
} as const;

/** parseArgs specs of the TLS and token flags of a coordinator. */
export const serverSecurityOptions = {
  "tls-cert": { type: "string" },
  "tls-key": { type: "string" },
  "tls-ca": { type: "string" },
  "token-file": { type: "string" },
} as const;

type Values = Record<string, string | boolean | string[] | undefined>;

/** The client security of the flags; the token from --token-file (its first token) or PEERMARKET_TOKEN. */
export function clientSecurity(v: Values, env: NodeJS.ProcessEnv): ClientSecurity {
  const file = v["token-file"] as string | undefined;
  const token = file !== undefined ? readTokenFile(file)[0] : env.PEERMARKET_TOKEN || undefined;
  return {
    tls: v.tls === true,
    tlsCa: v["tls-ca"] as string | undefined,
    tlsCert: v["tls-cert"] as string | undefined,
    tlsKey: v["tls-key"] as string | undefined,
    tlsServerName: v["tls-server-name"] as string | undefined,
    token,
  };
}

/** The server security of the flags: TLS files and the accepted tokens of --token-file. */
export function serverSecurity(v: Values): ServerSecurity {
  const file = v["token-file"] as string | undefined;
  return {
    tlsCert: (v["tls-cert"] as string | undefined) ?? "",
    tlsKey: (v["tls-key"] as string | undefined) ?? "",
    tlsCa: (v["tls-ca"] as string | undefined) ?? "",
    tokens: file !== undefined ? readTokenFile(file) : undefined,
  };
}

/** A coordinator address: host:port (IPv6 in brackets). */
export function coordinatorAddress(v: string | undefined): string {
  if (v === undefined || v === "") throw new UsageError("missing --coordinator host:port");
  if (!/^(\[[^\]]+\]|[^:[\]]+):\d{1,5}$/.test(v)) throw new UsageError(`--coordinator: expected host:port, got "${v}"`);
  return v;
}

/** parseArgs specs of the solver settings flags (as `peermarket solve`). */
export const settingsOptions = {
  rho: { type: "string" },
  "eps-abs": { type: "string" },
  "eps-rel": { type: "string" },
  "max-iter": { type: "string" },
  "time-limit": { type: "string" },
  alpha: { type: "string" },
  "adaptive-rho": { type: "string" },
  "check-termination": { type: "string" },
} as const;

/** SolverSettings from the flags (unset flags: the engine's defaults). */
export function settingsOf(v: Values): SolverSettings {
  const s: SolverSettings = { warmStartSolutionId: "" };
  const set = (key: keyof SolverSettings, flag: string, integer = false): void => {
    const n = numberFlag(flag, v[flag] as string | undefined, { integer });
    if (n !== undefined) (s as unknown as Record<string, unknown>)[key] = n;
  };
  set("rho", "rho");
  set("epsAbs", "eps-abs");
  set("epsRel", "eps-rel");
  set("maxIter", "max-iter", true);
  set("timeLimitS", "time-limit");
  set("alpha", "alpha");
  set("checkTermination", "check-termination", true);
  const adaptive = v["adaptive-rho"] as string | undefined;
  if (adaptive !== undefined) {
    if (adaptive !== "true" && adaptive !== "false") throw new UsageError(`--adaptive-rho: expected true or false, got "${adaptive}"`);
    s.adaptiveRho = adaptive === "true";
  }
  return s;
}

/** A scenario: a .json or .m file, or the name of a bundled case. */
export function readScenario(arg: string | undefined): Market {
  if (!arg) throw new UsageError("missing the scenario: give a .json scenario, a MATPOWER .m case, or a bundled case name");
  if (existsSync(arg)) return loadScenario(arg);
  if (bundledCaseNames().includes(arg)) return loadScenarioText(readBundledCase(arg), `${arg}.m`);
  throw new UsageError(`${arg}: no such file (bundled cases: ${bundledCaseNames().join(", ")})`);
}

/**
 * Runs a command body, turning input errors into one line on stderr and exit code 2; anything
 * else (a bug) surfaces with its stack.
 */
export async function guarded(name: string, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (err) {
    const parseArgsError = typeof (err as { code?: unknown })?.code === "string" && (err as { code: string }).code.startsWith("ERR_PARSE_ARGS");
    const input = parseArgsError || err instanceof UsageError || err instanceof ScenarioError || err instanceof MarketValidationError || err instanceof SecurityConfigError || err instanceof TlsConfigError || err instanceof RangeError;
    if (!input) throw err;
    process.stderr.write(`peermarket ${name}: ${(err as Error).message.split("\n")[0]}\n`);
    return EXIT.badInput;
  }
}
