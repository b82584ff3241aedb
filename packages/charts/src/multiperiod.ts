import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type Cell, toCsv } from "./csv.js";
import { type LineChart, lineChart, type Series } from "./svg.js";

/**
 * CSV tables and SVG plots of a multi-period Solution, read from its proto3 JSON object shape
 * (lowerCamelCase fields; proto3 JSON omits zeros and empty lists, so every field may be absent and
 * then counts as 0 or empty; doubles may be the strings "Infinity", "-Infinity", "NaN").
 *
 * Units: powers in MW (the period's average), energies in MWh, prices in €/MWh, money in €.
 * Period t covers [t·Δ, (t+1)·Δ) hours from the start of the horizon; `hour` columns give its start.
 */

/** A number as proto3 JSON writes it. */
export type JsonNumber = number | string | null | undefined;

/** `Solution.period_results[]`. */
export interface PeriodResultJson {
  period?: number;
  /** MW bought from the grid (the period's average). */
  gridImport?: JsonNumber;
  /** MW sold to the grid. */
  gridExport?: JsonNumber;
  /** € of network charges collected in the period. */
  networkRevenue?: JsonNumber;
  priceMin?: JsonNumber;
  priceMax?: JsonNumber;
  /** MWh traded between members in the period (grid excluded). */
  tradedEnergy?: JsonNumber;
  /** RFC 3339 start of the period. */
  startTime?: string;
}

/** `Solution.agents[]` with the multi-period profiles. */
export interface AgentResultJson {
  id?: string;
  power?: JsonNumber;
  marginalPrice?: JsonNumber;
  powerProfile?: readonly JsonNumber[];
  ownPowerProfile?: readonly JsonNumber[];
  chargeProfile?: readonly JsonNumber[];
  dischargeProfile?: readonly JsonNumber[];
  /** Stored energy at the end of each period (MWh). */
  socProfile?: readonly JsonNumber[];
  marginalPriceProfile?: readonly JsonNumber[];
}

/** `Solution.trades[]`: one (pair, period) entry. */
export interface TradeJson {
  sellerId?: string;
  buyerId?: string;
  power?: JsonNumber;
  price?: JsonNumber;
  networkCharge?: JsonNumber;
  /** 0-based; absent means period 0. */
  period?: number;
}

/** The parts of a `Solution` the multi-period outputs read. */
export interface MultiPeriodSolutionJson {
  marketName?: string;
  periods?: number;
  /** Δ in hours. */
  periodHours?: JsonNumber;
  periodResults?: readonly PeriodResultJson[];
  agents?: readonly AgentResultJson[];
  trades?: readonly TradeJson[];
}

/** What the Solution does not carry: the horizon's clock and, for the plots, the inputs. */
export interface MultiPeriodOptions {
  /** Δ, hours per period (default: the solution's `periodHours`, else 1). */
  periodHours?: number;
  /** RFC 3339 time of the start of period 0; adds a `time` column (same UTC offset). Default: the solution's `periodResults[].startTime`. */
  startTime?: string;
  /** Available PV power per period (MW): a column of periods.csv and a line of the grid plot. */
  pv?: readonly number[];
  /** The grid's import (retail) and export (feed-in) prices per period (€/MWh), drawn on the price plot. */
  importPrice?: readonly number[];
  exportPrice?: readonly number[];
  /** Stored energy at the start of the horizon per battery id (MWh): the first point of its SoC line. */
  socInitial?: Readonly<Record<string, number>>;
}

/** Agent ids of the grid's two agents (the market's residual balancer). */
const GRID_IMPORT = "grid_import";
const GRID_EXPORT = "grid_export";

function num(v: JsonNumber): number {
  if (v === null || v === undefined || v === "") return 0;
  if (typeof v === "number") return v;
  return Number(v);
}

function profileAt(p: readonly JsonNumber[] | undefined, t: number): number | undefined {
  return p && t < p.length ? num(p[t]) : undefined;
}

/** The number of periods of a solution: `periods`, else the longest profile or period list, else 1. */
export function periodCount(s: MultiPeriodSolutionJson): number {
  let T = s.periods ?? 0;
  for (const a of s.agents ?? []) T = Math.max(T, a.powerProfile?.length ?? 0, a.socProfile?.length ?? 0);
  T = Math.max(T, s.periodResults?.length ?? 0);
  for (const tr of s.trades ?? []) T = Math.max(T, (tr.period ?? 0) + 1);
  return Math.max(1, T);
}

