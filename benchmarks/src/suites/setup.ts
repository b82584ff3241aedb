import { spawn } from "node:child_process";
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { closeShardTeam, peerMarketColumns } from "@peermarket/admm";
import { solveMarket } from "@peermarket/market";
import {
  expandMarket,
  makeAgent,
  makeMarket,
  type Market,
  parseMarketJson,
  parseMarketJsonReference,
  toProtoJson,
  validateMarket,
  writeProtoJsonText,
} from "@peermarket/model";
import { int, seconds, sig } from "../format.js";
import { firstTouchMicros, PAGE } from "../machine.js";
import { totalBytes } from "../synthetic.js";
import { writeCsv } from "../outputs.js";
import type { Suite, SuiteContext, SuiteResult } from "../suite.js";
import { atMost, type TargetRow, targetTable } from "../targets.js";

/** Agents of the peer generator's markets: ~54 000, ~600 000 and ~1.2 million directed trades. */
const SIZES: Record<SuiteContext["mode"], number[]> = { smoke: [40, 100], quick: [300, 1000], full: [300, 1000, 1420] };
/**
 * Markets whose whole process (`peermarket solve FILE --json > /dev/null`) is measured under
 * /usr/bin/time: ~0.6, ~1.2 and (complete graph) ~5.5 million directed trades, where Node's own
 * ~65 MB weigh less per trade.
 */
const WHOLE: Record<SuiteContext["mode"], [number, Graph][]> = {
  smoke: [[100, "complete"]],
  quick: [
    [1000, "complete"],
    [1000, "explicit"],
    [1420, "complete"],
    [1420, "explicit"],
    [3000, "complete"],
  ],
  full: [
    [1000, "complete"],
    [1000, "explicit"],
    [1420, "complete"],
    [1420, "explicit"],
    [3000, "complete"],
  ],
};
/** Whole processes from this many directed trades also get the stage-by-stage memory probe. */
const PROBE_MIN_TRADES: Record<SuiteContext["mode"], number> = { smoke: 0, quick: 1e6, full: 1e6 };
const REPEATS = { smoke: 1, quick: 3, full: 3 } as const;
/** Timed expansions per market, at least (see the expansion's timing in `run`). */
const EXPAND_REPEATS = 6;

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const BIN = join(ROOT, "packages/cli/bin/peermarket.js");
const PROBE = fileURLToPath(new URL("../setup-memory-probe.js", import.meta.url));

/** What `setup-memory-probe.js` prints: resident memory (MiB) after each stage of `solve --json`. */
interface Probe {
  directedTrades: number;
  status: string;
  iterations: number;
  marks: { stage: string; rssMB: number; peakMB: number }[];
}

/**
 * The memory probe's stages of the largest market, in words: where a whole process's bytes per
 * directed trade go.
 */
function memoryNote(stageRows: Record<string, string | number>[]): string {
  if (stageRows.length === 0) return "";
  const largest = Math.max(...stageRows.map((r) => Number(r.directed_trades)));
  const rows = stageRows.filter((r) => Number(r.directed_trades) === largest);
  const first = rows[0];
  const last = rows[rows.length - 1];
  const parts = rows.map((r, i) => {
    if (i === 0) return `${r.stage} ${sig(Number(r.rss_mb))} MB (${sig(Number(r.added_bytes_per_trade))} B)`;
    const b = Number(r.added_bytes_per_trade);
    return `${r.stage} ${b < 0 ? "−" : "+"}${sig(Math.abs(b))} B`;
  });
  return `By stage, ${int(Number(first.agents))} agents ${first.graph} (${int(largest)} directed trades; resident memory per directed trade, measured): ${parts.join(", ")}; peak ${sig(Number(last.peak_bytes_per_trade))} B. Node with the command's modules is the same ~${sig(Number(first.rss_mb))} MB at every size: per directed trade it weighs ${sig((Number(first.rss_mb) * 2 ** 20) / 1e6)} B at 1 million. The table below has every probed market.`;
}

/** Runs the memory probe on a scenario file in a fresh process. */
function memoryProbe(file: string): Promise<Probe> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [PROBE, file], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout!.setEncoding("utf8").on("data", (d: string) => (out += d));
    child.stderr!.setEncoding("utf8").on("data", (d: string) => (err += d));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0) reject(new Error(`setup-memory-probe ${file} exited with ${code}: ${err.trim()}`));
      else resolve(JSON.parse(out) as Probe);
    });
  });
}

