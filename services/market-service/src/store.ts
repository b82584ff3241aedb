import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { Worker } from "node:worker_threads";
import Database from "better-sqlite3";
import type { CheckpointerData } from "./store-checkpointer.js";

/** One solve to persist. Blobs are binary protobuf (see MessageCodec) and the engine's iterate. */
export interface NewSolutionRecord {
  id: string;
  /** Creation time, ms since the epoch, and as RFC 3339 (the Solution's create_time). */
  createMs: number;
  createTime: string;
  marketName: string;
  /** Tenant of the caller that asked for it ("" without authentication). */
  tenant?: string;
  status: string;
  iterations: number;
  agentCount: number;
  pairCount: number;
  solveTimeS: number;
  setupTimeS: number;
  /** Time the request waited for a worker, and from receipt to stored, in ms. */
  queueMs: number;
  totalMs: number;
  /** SolveMarketRequest: the market and the settings. */
  request: Uint8Array;
  /** Solution without agents and trades (the BASIC view). */
  summary: Uint8Array;
  /** The full Solution. */
  solution: Uint8Array;
  /** Engine iterate for warm starts (null when the solve produced none). */
  iterate: Uint8Array | null;
}

/** A solve that has started and not finished: what is kept of it until it does. */
export interface RunningSolve {
  id: string;
  createMs: number;
  marketName: string;
  tenant: string;
  request: Uint8Array;
}

/** One CompareMechanisms result to persist. */
export interface NewComparisonRecord {
  id: string;
  /** Time the request was received, ms since the epoch, and as RFC 3339 (the response's create_time). */
  createMs: number;
  createTime: string;
  marketName: string;
  /** Tenant of the caller that asked for it ("" without authentication). */
  tenant?: string;
  /** The CompareMechanismsResponse, binary protobuf. */
  response: Uint8Array;
}

/** A row of a listing: position (for page tokens) and the solution blob of the requested view. */
export interface ListedSolution {
  id: string;
  createMs: number;
  blob: Buffer;
}

/** A listing query: newest first, after a cursor, optionally one market's or one tenant's solutions. */
export interface ListQuery {
  limit: number;
  after?: { createMs: number; id: string };
  marketName?: string;
  /** Only this tenant's solutions (undefined: every tenant's). */
  tenant?: string;
  full: boolean;
}

/** How to open a store. */
export interface StoreOptions {
  /** Largest size of the database file in bytes (0: no cap); beyond it writes fail with SQLITE_FULL. */
  maxBytes?: number;
  /** Period of the WAL checkpoints, in ms (default 250). */
  checkpointIntervalMs?: number;
  /** WAL size (in 4 KiB pages) beyond which the checkpointer makes it start over (default 4096: 16 MiB). */
  walRestartPages?: number;
}

/** The store could not be opened: the message names the path and the reason. */
export class StoreOpenError extends Error {
  constructor(path: string, reason: string) {
    super(`cannot open the solution store ${path}: ${reason}`);
    this.name = "StoreOpenError";
  }
}

const SCHEMA_VERSION = 2;

