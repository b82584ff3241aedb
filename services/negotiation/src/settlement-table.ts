import type { PeerOutcome } from "./peer-client.js";

const fmt = (x: number, d = 3): string => (Number.isFinite(x) ? x.toFixed(d) : String(x));

/** A peer's settlement in words: status, its agents' bills and trades. */
export function settlementTable(o: PeerOutcome): string {
  const s = o.solution;
  const lines = [
    `status ${s.status.replace("SOLVE_STATUS_", "")} after ${s.iterations} rounds (${o.rounds} answered here, ${o.epochs} epoch${o.epochs === 1 ? "" : "s"})`,
  ];
  if (s.statusMessage) lines.push(s.statusMessage);
  lines.push("", "agent            power   marginal   energy cost   trade revenue   network   preference");
  for (const a of s.agents) {
    lines.push(
      `${a.id.padEnd(14)} ${fmt(a.power).padStart(8)} ${fmt(a.marginalPrice).padStart(10)} ${fmt(a.energyCost, 2).padStart(13)} ${fmt(a.tradeRevenue, 2).padStart(15)} ${fmt(a.networkCharge, 2).padStart(9)} ${fmt(a.preferenceCost, 2).padStart(12)}`,
    );
  }
  const trades = s.trades.filter((t) => t.power > 0);
  lines.push("", `${trades.length} trades carrying power`, "seller         buyer              power      price");
  for (const t of trades)
    lines.push(
      `${t.sellerId.padEnd(14)} ${t.buyerId.padEnd(14)} ${fmt(t.power).padStart(9)} ${fmt(t.price).padStart(10)}`,
    );
  if (o.dropped.length > 0) lines.push("", `dropped: ${o.dropped.map((d) => `${d.agentId} (${d.reason})`).join(", ")}`);
  return lines.join("\n") + "\n";
}