type Graph = "explicit" | "complete";

/**
 * The peer generator's market (packages/admm/src/peer-market.ts) as a scenario: its agents, and
 * its pairs either listed (TRADING_GRAPH_EXPLICIT) or left to the complete graph, whose pairs that
 * can trade are the same ones (consumers only buy, producers only sell).
 */
function peerScenario(agents: number, graph: Graph): Market {
  const { arrays: m } = peerMarketColumns(agents, 1);
  const id = (n: number) => `a${n}`;
  const pairs: { agentId: string; partnerId: string }[] = [];
  if (graph === "explicit") {
    for (let n = 0; n < m.nAgents; n++)
      for (let k = m.tradeStart[n]; k < m.tradeStart[n + 1]; k++)
        if (m.partner[k] > n) pairs.push({ agentId: id(n), partnerId: id(m.partner[k]) });
  }
  return makeMarket({
    name: `peer-${agents}-${graph}`,
    agents: Array.from({ length: m.nAgents }, (_, n) =>
      makeAgent(id(n), { costQuadratic: m.a[n], costLinear: m.b[n], powerMin: m.pMin[n], powerMax: m.pMax[n] }),
    ),
    tradingGraph: graph === "explicit" ? "TRADING_GRAPH_EXPLICIT" : "TRADING_GRAPH_COMPLETE",
    pairs,
  });
}

/**
 * Best (smallest) CPU time (user + system, process.cpuUsage) of `repeats` runs after one warm-up,
 * in seconds, and the warm-up's own (`first`). CPU time rather than wall time: on a machine shared
 * with other work the wall time of a single-threaded stage mostly measures the other processes.
 */
function best<T>(f: () => T, repeats: number): { s: number; first: number; result: T } {
  let c = process.cpuUsage();
  let result = f();
  let d = process.cpuUsage(c);
  const first = (d.user + d.system) / 1e6;
  let s = Infinity;
  for (let i = 0; i < repeats; i++) {
    c = process.cpuUsage();
    result = f();
    d = process.cpuUsage(c);
    s = Math.min(s, (d.user + d.system) / 1e6);
  }
  return { s, first, result };
}

/** One run of `node BIN args` under /usr/bin/time -v, stdout to /dev/null: wall seconds and peak RSS. */
function timedProcess(args: string[]): Promise<{ wallS: number; maxRssMB: number; code: number }> {
  return new Promise((resolve, reject) => {
    const devNull = openSync("/dev/null", "w");
    const t = performance.now();
    const child = spawn("/usr/bin/time", ["-v", process.execPath, BIN, ...args], {
      stdio: ["ignore", devNull, "pipe"],
    });
    closeSync(devNull);
    let err = "";
    child.stderr!.setEncoding("utf8").on("data", (d: string) => (err += d));
    child.on("error", reject);
    child.on("close", (code) => {
      const rss = /Maximum resident set size \(kbytes\):\s*(\d+)/.exec(err);
      resolve({
        wallS: (performance.now() - t) / 1000,
        maxRssMB: rss ? Number(rss[1]) / 1024 : Number.NaN,
        code: code ?? -1,
      });
    });
  });
}

interface StageRow extends Record<string, string | number> {
  agents: number;
  graph: Graph;
  directed_trades: number;
  scenario_bytes: number;
  parse_s: number;
  parse_reference_s: number;
  validate_s: number;
  expand_s: number;
  expand_ns_per_trade: number;
  /** The first expansion of this market in the process (V8 still compiling `expandMarket`). */
  expand_first_ns_per_trade: number;
  /** Bytes per directed trade of the arrays the expansion writes (fresh memory, each a first write). */
  written_bytes_per_trade: number;
}

/**
 * Bytes of the arrays an expansion writes: the engine's CSR structure, trade bounds and agent
 * columns, and the pair indices. Not the cost, preference and charge arrays, which a market
 * without costs leaves at zero (allocated, never written, so never mapped).
 */
function writtenBytes(x: ReturnType<typeof expandMarket>): number {
  const a = x.arrays;
  return totalBytes([
    a.tradeStart,
    a.partner,
    a.mirror,
    a.lo,
    a.hi,
    a.a,
    a.b,
    a.pMin,
    a.pMax,
    x.pairFirst,
    x.pairSecond,
    x.tradeOfFirst,
    x.tradeOfSecond,
  ]);
}

