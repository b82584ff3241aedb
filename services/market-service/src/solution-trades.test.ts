import { test } from "node:test";
import assert from "node:assert/strict";
import type { Solution, Trade } from "@peermarket/model";
import { messageCodec } from "./proto.js";
import { replySolution, solutionLayout, tradePage } from "./solution-trades.js";

const codec = messageCodec();

function solution(nTrades: number, carrying: (q: number) => boolean): Solution {
  const trades: Trade[] = [];
  for (let q = 0; q < nTrades; q++)
    trades.push({
      sellerId: `s${q % 97}`,
      buyerId: `b${q % 89}`,
      power: carrying(q) ? 1 + q / 7 : 0,
      price: 40 + (q % 13),
      networkCharge: q % 5,
    } as Trade);
  return {
    id: "sol_t",
    status: "SOLVE_STATUS_SOLVED",
    iterations: 12,
    agents: [{ id: "a", power: 3 } as Solution["agents"][number]],
    trades,
    networkRevenue: 7.5,
    unitFee: 2,
    statusMessage: "fine",
    marketName: "m",
    pairCount: nTrades,
  } as Solution;
}

test("a Solution that fits is replied as it is", () => {
  const blob = codec.encodeSolution(solution(50, () => true));
  assert.equal(replySolution(blob, blob.length + 1024), blob);
});

test("a Solution over the limit keeps every other field and the carrying trades that fit, in order", () => {
  const s = solution(5000, (q) => q % 3 === 0);
  const blob = codec.encodeSolution(s);
  for (const limit of [blob.length - 1, Math.floor(blob.length / 4), 4096]) {
    const reply = replySolution(blob, limit)!;
    assert.ok(reply.length <= limit, `${reply.length} > ${limit}`);
    const back = codec.decodeSolution(reply) as Solution & { tradesTruncated: boolean };
    assert.equal(back.tradesTruncated, true);
    // fields after the trades (network_revenue, unit_fee, status_message, ...) are all there
    assert.equal(back.networkRevenue, 7.5);
    assert.equal(back.unitFee, 2);
    assert.equal(back.statusMessage, "fine");
    assert.equal(back.pairCount, 5000);
    assert.deepEqual(
      back.agents.map((a) => a.id),
      ["a"],
    );
    const want = s.trades.filter((t) => t.power > 0);
    assert.ok(back.trades.length > 0 && back.trades.length <= want.length);
    back.trades.forEach((t, i) => {
      assert.equal(t.sellerId, want[i].sellerId);
      assert.equal(t.power, want[i].power);
      assert.equal(t.price, want[i].price);
    });
  }
  // nothing that fits without trades: null
  assert.equal(replySolution(blob, 64), null);
});

test("pages reassemble every trade, cut to the byte limit, with a token for the next one", () => {
  const s = solution(2345, (q) => q % 2 === 0);
  const blob = codec.encodeSolution(s);
  const layout = solutionLayout(blob);
  assert.equal(layout.tradeCount, 2345);
  const decode = (bytes: Buffer): { trades: Trade[]; next: number; total: number } => {
    // ListSolutionTradesResponse: 1 trades, 2 next_page_token, 3 total_size — decode the trades
    // through a Solution (same field 1 payload type would need the response type; re-tag as 9).
    const trades: Trade[] = [];
    let next = -1;
    let total = 0;
    for (let pos = 0; pos < bytes.length; ) {
      const tag = bytes[pos++];
      if (tag === 0x0a || tag === 0x12) {
        let len = 0;
        let shift = 1;
        for (;;) {
          const b = bytes[pos++];
          len += (b & 0x7f) * shift;
          shift *= 128;
          if (b < 0x80) break;
        }
        const payload = bytes.subarray(pos, pos + len);
        pos += len;
        if (tag === 0x0a)
          trades.push(codec.decodeSolution(Buffer.concat([Buffer.from([0x4a, ...varint(len)]), payload])).trades[0]);
        else next = Number(payload.toString("utf8"));
      } else if (tag === 0x18) {
        let v = 0;
        let shift = 1;
        for (;;) {
          const b = bytes[pos++];
          v += (b & 0x7f) * shift;
          shift *= 128;
          if (b < 0x80) break;
        }
        total = v;
      } else throw new Error(`unexpected tag ${tag}`);
    }
    return { trades, next, total };
  };
  const all: Trade[] = [];
  let first = 0;
  let pages = 0;
  while (first >= 0 && pages < 100) {
    const page = decode(tradePage(blob, layout, first, 1000, 16 * 1024, (k) => String(k)));
    assert.equal(page.total, 2345);
    assert.ok(page.trades.length > 0);
    all.push(...page.trades);
    first = page.next;
    pages++;
  }
  // 16 KiB pages hold fewer than 1000 trades: the byte limit cuts them
  assert.ok(pages > 3, `${pages} pages`);
  assert.equal(all.length, 2345);
  all.forEach((t, i) => {
    assert.equal(t.sellerId, s.trades[i].sellerId);
    assert.equal(t.power, s.trades[i].power);
  });
});

function varint(v: number): number[] {
  const out: number[] = [];
  for (;;) {
    if (v < 128) {
      out.push(v);
      return out;
    }
    out.push((v % 128) | 0x80);
    v = Math.floor(v / 128);
  }
}