/** RFC 3339 label of the start of period t (in the UTC offset of `startTime`), or undefined when it is not a time. */
export function periodTime(startTime: string | undefined, periodHours: number, t: number): string | undefined {
  if (!startTime) return undefined;
  const ms = Date.parse(startTime);
  if (!Number.isFinite(ms)) return undefined;
  const m = /(?:([+-])(\d\d):?(\d\d)|Z)$/i.exec(startTime.trim());
  const offsetMin = m && m[1] ? (m[1] === "-" ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
  const suffix = m && m[1] ? `${m[1]}${m[2]}:${m[3]}` : "Z";
  const at = ms + Math.round(t * periodHours * 3_600_000);
  const local = new Date(at + offsetMin * 60_000).toISOString();
  return `${local.slice(0, 19)}${suffix}`;
}

interface Clock {
  T: number;
  dt: number;
  time: (t: number) => string | undefined;
  hasTime: boolean;
}

function clock(s: MultiPeriodSolutionJson, o: MultiPeriodOptions): Clock {
  const fromSolution = num(s.periodHours);
  const dt = o.periodHours && o.periodHours > 0 ? o.periodHours : fromSolution > 0 ? fromSolution : 1;
  const T = periodCount(s);
  if (periodTime(o.startTime, dt, 0) !== undefined)
    return { T, dt, time: (t) => periodTime(o.startTime, dt, t), hasTime: true };
  const labels = new Map<number, string>();
  for (const r of s.periodResults ?? []) if (r.startTime) labels.set(r.period ?? 0, r.startTime);
  return { T, dt, time: (t) => labels.get(t), hasTime: labels.size > 0 };
}

function stamp(c: Clock, t: number): Record<string, Cell> {
  const r: Record<string, Cell> = { period: t };
  if (c.hasTime) r.time = c.time(t);
  r.hour = Number((t * c.dt).toFixed(9));
  return r;
}

/** An agent's net power in period t: its profile, or its scalar power for a single-period solution. */
function agentPower(a: AgentResultJson, t: number, T: number): number | undefined {
  const p = profileAt(a.powerProfile, t);
  if (p !== undefined) return p;
  return T === 1 && (a.powerProfile?.length ?? 0) === 0 ? num(a.power) : undefined;
}

function isStorage(a: AgentResultJson): boolean {
  return (a.socProfile?.length ?? 0) > 0 || (a.chargeProfile?.length ?? 0) > 0 || (a.dischargeProfile?.length ?? 0) > 0;
}

/** Columns of `agents_periods.csv`. */
export const AGENT_PERIOD_COLUMNS = [
  "agent_id",
  "power_mw",
  "own_power_mw",
  "charge_mw",
  "discharge_mw",
  "soc_mwh",
  "marginal_price_eur_per_mwh",
] as const;

/**
 * `agents_periods.csv`: one row per agent and period — net power (> 0 sells), own power (without
 * the battery), charge, discharge, stored energy at the end of the period (blank without storage),
 * marginal price.
 */
export function agentPeriodRows(s: MultiPeriodSolutionJson, o: MultiPeriodOptions = {}): Record<string, Cell>[] {
  const c = clock(s, o);
  const rows: Record<string, Cell>[] = [];
  for (const a of s.agents ?? []) {
    const storage = isStorage(a);
    for (let t = 0; t < c.T; t++) {
      const power = agentPower(a, t, c.T);
      const charge = storage ? (profileAt(a.chargeProfile, t) ?? 0) : 0;
      const discharge = storage ? (profileAt(a.dischargeProfile, t) ?? 0) : 0;
      const own = profileAt(a.ownPowerProfile, t) ?? (power === undefined ? undefined : power - discharge + charge);
      const price = profileAt(a.marginalPriceProfile, t) ?? (c.T === 1 ? num(a.marginalPrice) : undefined);
      rows.push({
        ...stamp(c, t),
        agent_id: a.id ?? "",
        power_mw: power,
        own_power_mw: own,
        charge_mw: charge,
        discharge_mw: discharge,
        soc_mwh: storage ? profileAt(a.socProfile, t) : undefined,
        marginal_price_eur_per_mwh: price,
      });
    }
  }
  return rows;
}

/**
 * `trades.csv`: one row per (pair, period) the Solution lists, in period order — power (MW), energy
 * (MWh = power·Δ), price (€/MWh) and the network charge (€, both shares).
 */
export function tradePeriodRows(s: MultiPeriodSolutionJson, o: MultiPeriodOptions = {}): Record<string, Cell>[] {
  const c = clock(s, o);
  const trades = [...(s.trades ?? [])]
    .map((tr, i) => ({ tr, i, t: tr.period ?? 0 }))
    .sort((x, y) => x.t - y.t || x.i - y.i);
  return trades.map(({ tr, t }) => {
    const power = num(tr.power);
    return {
      ...stamp(c, t),
      seller_id: tr.sellerId ?? "",
      buyer_id: tr.buyerId ?? "",
      power_mw: power,
      energy_mwh: power * c.dt,
      price_eur_per_mwh: num(tr.price),
      network_charge_eur: num(tr.networkCharge),
    };
  });
}

/**
 * `storage.csv`: one row per battery and period — charge, discharge, net discharge (MW), stored
 * energy at the end of the period (MWh), and whether it charged and discharged at once (the
 * relaxation's sign that energy had no value then).
 */
export function storagePeriodRows(s: MultiPeriodSolutionJson, o: MultiPeriodOptions = {}): Record<string, Cell>[] {
  const c = clock(s, o);
  const rows: Record<string, Cell>[] = [];
  for (const a of (s.agents ?? []).filter(isStorage)) {
    for (let t = 0; t < c.T; t++) {
      const charge = profileAt(a.chargeProfile, t) ?? 0;
      const discharge = profileAt(a.dischargeProfile, t) ?? 0;
      rows.push({
        ...stamp(c, t),
        agent_id: a.id ?? "",
        charge_mw: charge,
        discharge_mw: discharge,
        net_discharge_mw: discharge - charge,
        soc_mwh: profileAt(a.socProfile, t),
        charge_and_discharge: Math.min(charge, discharge) > 1e-9 * Math.max(1, charge, discharge),
      });
    }
  }
  return rows;
}

/** Per-period sums over the listed trades: volume (MW) and volume-weighted price. */
function tradeStats(
  s: MultiPeriodSolutionJson,
  T: number,
): { volume: Float64Array; weighted: Float64Array; count: Int32Array; members: Float64Array } {
  const volume = new Float64Array(T);
  const weighted = new Float64Array(T);
  const count = new Int32Array(T);
  const members = new Float64Array(T);
  const grid = (id: string | undefined) => id === GRID_IMPORT || id === GRID_EXPORT;
  for (const tr of s.trades ?? []) {
    const t = tr.period ?? 0;
    const p = num(tr.power);
    if (t < 0 || t >= T || !(p > 0)) continue;
    volume[t] += p;
    weighted[t] += p * num(tr.price);
    count[t]++;
    if (!grid(tr.sellerId) && !grid(tr.buyerId)) members[t] += p;
  }
  return { volume, weighted, count, members };
}

/**
 * `periods.csv`: one row per period — grid import and export (MW; from `periodResults`, or from the
 * `grid_import`/`grid_export` agents when a period has no entry), network revenue (€), the range of
 * trade prices and their mean weighted by traded power (€/MWh; grid trades included), the energy
 * traded between members (MWh, grid excluded), the number of trades carrying power, the batteries' total charge and discharge (MW) and, when given, the
 * available PV (MW).
 */
export function periodRows(s: MultiPeriodSolutionJson, o: MultiPeriodOptions = {}): Record<string, Cell>[] {
  const c = clock(s, o);
  const byPeriod = new Map<number, PeriodResultJson>();
  for (const r of s.periodResults ?? []) byPeriod.set(r.period ?? 0, r);
  const stats = tradeStats(s, c.T);
  const agents = s.agents ?? [];
  const gridImportAgent = agents.find((a) => a.id === GRID_IMPORT);
  const gridExportAgent = agents.find((a) => a.id === GRID_EXPORT);
  const storage = agents.filter(isStorage);
  const rows: Record<string, Cell>[] = [];
  for (let t = 0; t < c.T; t++) {
    const r = byPeriod.get(t);
    const imp = r ? num(r.gridImport) : gridImportAgent ? agentPower(gridImportAgent, t, c.T) : undefined;
    const expRaw = r ? num(r.gridExport) : gridExportAgent ? agentPower(gridExportAgent, t, c.T) : undefined;
    const exp = r || expRaw === undefined ? expRaw : Math.abs(expRaw);
    let charge = 0;
    let discharge = 0;
    for (const a of storage) {
      charge += profileAt(a.chargeProfile, t) ?? 0;
      discharge += profileAt(a.dischargeProfile, t) ?? 0;
    }
    const row: Record<string, Cell> = {
      ...stamp(c, t),
      grid_import_mw: imp,
      grid_export_mw: exp,
      net_import_mw: imp !== undefined && exp !== undefined ? imp - exp : undefined,
      network_revenue_eur: r ? num(r.networkRevenue) : undefined,
      price_min_eur_per_mwh: r ? num(r.priceMin) : undefined,
      price_max_eur_per_mwh: r ? num(r.priceMax) : undefined,
      price_mean_eur_per_mwh: stats.volume[t] > 0 ? stats.weighted[t] / stats.volume[t] : undefined,
      traded_energy_mwh: r ? num(r.tradedEnergy) : stats.members[t] * c.dt,
      trades: stats.count[t],
      storage_charge_mw: charge,
      storage_discharge_mw: discharge,
    };
    if (o.pv) row.pv_available_mw = t < o.pv.length ? o.pv[t] : undefined;
    rows.push(row);
  }
  return rows;
}

/**
 * Period values as the points of a step line: (t·Δ, v_t) for each period with a value, and the last
 * value again at the end of its period, so that every period shows as a flat segment.
 */
function stepPoints(values: readonly (readonly [number, number])[], dt: number): (readonly [number, number])[] {
  const pts: (readonly [number, number])[] = values.map(([t, v]) => [t * dt, v] as const);
  if (values.length > 0) {
    const [t, v] = values[values.length - 1];
    pts.push([(t + 1) * dt, v]);
  }
  return pts;
}

/** Ticks every 3 hours over a day, every 6 over two or three, else automatic. */
function hourTicks(c: Clock): number[] | undefined {
  const span = c.T * c.dt;
  const step = span <= 30 ? 3 : span <= 72 ? 6 : 0;
  if (step === 0 || span < 2 * step) return undefined;
  return Array.from({ length: Math.floor(span / step) + 1 }, (_, i) => i * step);
}

function xLabel(o: MultiPeriodOptions, c: Clock): string {
  const from = o.startTime && periodTime(o.startTime, c.dt, 0) ? o.startTime : c.time(0);
  return `hours from ${from ?? "the start"} (periods of ${Number((c.dt * 60).toFixed(3))} minutes)`;
}

/** Plots small powers and energies in kW/kWh, others in MW/MWh. */
function scaleFor(values: readonly number[]): { factor: number; power: string; energy: string } {
  const max = Math.max(0, ...values.filter(Number.isFinite).map(Math.abs));
  return max > 0 && max < 0.5
    ? { factor: 1000, power: "kW", energy: "kWh" }
    : { factor: 1, power: "MW", energy: "MWh" };
}

/**
 * The price plot: the range of trade prices per period as a band (min–max), their mean weighted by
 * traded power, and the grid's import and export prices when given.
 */
export function priceBandChart(s: MultiPeriodSolutionJson, o: MultiPeriodOptions = {}): LineChart {
  const c = clock(s, o);
  const rows = periodRows(s, o);
  const traded = rows.filter((r) => r.price_min_eur_per_mwh !== undefined && (r.trades as number) > 0);
  const lo = stepPoints(
    traded.map((r) => [r.period as number, r.price_min_eur_per_mwh as number] as const),
    c.dt,
  );
  const hi = stepPoints(
    traded.map((r) => [r.period as number, r.price_max_eur_per_mwh as number] as const),
    c.dt,
  );
  const band = lo.map(([x, l], i) => [x, l, hi[i][1]] as const);
  const series: Series[] = [
    {
      name: "mean, weighted by traded power",
      points: stepPoints(
        rows
          .filter((r) => r.price_mean_eur_per_mwh !== undefined)
          .map((r) => [r.period as number, r.price_mean_eur_per_mwh as number] as const),
        c.dt,
      ),
      step: true,
    },
  ];
  const tariff = (p: readonly number[]) =>
    stepPoints(
      p.slice(0, c.T).map((v, t) => [t, v] as const),
      c.dt,
    );
  if (o.importPrice) series.push({ name: "grid import (retail) price", points: tariff(o.importPrice), step: true });
  if (o.exportPrice) series.push({ name: "grid export (feed-in) price", points: tariff(o.exportPrice), step: true });
  return {
    title: `${s.marketName ? `${s.marketName}: ` : ""}trade prices per period`,
    xLabel: xLabel(o, c),
    xTicks: hourTicks(c),
    yLabel: "price (€/MWh)",
    bands: [{ name: "range of trade prices (min–max)", points: band, step: true }],
    series,
    headroom: 0.06,
  };
}

/** The most batteries drawn on one SoC plot (the largest by peak stored energy). */
export const MAX_SOC_SERIES = 12;

/** The stored energy of every battery at the end of each period (the largest `MAX_SOC_SERIES`). */
export function socChart(s: MultiPeriodSolutionJson, o: MultiPeriodOptions = {}): LineChart {
  const c = clock(s, o);
  const batteries = (s.agents ?? []).filter((a) => (a.socProfile?.length ?? 0) > 0);
  const peak = (a: AgentResultJson) => Math.max(0, ...(a.socProfile ?? []).map(num).filter(Number.isFinite));
  const shown = [...batteries]
    .sort((a, b) => peak(b) - peak(a) || (a.id ?? "").localeCompare(b.id ?? ""))
    .slice(0, MAX_SOC_SERIES);
  const unit = scaleFor(shown.map(peak));
  return {
    title: `State of charge at the end of each period${shown.length < batteries.length ? ` (the ${shown.length} largest of ${batteries.length} batteries)` : ""}`,
    xLabel: xLabel(o, c),
    xTicks: hourTicks(c),
    yLabel: `stored energy (${unit.energy})`,
    series: shown.map((a) => {
      const e0 = o.socInitial?.[a.id ?? ""];
      const points = (a.socProfile ?? []).map((v, t) => [(t + 1) * c.dt, num(v) * unit.factor] as const);
      return { name: a.id ?? "", points: e0 === undefined ? points : [[0, e0 * unit.factor] as const, ...points] };
    }),
    headroom: 0.06,
  };
}

/** Community import and export against the grid, the batteries' net discharge and, when given, the available PV. */
export function gridPvChart(s: MultiPeriodSolutionJson, o: MultiPeriodOptions = {}): LineChart {
  const c = clock(s, o);
  const rows = periodRows(s, o);
  const col = (k: string) => rows.map((r) => r[k]).filter((v): v is number => typeof v === "number");
  const unit = scaleFor([...col("grid_import_mw"), ...col("grid_export_mw"), ...col("pv_available_mw")]);
  const line = (name: string, f: (r: Record<string, Cell>) => Cell): Series => ({
    name,
    points: stepPoints(
      rows
        .map((r) => [r.period as number, f(r)] as const)
        .filter((p): p is readonly [number, number] => typeof p[1] === "number")
        .map(([t, v]) => [t, v * unit.factor] as const),
      c.dt,
    ),
    step: true,
  });
  const series = [line("grid import", (r) => r.grid_import_mw), line("grid export", (r) => r.grid_export_mw)];
  if (o.pv) series.push(line("PV available", (r) => r.pv_available_mw));
  if ((s.agents ?? []).some(isStorage))
    series.push(
      line(
        "batteries: discharge − charge",
        (r) => (r.storage_discharge_mw as number) - (r.storage_charge_mw as number),
      ),
    );
  return {
    title: "Community import and export against PV",
    xLabel: xLabel(o, c),
    xTicks: hourTicks(c),
    yLabel: `power (${unit.power})`,
    series,
    headroom: 0.06,
  };
}

/** The options a market (proto3 JSON object) gives: its horizon, PV (agents tagged `technology: solar`), grid prices, batteries' initial energy. */
export function multiPeriodOptionsFromMarket(market: {
  horizon?: { periods?: number; periodHours?: JsonNumber; startTime?: string } | null;
  agents?: readonly {
    id?: string;
    powerMax?: JsonNumber;
    powerMaxProfile?: readonly JsonNumber[];
    attributes?: Record<string, string> | null;
    storage?: { socInitial?: JsonNumber } | null;
  }[];
  grid?: {
    importPrice?: JsonNumber;
    exportPrice?: JsonNumber;
    importPriceProfile?: readonly JsonNumber[];
    exportPriceProfile?: readonly JsonNumber[];
  } | null;
}): MultiPeriodOptions {
  const T = Math.max(1, market.horizon?.periods ?? 1);
  const o: MultiPeriodOptions = {};
  const dt = num(market.horizon?.periodHours);
  if (dt > 0) o.periodHours = dt;
  if (market.horizon?.startTime) o.startTime = market.horizon.startTime;
  const solar = (market.agents ?? []).filter((a) => /^(solar|pv|photovoltaic)$/i.test(a.attributes?.technology ?? ""));
  if (solar.length > 0) {
    const pv = new Array<number>(T).fill(0);
    for (const a of solar)
      for (let t = 0; t < T; t++)
        pv[t] += a.powerMaxProfile && a.powerMaxProfile.length > 0 ? num(a.powerMaxProfile[t]) : num(a.powerMax);
    o.pv = pv;
  }
  const socInitial: Record<string, number> = {};
  for (const a of market.agents ?? []) if (a.storage && a.id) socInitial[a.id] = num(a.storage.socInitial);
  if (Object.keys(socInitial).length > 0) o.socInitial = socInitial;
  const profile = (p: readonly JsonNumber[] | undefined, scalar: JsonNumber) =>
    p && p.length > 0 ? p.map(num) : new Array<number>(T).fill(num(scalar));
  if (market.grid) {
    o.importPrice = profile(market.grid.importPriceProfile, market.grid.importPrice);
    o.exportPrice = profile(market.grid.exportPriceProfile, market.grid.exportPrice);
  }
  return o;
}

/** The files `writeMultiPeriodOutputs` writes. */
export const MULTI_PERIOD_FILES = [
  "agents_periods.csv",
  "trades.csv",
  "storage.csv",
  "periods.csv",
  "prices.svg",
  "storage_soc.svg",
  "grid_pv.svg",
] as const;

/**
 * Writes the multi-period outputs of a solution into `dir` (created if needed): agents_periods.csv,
 * trades.csv, storage.csv, periods.csv, prices.svg (price band), storage_soc.svg (SoC
 * trajectories), grid_pv.svg (import/export against PV). Returns the paths written.
 */
export function writeMultiPeriodOutputs(dir: string, s: MultiPeriodSolutionJson, o: MultiPeriodOptions = {}): string[] {
  mkdirSync(dir, { recursive: true });
  const c = clock(s, o);
  const lead = c.hasTime ? ["period", "time", "hour"] : ["period", "hour"];
  const files: [string, string][] = [
    ["agents_periods.csv", toCsv(agentPeriodRows(s, o), [...lead, ...AGENT_PERIOD_COLUMNS])],
    [
      "trades.csv",
      toCsv(tradePeriodRows(s, o), [
        ...lead,
        "seller_id",
        "buyer_id",
        "power_mw",
        "energy_mwh",
        "price_eur_per_mwh",
        "network_charge_eur",
      ]),
    ],
    [
      "storage.csv",
      toCsv(storagePeriodRows(s, o), [
        ...lead,
        "agent_id",
        "charge_mw",
        "discharge_mw",
        "net_discharge_mw",
        "soc_mwh",
        "charge_and_discharge",
      ]),
    ],
    ["periods.csv", toCsv(periodRows(s, o), [...lead, ...PERIOD_COLUMNS, ...(o.pv ? ["pv_available_mw"] : [])])],
    ["prices.svg", lineChart(priceBandChart(s, o))],
    ["storage_soc.svg", lineChart(socChart(s, o))],
    ["grid_pv.svg", lineChart(gridPvChart(s, o))],
  ];
  return files.map(([name, text]) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  });
}

/** Columns of `periods.csv` after period/time/hour (then `pv_available_mw` when PV is given). */
export const PERIOD_COLUMNS = [
  "grid_import_mw",
  "grid_export_mw",
  "net_import_mw",
  "network_revenue_eur",
  "price_min_eur_per_mwh",
  "price_max_eur_per_mwh",
  "price_mean_eur_per_mwh",
  "traded_energy_mwh",
  "trades",
  "storage_charge_mw",
  "storage_discharge_mw",
] as const;
