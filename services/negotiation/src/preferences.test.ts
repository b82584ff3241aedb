import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { expandMarket, type Market, makePreference, parseMarketJson } from "@peermarket/model";
import { PeerPortfolio } from "./peer-portfolio.js";
import { type PartnerView, preferenceCost } from "./preferences.js";

const community: Market = parseMarketJson(
  readFileSync(new URL("../../../examples/community.json", import.meta.url), "utf8"),
  "community.json",
);

/** Every kind of preference: by partner (a grid agent too), by attribute value, × a numeric attribute, by distance, premiums. */
const market: Market = {
  ...community,
  preferences: [
    ...community.preferences,
    makePreference("homes-north", { partnerId: "grid_import", cost: 3.25 }),
    makePreference("homes-north", { partnerId: "pv-farm", cost: -1.5 }),
    makePreference("supermarket", { attributeKey: "technology", attributeValue: "solar", cost: -0.75, costPerKm: 0.5 }),
    makePreference("pv-school", { attributeKey: "co2_intensity", cost: 0.002 }),
    makePreference("battery", { costPerKm: 0.3 }),
    makePreference("chp-hospital", { cost: 0.125 }),
  ],
};

test("an agent's own preference costs equal the model's, bit for bit, on every trade", () => {
  const x = expandMarket(market);
  const views: PartnerView[] = x.agentIds.map((id) => {
    const a = market.agents.find((g) => g.id === id);
    return { id, attributes: a?.attributes ?? {}, location: a?.location ?? null };
  });
  const m = x.arrays;
  let nonZero = 0;
  for (let n = 0; n < m.nAgents; n++) {
    const prefs = market.preferences.filter((p) => p.agentId === x.agentIds[n]);
    for (let k = m.tradeStart[n]; k < m.tradeStart[n + 1]; k++) {
      const mine = preferenceCost(prefs, views[n], views[m.partner[k]]);
      assert.equal(mine, x.prefSell[k], `${x.agentIds[n]} with ${x.agentIds[m.partner[k]]}`);
      assert.equal(mine, x.prefBuy[k]);
      if (mine !== 0) nonZero++;
    }
  }
  assert.ok(nonZero > 20, `${nonZero} trades with a preference cost`);
});

test("a preference on a non-numeric attribute is refused by name", () => {
  const pref = makePreference("a", { attributeKey: "technology", cost: 2 });
  assert.throws(
    () => preferenceCost([pref], { id: "a", attributes: {} }, { id: "b", attributes: { technology: "solar" } }),
    /preference 0 of a: its cost on the trade with b is NaN \(is b's attribute "technology" a number\?\)/,
  );
});

test("a peer tells only its public data, and refuses terms that make its problem non-convex", () => {
  const battery = community.agents.find((a) => a.id === "battery")!;
  const peer = new PeerPortfolio([battery], [makePreference("battery", { partnerId: "homes-north", cost: -4 })]);
  const profile = peer.profiles()[0];
  assert.deepEqual(Object.keys(profile).sort(), [
    "attributes",
    "bus",
    "id",
    "location",
    "powerMax",
    "powerMin",
    "zone",
  ]);
  assert.throws(() => peer.answer({ epoch: 1, round: 1, rho: 1, agents: [] }), /terms are of epoch 0/);
  const welcome = {
    epoch: 1,
    marketName: "m",
    partners: [],
    dropped: [],
    agents: [
      {
        agentId: "battery",
        trades: [{ partnerId: "homes-north", tradeMin: -0.05, tradeMax: 0.05, chargeSell: 1, chargeBuy: 1 }],
      },
    ],
  };
  assert.throws(
    () => peer.welcome(welcome),
    /the trade of "battery" with "homes-north" has c⁺ \+ c⁻ = -6 < 0 and can go both ways/,
  );
  // One-way trades may carry a premium.
  const oneWay = {
    ...welcome,
    agents: [
      {
        agentId: "battery",
        trades: [{ partnerId: "homes-north", tradeMin: 0, tradeMax: 0.05, chargeSell: 1, chargeBuy: 1 }],
      },
    ],
  };
  assert.doesNotThrow(() => peer.welcome(oneWay));
  const proposal = peer.answer({
    epoch: 1,
    round: 1,
    rho: 2,
    agents: [{ agentId: "battery", targets: [0.01], prices: [40] }],
  });
  assert.equal(proposal.agents[0].trades.length, 1);
  assert.ok(proposal.agents[0].trades[0] >= 0 && proposal.agents[0].trades[0] <= 0.05);
  assert.throws(
    () => peer.welcome({ ...welcome, agents: [] }),
    /the coordinator's terms name .*, this portfolio holds battery/,
  );
});
