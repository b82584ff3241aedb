import protobuf from "protobufjs";
import { setOwn } from "./json-text.js";
import { hasPresence } from "./proto-json-read.js";
import { jsonName, realOneof } from "./proto-schema.js";

interface WriteField {
  field: protobuf.Field;
  /** proto3 JSON name, also the key of the object form. */
  name: string;
  /** Name of the real oneof the field is in, "" when none. */
  oneofName: string;
  /** Written even when it holds the default value. */
  presence: boolean;
  message: protobuf.Type | null;
  enumType: protobuf.Enum | null;
  /** `"name": `, the key as `writeMessageText` writes it. */
  key: string;
  /** A scalar written as the number's own text (not 64-bit, not an enum). */
  plainNumber: boolean;
  /** A string field (written as the quoted string). */
  plainString: boolean;
  /** The field's `map` and `repeated` (read once per field of every message written). */
  isMap: boolean;
  isRepeated: boolean;
  /** The last scalar value `writeMessageText` wrote for the field and its text (prices and ids repeat). */
  last: unknown;
  lastText: string;
  /** `{` or `,`, the line break and indentation, and the key: by 2 × depth (+ 1 after the first field). */
  leads: string[];
}

const layouts = new WeakMap<protobuf.Type, WriteField[]>();

function layout(type: protobuf.Type): WriteField[] {
  let l = layouts.get(type);
  if (!l) {
    l = type.fieldsArray.map((field) => {
      const oneof = realOneof(field);
      const rt = field.resolvedType;
      const name = jsonName(field.name, field.options);
      return {
        field,
        name,
        key: `${JSON.stringify(name)}: `,
        plainNumber: !(rt instanceof protobuf.Type) && !(rt instanceof protobuf.Enum) && !field.type.endsWith("64"),
        plainString: field.type === "string" && !field.map,
        isMap: field.map,
        isRepeated: field.repeated,
        last: undefined,
        lastText: "null",
        leads: [],
        oneofName: oneof ? jsonName(oneof.name) : "",
        presence: hasPresence(field) || rt instanceof protobuf.Type,
        message: rt instanceof protobuf.Type ? rt : null,
        enumType: rt instanceof protobuf.Enum ? rt : null,
      };
    });
    layouts.set(type, l);
  }
  return l;
}

/**
 * Writes a message in the object form (as `readMessage` or @grpc/proto-loader produce it) as
 * canonical proto3 JSON: lowerCamelCase names, default values left out (except fields with
 * explicit presence: `optional` scalars and oneof members), enums by name, non-finite numbers
 * as "Infinity", "-Infinity", "NaN", negative zero as "-0", 64-bit integers as strings.
 */
export function writeMessage(
  type: protobuf.Type,
  obj: Record<string, unknown>,
  options: WriteOptions = {},
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const all = options.emitDefaults === true;
  for (const w of layout(type)) {
    let v = obj[w.name];
    if ((v === undefined || v === null) && all && !w.presence && w.oneofName === "")
      v = w.isMap ? {} : w.isRepeated ? [] : defaultOf(w);
    if (v === undefined || v === null) continue;
    if (w.oneofName !== "") {
      const chosen = obj[w.oneofName];
      if (chosen !== undefined && chosen !== null && chosen !== w.name) continue;
    }
    if (w.isMap) {
      const entries = Object.entries(v as Record<string, unknown>);
      if (entries.length === 0 && !all) continue;
      const m: Record<string, unknown> = {};
      for (const [k, x] of entries) setOwn(m, k, writeSingle(w, x, options));
      out[w.name] = m;
    } else if (w.isRepeated) {
      const arr = v instanceof StreamedRows ? (v.toArray() as unknown[]) : (v as unknown[]);
      if (arr.length === 0 && !all) continue;
      out[w.name] = arr.map((x) => writeSingle(w, x, options));
    } else if (w.presence || all || !isDefault(w, v)) {
      out[w.name] = writeSingle(w, v, options);
    }
  }
  return out;
}

/**
 * A repeated message field given row by row instead of as an array, for lists too large to hold
 * as objects (a Solution's trades): `row(i)` for i = 0 … length − 1, asked in that order, returns
 * the message of row i in the object form. The writers read each row before asking for the next,
 * so `row` may fill and return the same object every time.
 */
