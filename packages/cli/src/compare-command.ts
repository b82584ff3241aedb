import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { lineChart, toCsv } from "@peermarket/charts";
import { compareMechanisms, type MechanismComparison } from "@peermarket/mechanisms";
import { EXIT, UsageError } from "./errors.js";
import { fmt, table } from "./format.js";
import {
  applyMarketFlags,
  marketOptions,
  numberFlag,
  parseScenarioCommand,
  readScenario,
  settingsFromFlags,
  settingsOptions,
} from "./scenario-options.js";

export const COMPARE_USAGE = `Usage: peermarket compare <scenario.json|case.m|bundled-case> [options]

Which market should a community choose? Clears the market, then settles the same schedule under
five rules — grid only (each member alone with the grid), bill sharing, mid-market rate,
supply–demand ratio and the bilateral market — and reports each member's bill, its saving against
grid only, who would rather leave (individual rationality), and whether any coalition of members
would leave (the core: exact over every coalition up to 16 members, a search beyond). A
multi-period market is compared over its horizon (money in € over it); members with storage are
alone with their battery and the grid under grid only, and coalitions with storage are cleared over
the horizon. If the market's clearing does not converge, the comparison says so, settles the last
iterate for information only and skips the core test (exit 3). The formulas are in
docs/mechanisms.md.

  --json                print the comparison as JSON
  --csv DIR             write bills.csv, prices.csv, bills.svg and prices.svg to DIR
  --exact-limit N       enumerate every coalition up to N members (default 16, at most 16)
  --search-budget K     coalitions cleared per rule by the search beyond that (default 60)
  --search-time-limit S seconds of search per rule (default 60)
  --seed S              seed of the search (default 1)
  --no-core             skip the core test (individual rationality is always checked)
  --workers N           threads of the market's clearing and of the exact core test (default: the
                        cores from 11 members; the result does not depend on it)
  --network, --charges, --unit-fee, … and solver settings as for solve (the clearing defaults to
                        eps_abs 1e-9, eps_rel 1e-8: the bilateral prices are settled in €; with
                        storage 1e-6, 1e-5 and --time-limit 600, the schedule's certified slack
                        reported)
`;

const options = {
  json: { type: "boolean" },
  csv: { type: "string" },
  "exact-limit": { type: "string" },
  "search-budget": { type: "string" },
  "search-time-limit": { type: "string" },
  seed: { type: "string" },
  "no-core": { type: "boolean" },
  help: { type: "boolean", short: "h" },
  ...marketOptions,
  ...settingsOptions,
} as const;

/** `peermarket compare`. */
export async function compareCommand(argv: string[]): Promise<number> {
  const parsed = parseScenarioCommand(argv, options, COMPARE_USAGE);
  if (!parsed) return EXIT.ok;
  const v = parsed.values as Record<string, string | boolean | undefined>;
  const market = applyMarketFlags(readScenario(parsed.scenario), v);
  const settings = settingsFromFlags(v);
  const exactLimit = numberFlag("exact-limit", v["exact-limit"] as string | undefined, true);
  const searchBudget = numberFlag("search-budget", v["search-budget"] as string | undefined, true);
  const seed = numberFlag("seed", v.seed as string | undefined, true);
  const searchTimeLimitS = numberFlag("search-time-limit", v["search-time-limit"] as string | undefined);
  if (searchTimeLimitS !== undefined && !(searchTimeLimitS > 0))
    throw new UsageError(`--search-time-limit: must be > 0, got ${searchTimeLimitS}`);
  if (exactLimit !== undefined && (exactLimit < 0 || exactLimit > 16))
    throw new UsageError(`--exact-limit: must be between 0 and 16, got ${exactLimit}`);
  if (searchBudget !== undefined && searchBudget < 0)
    throw new UsageError(`--search-budget: must be ≥ 0, got ${searchBudget}`);
  const threads = settings.workers !== undefined && settings.workers > 0 ? settings.workers : undefined;
  const cmp = await compareMechanisms(market, {
    settings,
    exactLimit,
    searchBudget,
    searchTimeLimitS,
    seed,
    threads,
    skipCore: v["no-core"] === true,
  });
  if (typeof v.csv === "string") writeComparison(v.csv, cmp);
  if (v.json)
    process.stdout.write(
      JSON.stringify(cmp, (_k, x) => (typeof x === "number" && !Number.isFinite(x) ? null : x), 2) + "\n",
    );
  else {
    process.stdout.write(comparisonText(cmp));
    if (typeof v.csv === "string")
      process.stdout.write(`\nwrote bills.csv, prices.csv, bills.svg, prices.svg to ${v.csv}\n`);
  }
  return cmp.status === "SOLVED" ? EXIT.ok : EXIT.notSolved;
}

