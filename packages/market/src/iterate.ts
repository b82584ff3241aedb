import type { ExpandedMarket } from "@peermarket/model";

/**
 * The part of a solution needed to warm-start another solve of the same market: per pair (in the
 * expanded market's pair order), the power from its first agent to its second and the price.
 */
export interface Iterate {
  /** `marketFingerprint` of the market: same agents and trading graph. */
  fingerprint: string;
  pairPower: Float64Array;
  pairPrice: Float64Array;
}

/** A warm start was asked from the iterate of a different market (other agents or trading graph). */
export class WarmStartMismatchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "WarmStartMismatchError";
  }
}

/** The iterate of a solution given per directed trade. */
export function iterateFromTrades(
  x: ExpandedMarket,
  fingerprint: string,
  trade: Float64Array,
  price: Float64Array,
): Iterate {
  const nPairs = x.pairFirst.length;
  const pairPower = new Float64Array(nPairs);
  const pairPrice = new Float64Array(nPairs);
  for (let p = 0; p < nPairs; p++) {
    pairPower[p] = trade[x.tradeOfFirst[p]];
    pairPrice[p] = price[x.tradeOfFirst[p]];
  }
  return { fingerprint, pairPower, pairPrice };
}

/** Per directed trade, the trades and prices of an iterate (for AdmmSolver.warmStart). */
export function iterateToTrades(x: ExpandedMarket, it: Iterate): { trade: Float64Array; price: Float64Array } {
  const nt = x.arrays.partner.length;
  const trade = new Float64Array(nt);
  const price = new Float64Array(nt);
  for (let p = 0; p < it.pairPower.length; p++) {
    trade[x.tradeOfFirst[p]] = it.pairPower[p];
    trade[x.tradeOfSecond[p]] = -it.pairPower[p];
    price[x.tradeOfFirst[p]] = it.pairPrice[p];
    price[x.tradeOfSecond[p]] = it.pairPrice[p];
  }
  return { trade, price };
}

const MAGIC = 0x504d4954; // "PMIT"
const VERSION = 1;

/**
 * Binary form of an iterate, for storage: magic, version, fingerprint length and UTF-8 bytes,
 * pair count, then the two Float64 arrays (little-endian).
 */
export function encodeIterate(it: Iterate): Buffer {
  const fp = Buffer.from(it.fingerprint, "utf8");
  const n = it.pairPower.length;
  const header = 16 + fp.length;
  const pad = (8 - (header % 8)) % 8;
  const buf = Buffer.alloc(header + pad + 16 * n);
  buf.writeUInt32LE(MAGIC, 0);
  buf.writeUInt32LE(VERSION, 4);
  buf.writeUInt32LE(fp.length, 8);
  fp.copy(buf, 12);
  buf.writeUInt32LE(n, 12 + fp.length);
  let o = header + pad;
  for (let i = 0; i < n; i++, o += 8) buf.writeDoubleLE(it.pairPower[i], o);
  for (let i = 0; i < n; i++, o += 8) buf.writeDoubleLE(it.pairPrice[i], o);
  return buf;
}

/** Reads `encodeIterate`'s output; throws on anything else. */
export function decodeIterate(bytes: Uint8Array): Iterate {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length < 16 || buf.readUInt32LE(0) !== MAGIC) throw new Error("not a stored iterate");
  if (buf.readUInt32LE(4) !== VERSION) throw new Error(`unsupported iterate version ${buf.readUInt32LE(4)}`);
  const fpLen = buf.readUInt32LE(8);
  if (12 + fpLen + 4 > buf.length) throw new Error("truncated iterate");
  const fingerprint = buf.toString("utf8", 12, 12 + fpLen);
  const n = buf.readUInt32LE(12 + fpLen);
  const header = 16 + fpLen;
  const pad = (8 - (header % 8)) % 8;
  if (buf.length !== header + pad + 16 * n) throw new Error("truncated iterate");
  const pairPower = new Float64Array(n);
  const pairPrice = new Float64Array(n);
  let o = header + pad;
  for (let i = 0; i < n; i++, o += 8) pairPower[i] = buf.readDoubleLE(o);
  for (let i = 0; i < n; i++, o += 8) pairPrice[i] = buf.readDoubleLE(o);
  return { fingerprint, pairPower, pairPrice };
}