export class StreamedRows<T extends object = Record<string, unknown>> {
  constructor(
    readonly length: number,
    readonly row: (i: number) => T,
  ) {}

  /** Every row as its own object (a shallow copy of each). */
  toArray(): T[] {
    const out = new Array<T>(this.length);
    for (let i = 0; i < this.length; i++) out[i] = { ...this.row(i) };
    return out;
  }
}

/** Options of writeMessage. */
export interface WriteOptions {
  /**
   * Write every field without presence even at its default value (0, "", false, the first enum
   * value, [] and {}), as protobuf's `always_print_fields_with_no_presence`: readers may then index
   * any field. Unset messages and unset `optional` fields stay out.
   */
  emitDefaults?: boolean;
}

/** The proto3 default of a singular scalar or enum field. */
function defaultOf(w: WriteField): unknown {
  if (w.message) return undefined;
  if (w.enumType) return w.enumType.valuesById[0];
  switch (w.field.type) {
    case "string":
      return "";
    case "bytes":
      return new Uint8Array(0);
    case "bool":
      return false;
    default:
      return 0;
  }
}

function isDefault(w: WriteField, v: unknown): boolean {
  if (w.enumType) return v === 0 || v === w.enumType.valuesById[0];
  if (typeof v === "number") return v === 0 && !Object.is(v, -0);
  if (typeof v === "string") return v === "";
  if (typeof v === "boolean") return v === false;
  if (v instanceof Uint8Array) return v.length === 0;
  return false;
}

function writeSingle(w: WriteField, v: unknown, options: WriteOptions = {}): unknown {
  if (w.message) return writeMessage(w.message, v as Record<string, unknown>, options);
  if (w.enumType) return typeof v === "number" ? (w.enumType.valuesById[v] ?? v) : v;
  if (v instanceof Uint8Array) return Buffer.from(v).toString("base64");
  if (typeof v === "number") {
    if (Number.isNaN(v)) return "NaN";
    if (v === Infinity) return "Infinity";
    if (v === -Infinity) return "-Infinity";
    if (Object.is(v, -0)) return "-0";
    if (w.field.type.endsWith("64")) return String(v);
  }
  return v;
}

/** Where `writeMessageText` sends its text, in chunks of about 64 KiB. */
export interface TextSink {
  write(chunk: string): void;
  /**
   * When present, the text comes here instead, as UTF-8 bytes in one buffer that the writer
   * fills again once the call returns (so the sink must be done with them by then, as a
   * synchronous file write is): no new buffer per chunk, as writing a string to a file descriptor
   * makes, so writing hundreds of megabytes of JSON leaves little garbage outside V8's heap.
   */
  writeBytes?(bytes: Uint8Array): void;
}

/** Spaces of each depth, with the line break before them. */
const BREAKS: string[] = [];
function lineBreak(depth: number): string {
  let s = BREAKS[depth];
  if (s === undefined) {
    s = `\n${"  ".repeat(depth)}`;
    BREAKS[depth] = s;
  }
  return s;
}

/** Collects text and hands it to a sink in large chunks. */
class ChunkedText {
  // The chunk so far, built by concatenation: V8 links the pieces (a rope) and copies them once,
  // when the chunk is written, about twice as fast as collecting them in an array to join.
  private text = "";
  /** With a byte sink (`TextSink.writeBytes`): the buffer each chunk's UTF-8 bytes go through. */
  readonly bytes: Buffer | null;
  /** Quoted form of repeated short strings (agent ids in trades). */
  readonly quoted = new Map<string, string>();
  /** The same as UTF-8 bytes, for rows written as bytes (`emitFlatRows`). */
  readonly quotedBytes = new Map<string, Uint8Array>();

  constructor(
    readonly sink: TextSink,
    private readonly chunk: number,
  ) {
    this.bytes = sink.writeBytes ? Buffer.allocUnsafe(4 * chunk) : null;
  }

  add(s: string): void {
    this.text += s;
    if (this.text.length >= this.chunk) this.flush();
  }

  flush(): void {
    const text = this.text;
    if (text.length === 0) return;
    this.text = "";
    const b = this.bytes;
    if (b === null) this.sink.write(text);
    // At most 3 bytes per UTF-16 unit: a chunk that may not fit gets its own buffer.
    else if (3 * text.length <= b.length) this.sink.writeBytes!(b.subarray(0, b.write(text, 0, "utf8")));
    else this.sink.writeBytes!(Buffer.from(text, "utf8"));
  }
}

