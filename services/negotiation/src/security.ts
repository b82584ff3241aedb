import { createHash, timingSafeEqual } from "node:crypto";
import { readFileSync } from "node:fs";
import * as grpc from "@grpc/grpc-js";
import { clientTlsCredentials, serverCredentials as serviceServerCredentials } from "@peermarket/market-service";

/** A TLS file or token file that cannot be used; the message names the file or flag. */
export class SecurityConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SecurityConfigError";
  }
}

function read(path: string, what: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    throw new SecurityConfigError(`${what} ${path}: ${(err as Error).message}`);
  }
}

/** How a coordinator secures its port: TLS files (paths, "" for none) and accepted bearer tokens. */
export interface ServerSecurity {
  /** PEM certificate chain and key: TLS when both are set. */
  tlsCert?: string;
  tlsKey?: string;
  /** PEM CA: when set, peers and workers must present a client certificate it signed. */
  tlsCa?: string;
  /** Bearer tokens accepted (`authorization: Bearer <token>`); none: no authentication. */
  tokens?: string[];
}

/** How peers and workers reach a coordinator: TLS (trusting `tlsCa`, or the system roots) and a bearer token. */
export interface ClientSecurity {
  /** Use TLS (implied by any of the TLS files). */
  tls?: boolean;
  tlsCa?: string;
  /** Client certificate and key, for a coordinator that requires one. */
  tlsCert?: string;
  tlsKey?: string;
  /** Name to check the coordinator's certificate against instead of the host dialled. */
  tlsServerName?: string;
  token?: string;
}

/**
 * The server credentials of a coordinator: the service's (`serverCredentials` of
 * @peermarket/market-service), so both check and load TLS files the same way.
 * @throws TlsConfigError for an unreadable file or a file without its partner.
 */
export function serverCredentials(s: ServerSecurity): { credentials: grpc.ServerCredentials; tls: boolean } {
  const { credentials, tls } = serviceServerCredentials({
    tlsCert: s.tlsCert ?? "",
    tlsKey: s.tlsKey ?? "",
    tlsCa: s.tlsCa ?? "",
  });
  return { credentials, tls };
}

/**
 * The channel credentials and options of a peer or worker (TLS through @peermarket/market-service's
 * `clientTlsCredentials`). @throws SecurityConfigError for a certificate without its key,
 * TlsConfigError for an unreadable file.
 */
export function clientCredentials(s: ClientSecurity): {
  credentials: grpc.ChannelCredentials;
  options: grpc.ChannelOptions;
} {
  const tls = s.tls === true || !!s.tlsCa || !!s.tlsCert || !!s.tlsKey;
  const options: grpc.ChannelOptions = {};
  if (!tls) return { credentials: grpc.credentials.createInsecure(), options };
  if (!!s.tlsCert !== !!s.tlsKey)
    throw new SecurityConfigError("a client certificate needs both --tls-cert and --tls-key");
  if (s.tlsServerName) options["grpc.ssl_target_name_override"] = s.tlsServerName;
  const credentials = clientTlsCredentials({
    ca: s.tlsCa || undefined,
    cert: s.tlsCert || undefined,
    key: s.tlsKey || undefined,
  });
  return { credentials, options };
}

/**
 * The tokens of a token file: one per line; blank lines and lines starting with # are skipped.
 * @throws SecurityConfigError for an unreadable file, a file without tokens, or a token under 16 characters.
 */
export function readTokenFile(path: string): string[] {
  const lines = read(path, "token file").toString("utf8").split(/\r?\n/);
  const tokens: string[] = [];
  lines.forEach((line, i) => {
    const t = line.trim();
    if (t === "" || t.startsWith("#")) return;
    if (t.length < 16)
      throw new SecurityConfigError(`token file ${path}:${i + 1}: a token needs at least 16 characters`);
    tokens.push(t);
  });
  if (tokens.length === 0) throw new SecurityConfigError(`token file ${path}: no token in it`);
  return tokens;
}

const digest = (t: string): Buffer => createHash("sha256").update(t, "utf8").digest();

/** Checks a call's `authorization: Bearer <token>` against the accepted tokens; null when allowed, else why not. */
export function tokenProblem(metadata: grpc.Metadata, tokens: readonly string[] | undefined): string | null {
  if (!tokens || tokens.length === 0) return null;
  const values = metadata.get("authorization");
  if (values.length !== 1)
    return values.length === 0
      ? 'missing credentials: send the metadata "authorization: Bearer <token>"'
      : "more than one authorization header";
  const m = /^Bearer\s+(\S+)\s*$/i.exec(String(values[0]));
  if (!m) return 'malformed authorization header: expected "Bearer <token>"';
  const given = digest(m[1]);
  return tokens.some((t) => timingSafeEqual(digest(t), given)) ? null : "unknown token";
}

/** Metadata carrying a bearer token (empty without one). */
export function tokenMetadata(token: string | undefined): grpc.Metadata {
  const md = new grpc.Metadata();
  if (token) md.set("authorization", `Bearer ${token}`);
  return md;
}
