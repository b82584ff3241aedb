import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import Database from "better-sqlite3";

/** One solve to persist. Blobs are binary protobuf (see MessageCodec) and the engine's iterate. */
export interface NewSolutionRecord {
  id: string;
  /** Creation time, ms since the epoch, and as RFC 3339 (the Solution's create_time). */
  createMs: number;
  createTime: string;
  marketName: string;
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

/** A row of a listing: position (for page tokens) and the solution blob of the requested view. */
export interface ListedSolution {
  id: string;
  createMs: number;
  blob: Buffer;
}

/** A listing query: newest first, after a cursor, optionally one market's solutions. */
export interface ListQuery {
  limit: number;
  after?: { createMs: number; id: string };
  marketName?: string;
  full: boolean;
}

const SCHEMA_VERSION = 1;

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
  iterate      BLOB
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS solutions_by_time ON solutions (create_ms DESC, id DESC);
CREATE INDEX IF NOT EXISTS solutions_by_market ON solutions (market_name, create_ms DESC, id DESC);
`;

function toBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * The solution store: one SQLite file (better-sqlite3, WAL mode) holding every solve — request,
 * settings, result, timings and warm-start iterate. Synchronous; every call is a single indexed
 * statement.
 */
export class SolutionStore {
  /** Absolute path of the database file (":memory:" for an in-memory store). */
  readonly path: string;
  private readonly db: Database.Database;
  private readonly insertStmt: Database.Statement;
  private readonly solutionStmt: Database.Statement<{ blob: Buffer }>;
  private readonly summaryStmt: Database.Statement<{ blob: Buffer }>;
  private readonly requestStmt: Database.Statement<{ blob: Buffer }>;
  private readonly iterateStmt: Database.Statement<{ blob: Buffer | null }>;
  private readonly countStmt: Database.Statement<{ n: number }>;
  private readonly listStmts = new Map<string, Database.Statement<ListedSolution>>();

  /** Opens (creating it and its directory if needed) the store at `path`. */
  constructor(path: string) {
    this.path = path === ":memory:" ? path : resolve(path);
    if (this.path !== ":memory:") mkdirSync(dirname(this.path), { recursive: true });
    this.db = new Database(this.path, { timeout: 5000 });
    try {
      if (this.path !== ":memory:") {
        const mode = this.db.pragma("journal_mode = WAL", { simple: true });
        if (String(mode).toLowerCase() !== "wal") throw new Error(`store ${this.path}: cannot enable WAL mode (journal_mode is ${String(mode)})`);
      }
      this.db.pragma("synchronous = NORMAL");
      const version = Number(this.db.pragma("user_version", { simple: true }));
      if (version > SCHEMA_VERSION) {
        throw new Error(`store ${this.path}: schema version ${version} is newer than this service's (${SCHEMA_VERSION})`);
      }
      this.db.exec(SCHEMA);
      this.db.pragma(`user_version = ${SCHEMA_VERSION}`);
    } catch (err) {
      this.db.close();
      throw err;
    }
    this.insertStmt = this.db.prepare(
      `INSERT INTO solutions (id, create_ms, create_time, market_name, status, iterations, agent_count, pair_count,
         solve_time_s, setup_time_s, queue_ms, total_ms, request, summary, solution, iterate)
       VALUES (@id, @createMs, @createTime, @marketName, @status, @iterations, @agentCount, @pairCount,
         @solveTimeS, @setupTimeS, @queueMs, @totalMs, @request, @summary, @solution, @iterate)`,
    );
    this.solutionStmt = this.db.prepare("SELECT solution AS blob FROM solutions WHERE id = ?");
    this.summaryStmt = this.db.prepare("SELECT summary AS blob FROM solutions WHERE id = ?");
    this.requestStmt = this.db.prepare("SELECT request AS blob FROM solutions WHERE id = ?");
    this.iterateStmt = this.db.prepare("SELECT iterate AS blob FROM solutions WHERE id = ?");
    this.countStmt = this.db.prepare("SELECT count(*) AS n FROM solutions");
  }

  /** Persists one solve. @throws if the id already exists. */
  insert(record: NewSolutionRecord): void {
    this.insertStmt.run({
      ...record,
      request: toBuffer(record.request),
      summary: toBuffer(record.summary),
      solution: toBuffer(record.solution),
      iterate: record.iterate === null ? null : toBuffer(record.iterate),
    });
  }

  /** The stored Solution blob (full, or the BASIC summary), or undefined for an unknown id. */
  solution(id: string, full: boolean): Buffer | undefined {
    return (full ? this.solutionStmt : this.summaryStmt).get(id)?.blob;
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
      stmt = this.db.prepare<ListedSolution>(sql);
      this.listStmts.set(sql, stmt);
    }
    return stmt.all(...params);
  }

  /** Number of stored solutions. */
  count(): number {
    return this.countStmt.get()?.n ?? 0;
  }

  /** Whether the store is still open. */
  get open(): boolean {
    return this.db.open;
  }

  /** Closes the database (checkpointing the WAL). Idempotent. */
  close(): void {
    if (this.db.open) this.db.close();
  }
}