/**
 * Writes a message as the text `JSON.stringify(writeMessage(type, obj, options), null, 2)` would
 * give, byte for byte, without building the JSON object or the whole text: the text goes to
 * `sink` in chunks of about `chunk` characters as it is produced. Memory stays that of one chunk
 * whatever the message's size (a Solution of a million trades is 180 MB of text).
 */
export function writeMessageText(
  type: protobuf.Type,
  obj: Record<string, unknown>,
  sink: TextSink,
  options: WriteOptions = {},
  chunk = 1 << 16,
): void {
  const out = new ChunkedText(sink, chunk);
  emitMessage(type, obj, options, out, 0);
  out.flush();
}

function emitMessage(
  type: protobuf.Type,
  obj: Record<string, unknown>,
  options: WriteOptions,
  out: ChunkedText,
  depth: number,
): void {
  emitFields(layout(type), obj, options, out, depth);
}

/** A message's fields, its layout given (looked up once for all the rows of a repeated field). */
function emitFields(
  fields: WriteField[],
  obj: Record<string, unknown>,
  options: WriteOptions,
  out: ChunkedText,
  depth: number,
): void {
  const all = options.emitDefaults === true;
  const inner = lineBreak(depth + 1);
  let first = true;
  for (let f = 0; f < fields.length; f++) {
    const w = fields[f];
    let v = obj[w.name];
    if ((v === undefined || v === null) && all && !w.presence && w.oneofName === "")
      v = w.isMap ? {} : w.isRepeated ? [] : defaultOf(w);
    if (v === undefined || v === null) continue;
    if (w.oneofName !== "") {
      const chosen = obj[w.oneofName];
      if (chosen !== undefined && chosen !== null && chosen !== w.name) continue;
    }
    if (w.isMap) {
      const entries = Object.entries(v as Record<string, unknown>);
      if (entries.length === 0 && !all) continue;
      out.add(lead(w, depth, first));
      first = false;
      emitMap(w, entries, options, out, depth + 1);
    } else if (w.isRepeated) {
      // An array, or rows produced one at a time (StreamedRows): the same text either way.
      const rows = v instanceof StreamedRows ? v : null;
      const arr = rows === null ? (v as unknown[]) : null;
      const n = rows === null ? arr!.length : rows.length;
      if (n === 0 && !all) continue;
      out.add(lead(w, depth, first));
      first = false;
      if (n === 0) {
        out.add("[]");
        continue;
      }
      const item = lineBreak(depth + 2);
      const firstItem = `[${item}`;
      const nextItem = `,${item}`;
      const rowFields = w.message ? layout(w.message) : null;
      const flat = rowFields !== null && out.bytes !== null ? flatRows(rowFields, depth + 2, all) : null;
      if (flat !== null && out.bytes!.length >= Math.max(FLAT_MIN_BUFFER, 2 * flat.fixed)) {
        out.flush();
        emitFlatRows(flat, rows, arr, n, options, out);
        out.add(`${inner}]`);
        continue;
      }
      for (let i = 0; i < n; i++) {
        out.add(i === 0 ? firstItem : nextItem);
        emitSingle(w, rows === null ? arr![i] : rows.row(i), options, out, depth + 2, rowFields);
      }
      out.add(`${inner}]`);
    } else if (w.presence || all || !isDefault(w, v)) {
      out.add(lead(w, depth, first));
      first = false;
      if (w.message) emitMessage(w.message, v as Record<string, unknown>, options, out, depth + 1);
      else out.add(scalarText(w, v, options, out));
    }
  }
  out.add(first ? "{}" : closing(depth));
}

/** A line break, the indentation of `depth` and `}`. */
const CLOSINGS: string[] = [];
function closing(depth: number): string {
  let s = CLOSINGS[depth];
  if (s === undefined) {
    s = `${lineBreak(depth)}}`;
    CLOSINGS[depth] = s;
  }
  return s;
}

/** The text before a field's value: `{` or `,`, a line break, the indentation and the key. */
function lead(w: WriteField, depth: number, first: boolean): string {
  const i = 2 * depth + (first ? 0 : 1);
  let s = w.leads[i];
  if (s === undefined) {
    s = `${first ? "{" : ","}${lineBreak(depth + 1)}${w.key}`;
    w.leads[i] = s;
  }
  return s;
}

