import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import type { Metadata } from "@grpc/grpc-js";

/**
 * Bearer-token authentication. The auth file (`--auth-file`) is JSON:
 *
 *   { "tokens": [ { "name": "acme-ops", "token": "…", "role": "aggregator", "tenant": "acme" },
 *                 { "name": "dso-north", "sha256": "<hex of SHA-256(token)>", "role": "dso" },
 *                 { "name": "root", "token": "…", "role": "admin" } ] }
 *
 * Each entry gives the token itself (`token`) or its SHA-256 in hex (`sha256`, so the file need not
 * hold the secret), a `name` (logged instead of the token, and the key of the per-client limits),
 * a `role` and, for aggregators, a `tenant`. Clients send `authorization: Bearer <token>`.
 */

/** What a caller may do. */
export type Role = "aggregator" | "dso" | "admin";

/** An authenticated caller (or, without an auth file, the anonymous caller, who may do everything). */
export interface Principal {
  /** The token's name ("" for the anonymous caller). */
  name: string;
  role: Role;
  /** The aggregator's tenant ("" for dso, admin and the anonymous caller). */
  tenant: string;
}

/** The caller when the service runs without authentication: every permission, no tenant. */
export const ANONYMOUS: Principal = { name: "", role: "admin", tenant: "" };

/** The auth file is missing, unreadable or invalid; the message names the file and the entry. */
export class AuthConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "AuthConfigError";
  }
}

const ROLES: readonly Role[] = ["aggregator", "dso", "admin"];

function sha256(text: string): Buffer {
  return createHash("sha256").update(text, "utf8").digest();
}

/** The tokens of an auth file, looked up by their SHA-256 (the file's tokens are not kept). */
export class TokenTable {
  private readonly byHash = new Map<string, Principal>();

  /** @throws AuthConfigError for a malformed entry, a duplicate name or a duplicate token. */
  constructor(entries: unknown, source = "auth file") {
    const tokens = (entries as { tokens?: unknown })?.tokens;
    if (!Array.isArray(tokens) || tokens.length === 0)
      throw new AuthConfigError(`${source}: expected {"tokens": [ ... ]} with at least one token`);
    const names = new Set<string>();
    tokens.forEach((raw: unknown, i) => {
      const at = `${source}: tokens[${i}]`;
      if (raw === null || typeof raw !== "object") throw new AuthConfigError(`${at}: expected an object`);
      const e = raw as Record<string, unknown>;
      const known = new Set(["name", "token", "sha256", "role", "tenant"]);
      for (const key of Object.keys(e))
        if (!known.has(key))
          throw new AuthConfigError(`${at}.${key}: unknown field (expected name, token or sha256, role, tenant)`);
      if (typeof e.name !== "string" || e.name === "")
        throw new AuthConfigError(`${at}.name: required, a non-empty string`);
      if (names.has(e.name)) throw new AuthConfigError(`${at}.name: duplicate name ${JSON.stringify(e.name)}`);
      names.add(e.name);
      if (!ROLES.includes(e.role as Role))
        throw new AuthConfigError(`${at}.role: expected one of ${ROLES.join(", ")}, got ${JSON.stringify(e.role)}`);
      const role = e.role as Role;
      const tenant = e.tenant ?? "";
      if (typeof tenant !== "string") throw new AuthConfigError(`${at}.tenant: expected a string`);
      if (role === "aggregator" && tenant === "") throw new AuthConfigError(`${at}.tenant: required for an aggregator`);
      let hash: Buffer;
      if (typeof e.token === "string" && e.sha256 === undefined) {
        if (e.token.length < 16) throw new AuthConfigError(`${at}.token: too short (at least 16 characters)`);
        hash = sha256(e.token);
      } else if (typeof e.sha256 === "string" && e.token === undefined && /^[0-9a-fA-F]{64}$/.test(e.sha256)) {
        hash = Buffer.from(e.sha256, "hex");
      } else {
        throw new AuthConfigError(`${at}: give exactly one of token (a string) and sha256 (64 hex digits)`);
      }
      const key = hash.toString("hex");
      if (this.byHash.has(key))
        throw new AuthConfigError(`${at}: the same token as ${JSON.stringify(this.byHash.get(key)!.name)}`);
      this.byHash.set(key, { name: e.name, role, tenant: role === "aggregator" ? tenant : "" });
    });
  }

  /** Number of tokens. */
  get size(): number {
    return this.byHash.size;
  }

  /** The principal of a token, or undefined. */
  lookup(token: string): Principal | undefined {
    // Looked up by SHA-256: the time a lookup takes depends on the hash, not on the secret.
    return this.byHash.get(sha256(token).toString("hex"));
  }
}

/** Reads and checks an auth file. @throws AuthConfigError naming the file. */
export function loadAuthFile(path: string): TokenTable {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    throw new AuthConfigError(`auth file ${path}: ${(err as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new AuthConfigError(`auth file ${path}: not valid JSON (${(err as Error).message})`);
  }
  return new TokenTable(parsed, `auth file ${path}`);
}

/** Why a call could not be authenticated (the message for UNAUTHENTICATED). */
export type AuthOutcome = { ok: true; principal: Principal } | { ok: false; message: string };

/** Authenticates a call from its `authorization: Bearer <token>` metadata (everyone is ANONYMOUS without a table). */
export function authenticate(metadata: Metadata, table: TokenTable | null): AuthOutcome {
  if (table === null) return { ok: true, principal: ANONYMOUS };
  const values = metadata.get("authorization");
  if (values.length === 0)
    return { ok: false, message: 'missing credentials: send the metadata "authorization: Bearer <token>"' };
  if (values.length > 1) return { ok: false, message: "more than one authorization header" };
  const match = /^Bearer\s+(\S+)\s*$/i.exec(String(values[0]));
  if (!match) return { ok: false, message: 'malformed authorization header: expected "Bearer <token>"' };
  const principal = table.lookup(match[1]);
  return principal === undefined ? { ok: false, message: "unknown token" } : { ok: true, principal };
}
