import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { toCsv } from "@peermarket/charts";
import type { Market, Solution } from "@peermarket/model";
import { fmt, table } from "./format.js";

/** Whether a solution is of a multi-period market (it has per-period results). */
export function isHorizonSolution(s: Solution): boolean {
  return (s.periods ?? 0) > 0 && (s.periodResults?.length ?? 0) > 0;
}

/** Energy capacity (MWh) of each agent's storage, by agent id. */
function capacities(market: Market): Map<string, number> {
  const out = new Map<string, number>();
  for (const a of market.agents) if (a.storage) out.set(a.id, a.storage.energyCapacity);
  return out;
}

/** Σ_t Δ (c_t + d_t): the energy the storage moved (MWh). */
function throughput(chargeProfile: number[] | undefined, dischargeProfile: number[] | undefined, dt: number): number {
  let e = 0;
  for (let t = 0; t < (chargeProfile?.length ?? 0); t++) e += dt * (chargeProfile![t] + dischargeProfile![t]);
  return e;
}

/** Battery cycles: throughput / (2 · capacity); 0 for an empty battery. */
export function batteryCycles(moved: number, capacity: number): number {
  return capacity > 0 ? moved / (2 * capacity) : 0;
}

/** Per period: start time, grid import/export (MW), traded energy (MWh), price band (€/MWh). */
export function periodsTable(s: Solution): string {
  const rows = (s.periodResults ?? []).map((p) => [
    p.period,
    p.startTime || "",
    p.gridImport,
    p.gridExport,
    p.tradedEnergy,
    p.priceMin,
    p.priceMax,
  ]);
  return table(
    ["period", "start", "grid import MW", "grid export MW", "traded MWh", "price min €/MWh", "price max €/MWh"],
    rows,
  );
}

/**
 * Per agent, totals over the horizon: average net power, net energy, money (€) and, for a storage,
 * the energy it moved and its cycles (throughput / (2·capacity)).
 */
export function horizonAgentsTable(s: Solution, market: Market): string {
  const dt = s.periodHours ?? 1;
  const cap = capacities(market);
  return table(
    [
      "agent",
      "avg power MW",
      "net energy MWh",
      "energy cost €",
      "trade revenue €",
      "network charge €",
      "storage cost €",
      "throughput MWh",
      "cycles",
    ],
    s.agents.map((a) => {
      const energy = (a.powerProfile ?? []).reduce((e, p) => e + p * dt, 0);
      const c = cap.get(a.id);
      const moved = c === undefined ? 0 : throughput(a.chargeProfile, a.dischargeProfile, dt);
      return [
        a.id + (a.simultaneousChargeDischarge ? " *" : ""),
        a.power,
        energy,
        a.energyCost,
        a.tradeRevenue,
        a.networkCharge,
        a.storageCost ?? 0,
        c === undefined ? "" : fmt(moved),
        c === undefined ? "" : fmt(batteryCycles(moved, c)),
      ];
    }),
  );
}

/** A short summary of a multi-period solution's trades. */
export function horizonTradesLine(s: Solution): string {
  const volume = s.trades.reduce((v, t) => v + t.power * (s.periodHours ?? 1), 0);
  const mark = s.agents.some((a) => a.simultaneousChargeDischarge)
    ? "* charged and discharged in the same period\n"
    : "";
  return `${mark}${s.trades.length} of ${s.pairPeriodCount ?? 0} (pair, period) entries trade ${fmt(volume, 2)} MWh in total over ${s.periods} periods of ${fmt(s.periodHours ?? 1)} h\n`;
}

/**
 * Writes DIR/agents_periods.csv (per agent and period: net and own power, charge, discharge, SoC,
 * marginal price), DIR/trades.csv (the (pair, period) entries that carry power), DIR/storage.csv
 * (per storage: capacity, throughput, cycles, cost), DIR/periods.csv (per period: grid, traded
 * energy, network revenue, price band) and DIR/agents.csv (per agent, totals over the horizon);
 * the units are in the column names.
 */