function emitMap(
  w: WriteField,
  entries: [string, unknown][],
  options: WriteOptions,
  out: ChunkedText,
  depth: number,
): void {
  if (entries.length === 0) {
    out.add("{}");
    return;
  }
  const inner = lineBreak(depth + 1);
  for (let i = 0; i < entries.length; i++) {
    const [k, x] = entries[i];
    out.add(i === 0 ? `{${inner}` : `,${inner}`);
    out.add(`${JSON.stringify(k)}: `);
    emitSingle(w, x, options, out, depth + 1);
  }
  out.add(`${lineBreak(depth)}}`);
}

/**
 * Rows of a repeated message whose fields are all plain numbers or strings (a Solution's trades),
 * written as UTF-8 bytes straight into the byte sink's buffer: the same text as `emitFields` gives
 * each row, without building it as a string first. Each row's separator, keys and indentation are
 * encoded once (per layout and depth); ids are quoted and encoded once per write (up to
 * QUOTED_BYTES_MAX of them, kept by the write's ChunkedText, so freed with it); a number's
 * text is V8's, as `${v}`, its ASCII copied byte by byte. Anything else a field may hold (−0,
 * non-finite numbers, a value of another type) goes through `scalarText`, as in `emitFields`.
 */
interface FlatRows {
  fields: WriteField[];
  /** `[` or `,`, then the line break and indentation of a row. */
  firstItem: Uint8Array;
  nextItem: Uint8Array;
  /** Per field: what `lead` gives before its value as the row's first field written, and later. */
  leadFirst: Uint8Array[];
  leadNext: Uint8Array[];
  /** `closing(depth)`, and the text of a row without any field. */
  close: Uint8Array;
  empty: Uint8Array;
  /** Bytes a row may take besides its strings: separators, keys, and numbers (≤ 32 bytes each). */
  fixed: number;
}

/** Buffers smaller than this (tiny chunks), or than twice a row's `fixed` bytes, keep the string path. */
const FLAT_MIN_BUFFER = 1024;
/** Strings whose quoted bytes are kept for reuse. */
const QUOTED_BYTES_MAX = 1 << 16;
/** Longest text of a JavaScript number (`${v}`: at most 24 characters, e.g. -1.2345678901234567e-123). */
const NUMBER_TEXT_MAX = 32;

const flatCache = new WeakMap<WriteField[], Map<number, FlatRows | null>>();

/** The byte form of rows with these fields at `depth`, or null when a field is not a plain scalar. */
function flatRows(fields: WriteField[], depth: number, all: boolean): FlatRows | null {
  let byDepth = flatCache.get(fields);
  if (byDepth === undefined) {
    byDepth = new Map();
    flatCache.set(fields, byDepth);
  }
  const key = 2 * depth + (all ? 1 : 0);
  let f = byDepth.get(key);
  if (f !== undefined) return f;
  f = null;
  const plain = fields.every(
    (w) =>
      !w.isMap &&
      !w.isRepeated &&
      w.message === null &&
      w.enumType === null &&
      w.oneofName === "" &&
      !w.presence &&
      (w.plainNumber || w.plainString),
  );
  if (plain && fields.length > 0) {
    const enc = (x: string) => Buffer.from(x, "utf8");
    const item = lineBreak(depth);
    const leadFirst = fields.map((w) => enc(lead(w, depth, true)));
    const leadNext = fields.map((w) => enc(lead(w, depth, false)));
    const close = enc(closing(depth));
    f = {
      fields,
      firstItem: enc(`[${item}`),
      nextItem: enc(`,${item}`),
      leadFirst,
      leadNext,
      close,
      empty: enc("{}"),
      fixed: 2 + item.length + close.length + leadNext.reduce((t, l) => t + l.length + NUMBER_TEXT_MAX, 0),
    };
  }
  byDepth.set(key, f);
  return f;
}

/** Copies `src` into `b` at `at`; returns the end. */
function putBytes(b: Buffer, at: number, src: Uint8Array): number {
  const n = src.length;
  for (let i = 0; i < n; i++) b[at + i] = src[i];
  return at + n;
}

