import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { lineChart, toCsv } from "@peermarket/charts";
import { networkChargeReport, solveMarket, sweepFees, type SweepPoint } from "@peermarket/market";
import { type ChargeDesign, type NetworkChargeReport, toProtoJson } from "@peermarket/model";
import { EXIT, UsageError } from "./errors.js";
import { fmt, statusText, table } from "./format.js";
import { applyMarketFlags, designOf, marketOptions, readScenario, settingsFromFlags, settingsOptions, parseScenarioCommand } from "./scenario-options.js";

export const CHARGES_USAGE = `Usage: peermarket charges <scenario.json|case.m|bundled-case> [options]

The network operator's view: clears the market with its network charges and reports the charge of
every trade, per agent and per zone, the inter-zone volumes, the total collected, and the DC line
flows of the dispatch with their loadings and the overloaded lines.

  --charges DESIGN      uniform | distance | zonal | none (default: the scenario's)
  --unit-fee U  --seller-share S  --target-revenue R  --network CASE   (as for solve)
  --json                print the NetworkChargeReport as proto3 JSON
  --csv DIR             write trades.csv, agents.csv, zones.csv, zone_flows.csv, lines.csv to DIR
  --sweep A:STEP:B      clear the market for every unit fee A, A+STEP, …, B under each design and
                        write sweep.csv and SVG plots (revenue, traded volume, inter-zone volume,
                        maximum line loading against the fee) to --out-dir
  --designs LIST        designs of the sweep (default uniform,distance,zonal)
  --out-dir DIR         where the sweep goes (default ./sweep)
  solver settings as for solve (--eps-abs, --max-iter, …)
`;

const options = {
  json: { type: "boolean" },
  csv: { type: "string" },
  sweep: { type: "string" },
  designs: { type: "string" },
  "out-dir": { type: "string" },
  help: { type: "boolean", short: "h" },
  ...marketOptions,
  ...settingsOptions,
} as const;

/** `peermarket charges`. */
export async function chargesCommand(argv: string[]): Promise<number> {
  const parsed = parseScenarioCommand(argv, options, CHARGES_USAGE);
  if (!parsed) return EXIT.ok;
  const v = parsed.values;
  const market = applyMarketFlags(readScenario(parsed.scenario), v);
  const settings = settingsFromFlags(v);
  if (v.sweep !== undefined) {
    const fees = parseSweep(v.sweep);
    const designs = (v.designs ?? "uniform,distance,zonal").split(",").map((d) => designOf(d.trim(), "--designs"));
    const dir = v["out-dir"] ?? "sweep";
    const t0 = performance.now();
    const points = sweepFees(market, designs, fees, { settings });
    const seconds = (performance.now() - t0) / 1000;
    writeSweep(dir, points, designs);
    if (v.json) process.stdout.write(JSON.stringify(points, null, 2) + "\n");
    else {
      process.stdout.write(sweepTable(points));
      process.stdout.write(`\n${points.length} clearings in ${seconds.toFixed(2)} s; wrote ${join(dir, "sweep.csv")} and 4 SVG plots\n`);
    }
    return points.every((p) => p.status === "SOLVED") ? EXIT.ok : EXIT.notSolved;
  }
  const outcome = await solveMarket(market, { settings });
  const report = networkChargeReport(market, outcome.solution);
  if (v.csv) writeReportCsv(v.csv, report);
  if (v.json) process.stdout.write(JSON.stringify(toProtoJson("peermarket.v1.NetworkChargeReport", report), null, 2) + "\n");
  else {
    process.stdout.write(reportText(report, statusText(outcome.solution.status)));
    if (v.csv) process.stdout.write(`\nwrote CSV tables to ${v.csv}\n`);
  }
  return outcome.solution.status === "SOLVE_STATUS_SOLVED" ? EXIT.ok : EXIT.notSolved;
}

/** Fees of `A:STEP:B` (inclusive). */
export function parseSweep(spec: string): number[] {
  const parts = spec.split(":").map(Number);
  if (parts.length !== 3 || parts.some((x) => !Number.isFinite(x))) throw new UsageError(`--sweep: expected A:STEP:B (e.g. 0:1:40), got "${spec}"`);
  const [a, step, b] = parts;
  if (!(step > 0) || b < a || a < 0) throw new UsageError(`--sweep: need 0 ≤ A ≤ B and STEP > 0, got "${spec}"`);
  const n = Math.floor((b - a) / step + 1e-9) + 1;
  if (n > 10_000) throw new UsageError(`--sweep: ${n} fees is too many (at most 10000)`);
  return Array.from({ length: n }, (_, i) => Number((a + i * step).toPrecision(12)));
}

const DESIGN_LABEL: Record<string, string> = {
  CHARGE_DESIGN_NONE: "none",
  CHARGE_DESIGN_UNIFORM: "uniform",
  CHARGE_DESIGN_ELECTRICAL_DISTANCE: "electrical distance",
  CHARGE_DESIGN_ZONAL: "zonal",
};

