import { test } from "node:test";
import assert from "node:assert/strict";
import { makeGrid, makeAgent, makeMarket, type Market } from "@peermarket/model";
import { communityDemo } from "./demo-community.js";
import { startTestService } from "./test-support.js";

/**
 * Two homes with fixed loads of 1 MW and PV behind their meters over five hours; home-1 has a
 * 2 MWh battery (1 MW, efficiency 1, no initial charge, must end empty). The grid sells at 300 and
 * buys at 50 €/MWh. At midday the PV (3 MW) exceeds the loads (2 MW) by 1 MW: storing it for the
 * evening, when only the grid could serve home-1, saves 300 − 50 − 2 €/MWh, so the unique optimum
 * charges 1 MW in hours 1 and 2 and discharges 1 MW in hours 3 and 4.
 */
function tinyCommunity(): Market {
  const load = {
    costLinear: 500,
    powerMin: -0.001,
    powerMax: 0,
    powerMinProfile: [-1, -1, -1, -1, -1],
    powerMaxProfile: [-1, -1, -1, -1, -1],
  };
  return makeMarket({
    name: "tiny-community",
    horizon: { periods: 5, periodHours: 1, startTime: "2026-06-21T10:00:00+02:00" },
    agents: [
      makeAgent("home-1", {
        ...load,
        attributes: { type: "home", battery: "yes" },
        storage: {
          energyCapacity: 2,
          chargeMax: 1,
          dischargeMax: 1,
          chargeEfficiency: 1,
          dischargeEfficiency: 1,
          socInitial: 0,
          socMin: 0,
          throughputCost: 1,
        },
      }),
      makeAgent("pv-1", {
        costLinear: 1,
        costQuadratic: 0.1,
        powerMax: 2,
        powerMaxProfile: [0, 2, 2, 0, 0],
        attributes: { owner: "home-1" },
      }),
      makeAgent("home-2", { ...load, attributes: { type: "home" } }),
      makeAgent("pv-2", {
        costLinear: 1,
        costQuadratic: 0.1,
        powerMax: 1,
        powerMaxProfile: [0, 1, 1, 0, 0],
        attributes: { owner: "home-2" },
      }),
    ],
    grid: makeGrid({ bus: "", importPrice: 300, exportPrice: 50 }),
  });
}

test("the demo's community part clears a multi-period market over gRPC and prints the hourly summary, the battery's schedule and the bills", async () => {
  const svc = await startTestService({ workers: 1 });
  try {
    const lines: string[] = [];
    const s = await communityDemo(svc.client, tinyCommunity(), (t) => lines.push(...t.split("\n")), {
      eps: 1e-6,
      timeLimitS: 60,
      progressInterval: 10,
    });
    assert.equal(s.status, "SOLVE_STATUS_SOLVED", s.statusMessage);
    const text = lines.join("\n");
    assert.ok(lines.length <= 60, `${lines.length} lines`);
    assert.match(text, /Solution sol_\w+: SOLVED after \d+ iterations/);

    // The battery's schedule: the independent optimum of the docstring.
    const home1 = s.agents.find((a) => a.id === "home-1")!;
    const expect = { charge: [0, 1, 1, 0, 0], discharge: [0, 0, 0, 1, 1], soc: [0, 1, 2, 1, 0] };
    for (let t = 0; t < 5; t++) {
      assert.ok(Math.abs(home1.chargeProfile![t] - expect.charge[t]) < 1e-3, `charge ${t}: ${home1.chargeProfile}`);
      assert.ok(
        Math.abs(home1.dischargeProfile![t] - expect.discharge[t]) < 1e-3,
        `discharge ${t}: ${home1.dischargeProfile}`,
      );
      assert.ok(Math.abs(home1.socProfile![t] - expect.soc[t]) < 1e-3, `soc ${t}: ${home1.socProfile}`);
    }
    // …and as printed, hour by hour from the start time's clock (kWh).
    const row = (hour: string): string[] =>
      lines
        .find((l) => l.startsWith(hour))!
        .trim()
        .split(/\s+/);
    assert.deepEqual(row("11:00").slice(5, 7), ["1000.0", "0.0"]);
    assert.deepEqual(row("13:00").slice(5, 7), ["0.0", "1000.0"]);
    assert.equal(row("12:00")[7], "2000.0");
    assert.equal(lines.filter((l) => /^\d\d:00 /.test(l)).length, 5);

    // Both members, their trades and their bills: the printed sums are the solution's.
    assert.match(text, /Member home-1 \+ pv-1 \(battery and PV\)/);
    assert.match(text, /Member home-2 \+ pv-2 \(PV, no battery\)/);
    for (const [home, pv] of [
      ["home-1", "pv-1"],
      ["home-2", "pv-2"],
    ]) {
      const ours = s.agents.filter((a) => a.id === home || a.id === pv);
      const revenue = ours.reduce((x, a) => x + a.tradeRevenue, 0);
      const charges = ours.reduce((x, a) => x + a.networkCharge, 0);
      const storage = ours.reduce((x, a) => x + (a.storageCost ?? 0), 0);
      const at = lines.findIndex((l) => l.startsWith(`Member ${home}`));
      const bill = lines.slice(at).find((l) => l.includes("bill €"))!;
      assert.ok(bill.includes(`trade revenue ${revenue.toFixed(2)}`), bill);
      assert.ok(bill.includes(`storage cost ${storage.toFixed(2)}`), bill);
      const paid = charges + storage - revenue;
      assert.ok(bill.includes(`${paid >= 0 ? "pays" : "earns"} ${Math.abs(paid).toFixed(2)}`), bill);
    }
    // home-2 buys from the grid in the evening (1 MW in each of hours 3 and 4) and pv-1's surplus at midday.
    assert.match(text, /bought \d+\.\d kWh from 2 partner\(s\); largest: .*grid 1[34]:00 1000\.0 kWh @\d+/);
  } finally {
    await svc.stop();
  }
});
