import type { AgentResult, Market, Solution, SolveProgress } from "@peermarket/model";
import type { MarketClient } from "./client.js";
import { fixed, formatTable } from "./tables.js";

/** Settings of the community solve: loose enough to finish in about a minute on 2 cores. */
export interface CommunityDemoOptions {
  /** Absolute and relative tolerance (default 1e-4). */
  eps?: number;
  /** Time limit in seconds (default 90). */
  timeLimitS?: number;
  /** Progress every N iterations (default 100). */
  progressInterval?: number;
}

const kwh = (mwh: number): string => fixed(mwh * 1000, 1);

function progressLine(p: SolveProgress): string {
  return `  ${String(p.iteration).padStart(6)}  ${p.primalResidual.toExponential(2).padStart(9)}  ${p.dualResidual.toExponential(2).padStart(9)}  ${p.rho.toPrecision(3).padStart(8)}  ${p.elapsedS.toFixed(1).padStart(6)}`;
}

/** Hour-of-day label of hour `h` of the horizon, from the start time's local clock (HH:MM). */
function hourLabel(startTime: string | undefined, h: number): string {
  const m = /T(\d\d):(\d\d)/.exec(startTime ?? "");
  const start = m ? Number(m[1]) + Number(m[2]) / 60 : 0;
  const x = (start + h) % 24;
  return `${String(Math.floor(x)).padStart(2, "0")}:${String(Math.round((x % 1) * 60)).padStart(2, "0")}`;
}

/** A member: a home and the PV behind its meter (an agent whose attributes.owner is the home). */
interface Member {
  home: string;
  ids: Set<string>;
  pv?: string;
  battery: boolean;
}

function members(market: Market): Member[] {
  const out = new Map<string, Member>();
  for (const a of market.agents) {
    if (a.attributes?.["type"] === "home") out.set(a.id, { home: a.id, ids: new Set([a.id]), battery: !!a.storage });
  }
  for (const a of market.agents) {
    const owner = a.attributes?.["owner"];
    const m = owner ? out.get(owner) : undefined;
    if (m) {
      m.ids.add(a.id);
      m.pv ??= a.id;
    }
  }
  return [...out.values()];
}

/**
 * The member's trades with others, aggregated by partner and hour: the `shown` largest
 * (partner, hour) entries of each direction. Trades between the home and its own PV are left out.
 */
function memberTrades(
  s: Solution,
  m: Member,
  hourOf: (t: number) => number,
  label: (h: number) => string,
  shown: number,
): string[] {
  const dt = s.periodHours ?? 1;
  const sold = new Map<string, { partner: string; hour: number; mwh: number; money: number }>();
  const bought = new Map<string, { partner: string; hour: number; mwh: number; money: number }>();
  let soldTotal = 0;
  let boughtTotal = 0;
  let own = 0;
  for (const t of s.trades) {
    if (t.power <= 0) continue;
    const sellerIn = m.ids.has(t.sellerId);
    const buyerIn = m.ids.has(t.buyerId);
    const e = t.power * dt;
    if (sellerIn && buyerIn) {
      own += e;
      continue;
    }
    if (!sellerIn && !buyerIn) continue;
    const other = sellerIn ? t.buyerId : t.sellerId;
    const partner = other === "grid_import" || other === "grid_export" ? "grid" : other;
    const hour = hourOf(t.period ?? 0);
    const map = sellerIn ? sold : bought;
    const key = `${partner}@${hour}`;
    const entry = map.get(key) ?? { partner, hour, mwh: 0, money: 0 };
    entry.mwh += e;
    entry.money += e * t.price;
    map.set(key, entry);
    if (sellerIn) soldTotal += e;
    else boughtTotal += e;
  }
  const top = (map: typeof sold): string =>
    [...map.values()]
      .filter((x) => x.mwh >= 5e-5)
      .sort((a, b) => b.mwh - a.mwh)
      .slice(0, shown)
      .map((x) => `${x.partner} ${label(x.hour)} ${kwh(x.mwh)} kWh @${fixed(x.money / x.mwh, 0)}`)
      .join(", ") || "none";
  // Partners with at least 0.05 kWh over the day (ADMM leaves traces of a few Wh on idle pairs).
  const partners = (map: typeof sold): number => {
    const total = new Map<string, number>();
    for (const x of map.values()) total.set(x.partner, (total.get(x.partner) ?? 0) + x.mwh);
    return [...total.values()].filter((e) => e >= 5e-5).length;
  };
  return [
    `  sold ${kwh(soldTotal)} kWh to ${partners(sold)} partner(s); largest: ${top(sold)}`,
    `  bought ${kwh(boughtTotal)} kWh from ${partners(bought)} partner(s); largest: ${top(bought)}`,
    ...(own > 0 ? [`  own PV used at home: ${kwh(own)} kWh`] : []),
  ];
}

function bill(s: Solution, m: Member): string[] {
  const agents = s.agents.filter((a) => m.ids.has(a.id));
  const sum = (f: (a: AgentResult) => number | undefined): number => agents.reduce((acc, a) => acc + (f(a) ?? 0), 0);
  const energy = sum((a) => a.energyCost);
  const revenue = sum((a) => a.tradeRevenue);
  const charges = sum((a) => a.networkCharge);
  const storage = sum((a) => a.storageCost);
  // tradeRevenue counts purchases negatively: the money paid is charges + storage − trade revenue.
  const paid = charges + storage - revenue;
  return [
    `  bill € for the day: trade revenue ${fixed(revenue)}, network charges ${fixed(charges)}, storage cost ${fixed(storage)} → ${paid >= 0 ? "pays" : "earns"} ${fixed(Math.abs(paid))}`,
    `  energy cost (own cost function, negative = value of the load served) ${fixed(energy)}; total ${fixed(energy + paid)}`,
  ];
}

