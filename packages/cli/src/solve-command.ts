import { closeSync, fstatSync, openSync, readFileSync, writeSync } from "node:fs";
import { availableParallelism } from "node:os";
import { isatty } from "node:tty";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { defaultSettings } from "@peermarket/admm";
import { solveMarket, type TradeRows, verifyOutcome } from "@peermarket/market";
import {
  type Market,
  nothingToTradeWarning,
  SCENARIO_FLAGS_USAGE,
  SETTINGS_FLAGS_USAGE,
  type Solution,
  type SolverSettings,
  type StreamedRows,
  type TextSink,
  type Trade,
  writeProtoJsonText,
} from "@peermarket/model";
import { EXIT, UsageError } from "./errors.js";
import { progressBar } from "./progress.js";
import { agentsTable, statusBlock, tradesTable, writeSolutionCsv } from "./solution-tables.js";
import {
  horizonAgentsTable,
  horizonTradesLine,
  isHorizonSolution,
  periodsTable,
  writeHorizonCsv,
} from "./horizon-tables.js";
import { loadProfilesCsv } from "@peermarket/model";
import {
  applyMarketFlags,
  marketOptions,
  numberFlag,
  readScenario,
  settingsFromFlags,
  settingsOptions,
  parseScenarioCommand,
} from "./scenario-options.js";

export const SOLVE_USAGE = `Usage: peermarket solve <scenario.json|case.m|bundled-case> [options]

Clears a peer-to-peer market by consensus ADMM and prints the dispatch, the trades and prices.

Output:
  --json                 print the Solution as proto3 JSON on stdout, and nothing else
  --active-trades        list only the trades that carry power (power > 0) in the JSON and CSV
                         output, with tradesTruncated true when a pair was left out (default:
                         every pair of the trading graph, idle ones with power 0)
  --out FILE             also write the Solution (proto3 JSON) to FILE
  --csv DIR              also write agents.csv and trades.csv (units in the column names) to DIR;
                         for a multi-period market agents_periods.csv, trades.csv, storage.csv,
                         periods.csv and agents.csv (totals over the horizon)
  --profiles FILE.csv    per-period profiles: a header of AGENT-ID.FIELD columns (power_min,
                         power_max, cost_linear, cost_quadratic; grid.import_price, …;
                         charges.unit_fee), one row per period (docs/multi-period.md)
  --verify               check against HiGHS's centralized optimum and a KKT certificate
  --verify-time-limit S  time limit of the reference solve (default 60)
  --quiet                no progress bar
Solver settings (OSQP names):
${SETTINGS_FLAGS_USAGE}
  --workers N            threads (default: the number of cores; markets under 20 000
                         directed trades always run on one thread)
Scenario:
${SCENARIO_FLAGS_USAGE}
Network charges:
  --network CASE         a MATPOWER file or bundled case (case14, case39, …) for a JSON scenario
  --charges DESIGN       uniform | distance | zonal | none
  --unit-fee U           currency/MWh per unit distance
  --seller-share S       share of the charge borne by the seller (default 0.5)
  --target-revenue R     find the smallest unit fee that collects R (cost recovery)
Remote:
  --server HOST:PORT     solve through a running peermarket service instead of in-process
  --token T              bearer token for a service with --auth-file (or PEERMARKET_TOKEN)
  --tls                  connect over TLS with the system's trusted roots
  --tls-ca PATH          connect over TLS, trusting this CA (PEM)
  --tls-cert PATH --tls-key PATH   client certificate, for services that require one
  --tls-server-name NAME check the server's certificate against NAME

Exit status: 0 solved, 3 not solved (see the status), 4 verification failed, 2 bad input.
`;

const options = {
  json: { type: "boolean" },
  "active-trades": { type: "boolean" },
  out: { type: "string" },
  csv: { type: "string" },
  profiles: { type: "string" },
  verify: { type: "boolean" },
  "verify-time-limit": { type: "string" },
  quiet: { type: "boolean" },
  server: { type: "string" },
  token: { type: "string" },
  tls: { type: "boolean" },
  "tls-ca": { type: "string" },
  "tls-cert": { type: "string" },
  "tls-key": { type: "string" },
  "tls-server-name": { type: "string" },
  help: { type: "boolean", short: "h" },
  ...marketOptions,
  ...settingsOptions,
} as const;

/** Pairs from which the in-process solve's working memory is collected before the output is written. */
const LARGE_OUTPUT_PAIRS = 100_000;

