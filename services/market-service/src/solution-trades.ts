/**
 * The trades of an encoded peermarket.v1.Solution, read at the wire level (no decoding of the
 * whole message): a Solution of a market with millions of pairs is tens of megabytes, more than
 * one gRPC message may carry, and decoding it to objects would cost seconds and gigabytes.
 *
 * - `replySolution` makes what a reply can carry: the Solution as it is when it fits, else every
 *   field but the trades, then the trades that carry power (power > 0) in pair order as many as
 *   fit, and `trades_truncated = true` (field 25).
 * - `tradePage` pages through every trade entry (ListSolutionTrades).
 * - `solutionReplyEstimate` tells before solving whether the part of a Solution that is always
 *   sent (everything but the trades) will fit.
 */

/** Field numbers of peermarket.v1.Solution and peermarket.v1.Trade used here. */
const SOLUTION_TRADES = 9;
const SOLUTION_TRADES_TRUNCATED = 25;
const TRADE_POWER = 3;
/** Field number of trades in peermarket.v1.ListSolutionTradesResponse, and of the others. */
const PAGE_TRADES = 1;
const PAGE_NEXT_TOKEN = 2;
const PAGE_TOTAL = 3;

/** The bytes are not a well-formed Solution. */
export class SolutionWireError extends Error {
  constructor(message: string) {
    super(`stored solution: ${message}`);
    this.name = "SolutionWireError";
  }
}

/** Where the last readVarint stopped (module state: no allocation per field). */
let at = 0;

/** Reads a varint at `pos`; its end is left in `at`. */
function readVarint(b: Uint8Array, pos: number, end: number): number {
  let byte = pos < end ? b[pos++] : -1;
  if (byte < 0) throw new SolutionWireError("truncated varint");
  if (byte < 0x80) {
    at = pos;
    return byte;
  }
  let value = byte & 0x7f;
  let scale = 128;
  for (let i = 1; i < 10; i++) {
    if (pos >= end) throw new SolutionWireError("truncated varint");
    byte = b[pos++];
    value += (byte & 0x7f) * scale;
    if (byte < 0x80) {
      at = pos;
      return value;
    }
    scale *= 128;
  }
  throw new SolutionWireError("varint longer than 10 bytes");
}