/**
 * Clears a multi-period community market through `client` with live progress and prints the
 * per-hour community summary, the schedule of one battery, and two members' trades and bills.
 */
export async function communityDemo(
  client: MarketClient,
  market: Market,
  out: (text: string) => void,
  options: CommunityDemoOptions = {},
): Promise<Solution> {
  const eps = options.eps ?? 1e-4;
  const timeLimitS = options.timeLimitS ?? 90;
  const T = market.horizon?.periods ?? 1;
  const dt = market.horizon?.periodHours ?? 1;
  const interval = options.progressInterval ?? 100;
  out(
    `Clearing ${market.name}: ${market.agents.length} agents (${market.agents.filter((a) => a.storage).length} batteries), ${T} periods of ${dt} h, eps ${eps}, time limit ${timeLimitS} s; progress every ${interval} iterations:`,
  );
  out(
    `  ${"iter".padStart(6)}  ${"primal".padStart(9)}  ${"dual".padStart(9)}  ${"rho".padStart(8)}  ${"s".padStart(6)}`,
  );
  const start = Date.now();
  const s = await client.streamSolveMarket(
    { market, settings: { epsAbs: eps, epsRel: eps, timeLimitS }, progressInterval: interval },
    { onProgress: (p) => out(progressLine(p)) },
  );
  const wall = (Date.now() - start) / 1000;
  const status = s.status.replace("SOLVE_STATUS_", "");
  out(
    `Solution ${s.id}: ${status} after ${s.iterations} iterations, ${s.solveTimeS.toFixed(1)} s solve, ${wall.toFixed(1)} s wall; residuals ${s.primalResidual.toExponential(2)} / ${s.dualResidual.toExponential(2)}`,
  );
  if (status !== "SOLVED") {
    out(
      `NOTE: not solved to eps ${eps} (${s.statusMessage || status}); the figures below are the last iterate's, approximate.`,
    );
  } else if (s.statusMessage) {
    out(`  ${s.statusMessage}`);
  }

  const perHour = Math.max(1, Math.round(1 / dt));
  const hours = Math.ceil(T / perHour);
  const hourOf = (t: number): number => Math.floor(t / perHour);
  const start0 = market.horizon?.startTime;
  const label = (h: number): string => hourLabel(start0, h);
  const all = members(market);
  const withBattery = all.find((m) => m.battery && m.pv) ?? all.find((m) => m.battery);
  const pvOwner =
    all.find((m) => m.pv && !m.battery && m !== withBattery) ?? all.find((m) => m.pv && m !== withBattery);
  const battery = withBattery ? s.agents.find((a) => a.id === withBattery.home) : undefined;
  const capacity = withBattery
    ? (market.agents.find((a) => a.id === withBattery.home)?.storage?.energyCapacity ?? 0)
    : 0;

  const rows: string[][] = [];
  for (let h = 0; h < hours; h++) {
    let imp = 0,
      exp = 0,
      traded = 0,
      lo = Infinity,
      hi = -Infinity,
      ch = 0,
      dis = 0;
    let soc = NaN;
    for (let t = h * perHour; t < Math.min(T, (h + 1) * perHour); t++) {
      const r = s.periodResults?.[t];
      if (r) {
        imp += r.gridImport * dt;
        exp += r.gridExport * dt;
        traded += r.tradedEnergy;
        if (r.tradedEnergy > 0) {
          lo = Math.min(lo, r.priceMin);
          hi = Math.max(hi, r.priceMax);
        }
      }
      if (battery) {
        ch += (battery.chargeProfile?.[t] ?? 0) * dt;
        dis += (battery.dischargeProfile?.[t] ?? 0) * dt;
        soc = battery.socProfile?.[t] ?? NaN;
      }
    }
    const row = [label(h), kwh(imp), kwh(exp), kwh(traded), lo <= hi ? `${fixed(lo, 0)}–${fixed(hi, 0)}` : "-"];
    if (battery)
      row.push(kwh(ch), kwh(dis), `${kwh(soc)} (${capacity > 0 ? ((soc / capacity) * 100).toFixed(0) : "?"}%)`);
    rows.push(row);
  }
  const headers = ["hour", "import kWh", "export kWh", "traded kWh", "price €/MWh"];
  if (battery) headers.push(`${battery.id} charge kWh`, "discharge kWh", "SoC kWh at end");
  out(
    `\nThe community hour by hour (grid import/export and energy traded between members; ${battery ? `battery of ${battery.id}` : "no battery"}):`,
  );
  out(
    formatTable(
      headers,
      rows,
      headers.map((_, i) => (i === 0 ? "left" : "right")),
    ),
  );

  for (const [what, m] of [
    ["battery and PV", withBattery],
    ["PV, no battery", pvOwner],
  ] as const) {
    if (!m) continue;
    out(`\nMember ${m.home}${m.pv ? ` + ${m.pv}` : ""} (${what}); partner, hour, energy, average price €/MWh:`);
    for (const line of memberTrades(s, m, hourOf, label, 4)) out(line);
    for (const line of bill(s, m)) out(line);
  }
  return s;
}