/** `peermarket solve`. */
export async function solveCommand(argv: string[]): Promise<number> {
  const parsed = parseScenarioCommand(argv, options, SOLVE_USAGE);
  if (!parsed) return EXIT.ok;
  const v = parsed.values;
  let market = applyMarketFlags(readScenario(parsed.scenario), v);
  if (typeof v.profiles === "string") market = loadProfilesCsv(readFileSync(v.profiles, "utf8"), market, v.profiles);
  const settings = settingsFromFlags(v);
  const bar = progressBar(settings.maxIter ?? defaultSettings.maxIter, !v.json && !v.quiet);
  let solution: Solution;
  // The trades of an in-process single-period solve whose output is JSON alone: streamed pair by
  // pair from the engine's arrays, never an object per pair (millions of pairs).
  const streamTrades = v.json === true && v.csv === undefined;
  let rows: TradeRows | null = null;
  let verifyFailed = false;
  try {
    if (v.server) {
      if (v.verify) throw new UsageError("--verify runs in-process; it cannot be combined with --server");
      const token = v.token ?? process.env.PEERMARKET_TOKEN;
      const tlsWanted =
        v.tls || v["tls-ca"] !== undefined || v["tls-cert"] !== undefined || v["tls-server-name"] !== undefined;
      if ((v["tls-cert"] === undefined) !== (v["tls-key"] === undefined))
        throw new UsageError("--tls-cert and --tls-key go together");
      const tls = tlsWanted
        ? { ca: v["tls-ca"], cert: v["tls-cert"], key: v["tls-key"], serverName: v["tls-server-name"] }
        : undefined;
      solution = await solveRemote(v.server, market, settings, { token, tls }, (p) => bar.update(p));
    } else {
      const outcome = await solveMarket(market, {
        settings,
        onProgress: (p) => bar.update(p),
        defaultWorkers: availableParallelism(),
        tradeObjects: !streamTrades,
        // `market` is read again only for its name and agents (warnings, tables).
        releasePairs: true,
      });
      solution = outcome.solution;
      rows = streamTrades ? outcome.tradeRows : null;
      if (rows && rows.length >= LARGE_OUTPUT_PAIRS) collectGarbage();
      if (v.verify) {
        const timeLimit = numberFlag("verify-time-limit", v["verify-time-limit"]) ?? 60;
        solution.verification = await verifyOutcome(outcome, { timeLimit });
        verifyFailed = !solution.verification.certificatePassed || solution.verification.objectiveGap > 1e-4;
      }
    }
  } finally {
    bar.stop();
  }
  // After the solve: a market that fails validation is reported as such, not as one that cannot trade.
  const nothing = nothingToTradeWarning(market);
  if (nothing) process.stderr.write(`peermarket solve: warning: ${nothing}\n`);
  const multiPeriod = isHorizonSolution(solution);
  // A multi-period Solution lists only the entries that carry power already.
  const activeOnly = v["active-trades"] === true && !multiPeriod;
  const output: OutputSolution = rows ? withTradeRows(solution, rows, activeOnly) : solution;
  if (activeOnly && !rows) keepActiveTrades(solution);
  if (v.out) writeSolutionFile(v.out, output);
  if (v.csv) {
    if (multiPeriod) writeHorizonCsv(v.csv, solution, market);
    else writeSolutionCsv(v.csv, solution);
  }
  if (v.json) writeSolutionStdout(output);
  else if (multiPeriod) {
    process.stdout.write(
      `${market.name || "market"}: ${solution.agents.length} agents, ${solution.pairCount} pairs, ${solution.periods} periods of ${solution.periodHours} h\n\n`,
    );
    process.stdout.write(periodsTable(solution) + "\n");
    process.stdout.write(horizonAgentsTable(solution, market) + "\n");
    process.stdout.write(horizonTradesLine(solution) + "\n");
    process.stdout.write(statusBlock(solution));
  } else {
    process.stdout.write(
      `${market.name || "market"}: ${solution.agents.length} agents, ${solution.pairCount} pairs\n\n`,
    );
    process.stdout.write(agentsTable(solution) + "\n");
    process.stdout.write(tradesTable(solution, 1e-6, 50) + "\n");
    process.stdout.write(statusBlock(solution));
  }
  if (verifyFailed) return EXIT.verificationFailed;
  return solution.status === "SOLVE_STATUS_SOLVED" ? EXIT.ok : EXIT.notSolved;
}

