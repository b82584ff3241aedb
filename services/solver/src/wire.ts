/**
 * A reader of the protobuf wire format just deep enough to look at a SolveMarketRequest without
 * decoding its market: the event loop reads the settings, the progress interval, the market's name
 * and its number of agents, and hands the bytes as they are to a solver thread.
 */

/** The bytes are not a well-formed protobuf message. */
export class WireFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "WireFormatError";
  }
}

/** One top-level field: number, wire type, and where it starts and ends (tag included). */
interface Field {
  number: number;
  wireType: number;
  start: number;
  end: number;
  /** For length-delimited fields: the payload's bounds. */
  payloadStart: number;
}

function readVarint(bytes: Uint8Array, pos: number): [value: number, next: number] {
  let value = 0;
  let scale = 1;
  for (let i = 0; i < 10; i++) {
    if (pos >= bytes.length) throw new WireFormatError("truncated varint");
    const b = bytes[pos++];
    if (i < 7) value += (b & 0x7f) * scale;
    scale *= 128;
    if ((b & 0x80) === 0) return [value, pos];
  }
  throw new WireFormatError("varint longer than 10 bytes");
}

/** The top-level fields of a message, in order. @throws WireFormatError on malformed input. */
function fields(bytes: Uint8Array): Field[] {
  const out: Field[] = [];
  let pos = 0;
  while (pos < bytes.length) {
    const start = pos;
    const [tag, afterTag] = readVarint(bytes, pos);
    const number = Math.floor(tag / 8);
    const wireType = tag % 8;
    if (number === 0) throw new WireFormatError("field number 0");
    pos = afterTag;
    let payloadStart = pos;
    switch (wireType) {
      case 0:
        pos = readVarint(bytes, pos)[1];
        break;
      case 1:
        pos += 8;
        break;
      case 2: {
        const [length, next] = readVarint(bytes, pos);
        payloadStart = next;
        pos = next + length;
        break;
      }
      case 5:
        pos += 4;
        break;
      default:
        throw new WireFormatError(`unsupported wire type ${wireType} (field ${number})`);
    }
    if (pos > bytes.length) throw new WireFormatError(`field ${number} runs past the end of the message`);
    out.push({ number, wireType, start, end: pos, payloadStart });
  }
  return out;
}

/** What the event loop needs to know about a SolveMarketRequest before a solver thread decodes it. */
export interface RequestOutline {
  /** Whether the request has a market (field 1). */
  hasMarket: boolean;
  /** Market.name (empty when unset). */
  marketName: string;
  /** Number of Market.agents entries. */
  agentCount: number;
  /** The request without its market (settings and progress interval only), to decode cheaply. */
  withoutMarket: Uint8Array;
}

const MARKET = 1;
const MARKET_NAME = 1;
const MARKET_AGENTS = 2;

/**
 * Outlines an encoded peermarket.v1.SolveMarketRequest: whether it has a market, the market's name
 * and agent count, and the request's other fields. Repeated occurrences of the market field merge,
 * as in protobuf: the last name wins and agents add up.
 * @throws WireFormatError when the request or its market is not well-formed protobuf.
 */
export function outlineRequest(bytes: Uint8Array): RequestOutline {
  let hasMarket = false;
  let marketName = "";
  let agentCount = 0;
  const rest: Uint8Array[] = [];
  for (const f of fields(bytes)) {
    if (f.number !== MARKET) {
      rest.push(bytes.subarray(f.start, f.end));
      continue;
    }
    if (f.wireType !== 2) throw new WireFormatError(`market: wire type ${f.wireType}, expected a message`);
    hasMarket = true;
    const market = bytes.subarray(f.payloadStart, f.end);
    for (const m of fields(market)) {
      if (m.number === MARKET_NAME && m.wireType === 2) marketName = Buffer.from(market.buffer, market.byteOffset + m.payloadStart, m.end - m.payloadStart).toString("utf8");
      else if (m.number === MARKET_AGENTS) agentCount++;
    }
  }
  return { hasMarket, marketName, agentCount, withoutMarket: Buffer.concat(rest) };
}

/**
 * A length-delimited field holding already-encoded bytes: how a SolveEvent carrying a Solution
 * (field 2) is made from the encoded Solution without encoding it again.
 */
export function wrapField(fieldNumber: number, payload: Uint8Array): Buffer {
  const header: number[] = [];
  for (let v = fieldNumber * 8 + 2; ; v = Math.floor(v / 128)) {
    if (v < 128) {
      header.push(v);
      break;
    }
    header.push((v % 128) | 0x80);
  }
  for (let v = payload.byteLength; ; v = Math.floor(v / 128)) {
    if (v < 128) {
      header.push(v);
      break;
    }
    header.push((v % 128) | 0x80);
  }
  const out = Buffer.alloc(header.length + payload.byteLength);
  out.set(header, 0);
  out.set(payload, header.length);
  return out;
}