/**
 * Set-up and output of `peermarket solve`: parsing the scenario (the one-pass reader against the
 * reference path: JSON tree, then proto3 reading), validation, expansion (validation included),
 * per directed trade, for explicit pair lists and complete graphs; the time to print the Solution
 * (streamed proto3 JSON) against the time to solve; the whole process's wall time and peak RSS.
 */
export const setupSuite: Suite = {
  name: "setup",
  description:
    "scenario parsing, validation and expansion per directed trade (explicit and complete graphs), printing against solving, whole-process peak memory",
  async run(ctx: SuiteContext): Promise<SuiteResult> {
    const repeats = REPEATS[ctx.mode];
    const tmp = mkdtempSync(join(tmpdir(), "peermarket-setup-"));
    const rows: StageRow[] = [];
    const printRows: Record<string, string | number>[] = [];
    const wholeRows: Record<string, string | number>[] = [];
    const stageRows: Record<string, string | number>[] = [];
    try {
      for (const agents of SIZES[ctx.mode]) {
        for (const graph of ["explicit", "complete"] as const) {
          const text = JSON.stringify(toProtoJson("Market", peerScenario(agents, graph)));
          const file = join(tmp, `peer-${agents}-${graph}.json`);
          writeFileSync(file, text);
          const parse = best(() => parseMarketJson(text, file), repeats);
          const parseRef = best(() => parseMarketJsonReference(text, file), repeats);
          const market = parse.result;
          const validate = best(() => validateMarket(market), repeats);
          if (validate.result.length > 0) throw new Error(`setup: ${file} is invalid: ${validate.result[0].message}`);
          // V8 takes about five expansions of a 600 000-trade market to finish compiling
          // `expandMarket` (measured: 200, 165, 114, 50, 44 ms, then ~21): the steady speed is the
          // best of EXPAND_REPEATS after one; the first run's is reported beside it.
          const expand = best(() => expandMarket(market), Math.max(repeats, EXPAND_REPEATS));
          const trades = expand.result.arrays.partner.length;
          const row: StageRow = {
            agents,
            graph,
            directed_trades: trades,
            scenario_bytes: text.length,
            parse_s: parse.s,
            parse_reference_s: parseRef.s,
            validate_s: validate.s,
            expand_s: expand.s,
            expand_ns_per_trade: (1e9 * expand.s) / trades,
            expand_first_ns_per_trade: (1e9 * expand.first) / trades,
            written_bytes_per_trade: writtenBytes(expand.result) / trades,
          };
          rows.push(row);
          ctx.log(
            `setup: ${int(agents)} agents ${graph}, ${int(trades)} trades: parse ${seconds(parse.s)} (reference ${seconds(parseRef.s)}), validate ${seconds(validate.s)}, expand ${seconds(expand.s)} (${sig(row.expand_ns_per_trade)} ns/trade)`,
          );
        }
      }
      // Printing against solving, in-process, on the largest quick size's complete graph.
      const printAgents = SIZES[ctx.mode][Math.min(1, SIZES[ctx.mode].length - 1)];
      {
        const market = peerScenario(printAgents, "complete");
        const c = process.cpuUsage();
        const t = performance.now();
        // As `solve --json` runs it: as many threads as cores, which start only when they pay
        // (a market exact at its first iteration stays on this one).
        const outcome = await solveMarket(market, { defaultWorkers: availableParallelism(), tradeObjects: false });
        const solveThreads = outcome.teamFromIteration >= 0 ? availableParallelism() : 1;
        const solveWallS = (performance.now() - t) / 1000;
        const d = process.cpuUsage(c);
        const solveS = (d.user + d.system) / 1e6;
        const fd = openSync("/dev/null", "w");
        // First, as `solve --json` prints (the writer not yet used in this process, as in a one-off
        // command): the trades streamed from the engine's arrays (TradeRows), no
        // Trade objects, the text as UTF-8 bytes from one reused buffer.
        const tradeRows = outcome.tradeRows;
        if (tradeRows === null) throw new Error("setup: solveMarket gave no trade rows");
        const streamed = { ...outcome.solution, trades: tradeRows.rows(false) };
        let rowBytes = 0;
        const printFromRows = best(() => {
          rowBytes = 0;
          writeProtoJsonText(
            "Solution",
            streamed,
            {
              write(chunk) {
                rowBytes += Buffer.byteLength(chunk);
                writeSync(fd, chunk);
              },
              writeBytes(chunk) {
                rowBytes += chunk.length;
                writeSync(fd, chunk);
              },
            },
            { emitDefaults: true },
          );
        }, repeats);
        // Then from Trade objects (the Solution as a service builds it), and the object form through
        // JSON.stringify.
        const s = { ...outcome.solution, trades: tradeRows.rows(false).toArray() };
        let bytes = 0;
        const print = best(() => {
          bytes = 0;
          writeProtoJsonText(
            "Solution",
            s,
            {
              write(chunk) {
                bytes += chunk.length;
                writeSync(fd, chunk);
              },
            },
            { emitDefaults: true },
          );
        }, repeats);
        const old = best(() => {
          const json = `${JSON.stringify(toProtoJson("Solution", s, { emitDefaults: true }), null, 2)}\n`;
          writeSync(fd, json);
        }, repeats);
        closeSync(fd);
        if (rowBytes !== bytes)
          throw new Error(`setup: the streamed rows gave ${rowBytes} bytes, the objects ${bytes}`);
        printRows.push({
          agents: printAgents,
          directed_trades: outcome.expanded.arrays.partner.length,
          trades_listed: s.trades.length,
          status: s.status,
          solve_s: solveS,
          solve_wall_s: solveWallS,
          solve_threads: solveThreads,
          print_s: print.s,
          print_object_stringify_s: old.s,
          print_rows_s: printFromRows.s,
          print_rows_first_s: printFromRows.first,
          json_bytes: bytes,
        });
        ctx.log(
          `setup: ${int(printAgents)} agents complete: solve ${seconds(solveS)}, print ${seconds(print.s)} (trade rows ${seconds(printFromRows.s)}, object + stringify ${seconds(old.s)}), ${int(bytes)} bytes`,
        );
        await closeShardTeam();
      }
      for (const [agents, graph] of WHOLE[ctx.mode]) {
        const file = join(tmp, `peer-${agents}-${graph}.json`);
        let trades = rows.find((r) => r.agents === agents && r.graph === graph)?.directed_trades;
        if (trades === undefined) {
          // Written here; the probe counts the directed trades.
          writeFileSync(file, JSON.stringify(toProtoJson("Market", peerScenario(agents, graph))));
        }
        const probe = trades === undefined || trades >= PROBE_MIN_TRADES[ctx.mode] ? await memoryProbe(file) : null;
        trades ??= probe!.directedTrades;
        const w = await timedProcess(["solve", file, "--json"]);
        wholeRows.push({
          agents,
          graph,
          directed_trades: trades,
          wall_s: w.wallS,
          max_rss_mb: w.maxRssMB,
          bytes_per_trade: (w.maxRssMB * 2 ** 20) / trades,
          exit_code: w.code,
        });
        ctx.log(
          `setup: whole process ${int(agents)} agents ${graph}: ${seconds(w.wallS)}, peak ${sig(w.maxRssMB)} MB (${sig((w.maxRssMB * 2 ** 20) / trades)} B/trade), exit ${w.code}`,
        );
        if (probe) {
          let before = 0;
          for (const m of probe.marks) {
            stageRows.push({
              agents,
              graph,
              directed_trades: trades,
              stage: m.stage,
              rss_mb: m.rssMB,
              peak_mb: m.peakMB,
              added_bytes_per_trade: ((m.rssMB - before) * 2 ** 20) / trades,
              peak_bytes_per_trade: (m.peakMB * 2 ** 20) / trades,
            });
            before = m.rssMB;
          }
          ctx.log(
            `setup: memory by stage, ${int(agents)} agents ${graph}: ${probe.marks.map((m) => `${m.stage} ${sig(m.rssMB)} MB`).join(", ")}`,
          );
        }
      }
      const help = await timedProcess(["solve", "--help"]);
      const version = await timedProcess(["--version"]);
      wholeRows.push({
        agents: 0,
        graph: "solve --help",
        directed_trades: 0,
        wall_s: help.wallS,
        max_rss_mb: help.maxRssMB,
        bytes_per_trade: Number.NaN,
        exit_code: help.code,
      });
      wholeRows.push({
        agents: 0,
        graph: "--version",
        directed_trades: 0,
        wall_s: version.wallS,
        max_rss_mb: version.maxRssMB,
        bytes_per_trade: Number.NaN,
        exit_code: version.code,
      });
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
    const files = [
      writeCsv(ctx.outDir, "setup_stages.csv", rows),
      writeCsv(ctx.outDir, "setup_print.csv", printRows),
      writeCsv(ctx.outDir, "setup_whole.csv", wholeRows),
      writeCsv(ctx.outDir, "setup_memory_stages.csv", stageRows),
    ];
    const largest = Math.max(...rows.map((r) => r.agents));
    const worstExpand = Math.max(...rows.filter((r) => r.agents === largest).map((r) => r.expand_ns_per_trade));
    // What the first write to that much fresh memory costs here, before any work (machine.ts).
    const touchUs = firstTouchMicros();
    const written = Math.max(...rows.filter((r) => r.agents === largest).map((r) => r.written_bytes_per_trade));
    const mappingNs = (1000 * touchUs * written) / PAGE;
    const p = printRows[0];
    const million = wholeRows.filter((r) => Number(r.directed_trades) >= 1e6);
    const worstBytes = million.length ? Math.max(...million.map((r) => Number(r.bytes_per_trade))) : undefined;
    const targets: TargetRow[] = [
      {
        target:
          "validating and expanding a market ≤ 100 ns per directed trade (explicit pair lists and complete graphs)",
        measured: rows
          .filter((r) => r.agents === largest)
          .map((r) => `${r.graph}: ${sig(r.expand_ns_per_trade)} ns`)
          .join(", "),
        verdict: atMost(worstExpand, 100),
        note: `${int(largest)} agents, steady speed: best of ${Math.max(repeats, EXPAND_REPEATS)} after one (validation included: expandMarket validates first). A one-off command expands once, while V8 is still compiling: the first expansion of each market in this process cost ${rows
          .filter((r) => r.agents === largest)
          .map((r) => `${r.graph} ${sig(r.expand_first_ns_per_trade)} ns`)
          .join(
            ", ",
          )} per directed trade (the smaller market's expansions ran before it). The arrays it fills are fresh memory, ${sig(written)} bytes per directed trade, and this machine maps a page on its first write in ${sig(touchUs)} µs per 4 KiB (benchmarks/RESULTS.md, first lines): ${sig(mappingNs)} ns per directed trade of the figure can go to that before any work (less where the memory is pages the process itself freed shortly before).`,
      },
      {
        target: "printing the Solution of a complete market (--json) takes no longer than solving it",
        measured: p
          ? `print ${seconds(Number(p.print_rows_first_s))} the first time (${seconds(Number(p.print_rows_s))} at best; from the trade rows, as \`solve --json\`; ${seconds(Number(p.print_s))} from Trade objects), solve ${seconds(Number(p.solve_s))} of CPU on ${Number(p.solve_threads)} thread${Number(p.solve_threads) === 1 ? "" : "s"}${Number(p.solve_threads) > 1 ? ` (÷ ${Number(p.solve_threads)}: ${seconds(Number(p.solve_s) / Number(p.solve_threads))})` : ""}`
          : "—",
        verdict: p
          ? atMost(Number(p.print_rows_first_s) / (Number(p.solve_s) / Number(p.solve_threads)), 1)
          : "not measured",
        note: p
          ? `CPU times (V8's compiler and collector threads included); the solve as \`solve --json\` runs it, the first of its process, with as many threads as cores, which join only when they pay (${Number(p.solve_threads) === 1 ? "this market is exact at its first iteration: they never started, one thread did the solve" : "they joined: the CPU time counted as if they divided it"}), against the print's first run in the process, as a one-off command prints (V8 compiles the writer meanwhile; the best of ${repeats} later runs in brackets). ${int(Number(p.agents))} agents, ${int(Number(p.trades_listed))} trades listed, ${sig(Number(p.json_bytes) / 2 ** 20)} MB of JSON (the same bytes both ways)`
          : "",
      },
      {
        target: "whole-process peak RSS ≤ 120 bytes per directed trade at ≥ 1 million directed trades",
        measured: million.length
          ? million
              .map((r) => `${r.graph} ${sig(Number(r.directed_trades) / 1e6)} M: ${sig(Number(r.bytes_per_trade))} B`)
              .join(", ")
          : "—",
        verdict: atMost(worstBytes, 120),
        note: million.length
          ? `${worstBytes !== undefined && worstBytes > 120 ? `${sig(worstBytes / 120)}× over at worst. ` : ""}${memoryNote(stageRows)}`
          : `no market of ≥ 1 million trades in ${ctx.mode} mode (run --full)`,
      },
    ];
    const md: string[] = [];
    md.push(
      "The peer generator's markets (`packages/admm/src/peer-market.ts`, seed 1) as scenario files, with the pairs listed (`explicit`) or left to the complete graph (`complete`: the same pairs can trade). " +
        `In-process times are CPU times (user + system of the process, which the machine's other work does not inflate as it does wall time), the best of ${repeats} after a warm-up. Parse: \`parseMarketJson\` (the one-pass reader); reference: \`parseMarketJsonReference\` (JSON tree, then proto3 reading), the path errors are reported by. ` +
        "Expand: `expandMarket`, validation included. Whole process: `peermarket solve FILE --json > /dev/null` under `/usr/bin/time -v`, one run.\n",
    );
    md.push(targetTable(targets));
    md.push("");
    md.push(
      "| agents | graph | directed trades | scenario | parse | parse (reference) | validate | expand | expand ns/trade | first expansion in the process, ns/trade |",
    );
    md.push("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (const r of rows)
      md.push(
        `| ${int(r.agents)} | ${r.graph} | ${int(r.directed_trades)} | ${sig(r.scenario_bytes / 2 ** 20)} MB | ${seconds(r.parse_s)} | ${seconds(r.parse_reference_s)} | ${seconds(r.validate_s)} | ${seconds(r.expand_s)} | ${sig(r.expand_ns_per_trade)} | ${sig(r.expand_first_ns_per_trade)} |`,
      );
    md.push("");
    md.push(
      "| agents | trades listed | solve (in-process, as `solve --json`, first of the process, CPU) | threads | print (trade rows, bytes, CPU): first, best | print (Trade objects, streamed, CPU) | print (object + JSON.stringify, CPU) | JSON |",
    );
    md.push("|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (const r of printRows)
      md.push(
        `| ${int(Number(r.agents))} | ${int(Number(r.trades_listed))} | ${seconds(Number(r.solve_s))} | ${Number(r.solve_threads)} | ${seconds(Number(r.print_rows_first_s))}, ${seconds(Number(r.print_rows_s))} | ${seconds(Number(r.print_s))} | ${seconds(Number(r.print_object_stringify_s))} | ${sig(Number(r.json_bytes) / 2 ** 20)} MB |`,
      );
    md.push("");
    md.push("| command | directed trades | wall | peak RSS | bytes per directed trade |");
    md.push("|---|---:|---:|---:|---:|");
    for (const r of wholeRows)
      md.push(
        `| ${r.agents ? `solve ${int(Number(r.agents))} agents ${r.graph} --json` : r.graph} | ${r.directed_trades ? int(Number(r.directed_trades)) : "—"} | ${seconds(Number(r.wall_s))} | ${sig(Number(r.max_rss_mb))} MB | ${Number.isFinite(Number(r.bytes_per_trade)) ? sig(Number(r.bytes_per_trade)) : "—"} |`,
      );
    if (stageRows.length > 0) {
      md.push(
        "\nWhere the memory goes: `setup-memory-probe.js` (benchmarks/src) runs the command's in-process path on the same file in a fresh process and reads the resident memory (VmRSS) after each stage; *added* is the growth over the stage before, per directed trade; *peak* the process's high-water mark (VmHWM) so far. Memory freed by the garbage collector is often kept by the allocator for reuse, so a stage's growth can be smaller than what it allocates.\n",
      );
      md.push("| market | stage | resident | added per directed trade | peak so far | peak per directed trade |");
      md.push("|---|---|---:|---:|---:|---:|");
      for (const r of stageRows)
        md.push(
          `| ${int(Number(r.agents))} agents ${r.graph} (${int(Number(r.directed_trades))} trades) | ${r.stage} | ${sig(Number(r.rss_mb))} MB | ${sig(Number(r.added_bytes_per_trade))} B | ${sig(Number(r.peak_mb))} MB | ${sig(Number(r.peak_bytes_per_trade))} B |`,
        );
    }
    md.push(
      "\nData: `results/setup_stages.csv`, `results/setup_print.csv`, `results/setup_whole.csv`, `results/setup_memory_stages.csv`. Command: `npm run bench -- setup` (quick; the whole process at 1 000, 1 420 and, complete graph only, 3 000 agents: 5.5 M directed trades), `npm run bench:full -- setup` (the stages at 1 420 agents too).",
    );
    return { name: "setup", markdown: md.join("\n"), files };
  },
};
