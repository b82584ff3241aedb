import {
  EXIT_CODES,
  type Market,
  MarketValidationError,
  numberFlag,
  readScenarioFlags,
  ScenarioError,
  settingsFlagOptions,
  settingsFromFlags,
  type SolverSettings,
  UsageError,
} from "@peermarket/model";
import { TlsConfigError } from "@peermarket/market-service";
import { type ClientSecurity, readTokenFile, SecurityConfigError, type ServerSecurity } from "./security.js";

/** Exit codes, as the rest of the `peermarket` command uses them. */
export const EXIT = EXIT_CODES;

/** A bad flag or argument: one line on stderr, exit code 2 (the class every peermarket command throws). */
export { UsageError };

/** A number given to a flag: the command line's shared parser. */
export { numberFlag };

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

/** parseArgs specs of the solver settings flags: the same as `peermarket solve`. */
export const settingsOptions = settingsFlagOptions;

/** SolverSettings from the flags (unset flags: the engine's defaults), with the command line's shared parser. */
export function settingsOf(v: Values): SolverSettings {
  return settingsFromFlags(v);
}

/** A scenario: a .json or .m file, or the name of a bundled case (with --loads-as-buyers when the command has it). */
export function readScenario(arg: string | undefined, v: Values = {}): Market {
  return readScenarioFlags(arg, v);
}

/**
 * Runs a command body, turning input errors into one line on stderr and exit code 2; anything
 * else (a bug) surfaces with its stack.
 */
export async function guarded(name: string, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (err) {
    const parseArgsError =
      typeof (err as { code?: unknown })?.code === "string" &&
      (err as { code: string }).code.startsWith("ERR_PARSE_ARGS");
    const input =
      parseArgsError ||
      err instanceof UsageError ||
      err instanceof ScenarioError ||
      err instanceof MarketValidationError ||
      err instanceof SecurityConfigError ||
      err instanceof TlsConfigError ||
      err instanceof RangeError;
    if (!input) throw err;
    process.stderr.write(`peermarket ${name}: ${(err as Error).message.split("\n")[0]}\n`);
    return EXIT.badInput;
  }
}