const SHORT: Record<string, string> = {
  grid_only: "grid only",
  bill_sharing: "bill sharing",
  mid_market: "mid-market",
  supply_demand_ratio: "SDR",
  bilateral: "bilateral",
};

/** The comparison as readable tables. */
export function comparisonText(c: MechanismComparison): string {
  const out: string[] = [];
  if (!converged(c)) {
    out.push(
      `WARNING: the market's clearing did not converge (${c.status.toLowerCase().replace(/_/g, " ")}). The schedule and the bills below are those of the engine's last iterate, NOT of the market's optimum; no stability verdict is given.\n`,
    );
  }
  const horizon =
    c.periods === 1 ? `1 period of ${fmt(c.periodHours, 2)} h` : `${c.periods} periods of ${fmt(c.periodHours, 2)} h`;
  out.push(
    `${c.market || "market"}: ${c.members.length} members, ${horizon}; cleared (${c.status.toLowerCase().replace(/_/g, " ")}) in ${fmt(c.clearSeconds, 3)} s, compared in ${fmt(c.totalSeconds, 3)} s\n`,
  );
  out.push(
    "The schedule every rule settles (money in €; energy cost = the member's own cost curve, negative for a consumer's value)\n" +
      table(
        ["member", "power MW", "energy €", "charges €", "preferences €", "alone: power MW", "alone: cost €"],
        c.members.map((m) => [
          m.id,
          m.power,
          m.energyCost,
          m.networkCharges,
          m.preferenceCost,
          m.gridOnlyPower,
          m.gridOnlyCost,
        ]),
      ),
  );
  const rules = c.mechanisms.filter((m) => m.mechanism !== "grid_only");
  const headers = ["member"];
  for (const m of rules) headers.push(`${SHORT[m.mechanism]} bill €`, "saving €");
  const rows = c.members.map((mem, i) => {
    const row: (string | number)[] = [mem.id];
    for (const m of rules) row.push(m.payment[i], `${fmt(m.saving[i])} ${m.individuallyRational[i] ? "✓" : "✗"}`);
    return row;
  });
  out.push(
    "Bills (energy payments; − = received) and savings against grid only (total cost alone − total cost under the rule; ✓ no worse off than alone, ✗ would leave)\n" +
      table(headers, rows),
  );
  out.push(
    "Per rule (prices: average paid by the net buyers / received by the net sellers, €/MWh)\n" +
      table(
        [
          "rule",
          "buy price",
          "sell price",
          "members' total cost €",
          "budget imbalance €",
          "Jain index of savings",
          "would leave",
        ],
        c.mechanisms.map((m) => [
          m.label,
          avg(m.periods.buyPrice),
          avg(m.periods.sellPrice),
          m.totalCost.reduce((a, b) => a + b, 0),
          m.budgetImbalance,
          Number.isNaN(m.jainIndex)
            ? "–"
            : fmt(m.jainIndex) + (m.clippedSavings > 0 ? ` (${m.clippedSavings} < 0 as 0)` : ""),
          m.leavers.length === 0 ? "nobody" : m.leavers.join(", "),
        ]),
      ),
  );
  const st = c.stability;
  if (st.method === "skipped")
    out.push(
      converged(c)
        ? "Core: not tested (--no-core)\n"
        : "Core: not tested (the market's clearing did not converge: there is no schedule to test coalitions against)\n",
    );
  else {
    out.push(
      `Core (${st.method === "exact" ? "exact: every coalition" : "search for the most dissatisfied coalition"}; ${st.coalitionsCleared} coalitions cleared in ${fmt(st.coalitionSeconds, 3)} s, ` +
        `largest duality gap ${fmt(st.maxGap)} €${st.scheduleSlack > 0 ? `, schedule slack ${fmt(st.scheduleSlack)} € (the members' certified regrets at the unpolished storage schedule, added to each coalition's tolerance)` : ""})\n` +
        c.mechanisms.map((m) => `  ${m.core?.summary ?? `${m.label}: not tested`}\n`).join(""),
    );
  }
  for (const n of c.notes) out.push(`note: ${n}\n`);
  return out.join("\n");
}

