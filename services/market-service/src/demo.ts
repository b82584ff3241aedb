import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  makeCharges,
  loadScenario,
  type Market,
  type NetworkChargeReport,
  type Solution,
  type SolveProgress,
} from "@peermarket/model";
import { case39bMarket } from "./case39b.js";
import { MarketClient } from "./client.js";
import { communityDemo } from "./demo-community.js";
import { silentLogger } from "./logger.js";
import { startServer } from "./server.js";
import { fixed, formatTable } from "./tables.js";

/** Options of the demo. */
export interface DemoOptions {
  /** Where the text goes (stdout by default). */
  out?: (text: string) => void;
  /** Solver worker threads (default 2). */
  workers?: number;
  /**
   * The multi-period market cleared after the single-period case: a scenario file (proto3 JSON of
   * Market), a Market, or null to skip it. Default: examples/community-day.json.
   */
  community?: string | Market | null;
  /** Time limit of the community solve in seconds (default 90). */
  communityTimeLimitS?: number;
  /** Tolerance (eps_abs = eps_rel) of the community solve (default 1e-4). */
  communityEps?: number;
}

/** The bundled day-long community market. */
export const COMMUNITY_EXAMPLE = fileURLToPath(new URL("../../../examples/community-day.json", import.meta.url));

/** What the demo solved, for callers that want more than the printout. */
export interface DemoResult {
  address: string;
  free: Solution;
  charged: Solution;
  report: NetworkChargeReport;
  /** The multi-period community's solution (absent when skipped). */
  community?: Solution;
}

function progressLine(p: SolveProgress): string {
  return `  ${String(p.iteration).padStart(5)}  ${p.primalResidual.toExponential(2).padStart(9)}  ${p.dualResidual.toExponential(2).padStart(9)}  ${p.rho.toPrecision(3).padStart(8)}  ${(p.elapsedS * 1000).toFixed(1).padStart(7)}`;
}

function summary(s: Solution): string {
  return `Solution ${s.id}: ${s.status.replace("SOLVE_STATUS_", "")} after ${s.iterations} iterations (${(s.solveTimeS * 1000).toFixed(1)} ms), objective ${fixed(s.objective)}`;
}

/** The largest trades, and the price range over every trade that carries power. */
function tradesTable(s: Solution, shown = 12): string {
  const flowing = s.trades.filter((t) => t.power > 1e-6).sort((a, b) => b.power - a.power);
  const rows = flowing
    .slice(0, shown)
    .map((t) => [t.sellerId, t.buyerId, fixed(t.power, 3), fixed(t.price), fixed(t.networkCharge)]);
  const table = formatTable(["seller", "buyer", "power MW", "price €/MWh", "charge €/h"], rows, [
    "left",
    "left",
    "right",
    "right",
    "right",
  ]);
  if (flowing.length === 0) return table;
  // reduce, not Math.min(...prices): a spread of a large market's trades overflows the stack.
  const low = flowing.reduce((v, t) => Math.min(v, t.price), Infinity);
  const high = flowing.reduce((v, t) => Math.max(v, t.price), -Infinity);
  const range = `${fixed(low)}–${fixed(high)} €/MWh`;
  const rest = flowing.length > shown ? `… and ${flowing.length - shown} more; ` : "";
  return `${table}\n${rest}${flowing.length} of ${s.trades.length} pairs carry power, priced ${range} (the split between interchangeable sellers is not unique)`;
}

/** Each agent's dispatch and bill. */
function agentsTable(s: Solution): string {
  const rows = s.agents.map((a) => [
    a.id,
    fixed(a.power, 3),
    fixed(a.marginalPrice),
    fixed(a.tradeRevenue),
    fixed(a.networkCharge),
  ]);
  return formatTable(["agent", "power MW", "marginal €/MWh", "trade revenue €/h", "charges €/h"], rows, [
    "left",
    "right",
    "right",
    "right",
    "right",
  ]);
}