/** Writes the ASCII text `s` (a number's) into `b` at `at`; returns the end. */
function putAscii(b: Buffer, at: number, s: string): number {
  const n = s.length;
  for (let i = 0; i < n; i++) b[at + i] = s.charCodeAt(i);
  return at + n;
}

/** The rows of a repeated field (`rows`, or the array `arr`), as `emitFields` would write them. */
function emitFlatRows(
  f: FlatRows,
  rows: StreamedRows | null,
  arr: unknown[] | null,
  n: number,
  options: WriteOptions,
  out: ChunkedText,
): void {
  const b = out.bytes!;
  const sink = out.sink;
  const all = options.emitDefaults === true;
  const fields = f.fields;
  const nf = fields.length;
  const quoted = out.quotedBytes;
  const limit = b.length - f.fixed;
  let at = 0;
  for (let i = 0; i < n; i++) {
    if (at > limit) {
      sink.writeBytes!(b.subarray(0, at));
      at = 0;
    }
    const obj = (rows === null ? arr![i] : rows.row(i)) as Record<string, unknown>;
    at = putBytes(b, at, i === 0 ? f.firstItem : f.nextItem);
    let first = true;
    for (let j = 0; j < nf; j++) {
      const w = fields[j];
      let v = obj[w.name];
      if (v === undefined || v === null) {
        if (!all) continue;
        v = defaultOf(w);
      } else if (!all && isDefault(w, v)) continue;
      at = putBytes(b, at, first ? f.leadFirst[j] : f.leadNext[j]);
      first = false;
      if (typeof v === "number" && w.plainNumber && Number.isFinite(v) && !Object.is(v, -0)) {
        // The text of the field's last value is reused (prices and charges repeat).
        if (!Object.is(v, w.last)) {
          w.last = v;
          w.lastText = `${v}`;
        }
        at = putAscii(b, at, w.lastText);
        continue;
      }
      let q: Uint8Array | undefined;
      if (typeof v === "string" && w.plainString) {
        q = quoted.get(v);
        if (q === undefined) {
          q = Buffer.from(JSON.stringify(v), "utf8");
          if (quoted.size < QUOTED_BYTES_MAX && v.length <= 64) quoted.set(v, q);
        }
      } else q = Buffer.from(scalarText(w, v, options, out), "utf8");
      // Room for the string and what the row may still add; one that cannot fit goes on its own.
      if (at + q.length + f.fixed > b.length) {
        sink.writeBytes!(b.subarray(0, at));
        at = 0;
        if (q.length + f.fixed > b.length) {
          sink.writeBytes!(q);
          continue;
        }
      }
      at = putBytes(b, at, q);
    }
    at = putBytes(b, at, first ? f.empty : f.close);
  }
  if (at > 0) sink.writeBytes!(b.subarray(0, at));
}

/** One value of field w; `fields`: the layout of its message type, when the caller has it (rows). */
function emitSingle(
  w: WriteField,
  v: unknown,
  options: WriteOptions,
  out: ChunkedText,
  depth: number,
  fields: WriteField[] | null = w.message ? layout(w.message) : null,
): void {
  if (fields !== null) emitFields(fields, v as Record<string, unknown>, options, out, depth);
  else out.add(scalarText(w, v, options, out));
}

/** The JSON text of a scalar or enum value. */
function scalarText(w: WriteField, v: unknown, options: WriteOptions, out: ChunkedText): string {
  // The text of a scalar depends on the field and the value alone: the last one is reused.
  if (Object.is(v, w.last)) return w.lastText;
  const text = newScalarText(w, v, options, out);
  w.last = v;
  w.lastText = text;
  return text;
}

function newScalarText(w: WriteField, v: unknown, options: WriteOptions, out: ChunkedText): string {
  if (typeof v === "number" && w.plainNumber && Number.isFinite(v) && !Object.is(v, -0)) return `${v}`;
  const x = typeof v === "string" && w.plainString ? v : writeSingle(w, v, options);
  if (typeof x === "number") return `${x}`;
  if (typeof x === "string") {
    if (x.length > 64) return JSON.stringify(x);
    let q = out.quoted.get(x);
    if (q === undefined) {
      q = JSON.stringify(x);
      if (out.quoted.size < 1 << 16) out.quoted.set(x, q);
    }
    return q;
  }
  return JSON.stringify(x) ?? "null";
}
