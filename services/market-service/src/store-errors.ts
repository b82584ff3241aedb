import { status } from "@grpc/grpc-js";

/** SQLite result codes (better-sqlite3's SqliteError `code`, e.g. "SQLITE_FULL", "SQLITE_IOERR_WRITE"). */
function sqliteCode(err: unknown): string {
  const code = (err as { code?: unknown })?.code;
  return typeof code === "string" ? code : "";
}

/**
 * The status a client gets when the solution store fails: RESOURCE_EXHAUSTED when the disk (or
 * the store's size cap) is full, UNAVAILABLE when it cannot be written or read (read-only file
 * system or file, I/O error, locked), INTERNAL otherwise. The message says what happened to the
 * request (`what`).
 */
export function storeFailureStatus(err: unknown, what: string): { code: status; message: string } {
  const code = sqliteCode(err);
  const reason = (err as Error)?.message ?? String(err);
  if (code === "SQLITE_FULL")
    return { code: status.RESOURCE_EXHAUSTED, message: `the solution store is full (${reason}): ${what}` };
  if (
    /^SQLITE_(READONLY|IOERR|CANTOPEN|BUSY|LOCKED|PERM|NOTADB|CORRUPT)/.test(code) ||
    /^E(ROFS|NOSPC|ACCES|PERM|IO)$/.test(code)
  ) {
    const full = /ENOSPC|disk is full/i.test(reason);
    return {
      code: full ? status.RESOURCE_EXHAUSTED : status.UNAVAILABLE,
      message: `the solution store cannot be written (${reason}): ${what}`,
    };
  }
  return { code: status.INTERNAL, message: `the solution store failed (${reason}): ${what}` };
}