function varintBytes(v: number): number[] {
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

/** One field: its number, wire type, where it starts (tag) and ends, where its payload starts. */
interface Field {
  number: number;
  wireType: number;
  start: number;
  payload: number;
  end: number;
}

/** Reads the field at `pos` into `f` (reused: no allocation per field); returns `f`. */
function nextField(b: Uint8Array, pos: number, end: number, f: Field): Field {
  f.start = pos;
  const tag = readVarint(b, pos, end);
  const p = at;
  f.number = Math.floor(tag / 8);
  f.wireType = tag % 8;
  f.payload = p;
  switch (f.wireType) {
    case 0:
      readVarint(b, p, end);
      f.end = at;
      break;
    case 1:
      f.end = p + 8;
      break;
    case 2: {
      const length = readVarint(b, p, end);
      f.payload = at;
      f.end = at + length;
      break;
    }
    case 5:
      f.end = p + 4;
      break;
    default:
      throw new SolutionWireError(`wire type ${f.wireType} of field ${f.number}`);
  }
  if (f.end > end) throw new SolutionWireError(`field ${f.number} runs past the end`);
  return f;
}

function newField(): Field {
  return { number: 0, wireType: 0, start: 0, payload: 0, end: 0 };
}

const powerBytes = new Uint8Array(8);
const powerView = new DataView(powerBytes.buffer);

/** The power of an encoded Trade (0 when unset). */
function tradePower(b: Uint8Array, start: number, end: number, f: Field): number {
  let power = 0;
  for (let pos = start; pos < end; ) {
    nextField(b, pos, end, f);
    if (f.number === TRADE_POWER && f.wireType === 1) {
      for (let i = 0; i < 8; i++) powerBytes[i] = b[f.payload + i];
      power = powerView.getFloat64(0, true);
    }
    pos = f.end;
  }
  return power;
}

/** The layout of an encoded Solution: where its trade entries are (tag to end), and its other fields. */
export interface SolutionLayout {
  /** Per trade entry: start (tag) and end, interleaved. */
  trades: Int32Array;
  tradeCount: number;
  /** Bytes of every field other than the trades (and trades_truncated). */
  otherBytes: number;
}

/** Walks the top level of an encoded Solution. */
export function solutionLayout(b: Uint8Array): SolutionLayout {
  let trades = new Int32Array(1024);
  let n = 0;
  let other = 0;
  const f = newField();
  for (let pos = 0; pos < b.length; ) {
    nextField(b, pos, b.length, f);
    if (f.number === SOLUTION_TRADES) {
      if (2 * n + 2 > trades.length) {
        const grown = new Int32Array(trades.length * 2);
        grown.set(trades);
        trades = grown;
      }
      trades[2 * n] = f.start;
      trades[2 * n + 1] = f.end;
      n++;
    } else if (f.number !== SOLUTION_TRADES_TRUNCATED) {
      other += f.end - f.start;
    }
    pos = f.end;
  }
  return { trades: trades.subarray(0, 2 * n), tradeCount: n, otherBytes: other };
}

/** Room kept below the message limit for gRPC's framing and the trades_truncated field. */
const REPLY_MARGIN = 1024;

/**
 * The Solution as a reply of at most `maxBytes` can carry it: unchanged when it fits; else every
 * field but the trades, the trades that carry power (power > 0) in pair order as many as fit, and
 * trades_truncated = true. `wrap` (bytes of an enclosing field header, e.g. SolveEvent.solution)
 * counts against the limit. Returns null when even the Solution without trades does not fit.
 */
export function replySolution(b: Uint8Array, maxBytes: number, wrap = 0): Uint8Array | null {
  if (b.length + wrap + 16 <= maxBytes) return b;
  const budget = maxBytes - REPLY_MARGIN - wrap;
  // Kept fields as (start, end) ranges, in order; trade ranges marked by a negative start − 1.
  let ranges = new Int32Array(4096);
  let n = 0;
  const keep = (start: number, end: number, trade: boolean): void => {
    if (2 * n + 2 > ranges.length) {
      const grown = new Int32Array(ranges.length * 2);
      grown.set(ranges);
      ranges = grown;
    }
    ranges[2 * n] = trade ? -start - 1 : start;
    ranges[2 * n + 1] = end;
    n++;
  };
  let size = 0;
  let full = false;
  const f = newField();
  const g = newField();
  for (let pos = 0; pos < b.length; ) {
    nextField(b, pos, b.length, f);
    pos = f.end;
    if (f.number === SOLUTION_TRADES_TRUNCATED) continue;
    if (f.number !== SOLUTION_TRADES) {
      keep(f.start, f.end, false);
      size += f.end - f.start;
      continue;
    }
    if (full) continue;
    if (!(tradePower(b, f.payload, f.end, g) > 0)) continue;
    if (size + (f.end - f.start) > budget) {
      full = true;
      continue;
    }
    keep(f.start, f.end, true);
    size += f.end - f.start;
  }
  // Fields after the trades count too: drop trades from the end until everything fits.
  for (let k = n - 1; k >= 0 && size > budget; k--) {
    if (ranges[2 * k] < 0) {
      size -= ranges[2 * k + 1] - (-ranges[2 * k] - 1);
      ranges[2 * k + 1] = -1;
    }
  }
  if (size > budget) return null;
  const flag = [...varintBytes(SOLUTION_TRADES_TRUNCATED * 8), 1];
  const out = Buffer.allocUnsafe(size + flag.length);
  let w = 0;
  for (let k = 0; k < n; k++) {
    const end = ranges[2 * k + 1];
    if (end < 0) continue;
    const start = ranges[2 * k] < 0 ? -ranges[2 * k] - 1 : ranges[2 * k];
    out.set(b.subarray(start, end), w);
    w += end - start;
  }
  out.set(flag, w);
  return out;
}

/** Default and largest ListSolutionTrades page sizes. */
export const DEFAULT_TRADE_PAGE = 10_000;
export const MAX_TRADE_PAGE = 100_000;

/**
 * One page of a Solution's trade entries, encoded as a peermarket.v1.ListSolutionTradesResponse:
 * the entries [first, first + pageSize) as they are stored, the next page token (from
 * `nextToken(first + count)`, empty on the last page) and the total. The page is cut short when
 * it would pass `maxBytes`.
 */
export function tradePage(
  b: Uint8Array,
  layout: SolutionLayout,
  first: number,
  pageSize: number,
  maxBytes: number,
  nextToken: (next: number) => string,
): Buffer {
  // A Solution's trade entry (field 9) becomes the response's field 1: same payload, new tag.
  const tagLength = varintBytes(SOLUTION_TRADES * 8 + 2).length;
  const budget = maxBytes - REPLY_MARGIN;
  let size = 0;
  let k = first;
  for (; k < layout.tradeCount && k < first + pageSize; k++) {
    const length = 1 + layout.trades[2 * k + 1] - layout.trades[2 * k] - tagLength;
    if (size + length > budget && k > first) break;
    size += length;
  }
  const token = k < layout.tradeCount ? Buffer.from(nextToken(k), "utf8") : null;
  const tokenHeader = token ? [PAGE_NEXT_TOKEN * 8 + 2, ...varintBytes(token.length)] : [];
  const total = layout.tradeCount > 0 ? [PAGE_TOTAL * 8, ...varintBytes(layout.tradeCount)] : [];
  const out = Buffer.allocUnsafe(size + tokenHeader.length + (token?.length ?? 0) + total.length);
  let w = 0;
  for (let q = first; q < k; q++) {
    const start = layout.trades[2 * q] + tagLength;
    const end = layout.trades[2 * q + 1];
    out[w++] = PAGE_TRADES * 8 + 2;
    out.set(b.subarray(start, end), w);
    w += end - start;
  }
  out.set(tokenHeader, w);
  w += tokenHeader.length;
  if (token) {
    out.set(token, w);
    w += token.length;
  }
  out.set(total, w);
  return out;
}

/**
 * Upper estimate of the encoded bytes of a Solution without its trades: ~100 bytes of fields,
 * and per agent its id and seven doubles with their tags (~80 bytes).
 */
export function solutionReplyEstimate(agentIdBytes: number, agents: number): number {
  return 512 + agentIdBytes + agents * 80;
}