/** WAL frames (pages) beyond which the checkpointer makes the WAL start over: 4096 pages, 16 MiB. */
const WAL_RESTART_FRAMES = 4096;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS solutions (
  id           TEXT PRIMARY KEY,
  create_ms    INTEGER NOT NULL,
  create_time  TEXT NOT NULL,
  market_name  TEXT NOT NULL,
  status       TEXT NOT NULL,
  iterations   INTEGER NOT NULL,
  agent_count  INTEGER NOT NULL,
  pair_count   INTEGER NOT NULL,
  solve_time_s REAL NOT NULL,
  setup_time_s REAL NOT NULL,
  queue_ms     REAL NOT NULL,
  total_ms     REAL NOT NULL,
  request      BLOB NOT NULL,
  summary      BLOB NOT NULL,
  solution     BLOB NOT NULL,
  iterate      BLOB,
  tenant       TEXT NOT NULL DEFAULT ''
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS solutions_by_time ON solutions (create_ms DESC, id DESC);
CREATE INDEX IF NOT EXISTS solutions_by_market ON solutions (market_name, create_ms DESC, id DESC);
CREATE INDEX IF NOT EXISTS solutions_by_tenant ON solutions (tenant, create_ms DESC, id DESC);
CREATE TABLE IF NOT EXISTS comparisons (
  id           TEXT PRIMARY KEY,
  create_ms    INTEGER NOT NULL,
  create_time  TEXT NOT NULL,
  market_name  TEXT NOT NULL,
  tenant       TEXT NOT NULL DEFAULT '',
  response     BLOB NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS comparisons_by_tenant ON comparisons (tenant, create_ms DESC, id DESC);
CREATE TABLE IF NOT EXISTS running (
  id          TEXT PRIMARY KEY,
  create_ms   INTEGER NOT NULL,
  market_name TEXT NOT NULL,
  tenant      TEXT NOT NULL,
  request     BLOB NOT NULL
) WITHOUT ROWID;
`;

/** Schema version 1 had no tenant column and no table of running solves. */
const MIGRATE_FROM_1 = `ALTER TABLE solutions ADD COLUMN tenant TEXT NOT NULL DEFAULT '';`;

function toBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** A write waiting for the next group commit. */
interface PendingWrite {
  run: () => void;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/**
 * The solution store: one SQLite file (better-sqlite3, WAL mode, synchronous = NORMAL) holding
 * every solve — request, settings, result, timings, warm-start iterate and tenant —, every
 * CompareMechanisms result (with its tenant; the table was added without a schema version change:
 * `CREATE TABLE IF NOT EXISTS` adds it to older files on open), and the solves
 * still running (so that a restart after a crash can mark them as interrupted).
 *
 * Reads are synchronous single indexed statements. Writes of the request path (`started`,
 * `finished`, `abandoned`) are grouped: every write asked for during one turn of the event loop is
 * committed in one transaction, and their promises settle after the commit, so a reply sent after
 * `await store.finished(...)` is only sent once the solution is in the WAL (durable across a crash
 * of the process; across a power loss only after the next checkpoint or WAL sync, as with any
 * synchronous = NORMAL WAL database). The WAL is checkpointed by a thread of its own, never on
 * the event loop.
 */
export class SolutionStore {
  /** Absolute path of the database file (":memory:" for an in-memory store). */
  readonly path: string;
  private readonly db: Database.Database;
  private readonly insertStmt: Database.Statement;
  private readonly startStmt: Database.Statement;
  private readonly endStmt: Database.Statement;
  private readonly solutionStmt: Database.Statement<[string], { blob: Buffer; tenant: string }>;
  private readonly summaryStmt: Database.Statement<[string], { blob: Buffer; tenant: string }>;
  private readonly requestStmt: Database.Statement<[string], { blob: Buffer }>;
  private readonly iterateStmt: Database.Statement<[string], { blob: Buffer | null }>;
  private readonly tenantStmt: Database.Statement<[string], { tenant: string }>;
  private readonly countStmt: Database.Statement<[], { n: number }>;
  private readonly runningStmt: Database.Statement<[], RunningSolve>;
  private readonly insertComparisonStmt: Database.Statement;
  private readonly comparisonStmt: Database.Statement<[string], { blob: Buffer; tenant: string }>;
  private readonly listStmts = new Map<string, Database.Statement<unknown[], ListedSolution>>();
  private pending: PendingWrite[] = [];
  private flushScheduled = false;
  private checkpointer: Worker | null = null;
  /** Raised by the checkpointer while it makes the WAL start over: writes wait for it. */
  /**
   * Shared with the checkpointer thread: [0] 1 while it wants writes held back, [1] 1 once it has
   * closed its connection after a "stop" (`close` waits for that).
   */
  private readonly walPause = new Int32Array(new SharedArrayBuffer(8));
  private checkpointerRunning = false;
  /** The last error the checkpointer reported (checkpoints are retried at the next period). */
  checkpointError: string | null = null;

  /**
   * Opens (creating it and its directory if needed) the store at `path`.
   * @throws StoreOpenError naming the path when it cannot be created, opened or written.
   */
  constructor(path: string, options: StoreOptions = {}) {
    this.path = path === ":memory:" ? path : resolve(path);
    let db: Database.Database | undefined;
    try {
      if (this.path !== ":memory:") mkdirSync(dirname(this.path), { recursive: true });
      db = new Database(this.path, { timeout: 5000 });
      if (this.path !== ":memory:") {
        const mode = db.pragma("journal_mode = WAL", { simple: true });
        if (String(mode).toLowerCase() !== "wal")
          throw new Error(`cannot enable WAL mode (journal_mode is ${String(mode)})`);
        db.pragma("wal_autocheckpoint = 0");
        db.pragma(`journal_size_limit = ${(options.walRestartPages ?? WAL_RESTART_FRAMES) * 4096}`);
      }
      db.pragma("synchronous = NORMAL");
      const version = Number(db.pragma("user_version", { simple: true }));
      if (version > SCHEMA_VERSION)
        throw new Error(`schema version ${version} is newer than this service's (${SCHEMA_VERSION})`);
      db.transaction(() => {
        if (version === 1) db!.exec(MIGRATE_FROM_1);
        db!.exec(SCHEMA);
        db!.pragma(`user_version = ${SCHEMA_VERSION}`);
      })();
      if (options.maxBytes !== undefined && options.maxBytes > 0) {
        const pageSize = Number(db.pragma("page_size", { simple: true }));
        db.pragma(`max_page_count = ${Math.max(1, Math.floor(options.maxBytes / pageSize))}`);
      }
    } catch (err) {
      db?.close();
      throw new StoreOpenError(this.path, (err as Error).message);
    }
    this.db = db;
    this.insertStmt = db.prepare(
      `INSERT INTO solutions (id, create_ms, create_time, market_name, tenant, status, iterations, agent_count, pair_count,
         solve_time_s, setup_time_s, queue_ms, total_ms, request, summary, solution, iterate)
       VALUES (@id, @createMs, @createTime, @marketName, @tenant, @status, @iterations, @agentCount, @pairCount,
         @solveTimeS, @setupTimeS, @queueMs, @totalMs, @request, @summary, @solution, @iterate)`,
    );
    this.startStmt = db.prepare(
      "INSERT INTO running (id, create_ms, market_name, tenant, request) VALUES (@id, @createMs, @marketName, @tenant, @request)",
    );
    this.endStmt = db.prepare("DELETE FROM running WHERE id = ?");
    this.solutionStmt = db.prepare("SELECT solution AS blob, tenant FROM solutions WHERE id = ?");
    this.summaryStmt = db.prepare("SELECT summary AS blob, tenant FROM solutions WHERE id = ?");
    this.requestStmt = db.prepare("SELECT request AS blob FROM solutions WHERE id = ?");
    this.iterateStmt = db.prepare("SELECT iterate AS blob FROM solutions WHERE id = ?");
    this.tenantStmt = db.prepare("SELECT tenant FROM solutions WHERE id = ?");
    this.countStmt = db.prepare("SELECT count(*) AS n FROM solutions");
    this.runningStmt = db.prepare(
      "SELECT id, create_ms AS createMs, market_name AS marketName, tenant, request FROM running ORDER BY create_ms, id",
    );
    this.insertComparisonStmt = db.prepare(
      "INSERT INTO comparisons (id, create_ms, create_time, market_name, tenant, response) VALUES (@id, @createMs, @createTime, @marketName, @tenant, @response)",
    );
    this.comparisonStmt = db.prepare("SELECT response AS blob, tenant FROM comparisons WHERE id = ?");
    if (this.path !== ":memory:") {
      const data: CheckpointerData = {
        path: this.path,
        intervalMs: options.checkpointIntervalMs ?? 250,
        restartFrames: options.walRestartPages ?? WAL_RESTART_FRAMES,
        pause: this.walPause.buffer as SharedArrayBuffer,
      };
      this.checkpointer = new Worker(new URL("./store-checkpointer.js", import.meta.url), { workerData: data });
      this.checkpointer.on("message", (m: { type: string; message: string }) => {
        if (m.type === "error") this.checkpointError = m.message;
      });
      this.checkpointer.on("error", (err: Error) => {
        this.checkpointError = err.message;
      });
      this.checkpointerRunning = true;
      // a checkpointer that is gone holds no write back
      this.checkpointer.on("exit", () => {
        this.checkpointerRunning = false;
        Atomics.store(this.walPause, 0, 0);
      });
      this.checkpointer.unref();
    }
  }

  private row(record: NewSolutionRecord): Record<string, unknown> {
    return {
      ...record,
      tenant: record.tenant ?? "",
      request: toBuffer(record.request),
      summary: toBuffer(record.summary),
      solution: toBuffer(record.solution),
      iterate: record.iterate === null ? null : toBuffer(record.iterate),
    };
  }

  /** Persists one solve at once, in a transaction of its own. @throws if the id already exists. */
  insert(record: NewSolutionRecord): void {
    this.insertStmt.run(this.row(record));
  }

  private enqueue(run: () => void): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (!this.db.open) {
        reject(new Error("the solution store is closed"));
        return;
      }
      this.pending.push({ run, resolve, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /**
   * Commits every pending write in one transaction; when that fails, each in a transaction of its
   * own. While the checkpointer makes the WAL start over, waits for it (1 ms at a time) unless `force`.
   */
  private flush(force = false): void {
    if (!force && Atomics.load(this.walPause, 0) === 1 && this.db.open) {
      setTimeout(() => this.flush(), 1);
      return;
    }
    this.flushScheduled = false;
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return;
    if (!this.db.open) {
      for (const w of batch) w.reject(new Error("the solution store is closed"));
      return;
    }
    try {
      this.db.transaction(() => {
        for (const w of batch) w.run();
      })();
      for (const w of batch) w.resolve();
    } catch {
      for (const w of batch) {
        try {
          this.db.transaction(w.run)();
          w.resolve();
        } catch (err) {
          w.reject(err);
        }
      }
    }
  }

  /** Records that a solve has started (group commit); `finished` or `abandoned` removes it. */
  started(solve: RunningSolve): Promise<void> {
    return this.enqueue(() => this.startStmt.run({ ...solve, request: toBuffer(solve.request) }));
  }

  /** Persists a solve and forgets it as running, atomically (group commit). Rejects if the id exists. */
  finished(record: NewSolutionRecord): Promise<void> {
    const row = this.row(record);
    return this.enqueue(() => {
      this.insertStmt.run(row);
      this.endStmt.run(record.id);
    });
  }

  /** Forgets a running solve that ends without a stored solution (group commit). */
  abandoned(id: string): Promise<void> {
    return this.enqueue(() => this.endStmt.run(id));
  }

  /** Persists one comparison (group commit, as `finished`). Rejects if the id exists. */
  comparisonFinished(record: NewComparisonRecord): Promise<void> {
    const row = { ...record, tenant: record.tenant ?? "", response: toBuffer(record.response) };
    return this.enqueue(() => {
      this.insertComparisonStmt.run(row);
    });
  }

  /** The stored CompareMechanismsResponse blob and the tenant that owns it, or undefined for an unknown id. */
  findComparison(id: string): { blob: Buffer; tenant: string } | undefined {
    return this.comparisonStmt.get(id);
  }

  /** Solves recorded as started and never finished: the process stopped while they ran. */
  interrupted(): RunningSolve[] {
    return this.runningStmt.all();
  }

  /** Replaces an interrupted solve by the solution that says so, atomically. */
  resolveInterrupted(record: NewSolutionRecord): void {
    this.db.transaction(() => {
      this.insertStmt.run(this.row(record));
      this.endStmt.run(record.id);
    })();
  }

  /** The stored Solution blob (full, or the BASIC summary), or undefined for an unknown id. */
  solution(id: string, full: boolean): Buffer | undefined {
    return (full ? this.solutionStmt : this.summaryStmt).get(id)?.blob;
  }

  /** The stored Solution blob of the view and the tenant that owns it, or undefined for an unknown id. */
  find(id: string, full: boolean): { blob: Buffer; tenant: string } | undefined {
    return (full ? this.solutionStmt : this.summaryStmt).get(id);
  }

  /** The tenant owning a stored solution, or undefined for an unknown id. */
  tenantOf(id: string): string | undefined {
    return this.tenantStmt.get(id)?.tenant;
  }

  /** The stored SolveMarketRequest blob, or undefined for an unknown id. */
  request(id: string): Buffer | undefined {
    return this.requestStmt.get(id)?.blob;
  }

  /** The stored iterate: undefined for an unknown id, null when the solve kept none. */
  iterate(id: string): Buffer | null | undefined {
    const row = this.iterateStmt.get(id);
    return row === undefined ? undefined : row.blob;
  }

  /** Solutions newest first (by creation time, then id), after `query.after`. */
  list(query: ListQuery): ListedSolution[] {
    const column = query.full ? "solution" : "summary";
    const where: string[] = [];
    const params: (string | number)[] = [];
    if (query.tenant !== undefined) {
      where.push("tenant = ?");
      params.push(query.tenant);
    }
    if (query.marketName !== undefined && query.marketName !== "") {
      where.push("market_name = ?");
      params.push(query.marketName);
    }
    if (query.after) {
      where.push("(create_ms, id) < (?, ?)");
      params.push(query.after.createMs, query.after.id);
    }
    const sql =
      `SELECT id, create_ms AS createMs, ${column} AS blob FROM solutions` +
      (where.length > 0 ? ` WHERE ${where.join(" AND ")}` : "") +
      " ORDER BY create_ms DESC, id DESC LIMIT ?";
    params.push(query.limit);
    let stmt = this.listStmts.get(sql);
    if (stmt === undefined) {
      stmt = this.db.prepare<unknown[], ListedSolution>(sql);
      this.listStmts.set(sql, stmt);
    }
    return stmt.all(...params);
  }

  /** Every stored solution's id, request and full solution, oldest first (for audits). */
  *entries(): IterableIterator<{ id: string; status: string; tenant: string; request: Buffer; solution: Buffer }> {
    yield* this.db
      .prepare<[], { id: string; status: string; tenant: string; request: Buffer; solution: Buffer }>(
        "SELECT id, status, tenant, request, solution FROM solutions ORDER BY create_ms, id",
      )
      .iterate();
  }

  /** Number of stored solutions. */
  count(): number {
    return this.countStmt.get()?.n ?? 0;
  }

  /**
   * Refuses (true) or allows again (false) every write, as a read-only store would: writes then
   * fail with SQLITE_READONLY. For maintenance windows, and to check the service's answer to an
   * unwritable store.
   */
  setReadOnly(readOnly: boolean): void {
    this.db.pragma(`query_only = ${readOnly ? 1 : 0}`);
  }

  /** SQLite's own consistency check: "ok", or the problems it found. */
  integrityCheck(): string {
    return String(this.db.pragma("integrity_check", { simple: true }));
  }

  /** Whether the store is still open. */
  get open(): boolean {
    return this.db.open;
  }

  /**
   * Commits pending writes, stops the checkpointer thread and closes the database. The last
   * connection to close checkpoints the WAL into the database file. Waits (up to 5 s) until the
   * checkpointer has closed its connection, so that a store opened on the same file right after
   * does not meet that connection's closing checkpoint ("database is locked"). Idempotent.
   */
  close(): void {
    if (!this.db.open) return;
    this.flush(true);
    const checkpointer = this.checkpointer;
    this.checkpointer = null;
    if (checkpointer !== null) {
      checkpointer.postMessage("stop");
      if (this.checkpointerRunning) Atomics.wait(this.walPause, 1, 0, 5000);
    }
    this.db.close();
  }
}