async function solveRemote(
  address: string,
  market: Market,
  settings: SolverSettings,
  connection: { token?: string; tls?: { ca?: string; cert?: string; key?: string; serverName?: string } },
  onProgress: (p: import("@peermarket/model").SolveProgress) => void,
): Promise<Solution> {
  const { MarketClient } = await import("@peermarket/market-service");
  const client = new MarketClient(address, connection);
  try {
    return (await client.streamSolveMarket({ market, settings }, { onProgress })) as Solution;
  } catch (err) {
    const code = (err as { code?: number }).code;
    if (code === 16) throw new UsageError(`${address}: the service needs a valid token (--token or PEERMARKET_TOKEN)`);
    if (code === 7)
      throw new UsageError(
        `${address}: this token may not do that (${(err as { details?: string }).details ?? "permission denied"})`,
      );
    if (code === 14)
      throw new UsageError(
        `${address}: service unavailable (${(err as { details?: string }).details ?? "no connection"})`,
      );
    throw err;
  } finally {
    client.close();
  }
}

/** A Solution whose trades may be given as rows produced one at a time (`withTradeRows`). */
export type OutputSolution = Omit<Solution, "trades"> & { trades: Trade[] | StreamedRows<Trade> };

/**
 * The Solution of an in-process solve with its trades as `rows` (TradeRows of the same solve,
 * `solution.trades` left empty): every pair, or with `activeOnly` those that carry power, and
 * tradesTruncated set as `keepActiveTrades` sets it. Written, it is the text of the Solution with
 * its Trade objects, byte for byte.
 */
export function withTradeRows(solution: Solution, rows: TradeRows, activeOnly: boolean): OutputSolution {
  const trades = rows.rows(activeOnly);
  return { ...solution, trades, tradesTruncated: activeOnly && trades.length < rows.length };
}

/**
 * Writes a Solution as proto3 JSON, every field present (`emitDefaults`), indented by two spaces
 * and ended by a newline: streamed in chunks, so that a market of a million trades never holds its
 * JSON (hundreds of megabytes) in memory; trades given as rows are written as they are produced.
 */
export function writeSolutionJson(solution: OutputSolution, write: (chunk: string) => void): void {
  writeSolutionText(solution, { write });
}

/** writeSolutionJson to any sink (with `writeBytes`: as UTF-8 bytes in one reused buffer). */
function writeSolutionText(solution: OutputSolution, sink: TextSink): void {
  writeProtoJsonText("peermarket.v1.Solution", solution, sink, { emitDefaults: true });
  sink.write("\n");
}

/** All of `bytes` to a file descriptor, synchronously. */
function writeAll(fd: number, bytes: Uint8Array): void {
  for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at);
}

/** writeSolutionJson to a file (created or truncated). */
function writeSolutionFile(path: string, solution: OutputSolution): void {
  const fd = openSync(path, "w");
  try {
    writeSolutionText(solution, {
      write: (chunk) => writeAll(fd, Buffer.from(chunk, "utf8")),
      writeBytes: (bytes) => writeAll(fd, bytes),
    });
  } finally {
    closeSync(fd);
  }
}

/**
 * writeSolutionJson to standard output. Redirected to a file or a device (`> out.json`,
 * `> /dev/null`), where Node writes standard output synchronously anyway, the bytes go straight to
 * the descriptor from one reused buffer; to a pipe or a terminal, through process.stdout, a copy
 * of each chunk's bytes (the stream may hold it until the reader takes it).
 */
function writeSolutionStdout(solution: OutputSolution): void {
  let direct = false;
  try {
    const st = fstatSync(1);
    direct = !isatty(1) && (st.isFile() || st.isCharacterDevice());
  } catch {
    direct = false;
  }
  if (!direct) {
    writeSolutionText(solution, {
      write: (chunk) => process.stdout.write(chunk),
      writeBytes: (bytes) => process.stdout.write(Buffer.from(bytes)),
    });
    return;
  }
  writeSolutionText(solution, {
    write: (chunk) => writeAll(1, Buffer.from(chunk, "utf8")),
    writeBytes: (bytes) => writeAll(1, bytes),
  });
}

/**
 * A full garbage collection, when Node allows it. After a large solve the engine's working arrays
 * (its iterate and polishing scratch, about 70 bytes per directed trade) are garbage that V8 frees
 * only at its next full collection, which streaming the output may never trigger: collected first,
 * their memory is reused by the output's allocations instead of adding to the process's peak.
 */
function collectGarbage(): void {
  try {
    setFlagsFromString("--expose-gc");
    (runInNewContext("gc") as () => void)();
  } catch {
    // Not available: V8 collects when it decides to.
  }
}

/**
 * Leaves in `solution.trades` only the trades that carry power (power > 0), in pair order, and
 * sets tradesTruncated when a pair was left out, as the service does for a Solution too large for
 * one message (docs/api.md); pairCount still counts every pair.
 */
export function keepActiveTrades(solution: Solution): void {
  const active = solution.trades.filter((t) => t.power > 0);
  const truncated = active.length < solution.trades.length;
  solution.trades = active;
  solution.tradesTruncated = truncated;
}
