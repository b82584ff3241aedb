import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { lineChart, toCsv } from "@peermarket/charts";
import { networkChargeReport, solveMarket, sweepFees, type SweepPoint } from "@peermarket/market";
import {
  type ChargeDesign,
  type NetworkChargeReport,
  nothingToTradeWarning,
  SCENARIO_FLAGS_USAGE,
  toProtoJson,
} from "@peermarket/model";
import { EXIT, UsageError } from "./errors.js";
import { fmt, statusText, table } from "./format.js";
import {
  applyMarketFlags,
  designOf,
  marketOptions,
  readScenario,
  settingsFromFlags,
  settingsOptions,
  parseScenarioCommand,
} from "./scenario-options.js";

export const CHARGES_USAGE = `Usage: peermarket charges <scenario.json|case.m|bundled-case> [options]

The network operator's view: clears the market with its network charges and reports the charge of
every trade, per agent and per zone, the inter-zone volumes, the total collected, and the DC line
flows of the dispatch with their loadings and the overloaded lines. For a multi-period scenario:
the charges per period and over the horizon, and every line's flow in each period with its peak
loading over the horizon.

  --charges DESIGN      uniform | distance | zonal | none (default: the scenario's)
  --unit-fee U  --seller-share S  --target-revenue R  --network CASE   (as for solve)
${SCENARIO_FLAGS_USAGE}
  --json                print the NetworkChargeReport as proto3 JSON
  --csv DIR             write trades.csv, agents.csv, zones.csv, zone_flows.csv, lines.csv to DIR
                        (branches numbered from 1 as in MATPOWER; loading in %, empty when rateA = 0: unlimited);
                        multi-period scenarios also periods.csv and lines_periods.csv (flow and loading
                        of every line in every period), lines.csv then holding each line's peak
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
      process.stdout.write(
        `\n${points.length} clearings in ${seconds.toFixed(2)} s; wrote ${join(dir, "sweep.csv")} and 4 SVG plots\n`,
      );
    }
    return points.every((p) => p.status === "SOLVED") ? EXIT.ok : EXIT.notSolved;
  }
  const outcome = await solveMarket(market, { settings });
  // After the solve: a market that fails validation is reported as such, not as one that cannot trade.
  const nothing = nothingToTradeWarning(market);
  if (nothing) process.stderr.write(`peermarket charges: warning: ${nothing}\n`);
  const report = networkChargeReport(market, outcome.solution);
  if (v.csv) writeReportCsv(v.csv, report);
  if (v.json)
    process.stdout.write(
      JSON.stringify(toProtoJson("peermarket.v1.NetworkChargeReport", report, { emitDefaults: true }), null, 2) + "\n",
    );
  else {
    process.stdout.write(reportText(report, statusText(outcome.solution.status)));
    if (v.csv) process.stdout.write(`\nwrote CSV tables to ${v.csv}\n`);
  }
  return outcome.solution.status === "SOLVE_STATUS_SOLVED" ? EXIT.ok : EXIT.notSolved;
}

/** Fees of `A:STEP:B` (inclusive). */
export function parseSweep(spec: string): number[] {
  const parts = spec.split(":").map(Number);
  if (parts.length !== 3 || parts.some((x) => !Number.isFinite(x)))
    throw new UsageError(`--sweep: expected A:STEP:B (e.g. 0:1:40), got "${spec}"`);
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
    toCsv(
      points.map(
        (p) => ({ ...p, design: DESIGN_LABEL[p.design] ?? p.design }) as unknown as Record<string, string | number>,
      ),
    ),
  );
  const plots: [keyof SweepPoint, string, string][] = [
    ["revenue", "Network revenue", "revenue (currency/h)"],
    ["tradedVolume", "Traded volume", "traded volume (MW)"],
    ["interZoneVolume", "Inter-zone volume", "inter-zone volume (MW)"],
    ["maxLoading", "Maximum line loading", "max |flow| / rateA (%)"],
  ];
  for (const [key, title, yLabel] of plots) {
    const series = designs.map((d) => ({
      name: DESIGN_LABEL[d] ?? d,
      points: points
        .filter((p) => p.design === d)
        .map((p) => [p.unitFee, (key === "maxLoading" ? 100 : 1) * (p[key] as number)] as const),
    }));
    const svg = lineChart({
      title: `${title} against the unit fee`,
      xLabel: "unit fee (currency/MWh per unit distance)",
      yLabel,
      series,
      hLine: key === "maxLoading" ? { y: 100, label: "rateA" } : undefined,
    });
    writeFileSync(join(dir, `sweep_${key}.svg`), svg);
  }
}

function sweepTable(points: SweepPoint[]): string {
  return table(
    ["design", "unit fee €/MWh", "status", "iterations", "revenue €/h", "traded MW", "inter-zone MW", "max loading %"],
    points.map((p) => [
      DESIGN_LABEL[p.design] ?? p.design,
      p.unitFee,
      statusText(p.status),
      p.iterations,
      p.revenue,
      p.tradedVolume,
      p.interZoneVolume,
      (100 * p.maxLoading).toFixed(1),
    ]),
  );
}

function writeReportCsv(dir: string, r: NetworkChargeReport): void {
  if (r.periods) {
    writeHorizonCsv(dir, r);
    return;
  }
  mkdirSync(dir, { recursive: true });
  const rows = <T extends object>(xs: T[]) => xs as unknown as Record<string, string | number | boolean>[];
  writeFileSync(
    join(dir, "trades.csv"),
    toCsv(rows(r.trades), [
      "sellerId",
      "buyerId",
      "power",
      "distance",
      "sellerCharge",
      "buyerCharge",
      "totalCharge",
      "sellerZone",
      "buyerZone",
    ]),
  );
  writeFileSync(
    join(dir, "agents.csv"),
    toCsv(rows(r.agents), ["agentId", "zone", "charge", "volumeSold", "volumeBought"]),
  );
  writeFileSync(
    join(dir, "zones.csv"),
    toCsv(rows(r.zones), ["zone", "charges", "internalVolume", "exports", "imports"]),
  );
  writeFileSync(join(dir, "zone_flows.csv"), toCsv(rows(r.zoneFlows), ["fromZone", "toZone", "volume"]));
  writeFileSync(
    join(dir, "lines.csv"),
    toCsv(
      r.lines.map((l) => ({
        branch: l.index + 1,
        fromBus: l.fromBus,
        toBus: l.toBus,
        flow_MW: l.flow,
        rateA_MW: l.rateA > 0 ? l.rateA : "",
        loading_percent: l.rateA > 0 ? 100 * l.loading : "",
        overloaded: l.overloaded,
        inService: l.inService,
      })),
      ["branch", "fromBus", "toBus", "flow_MW", "rateA_MW", "loading_percent", "overloaded", "inService"],
    ),
  );
}

/** A loading (a fraction of rateA) as a percentage. */
function percent(loading: number): string {
  return `${(100 * loading).toFixed(1)} %`;
}

/** The report as readable tables. */
export function reportText(r: NetworkChargeReport, status: string): string {
  if (r.periods) return horizonReportText(r, status);
  const out: string[] = [];
  out.push(
    `design ${DESIGN_LABEL[r.design] ?? r.design}, unit fee ${fmt(r.unitFee, 4)}, seller share ${fmt(r.sellerShare, 2)} — market ${status}\n` +
      `collected ${fmt(r.totalCollected, 2)}; traded ${fmt(r.tradedVolume, 2)}, of which inter-zone ${fmt(r.interZoneVolume, 2)}` +
      (r.lines.length > 0
        ? `; max line loading ${percent(r.maxLoading)}, ${r.overloadedLines.length} overloaded line(s) on ${r.networkName}`
        : "") +
      "\n",
  );
  const trades = [...r.trades].sort((a, b) => b.totalCharge - a.totalCharge || b.power - a.power);
  out.push(
    "Trades (largest charges first)\n" +
      table(
        ["seller", "buyer", "power MW", "distance", "seller pays €/h", "buyer pays €/h", "total €/h", "zones"],
        trades
          .slice(0, 40)
          .map((t) => [
            t.sellerId,
            t.buyerId,
            t.power,
            t.distance,
            t.sellerCharge,
            t.buyerCharge,
            t.totalCharge,
            `${t.sellerZone}→${t.buyerZone}`,
          ]),
      ) +
      (trades.length > 40 ? `… and ${trades.length - 40} more\n` : ""),
  );
  out.push(
    "Agents\n" +
      table(
        ["agent", "zone", "charge €/h", "sold MW", "bought MW"],
        r.agents.map((a) => [a.agentId, a.zone, a.charge, a.volumeSold, a.volumeBought]),
      ),
  );
  out.push(
    "Zones\n" +
      table(
        ["zone", "charges €/h", "internal MW", "exports MW", "imports MW"],
        r.zones.map((z) => [z.zone, z.charges, z.internalVolume, z.exports, z.imports]),
      ),
  );
  if (r.zoneFlows.length > 0)
    out.push(
      "Zone to zone\n" +
        table(
          ["from", "to", "volume MW"],
          r.zoneFlows.map((f) => [f.fromZone, f.toZone, f.volume]),
        ),
    );
  if (r.lines.length > 0) {
    const lines = [...r.lines].sort((a, b) => b.loading - a.loading);
    out.push(
      "Lines (most loaded first; branches numbered from 1 as in MATPOWER)\n" +
        table(
          ["branch", "from", "to", "flow MW", "rateA MW", "loading %", ""],
          lines
            .slice(0, 20)
            .map((l) => [
              l.index + 1,
              l.fromBus,
              l.toBus,
              l.flow,
              l.rateA > 0 ? l.rateA : "unlimited",
              l.rateA > 0 ? (100 * l.loading).toFixed(1) : "",
              l.overloaded ? "OVERLOADED" : l.inService ? "" : "out of service",
            ]),
        ) +
        (lines.length > 20 ? `… and ${lines.length - 20} more\n` : ""),
    );
  }
  return out.join("\n");
}

/** Branch numbers (from 1) of line indexes, at most `max` of them. */
function branchList(indexes: readonly number[], max = 8): string {
  if (indexes.length === 0) return "";
  const shown = indexes
    .slice(0, max)
    .map((i) => String(i + 1))
    .join(" ");
  return indexes.length > max ? `${shown} … (${indexes.length})` : shown;
}

/** A multi-period report: per-period totals, horizon totals, and the lines' peak loadings. */
function horizonReportText(r: NetworkChargeReport, status: string): string {
  const out: string[] = [];
  const periods = r.periodCharges ?? [];
  const fees = new Set(periods.map((p) => p.unitFee));
  const feeText =
    fees.size <= 1
      ? `unit fee ${fmt(r.unitFee, 4)}`
      : `time-of-use unit fees ${fmt(Math.min(...fees), 4)}–${fmt(Math.max(...fees), 4)}`;
  let peak = "";
  if (r.lines.length > 0) {
    const top = r.lines.reduce((a, b) => (b.loading > a.loading ? b : a));
    peak =
      `; peak line loading ${percent(r.maxLoading)}` +
      (top.loading > 0 ? ` (branch ${top.index + 1}, period ${top.peakPeriod ?? 0})` : "") +
      `, ${r.overloadedLines.length} line(s) overloaded in some period on ${r.networkName}`;
  }
  out.push(
    `design ${DESIGN_LABEL[r.design] ?? r.design}, ${feeText}, seller share ${fmt(r.sellerShare, 2)}; ${r.periods} periods of ${r.periodHours ?? 0} h — market ${status}\n` +
      `collected ${fmt(r.totalCollected, 2)} € over the horizon; traded ${fmt(r.tradedVolume, 2)} MWh, of which inter-zone ${fmt(r.interZoneVolume, 2)} MWh` +
      peak +
      "\n",
  );
  const hasLines = r.lines.length > 0;
  out.push(
    "Periods\n" +
      table(
        [
          "period",
          "start",
          "unit fee €/MWh",
          "collected €",
          "traded MWh",
          "inter-zone MWh",
          ...(hasLines ? ["max loading %", "overloaded branches"] : []),
        ],
        periods.map((p) => [
          p.period,
          p.startTime,
          p.unitFee,
          p.totalCollected,
          p.tradedEnergy,
          p.interZoneEnergy,
          ...(hasLines ? [(100 * p.maxLoading).toFixed(1), branchList(p.overloadedLines)] : []),
        ]),
      ),
  );
  const trades = [...r.trades].sort((a, b) => b.totalCharge - a.totalCharge || b.power - a.power);
  out.push(
    "Trades (largest charges first)\n" +
      table(
        ["period", "seller", "buyer", "power MW", "distance", "seller pays €", "buyer pays €", "total €", "zones"],
        trades
          .slice(0, 20)
          .map((t) => [
            t.period ?? 0,
            t.sellerId,
            t.buyerId,
            t.power,
            t.distance,
            t.sellerCharge,
            t.buyerCharge,
            t.totalCharge,
            `${t.sellerZone}→${t.buyerZone}`,
          ]),
      ) +
      (trades.length > 20 ? `… and ${trades.length - 20} more\n` : ""),
  );
  const agents = [...r.agents].sort((a, b) => b.charge - a.charge);
  out.push(
    "Agents (over the horizon, largest charges first)\n" +
      table(
        ["agent", "zone", "charge €", "sold MWh", "bought MWh"],
        agents.slice(0, 40).map((a) => [a.agentId, a.zone, a.charge, a.volumeSold, a.volumeBought]),
      ) +
      (agents.length > 40 ? `… and ${agents.length - 40} more\n` : ""),
  );
  out.push(
    "Zones (over the horizon)\n" +
      table(
        ["zone", "charges €", "internal MWh", "exports MWh", "imports MWh"],
        r.zones.map((z) => [z.zone, z.charges, z.internalVolume, z.exports, z.imports]),
      ),
  );
  if (r.zoneFlows.length > 0)
    out.push(
      "Zone to zone\n" +
        table(
          ["from", "to", "energy MWh"],
          r.zoneFlows.map((f) => [f.fromZone, f.toZone, f.volume]),
        ),
    );
  if (hasLines) {
    const lines = [...r.lines].sort((a, b) => b.loading - a.loading);
    out.push(
      "Lines at their peak over the horizon (most loaded first; branches numbered from 1 as in MATPOWER)\n" +
        table(
          [
            "branch",
            "from",
            "to",
            "peak flow MW",
            "rateA MW",
            "peak loading %",
            "peak period",
            "periods overloaded",
            "",
          ],
          lines
            .slice(0, 20)
            .map((l) => [
              l.index + 1,
              l.fromBus,
              l.toBus,
              l.flow,
              l.rateA > 0 ? l.rateA : "unlimited",
              l.rateA > 0 ? (100 * l.loading).toFixed(1) : "",
              l.peakPeriod ?? 0,
              (l.overloadedPeriods ?? []).length,
              l.overloaded ? "OVERLOADED" : l.inService ? "" : "out of service",
            ]),
        ) +
        (lines.length > 20 ? `… and ${lines.length - 20} more\n` : ""),
    );
  }
  return out.join("\n");
}

/** The CSV tables of a multi-period report. */
function writeHorizonCsv(dir: string, r: NetworkChargeReport): void {
  mkdirSync(dir, { recursive: true });
  const rows = <T extends object>(xs: T[]) => xs as unknown as Record<string, string | number | boolean>[];
  writeFileSync(
    join(dir, "periods.csv"),
    toCsv(
      (r.periodCharges ?? []).map((p) => ({
        period: p.period,
        start: p.startTime,
        unitFee: p.unitFee,
        collected: p.totalCollected,
        traded_MWh: p.tradedEnergy,
        interZone_MWh: p.interZoneEnergy,
        maxLoading_percent: 100 * p.maxLoading,
        overloadedBranches: p.overloadedLines.map((i) => i + 1).join(" "),
      })),
      [
        "period",
        "start",
        "unitFee",
        "collected",
        "traded_MWh",
        "interZone_MWh",
        "maxLoading_percent",
        "overloadedBranches",
      ],
    ),
  );
  writeFileSync(
    join(dir, "trades.csv"),
    toCsv(rows(r.trades), [
      "period",
      "sellerId",
      "buyerId",
      "power",
      "distance",
      "sellerCharge",
      "buyerCharge",
      "totalCharge",
      "sellerZone",
      "buyerZone",
    ]),
  );
  writeFileSync(
    join(dir, "agents.csv"),
    toCsv(
      r.agents.map((a) => ({
        agentId: a.agentId,
        zone: a.zone,
        charge: a.charge,
        sold_MWh: a.volumeSold,
        bought_MWh: a.volumeBought,
      })),
      ["agentId", "zone", "charge", "sold_MWh", "bought_MWh"],
    ),
  );
  writeFileSync(
    join(dir, "zones.csv"),
    toCsv(
      r.zones.map((z) => ({
        zone: z.zone,
        charges: z.charges,
        internal_MWh: z.internalVolume,
        exports_MWh: z.exports,
        imports_MWh: z.imports,
      })),
      ["zone", "charges", "internal_MWh", "exports_MWh", "imports_MWh"],
    ),
  );
  writeFileSync(
    join(dir, "zone_flows.csv"),
    toCsv(
      r.zoneFlows.map((f) => ({ fromZone: f.fromZone, toZone: f.toZone, energy_MWh: f.volume })),
      ["fromZone", "toZone", "energy_MWh"],
    ),
  );
  writeFileSync(
    join(dir, "lines.csv"),
    toCsv(
      r.lines.map((l) => ({
        branch: l.index + 1,
        fromBus: l.fromBus,
        toBus: l.toBus,
        peakFlow_MW: l.flow,
        rateA_MW: l.rateA > 0 ? l.rateA : "",
        peakLoading_percent: l.rateA > 0 ? 100 * l.loading : "",
        peakPeriod: l.peakPeriod ?? 0,
        overloadedPeriods: (l.overloadedPeriods ?? []).join(" "),
        overloaded: l.overloaded,
        inService: l.inService,
      })),
      [
        "branch",
        "fromBus",
        "toBus",
        "peakFlow_MW",
        "rateA_MW",
        "peakLoading_percent",
        "peakPeriod",
        "overloadedPeriods",
        "overloaded",
        "inService",
      ],
    ),
  );
  const perPeriod: Record<string, string | number | boolean>[] = [];
  for (const l of r.lines) {
    const flows = l.flowProfile ?? [];
    for (let t = 0; t < flows.length; t++) {
      const loading = l.loadingProfile?.[t] ?? 0;
      perPeriod.push({
        branch: l.index + 1,
        period: t,
        fromBus: l.fromBus,
        toBus: l.toBus,
        flow_MW: flows[t],
        rateA_MW: l.rateA > 0 ? l.rateA : "",
        loading_pct: l.rateA > 0 ? 100 * loading : "",
        overloaded: loading > 1,
      });
    }
  }
  writeFileSync(
    join(dir, "lines_periods.csv"),
    toCsv(perPeriod, ["branch", "period", "fromBus", "toBus", "flow_MW", "rateA_MW", "loading_pct", "overloaded"]),
  );
}
