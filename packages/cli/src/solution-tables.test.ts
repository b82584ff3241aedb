import assert from "node:assert/strict";
import { test } from "node:test";
import type { Solution } from "@peermarket/model";
import { tradesTable } from "./solution-tables.js";

test("the trades table of a market with hundreds of thousands of active pairs (its price range included)", () => {
  // 300 000 trades: more arguments than a spread into Math.min/Math.max can take (the stack
  // overflowed there on a 1 420-agent market).
  const n = 300_000;
  const trades = Array.from({ length: n }, (_, i) => ({
    sellerId: `s${i}`,
    buyerId: `b${i}`,
    power: 1 + (i % 7),
    price: 40 + (i % 1000) / 100,
    networkCharge: 0,
  }));
  const out = tradesTable({ trades } as unknown as Solution, 1e-6, 3);
  assert.match(out, /… and 299997 more trades/);
  const volume = trades.reduce((v, t) => v + t.power, 0);
  assert.match(
    out,
    new RegExp(`300000 of 300000 pairs trade ${volume} MW in total; prices from 40 to 49\\.9900 €/MWh`),
  );
});
