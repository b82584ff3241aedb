import { readFileSync } from "node:fs";
import * as grpc from "@grpc/grpc-js";

/** TLS files of the server (paths; "" when unset). */
export interface ServerTlsFiles {
  tlsCert: string;
  tlsKey: string;
  tlsCa: string;
}

/** A TLS file is missing, unreadable, or given without its partner. */
export class TlsConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TlsConfigError";
  }
}

function read(path: string, what: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    throw new TlsConfigError(`${what} ${path}: ${(err as Error).message}`);
  }
}

/**
 * The server's credentials: plaintext without a certificate, TLS with `tlsCert` and `tlsKey`, and
 * client certificates required (signed by `tlsCa`) when `tlsCa` is set too.
 * @throws TlsConfigError for a file that cannot be read or an option without its partner.
 */
export function serverCredentials(files: ServerTlsFiles): {
  credentials: grpc.ServerCredentials;
  tls: boolean;
  clientCertificates: boolean;
} {
  const { tlsCert, tlsKey, tlsCa } = files;
  if (tlsCert === "" && tlsKey === "") {
    if (tlsCa !== "")
      throw new TlsConfigError("--tls-ca needs --tls-cert and --tls-key (client certificates are a TLS feature)");
    return { credentials: grpc.ServerCredentials.createInsecure(), tls: false, clientCertificates: false };
  }
  if (tlsCert === "" || tlsKey === "") throw new TlsConfigError("TLS needs both --tls-cert and --tls-key");
  const certChain = read(tlsCert, "TLS certificate");
  const privateKey = read(tlsKey, "TLS private key");
  const ca = tlsCa === "" ? null : read(tlsCa, "TLS client CA");
  try {
    const credentials = grpc.ServerCredentials.createSsl(
      ca,
      [{ cert_chain: certChain, private_key: privateKey }],
      ca !== null,
    );
    return { credentials, tls: true, clientCertificates: ca !== null };
  } catch (err) {
    throw new TlsConfigError(`TLS credentials: ${(err as Error).message}`);
  }
}

/** TLS options of a client: PEM contents or file paths. */
export interface ClientTlsOptions {
  /** CA certificates to trust (PEM, or a path); the system's roots when unset. */
  ca?: Buffer | string;
  /** Client certificate chain and key, for servers that require one (PEM, or paths). */
  cert?: Buffer | string;
  key?: Buffer | string;
  /** Name to check the server's certificate against instead of the host dialled (e.g. "localhost"). */
  serverName?: string;
}

function pem(value: Buffer | string | undefined, what: string): Buffer | null {
  if (value === undefined) return null;
  if (Buffer.isBuffer(value)) return value;
  return value.includes("-----BEGIN") ? Buffer.from(value, "utf8") : read(value, what);
}

/** Channel credentials for a TLS connection to the service. @throws TlsConfigError for an unreadable file. */
export function clientTlsCredentials(options: ClientTlsOptions): grpc.ChannelCredentials {
  const cert = pem(options.cert, "TLS client certificate");
  const key = pem(options.key, "TLS client key");
  if ((cert === null) !== (key === null)) throw new TlsConfigError("a client certificate needs both cert and key");
  return grpc.credentials.createSsl(pem(options.ca, "TLS CA"), key, cert);
}

/** Whether a bind address only accepts connections from this machine. */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, "").toLowerCase();
  return h === "localhost" || h === "::1" || /^127\.\d+\.\d+\.\d+$/.test(h) || h.startsWith("unix:");
}
