import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { StreamedRows, writeMessage, writeMessageText } from "./proto-json-write.js";
import { peermarketType } from "./proto-schema.js";
import { parseMarketJson, toProtoJson } from "./scenario-json.js";
import type { Trade } from "./types.js";

const SOLUTION = peermarketType("Solution");

/** Trades with what the writer must get right: non-ASCII and escaped ids, −0, non-finite numbers, idle pairs. */
function trades(n: number): Trade[] {
  const ids = ["a", "b", "ünïcode-€", 'q"uote\\d', "long-identifier-of-an-agent-0001", "😀"];
  return Array.from({ length: n }, (_, i) => ({
    sellerId: ids[i % ids.length],
    buyerId: ids[(i * 7 + 1) % ids.length],
    power: i % 5 === 0 ? 0 : i % 11 === 0 ? -0 : i / 3,
    price: i % 13 === 0 ? Number.NaN : i % 17 === 0 ? Infinity : 50 + (i % 4) * 0.1,
    networkCharge: i % 3 === 0 ? 0 : 1e-7 * i,
    period: i % 2,
  }));
}

function solution(list: Trade[] | StreamedRows<Trade>): Record<string, unknown> {
  return {
    id: "s",
    status: "SOLVE_STATUS_SOLVED",
    iterations: 3,
    agents: [{ id: "a", power: 2 }],
    trades: list,
    pairCount: 9,
    marketName: "m",
  };
}

/** The rows of `list`, each produced into the same object, as a row source does. */
function rowsOf(list: Trade[]): StreamedRows<Trade> {
  const scratch = { ...list[0] };
  return new StreamedRows(list.length, (i) => Object.assign(scratch, list[i]));
}

function text(message: Record<string, unknown>, chunk: number, bytes: boolean): { text: string; chunks: number } {
  let out = "";
  let chunks = 0;
  const parts: Buffer[] = [];
  writeMessageText(
    SOLUTION,
    message,
    bytes
      ? {
          write: (c) => {
            parts.push(Buffer.from(c, "utf8"));
            chunks++;
          },
          // The buffer is reused after the call: copy it.
          writeBytes: (b) => {
            assert.ok(b.length > 0, "no empty chunk");
            parts.push(Buffer.from(b));
            chunks++;
          },
        }
      : {
          write: (c) => {
            out += c;
            chunks++;
          },
        },
    { emitDefaults: true },
    chunk,
  );
  return { text: bytes ? Buffer.concat(parts).toString("utf8") : out, chunks };
}

describe("repeated fields given as StreamedRows, and byte sinks", () => {
  for (const n of [0, 1, 7, 500]) {
    it(`${n} trades: rows, arrays, string and byte sinks all give JSON.stringify(writeMessage(…), null, 2)`, () => {
      const list = trades(n);
      const expected = JSON.stringify(writeMessage(SOLUTION, solution(list), { emitDefaults: true }), null, 2);
      // The reference also from the public toProtoJson (arrays).
      assert.equal(expected, JSON.stringify(toProtoJson("Solution", solution(list), { emitDefaults: true }), null, 2));
      for (const chunk of [16, 1000, 1 << 16]) {
        for (const bytes of [false, true]) {
          const fromArray = text(solution(list), chunk, bytes);
          const fromRows = text(solution(rowsOf(list)), chunk, bytes);
          assert.equal(fromArray.text, expected, `array, chunk ${chunk}, bytes ${bytes}`);
          assert.equal(fromRows.text, expected, `rows, chunk ${chunk}, bytes ${bytes}`);
          if (n === 500 && chunk === 1000) assert.ok(fromRows.chunks > 10, "written in chunks");
        }
      }
      // The object form of rows is the list.
      assert.deepEqual(writeMessage(SOLUTION, solution(rowsOf(list))), writeMessage(SOLUTION, solution(list)));
      assert.deepEqual(rowsOf(list).toArray(), list);
    });
  }

  it("rows written as bytes: ids longer than the buffer, −0 after 0, and rows of defaults without emitDefaults", () => {
    const long = `${"é".repeat(2500)}-${"x".repeat(3000)}`;
    const list: Trade[] = [
      { sellerId: "a", buyerId: long, power: 0, price: -0, networkCharge: 0, period: 0 },
      { sellerId: long, buyerId: "b", power: -0, price: 0, networkCharge: -0, period: 1 },
      { sellerId: "", buyerId: "", power: 0, price: 0, networkCharge: 0, period: 0 },
      { sellerId: "c", buyerId: "€", power: 1.5, price: Number.NaN, networkCharge: -Infinity, period: 0 },
      { sellerId: long, buyerId: long, power: 2.5e-300, price: 1e21, networkCharge: 0.1 + 0.2, period: 2 },
    ];
    for (const emitDefaults of [true, false]) {
      const message = solution(list);
      const expected = JSON.stringify(writeMessage(SOLUTION, message, { emitDefaults }), null, 2);
      for (const chunk of [300, 1000, 1 << 16]) {
        for (const source of [list, rowsOf(list)]) {
          const parts: Buffer[] = [];
          writeMessageText(
            SOLUTION,
            solution(source),
            { write: (c) => parts.push(Buffer.from(c, "utf8")), writeBytes: (b) => parts.push(Buffer.from(b)) },
            { emitDefaults },
            chunk,
          );
          assert.equal(Buffer.concat(parts).toString("utf8"), expected, `chunk ${chunk}, emitDefaults ${emitDefaults}`);
        }
      }
    }
  });

  it("a string longer than the chunk goes to a byte sink whole, in order", () => {
    const long = `x${"é".repeat(3000)}`;
    const message = { ...solution([]), marketName: long, statusMessage: "after" };
    const expected = JSON.stringify(writeMessage(SOLUTION, message, { emitDefaults: true }), null, 2);
    assert.equal(text(message, 64, true).text, expected);
  });
});

describe("the one-pass reader's long strings", () => {
  it("are the text's values (those of 13 characters and more are copied out of the text)", () => {
    const ids = ["a", "twelve-chars", "thirteen-char", "a-much-longer-identifier-than-that", "éèê-thirteen!"];
    const text = JSON.stringify({
      name: "a market with a long name",
      agents: ids.map((id) => ({ id, powerMax: 1 })),
      pairs: [{ agentId: ids[3], partnerId: ids[4] }],
      tradingGraph: "TRADING_GRAPH_EXPLICIT",
    });
    const m = parseMarketJson(text, "m.json");
    assert.equal(m.name, "a market with a long name");
    assert.deepEqual(
      m.agents.map((a) => a.id),
      ids,
    );
    assert.equal(m.pairs[0].agentId, ids[3]);
    assert.equal(m.pairs[0].partnerId, ids[4]);
  });
});