export function writeHorizonCsv(dir: string, s: Solution, market: Market): void {
  mkdirSync(dir, { recursive: true });
  const dt = s.periodHours ?? 1;
  const T = s.periods ?? 0;
  const start = (t: number) => s.periodResults?.[t]?.startTime ?? "";
  const periodRows: Record<string, string | number>[] = [];
  for (const a of s.agents) {
    const storage = (a.chargeProfile?.length ?? 0) > 0;
    for (let t = 0; t < T; t++) {
      periodRows.push({
        agent_id: a.id,
        period: t,
        start_time: start(t),
        power_MW: a.powerProfile?.[t] ?? 0,
        own_power_MW: a.ownPowerProfile?.[t] ?? 0,
        charge_MW: storage ? a.chargeProfile![t] : "",
        discharge_MW: storage ? a.dischargeProfile![t] : "",
        soc_MWh: storage ? a.socProfile![t] : "",
        marginal_price_EUR_per_MWh: a.marginalPriceProfile?.[t] ?? 0,
      });
    }
  }
  writeFileSync(
    join(dir, "agents_periods.csv"),
    toCsv(periodRows, [
      "agent_id",
      "period",
      "start_time",
      "power_MW",
      "own_power_MW",
      "charge_MW",
      "discharge_MW",
      "soc_MWh",
      "marginal_price_EUR_per_MWh",
    ]),
  );
  writeFileSync(
    join(dir, "trades.csv"),
    toCsv(
      s.trades.map((t) => ({
        period: t.period ?? 0,
        start_time: start(t.period ?? 0),
        seller_id: t.sellerId,
        buyer_id: t.buyerId,
        power_MW: t.power,
        energy_MWh: t.power * dt,
        price_EUR_per_MWh: t.price,
        network_charge_EUR: t.networkCharge,
      })),
      [
        "period",
        "start_time",
        "seller_id",
        "buyer_id",
        "power_MW",
        "energy_MWh",
        "price_EUR_per_MWh",
        "network_charge_EUR",
      ],
    ),
  );
  const cap = capacities(market);
  writeFileSync(
    join(dir, "storage.csv"),
    toCsv(
      s.agents
        .filter((a) => cap.has(a.id))
        .map((a) => {
          const moved = throughput(a.chargeProfile, a.dischargeProfile, dt);
          const socs = a.socProfile ?? [];
          return {
            agent_id: a.id,
            energy_capacity_MWh: cap.get(a.id)!,
            charged_MWh: (a.chargeProfile ?? []).reduce((e, c) => e + c * dt, 0),
            discharged_MWh: (a.dischargeProfile ?? []).reduce((e, d) => e + d * dt, 0),
            throughput_MWh: moved,
            cycles: batteryCycles(moved, cap.get(a.id)!),
            soc_final_MWh: socs.length > 0 ? socs[socs.length - 1] : 0,
            soc_min_MWh: socs.length > 0 ? socs.reduce((v, x) => Math.min(v, x), Infinity) : 0,
            soc_max_MWh: socs.length > 0 ? socs.reduce((v, x) => Math.max(v, x), -Infinity) : 0,
            storage_cost_EUR: a.storageCost ?? 0,
            simultaneous_charge_discharge: a.simultaneousChargeDischarge ? "yes" : "no",
          };
        }),
      [
        "agent_id",
        "energy_capacity_MWh",
        "charged_MWh",
        "discharged_MWh",
        "throughput_MWh",
        "cycles",
        "soc_final_MWh",
        "soc_min_MWh",
        "soc_max_MWh",
        "storage_cost_EUR",
        "simultaneous_charge_discharge",
      ],
    ),
  );
  writeFileSync(
    join(dir, "periods.csv"),
    toCsv(
      (s.periodResults ?? []).map((p) => ({
        period: p.period,
        start_time: p.startTime,
        grid_import_MW: p.gridImport,
        grid_export_MW: p.gridExport,
        traded_energy_MWh: p.tradedEnergy,
        network_revenue_EUR: p.networkRevenue,
        price_min_EUR_per_MWh: p.priceMin,
        price_max_EUR_per_MWh: p.priceMax,
      })),
      [
        "period",
        "start_time",
        "grid_import_MW",
        "grid_export_MW",
        "traded_energy_MWh",
        "network_revenue_EUR",
        "price_min_EUR_per_MWh",
        "price_max_EUR_per_MWh",
      ],
    ),
  );
  writeFileSync(
    join(dir, "agents.csv"),
    toCsv(
      s.agents.map((a) => ({
        agent_id: a.id,
        average_power_MW: a.power,
        energy_cost_EUR: a.energyCost,
        trade_revenue_EUR: a.tradeRevenue,
        network_charge_EUR: a.networkCharge,
        preference_cost_EUR: a.preferenceCost,
        storage_cost_EUR: a.storageCost ?? 0,
      })),
      [
        "agent_id",
        "average_power_MW",
        "energy_cost_EUR",
        "trade_revenue_EUR",
        "network_charge_EUR",
        "preference_cost_EUR",
        "storage_cost_EUR",
      ],
    ),
  );
}