/** Whether the schedule is a cleared market's (SOLVED, or SOLVED_INACCURATE at a looser tolerance). */
function converged(c: MechanismComparison): boolean {
  return c.status === "SOLVED" || c.status === "SOLVED_INACCURATE";
}

function avg(xs: number[]): number | string {
  const f = xs.filter((x) => Number.isFinite(x));
  return f.length === 0 ? "–" : f.reduce((a, b) => a + b, 0) / f.length;
}

/** bills.csv, prices.csv and two SVG charts. */
export function writeComparison(dir: string, c: MechanismComparison): void {
  mkdirSync(dir, { recursive: true });
  const bills: Record<string, string | number | boolean>[] = [];
  for (const m of c.mechanisms) {
    c.members.forEach((mem, i) =>
      bills.push({
        member: mem.id,
        mechanism: m.mechanism,
        power_mw: m.mechanism === "grid_only" ? mem.gridOnlyPower : mem.power,
        bill_eur: m.payment[i],
        total_cost_eur: m.totalCost[i],
        grid_only_cost_eur: mem.gridOnlyCost,
        saving_eur: m.saving[i],
        individually_rational: m.individuallyRational[i],
      }),
    );
  }
  writeFileSync(join(dir, "bills.csv"), toCsv(bills));
  const prices: Record<string, string | number>[] = [];
  for (const m of c.mechanisms) {
    for (let t = 0; t < c.periods; t++) {
      prices.push({
        period: t,
        mechanism: m.mechanism,
        buy_price_eur_per_mwh: m.periods.buyPrice[t],
        sell_price_eur_per_mwh: m.periods.sellPrice[t],
        grid_payment_eur: m.periods.gridPayment[t],
      });
    }
  }
  writeFileSync(join(dir, "prices.csv"), toCsv(prices));
  const memberNames = c.members.map((m, i) => `${i + 1} ${m.id}`).join(", ");
  writeFileSync(
    join(dir, "bills.svg"),
    lineChart({
      title: "Bill per member under each rule (energy payments; negative: received)",
      xLabel: memberNames.length > 140 ? "member (index, as in bills.csv)" : `member: ${memberNames}`,
      yLabel: "bill (€)",
      series: c.mechanisms.map((m) => ({
        name: m.label,
        points: m.payment.map((y, i) => [i + 1, y] as const),
        markers: true,
      })),
      width: 900,
    }),
  );
  if (c.periods === 1) {
    // One period: the rules side by side, the buyers' and the sellers' average price of each.
    const rules = c.mechanisms.map((m, i) => `${i + 1} ${m.label}`).join(", ");
    const series = [
      {
        name: "paid by buyers",
        points: c.mechanisms.map((m, i) => [i + 1, m.periods.buyPrice[0]] as const),
        markers: true,
      },
      {
        name: "received by sellers",
        points: c.mechanisms.map((m, i) => [i + 1, m.periods.sellPrice[0]] as const),
        markers: true,
      },
    ];
    writeFileSync(
      join(dir, "prices.svg"),
      lineChart({
        title: "Internal prices under each rule (averages)",
        xLabel: `rule: ${rules}`,
        yLabel: "price (€/MWh)",
        series,
        width: 900,
      }),
    );
  } else {
    const series = [];
    for (const m of c.mechanisms) {
      series.push({
        name: `${m.label} buy`,
        points: m.periods.buyPrice.map((y, t) => [t + 1, y] as const),
        markers: true,
      });
      series.push({
        name: `${m.label} sell`,
        points: m.periods.sellPrice.map((y, t) => [t + 1, y] as const),
        markers: true,
      });
    }
    writeFileSync(
      join(dir, "prices.svg"),
      lineChart({
        title: "Internal prices per period under each rule",
        xLabel: "period",
        yLabel: "price (€/MWh)",
        series,
      }),
    );
  }
}
