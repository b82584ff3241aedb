import { readFileSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { AdmmSolver, closeShardTeam, type MarketArrays, peerMarketColumns, type SolveInfo } from "@peermarket/admm";
import { solveMarket, solveThreads, type TradeRows } from "@peermarket/market";
import {
  expandMarket,
  loadScenarioText,
  makeAgent,
  makeMarket,
  type Market,
  nothingToTradeWarning,
  toProtoJson,
} from "@peermarket/model";
import { certifiedAtScale } from "../certified.js";
import { CLI_LARGE_OUTPUT_PAIRS, writeSolutionToDevNull } from "../cli-output.js";
import { fullCollection } from "../gc.js";
import { streamArraysLike, streamPass } from "../stream-pass.js";
import { timedSolve } from "../timed-solve.js";
import { case39b } from "../suites/convergence.js";

/** A market of the peer suite: case39b_31a (no charges) or the peer generator at `agents`, seed 1. */
export type PeerSize = "case39b_31a" | number;

const SEED = 1;
const MAX_ITER = 20_000;

/** The engine arrays of a size (fresh each call: a solve writes nothing into them, but keep runs independent). */
export async function peerArrays(size: PeerSize): Promise<MarketArrays> {
  if (size === "case39b_31a") {
    const out = await solveMarket(case39b(), { settings: { maxIter: 1, polish: false, warmStartSolutionId: "" } });
    return out.expanded.arrays;
  }
  return peerMarketColumns(size, SEED).arrays;
}

/**
 * The scenario (proto3 JSON of a Market) of a size: case39b_31a as the bundled case reads it, the
 * peer generator's agents (a → costQuadratic, b → costLinear, bounds) with its explicit pairs.
 */
export function peerScenario(size: PeerSize): Market {
  if (size === "case39b_31a") return case39b();
  const { arrays: m } = peerMarketColumns(size, SEED);
  const id = (n: number) => `a${n}`;
  const agents = Array.from({ length: m.nAgents }, (_, n) =>
    makeAgent(id(n), { costQuadratic: m.a[n], costLinear: m.b[n], powerMin: m.pMin[n], powerMax: m.pMax[n] }),
  );
  const pairs: { agentId: string; partnerId: string }[] = [];
  for (let n = 0; n < m.nAgents; n++) {
    for (let k = m.tradeStart[n]; k < m.tradeStart[n + 1]; k++)
      if (m.partner[k] > n) pairs.push({ agentId: id(n), partnerId: id(m.partner[k]) });
  }
  return makeMarket({ name: `peer-${size}`, agents, tradingGraph: "TRADING_GRAPH_EXPLICIT", pairs });
}

/** Writes the scenario file of a size; returns its byte length. */
export function writePeerScenario(size: PeerSize, path: string): number {
  const text = JSON.stringify(toProtoJson("peermarket.v1.Market", peerScenario(size)));
  writeFileSync(path, text);
  return Buffer.byteLength(text);
}

/** One in-process solve: iterations, times, objective, certificate. */
export interface PeerRun {
  eps: number;
  polish: boolean;
  status: string;
  iterations: number;
  polished: boolean;
  polishTries: number;
  /** Iteration at which polishing succeeded. */
  polishIteration: number;
  polishTimeS: number;
  /** new AdmmSolver (copies and per-trade set-up), seconds. */
  setupS: number;
  /** The engine's solve time (iterations, polishing, extraction), seconds. */
  solveS: number;
  /** Steady-state seconds per iteration from the progress reports. */
  perIterationS: number;
  /** CPU time (user + system) of setup + solve, seconds: less sensitive than wall time to a loaded machine. */
  cpuS: number;
  objective: number;
  /** KKT certificate at 1e-9 of the data's power and price scales. */
  certified: boolean;
  /** Largest certificate violation relative to the power or price scale. */
  worst: number;
  /** Largest of |p_nm + p_mn| (each pair) and |Σ_m p_nm − p_n| (each agent), relative to the power scale. */
  balance: number;
}

function infoRun(
  m: MarketArrays,
  info: SolveInfo,
  sol: { agentPower: Float64Array; trade: Float64Array; price: Float64Array },
  setupS: number,
  perIterationS: number,
  eps: number,
  polish: boolean,
  cpuS = Number.NaN,
): PeerRun {
  const { certified, worst, power } = certifiedAtScale(m, sol);
  let balance = 0;
  for (let k = 0; k < m.partner.length; k++)
    balance = Math.max(balance, Math.abs(sol.trade[k] + sol.trade[m.mirror[k]]));
  for (let n = 0; n < m.nAgents; n++) {
    let sum = 0;
    for (let k = m.tradeStart[n]; k < m.tradeStart[n + 1]; k++) sum += sol.trade[k];
    balance = Math.max(balance, Math.abs(sum - sol.agentPower[n]));
  }
  return {
    eps,
    polish,
    status: info.status,
    iterations: info.iterations,
    polished: info.polished,
    polishTries: info.polishTries,
    polishIteration: info.polishIteration,
    polishTimeS: info.polishTime,
    setupS,
    solveS: info.solveTime,
    perIterationS,
    cpuS,
    objective: info.objective,
    certified,
    worst,
    balance: balance / power,
  };
}

/** Sets up and solves on one thread (the peer's setting); the setup is timed apart. */
export async function peerSolve(m: MarketArrays, eps: number, polish: boolean): Promise<PeerRun> {
  const c0 = process.cpuUsage();
  const t = performance.now();
  const solver = new AdmmSolver(m, { epsAbs: eps, epsRel: eps, polish, maxIter: MAX_ITER });
  const setupS = (performance.now() - t) / 1000;
  const s = await timedSolve(solver, 1);
  const used = process.cpuUsage(c0);
  return infoRun(
    m,
    s.result.info,
    s.result.solution,
    setupS,
    s.perIterationS,
    eps,
    polish,
    (used.user + used.system) / 1e6,
  );
}

/** Relative objective gap against a reference objective. */
export function gapOf(objective: number, reference: number): number {
  return Math.abs(objective - reference) / Math.max(1, Math.abs(reference));
}

/** Parameters of one in-process measurement (run alone in a fresh process: the first solve is cold). */
export interface PeerJobParams {
  size: PeerSize;
  /**
   * exact: polished solve twice (cold, warm), then ADMM alone at each eps of `ladder` until the
   * gap to the polished optimum is ≤ `gap` (warm), then the streaming-pass floor.
   * admm: ADMM alone at `ladder[0]` twice (cold, warm).
   */
  kind: "exact" | "admm";
  /** eps_abs = eps_rel of the polished solves. */
  exactEps: number;
  ladder: number[];
  gap: number;
  /** Time budget of the steady-state repeats after the warm solve, milliseconds (default 3 000). */
  steadyBudgetMs?: number;
}

export interface PeerJobResult {
  size: PeerSize;
  agents: number;
  directedTrades: number;
  buildS: number;
  runs: { label: string; run: PeerRun }[];
  /** Streaming pass over the same arrays (one thread), best of several, seconds; exact only. */
  passS?: number;
}

const STEADY_MAX = 300;
/**
 * Solves the steady state runs at least, while within STEADY_STRETCH times its budget: V8 is
 * still compiling the engine and polishing code over the first half-dozen solves of a large
 * market (eight setup + solve repeats of the 1 000-agent market fell from 470 ms to 190 ms, the
 * sixth being the first near the bottom), which a 3 s budget cut at the eighth.
 */
export const STEADY_MIN = 12;
export const STEADY_STRETCH = 4;

/**
 * The steady state of a warmed-up JIT: solves again and again after the warm one, until the
 * budget (stretched up to STEADY_STRETCH times for STEADY_MIN solves) or 300 solves are spent
 * (at least one), and keeps the second half of them.
 */
async function steady(
  solve: () => Promise<PeerRun>,
  prefix: string,
  budgetMs: number,
): Promise<{ label: string; run: PeerRun }[]> {
  const all: PeerRun[] = [];
  const t0 = performance.now();
  const more = (): boolean => {
    const spent = performance.now() - t0;
    if (all.length < 1) return true;
    if (all.length >= STEADY_MAX) return false;
    return spent < budgetMs || (all.length < STEADY_MIN && spent < STEADY_STRETCH * budgetMs);
  };
  while (more()) all.push(await solve());
  const from = Math.floor(all.length / 2);
  return all.slice(from).map((run, i) => ({ label: `${prefix}, repeat ${from + i + 1} of ${all.length}`, run }));
}

export async function peerJob(p: PeerJobParams): Promise<PeerJobResult> {
  let t = performance.now();
  const m = await peerArrays(p.size);
  const buildS = (performance.now() - t) / 1000;
  const runs: PeerJobResult["runs"] = [];
  let passS: number | undefined;
  if (p.kind === "exact") {
    const cold = await peerSolve(m, p.exactEps, true);
    runs.push({ label: "exact, cold", run: cold });
    const warm = await peerSolve(m, p.exactEps, true);
    runs.push({ label: "exact, warm", run: warm });
    // Steady state (the JIT fully warmed up): a few more solves where they are cheap.
    runs.push(...(await steady(() => peerSolve(m, p.exactEps, true), "exact", p.steadyBudgetMs ?? 3000)));
    const ref = warm.certified ? warm.objective : cold.certified ? cold.objective : Number.NaN;
    for (const eps of p.ladder) {
      const r = await peerSolve(m, eps, false);
      runs.push({ label: `ADMM eps ${eps}, warm`, run: r });
      if (!Number.isFinite(ref) || gapOf(r.objective, ref) <= p.gap) break;
    }
    t = performance.now();
    const arrays = streamArraysLike(m, new Float64Array(m.partner.length).fill(0.5));
    let check = 0;
    for (let i = 0; i < 3; i++) check += streamPass(arrays);
    // Samples of `inner` passes each (at least ~2 million trades per sample, so that small markets are not timer noise), best of 7.
    const inner = Math.max(1, Math.ceil(2e6 / Math.max(1, m.partner.length)));
    for (let i = 0; i < inner; i++) check += streamPass(arrays);
    const passes: number[] = [];
    for (let i = 0; i < 7; i++) {
      const s = performance.now();
      for (let j = 0; j < inner; j++) check += streamPass(arrays);
      passes.push((performance.now() - s) / 1000 / inner);
    }
    if (Number.isFinite(check)) passS = Math.min(...passes);
  } else {
    runs.push({ label: `ADMM eps ${p.ladder[0]}, cold`, run: await peerSolve(m, p.ladder[0], false) });
    runs.push({ label: `ADMM eps ${p.ladder[0]}, warm`, run: await peerSolve(m, p.ladder[0], false) });
    runs.push(
      ...(await steady(() => peerSolve(m, p.ladder[0], false), `ADMM eps ${p.ladder[0]}`, p.steadyBudgetMs ?? 3000)),
    );
  }
  return { size: p.size, agents: m.nAgents, directedTrades: m.partner.length, buildS, runs, passS };
}

/** Parameters of the stage-timed replica of `peermarket solve FILE --json > /dev/null`. */
export interface PeerStagesParams {
  file: string;
}

/** Seconds of each stage of the replica, on Node's own clocks (performance.nodeTiming and performance.now()). */
export interface PeerStagesResult {
  /** Process start → Node bootstrap complete. */
  nodeBootstrapS: number;
  /** Bootstrap complete → the job's first line (loading the ES modules of the packages). */
  moduleLoadS: number;
  readFileS: number;
  /** Scenario text → Market (JSON.parse, proto3 JSON reading). */
  parseS: number;
  /** solveMarket: everything before the engine's first iteration (validation, expansion, network, AdmmSolver set-up, threads). */
  setupS: number;
  /** The engine's solve (iterations and polishing). */
  engineS: number;
  /** solveMarket after the engine: building the Solution message and the warm-start iterate. */
  solutionS: number;
  /** expandMarket alone, timed again after the run (warm, best of 3): part of setupS. */
  expandAgainS: number;
  /** The full garbage collection the CLI runs before writing a large output (0 below its threshold). */
  collectS: number;
  /** Writing the proto3 JSON to /dev/null, streamed (encoding and writing are interleaved). */
  jsonS: number;
  closeThreadsS: number;
  /** performance.now() at the end of the work (ms since the process started), for the parent's exit-time difference. */
  endMs: number;
  jsonBytes: number;
  trades: number;
  idleTrades: number;
  threads: number;
  iterations: number;
  status: string;
}

/**
 * The steps of `peermarket solve FILE --json > /dev/null` (packages/cli/src/solve-command.ts) in
 * the same order with the same calls, each timed: read, parse, solveMarket (default settings,
 * default workers = the cores, no Trade objects: the trades are streamed from the engine's
 * arrays), a full garbage collection when the market has at least 100 000 pairs, and the proto3
 * JSON (every field present, indented) streamed to /dev/null from one reused buffer.
 */
export async function peerStagesJob(p: PeerStagesParams): Promise<PeerStagesResult> {
  const start = performance.now();
  const nt = performance.nodeTiming;
  const mark = () => performance.now();
  let t = mark();
  const text = readFileSync(p.file, "utf8");
  const readFileS = (mark() - t) / 1000;
  t = mark();
  const market = loadScenarioText(text, p.file);
  const parseS = (mark() - t) / 1000;
  t = mark();
  const outcome = await solveMarket(market, {
    settings: { warmStartSolutionId: "" },
    onProgress: () => {},
    defaultWorkers: availableParallelism(),
    tradeObjects: false,
    releasePairs: true,
  });
  const solveMarketS = (mark() - t) / 1000;
  const solution = outcome.solution;
  const engineS = outcome.result.info.solveTime;
  const setupS = solution.setupTimeS;
  const rows = outcome.tradeRows;
  if (rows === null)
    throw new Error("peer-stages: solveMarket listed no trade rows (a single-period market was expected)");
  t = mark();
  if (rows.length >= CLI_LARGE_OUTPUT_PAIRS) fullCollection();
  const collectS = (mark() - t) / 1000;
  nothingToTradeWarning(market);
  t = mark();
  const jsonBytes = writeSolutionToDevNull(solution, rows);
  const jsonS = (mark() - t) / 1000;
  t = mark();
  await closeShardTeam();
  const closeThreadsS = (mark() - t) / 1000;
  // solveMarket released the market's pairs (`releasePairs`, as the CLI asks): the expansion is
  // re-timed on the scenario read again from its file (not timed), so that it has every pair.
  const again = loadScenarioText(readFileSync(p.file, "utf8"), p.file);
  let expandAgainS = Infinity;
  for (let i = 0; i < 3; i++) {
    t = mark();
    expandMarket(again);
    expandAgainS = Math.min(expandAgainS, (mark() - t) / 1000);
  }
  const endMs = mark();
  return {
    nodeBootstrapS: nt.bootstrapComplete / 1000,
    moduleLoadS: (start - nt.bootstrapComplete) / 1000,
    readFileS,
    parseS,
    setupS,
    engineS,
    solutionS: solveMarketS - setupS - engineS,
    expandAgainS,
    collectS,
    jsonS,
    closeThreadsS,
    endMs,
    jsonBytes,
    trades: rows.length,
    idleTrades: idleRows(rows),
    threads: solveThreads(outcome.expanded.arrays.partner.length, availableParallelism()),
    iterations: solution.iterations,
    status: solution.status,
  };
}

/** Listed pairs whose trade carries at most 1e-6 (idle). */
function idleRows(rows: TradeRows): number {
  let idle = 0;
  for (let q = 0; q < rows.length; q++) if (Math.abs(rows.power(q)) <= 1e-6) idle++;
  return idle;
}