function writeSweep(dir: string, points: SweepPoint[], designs: ChargeDesign[]): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, "sweep.csv"),
    toCsv(points.map((p) => ({ ...p, design: DESIGN_LABEL[p.design] ?? p.design }) as unknown as Record<string, string | number>)),
  );
  const plots: [keyof SweepPoint, string, string][] = [
    ["revenue", "Network revenue", "revenue (currency/h)"],
    ["tradedVolume", "Traded volume", "traded volume (MW)"],
    ["interZoneVolume", "Inter-zone volume", "inter-zone volume (MW)"],
    ["maxLoading", "Maximum line loading", "max |flow| / rateA"],
  ];
  for (const [key, title, yLabel] of plots) {
    const series = designs.map((d) => ({
      name: DESIGN_LABEL[d] ?? d,
      points: points.filter((p) => p.design === d).map((p) => [p.unitFee, p[key] as number] as const),
    }));
    const svg = lineChart({ title: `${title} against the unit fee`, xLabel: "unit fee (currency/MWh per unit distance)", yLabel, series, hLine: key === "maxLoading" ? { y: 1, label: "rateA" } : undefined });
    writeFileSync(join(dir, `sweep_${key}.svg`), svg);
  }
}

function sweepTable(points: SweepPoint[]): string {
  return table(
    ["design", "unit fee", "status", "iterations", "revenue", "traded", "inter-zone", "max loading"],
    points.map((p) => [DESIGN_LABEL[p.design] ?? p.design, p.unitFee, statusText(p.status), p.iterations, p.revenue, p.tradedVolume, p.interZoneVolume, p.maxLoading]),
  );
}

function writeReportCsv(dir: string, r: NetworkChargeReport): void {
  mkdirSync(dir, { recursive: true });
  const rows = <T extends object>(xs: T[]) => xs as unknown as Record<string, string | number | boolean>[];
  writeFileSync(join(dir, "trades.csv"), toCsv(rows(r.trades), ["sellerId", "buyerId", "power", "distance", "sellerCharge", "buyerCharge", "totalCharge", "sellerZone", "buyerZone"]));
  writeFileSync(join(dir, "agents.csv"), toCsv(rows(r.agents), ["agentId", "zone", "charge", "volumeSold", "volumeBought"]));
  writeFileSync(join(dir, "zones.csv"), toCsv(rows(r.zones), ["zone", "charges", "internalVolume", "exports", "imports"]));
  writeFileSync(join(dir, "zone_flows.csv"), toCsv(rows(r.zoneFlows), ["fromZone", "toZone", "volume"]));
  writeFileSync(join(dir, "lines.csv"), toCsv(rows(r.lines), ["index", "fromBus", "toBus", "flow", "rateA", "loading", "overloaded", "inService"]));
}

/** The report as readable tables. */
export function reportText(r: NetworkChargeReport, status: string): string {
  const out: string[] = [];
  out.push(
    `design ${DESIGN_LABEL[r.design] ?? r.design}, unit fee ${fmt(r.unitFee, 4)}, seller share ${fmt(r.sellerShare, 2)} — market ${status}\n` +
      `collected ${fmt(r.totalCollected, 2)}; traded ${fmt(r.tradedVolume, 2)}, of which inter-zone ${fmt(r.interZoneVolume, 2)}` +
      (r.lines.length > 0 ? `; max line loading ${fmt(r.maxLoading, 3)}, ${r.overloadedLines.length} overloaded line(s) on ${r.networkName}` : "") +
      "\n",
  );
  const trades = [...r.trades].sort((a, b) => b.totalCharge - a.totalCharge || b.power - a.power);
  out.push("Trades (largest charges first)\n" + table(
    ["seller", "buyer", "power", "distance", "seller pays", "buyer pays", "total", "zones"],
    trades.slice(0, 40).map((t) => [t.sellerId, t.buyerId, t.power, t.distance, t.sellerCharge, t.buyerCharge, t.totalCharge, `${t.sellerZone}→${t.buyerZone}`]),
  ) + (trades.length > 40 ? `… and ${trades.length - 40} more\n` : ""));
  out.push("Agents\n" + table(["agent", "zone", "charge", "sold", "bought"], r.agents.map((a) => [a.agentId, a.zone, a.charge, a.volumeSold, a.volumeBought])));
  out.push("Zones\n" + table(["zone", "charges", "internal", "exports", "imports"], r.zones.map((z) => [z.zone, z.charges, z.internalVolume, z.exports, z.imports])));
  if (r.zoneFlows.length > 0) out.push("Zone to zone\n" + table(["from", "to", "volume"], r.zoneFlows.map((f) => [f.fromZone, f.toZone, f.volume])));
  if (r.lines.length > 0) {
    const lines = [...r.lines].sort((a, b) => b.loading - a.loading);
    out.push("Lines (most loaded first)\n" + table(
      ["branch", "from", "to", "flow", "rateA", "loading", ""],
      lines.slice(0, 20).map((l) => [l.index, l.fromBus, l.toBus, l.flow, l.rateA, l.loading, l.overloaded ? "OVERLOADED" : l.inService ? "" : "out of service"]),
    ) + (lines.length > 20 ? `… and ${lines.length - 20} more\n` : ""));
  }
  return out.join("\n");
}