function reportText(r: NetworkChargeReport): string {
  const zones = formatTable(
    ["zone", "charges €/h", "internal MW", "exports MW", "imports MW"],
    r.zones.map((z) => [
      z.zone,
      fixed(z.charges),
      fixed(z.internalVolume, 3),
      fixed(z.exports, 3),
      fixed(z.imports, 3),
    ]),
    ["left", "right", "right", "right", "right"],
  );
  const agents = formatTable(
    ["agent", "zone", "charge €/h", "sold MW", "bought MW"],
    r.agents
      .filter((a) => a.charge !== 0)
      .map((a) => [a.agentId, a.zone, fixed(a.charge), fixed(a.volumeSold, 3), fixed(a.volumeBought, 3)]),
    ["left", "left", "right", "right", "right"],
  );
  const loaded = [...r.lines].sort((a, b) => b.loading - a.loading).slice(0, 5);
  const lines = formatTable(
    ["branch", "from", "to", "flow MW", "rateA MW", "loading %"],
    loaded.map((l) => [
      String(l.index + 1),
      l.fromBus,
      l.toBus,
      fixed(l.flow),
      l.rateA > 0 ? fixed(l.rateA, 0) : "unlimited",
      l.rateA > 0 ? (l.loading * 100).toFixed(1) : "",
    ]),
    ["right", "left", "left", "right", "right", "right"],
  );
  return [
    `DSO report (${r.design.replace("CHARGE_DESIGN_", "").toLowerCase()}, unit fee ${fixed(r.unitFee)} €/MWh, seller share ${fixed(r.sellerShare)}, network ${r.networkName}):`,
    `  collected ${fixed(r.totalCollected)} €/h on ${fixed(r.tradedVolume, 3)} MW traded, of which ${fixed(r.interZoneVolume, 3)} MW between zones`,
    "",
    zones,
    "",
    agents,
    "",
    `Most loaded branches (numbered from 1 as in MATPOWER; max loading ${(r.maxLoading * 100).toFixed(1)} %, ${r.overloadedLines.length} overloaded):`,
    lines,
  ].join("\n");
}

async function solveWithProgress(client: MarketClient, market: Market, out: (text: string) => void): Promise<Solution> {
  out(`Solving ${market.name} (${market.agents.length} agents) with live progress every 10 iterations:`);
  out(
    `  ${"iter".padStart(5)}  ${"primal".padStart(9)}  ${"dual".padStart(9)}  ${"rho".padStart(8)}  ${"ms".padStart(7)}`,
  );
  const solution = await client.streamSolveMarket(
    { market, progressInterval: 10 },
    { onProgress: (p) => out(progressLine(p)) },
  );
  out(summary(solution));
  return solution;
}

/**
 * The service end to end: starts it on an ephemeral loopback port with a temporary store, solves
 * the bundled case39b_31a through a gRPC client with live progress (the free market: one price for
 * every trade), prints the trades and prices, solves it again with electrical-distance network
 * charges and prints the DSO charge report, then clears the day-long community market
 * (examples/community-day.json: 96 quarter-hours with PV, batteries and tariffs) with live progress
 * and prints its hourly summary, a battery's schedule and two members' trades and bills; then stops
 * the service and removes the store.
 */
export async function demo(options: DemoOptions = {}): Promise<DemoResult> {
  const out = options.out ?? ((text: string) => process.stdout.write(text + "\n"));
  const source = options.community === undefined ? COMMUNITY_EXAMPLE : options.community;
  const communityMarket = typeof source === "string" ? loadScenario(source) : source;
  const dir = mkdtempSync(join(tmpdir(), "peermarket-demo-"));
  const server = await startServer({
    host: "127.0.0.1",
    port: 0,
    storePath: join(dir, "demo.db"),
    workers: options.workers ?? 2,
    logger: silentLogger,
  });
  const client = new MarketClient(server.address);
  try {
    out(`peermarket service on ${server.address} (temporary store ${server.store.path})`);
    out(`Health: ${await client.checkHealth("peermarket.v1.MarketService")}\n`);
    const market = case39bMarket();
    const free = await solveWithProgress(client, market, out);
    out(`\nAgents (power > 0 sells, < 0 buys):`);
    out(agentsTable(free));
    out(`\nTrades carrying power (free market), largest first:`);
    out(tradesTable(free));

    const fee = 10;
    out(`\nThe same market with electrical-distance network charges of ${fee} €/MWh per unit distance:`);
    const charged = await solveWithProgress(
      client,
      {
        ...market,
        name: `${market.name} distance ${fee}`,
        charges: makeCharges({ design: "CHARGE_DESIGN_ELECTRICAL_DISTANCE", unitFee: fee, zoneDistances: [] }),
      },
      out,
    );
    out(`\nTrades carrying power (with charges), largest first:`);
    out(tradesTable(charged));
    const report = await client.getNetworkCharges(charged.id);
    out("\n" + reportText(report));

    let community: Solution | undefined;
    if (communityMarket !== null) {
      out("");
      community = await communityDemo(client, communityMarket, out, {
        timeLimitS: options.communityTimeLimitS,
        eps: options.communityEps,
      });
    }

    const listed = await client.listSolutions({ pageSize: 10 });
    out(`\nStored solutions: ${listed.solutions.map((s) => `${s.id} (${s.marketName})`).join(", ")}`);
    return { address: server.address, free, charged, report, community };
  } finally {
    client.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
