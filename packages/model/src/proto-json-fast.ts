import protobuf from "protobufjs";
import { setOwn } from "./json-text.js";
import { type FieldInfo, INT_RANGES, NUMBER_STRING, type TypeInfo, typeInfo } from "./proto-json-read.js";

/**
 * A one-pass reader of proto3 JSON text straight into the object form of a message: the same
 * result as `readMessage(type, parseJsonText(text))` for the documents it accepts, without the
 * intermediate JSON tree. It gives up (returns undefined) at anything it does not handle or that
 * is an error — a syntax error, an unknown field, a wrong type, a duplicate key, two members of a
 * oneof, bytes, enums by number, integers as strings, map keys other than strings — and the
 * caller then reads the text with the reference path, which reports the error with its path,
 * line and column (or reads the rare valid form). Short strings are interned: the agent ids
 * repeated by a list of a million pairs are held once.
 */
export function readMessageText(type: protobuf.Type, text: string): Record<string, unknown> | undefined {
  const r = new FastReader(text);
  try {
    r.space();
    const out = r.message(type);
    r.space();
    return r.pos === text.length ? out : undefined;
  } catch {
    // GIVE_UP, or a stack overflow on absurdly nested input: the reference path reports it.
    return undefined;
  }
}

const GIVE_UP = Symbol("give up");

/** How a field's values are read. */
const Kind = { Message: 0, Enum: 1, Float: 2, Bool: 3, String: 4, Integer: 5, Unsupported: 6 } as const;
type Kind = (typeof Kind)[keyof typeof Kind];

interface FastField {
  info: FieldInfo;
  kind: Kind;
  map: boolean;
  repeated: boolean;
  message: protobuf.Type | null;
  enumType: protobuf.Enum | null;
  lo: number;
  hi: number;
}

interface FastType {
  fields: FastField[];
  /** TradePair with exactly agentId and partnerId: its list elements are read by `pair`. */
  pair: boolean;
  /** The key that followed field i − 1 last time (index 0: the first key): tried first, without slicing. */
  nextKey: (string | undefined)[];
  byName: Map<string, FastField>;
  defaults: () => Record<string, unknown>;
}

const fastTypes = new WeakMap<protobuf.Type, FastType>();

function fastType(type: protobuf.Type): FastType {
  let t = fastTypes.get(type);
  if (t) return t;
  const info = typeInfo(type);
  const fields = info.fields.map((f): FastField => {
    const field = f.field;
    const rt = field.resolvedType;
    const map = field.map;
    const keyOk = !map || (field as unknown as protobuf.MapField).keyType === "string";
    let kind: Kind;
    if (rt instanceof protobuf.Type) kind = Kind.Message;
    else if (rt instanceof protobuf.Enum) kind = Kind.Enum;
    else if (field.type === "double" || field.type === "float") kind = Kind.Float;
    else if (field.type === "bool") kind = Kind.Bool;
    else if (field.type === "string") kind = Kind.String;
    else if (field.type in INT_RANGES) kind = Kind.Integer;
    else kind = Kind.Unsupported;
    if (!keyOk) kind = Kind.Unsupported;
    const range = INT_RANGES[field.type] ?? [0, 0];
    return {
      info: f,
      kind,
      map,
      repeated: field.repeated && !map,
      message: rt instanceof protobuf.Type ? rt : null,
      enumType: rt instanceof protobuf.Enum ? rt : null,
      lo: range[0],
      hi: range[1],
    };
  });
  const byName = new Map<string, FastField>();
  for (const [name, f] of info.byName) byName.set(name, fields[f.index]);
  // The defaults as a template to copy (fast), plus the fields whose default must be a new object each time.
  const template = info.defaults();
  const fresh = Object.keys(template).filter((k) => typeof template[k] === "object");
  const defaults =
    fresh.length === 0
      ? () => ({ ...template })
      : () => {
          const out = { ...template };
          for (const k of fresh)
            out[k] = Array.isArray(template[k]) ? [] : template[k] instanceof Uint8Array ? new Uint8Array(0) : {};
          return out;
        };
  const compact = COMPACT[type.fullName]?.(info);
  t = {
    fields,
    pair: compact !== undefined && type.fullName === ".peermarket.v1.TradePair",
    nextKey: new Array<string | undefined>(fields.length + 1),
    byName,
    defaults: compact ?? defaults,
  };
  fastTypes.set(type, t);
  return t;
}

/**
 * Object literals for the messages a scenario holds by the million (the pairs of an explicit
 * graph): exactly their fields in-object, 40 bytes instead of the 56 of an object grown key by key.
 * Used only while the schema has exactly these fields.
 */
const COMPACT: Record<string, (info: TypeInfo) => (() => Record<string, unknown>) | undefined> = {
  ".peermarket.v1.TradePair": (info) =>
    info.fields.map((f) => f.name).join() === "agentId,partnerId" &&
    info.fields.every((f) => f.field.type === "string" && !f.field.repeated && !f.oneof)
      ? () => ({ agentId: "", partnerId: "" })
      : undefined,
};

const SIMPLE_ESCAPES: Record<string, string> = {
  '"': '"',
  "\\": "\\",
  "/": "/",
  b: "\b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
};

/** Strings up to this length are interned. */
const INTERN_MAX = 48;

class FastReader {
  pos = 0;
  private readonly interned = new Map<string, string>();

  constructor(private readonly text: string) {
    if (text.charCodeAt(0) === 0xfeff) this.pos = 1;
  }

  space(): void {
    const t = this.text;
    let p = this.pos;
    for (;;) {
      const c = t.charCodeAt(p);
      if (c === 32 || c === 10 || c === 13 || c === 9) p++;
      else break;
    }
    this.pos = p;
  }

  private expect(c: number): void {
    if (this.text.charCodeAt(this.pos) !== c) throw GIVE_UP;
    this.pos++;
  }

  message(type: protobuf.Type): Record<string, unknown> {
    const ft = fastType(type);
    if (ft.fields.length > 30) throw GIVE_UP;
    this.expect(123); // {
    const out = ft.defaults();
    let seen = 0;
    let oneofs: protobuf.OneOf[] | undefined;
    this.space();
    if (this.text.charCodeAt(this.pos) === 125) {
      this.pos++;
      return out;
    }
    let previous = 0;
    for (;;) {
      const key = this.key(ft.nextKey[previous]);
      const f = ft.byName.get(key);
      if (f === undefined) throw GIVE_UP;
      ft.nextKey[previous] = key;
      previous = f.info.index + 1;
      const bit = 1 << f.info.index;
      if ((seen & bit) !== 0) throw GIVE_UP;
      seen |= bit;
      this.space();
      this.expect(58); // :
      this.space();
      if (this.text.charCodeAt(this.pos) === 110) {
        this.literal("null");
      } else {
        const { oneof } = f.info;
        if (oneof) {
          oneofs ??= [];
          if (oneofs.includes(oneof)) throw GIVE_UP;
          oneofs.push(oneof);
          out[f.info.oneofName] = f.info.name;
        }
        out[f.info.name] = f.map ? this.map(f) : f.repeated ? this.list(f) : this.single(f);
      }
      this.space();
      const c = this.text.charCodeAt(this.pos++);
      if (c === 44) {
        this.space();
        continue;
      }
      if (c === 125) return out;
      throw GIVE_UP;
    }
  }

  /** A key, compared in place with `hint` (a field name: no escapes) before it is read as a string. */
  private key(hint: string | undefined): string {
    const t = this.text;
    const p = this.pos;
    if (
      hint !== undefined &&
      t.charCodeAt(p) === 34 &&
      t.charCodeAt(p + 1 + hint.length) === 34 &&
      t.startsWith(hint, p + 1)
    ) {
      this.pos = p + 2 + hint.length;
      return hint;
    }
    return this.string();
  }

  private list(f: FastField): unknown[] {
    this.expect(91); // [
    const out: unknown[] = [];
    this.space();
    if (this.text.charCodeAt(this.pos) === 93) {
      this.pos++;
      return out;
    }
    const pairs = f.message !== null && fastType(f.message).pair;
    for (;;) {
      out.push(pairs ? this.pair(f.message!) : this.single(f));
      this.space();
      const c = this.text.charCodeAt(this.pos++);
      if (c === 44) {
        this.space();
        continue;
      }
      if (c === 93) return out;
      throw GIVE_UP;
    }
  }

  /**
   * A TradePair written `{"agentId": "…", "partnerId": "…"}` (any spacing), as written by the
   * thousand; any other form (other order, snake_case, null) is read by `message`.
   */
  private pair(type: protobuf.Type): Record<string, unknown> {
    const start = this.pos;
    try {
      this.expect(123);
      this.space();
      if (this.key("agentId") === "agentId") {
        this.space();
        this.expect(58);
        this.space();
        const agentId = this.string();
        this.space();
        this.expect(44);
        this.space();
        if (this.key("partnerId") === "partnerId") {
          this.space();
          this.expect(58);
          this.space();
          const partnerId = this.string();
          this.space();
          if (this.text.charCodeAt(this.pos) === 125) {
            this.pos++;
            return { agentId, partnerId };
          }
        }
      }
    } catch (e) {
      if (e !== GIVE_UP) throw e;
    }
    this.pos = start;
    return this.message(type);
  }

  private map(f: FastField): Record<string, unknown> {
    this.expect(123);
    const out: Record<string, unknown> = {};
    this.space();
    if (this.text.charCodeAt(this.pos) === 125) {
      this.pos++;
      return out;
    }
    for (;;) {
      const key = this.string();
      if (Object.hasOwn(out, key)) throw GIVE_UP;
      this.space();
      this.expect(58);
      this.space();
      setOwn(out, key, this.single(f));
      this.space();
      const c = this.text.charCodeAt(this.pos++);
      if (c === 44) {
        this.space();
        continue;
      }
      if (c === 125) return out;
      throw GIVE_UP;
    }
  }

  /** A value of a singular field, a list element or a map value (null is not allowed here). */
  private single(f: FastField): unknown {
    const c = this.text.charCodeAt(this.pos);
    switch (f.kind) {
      case Kind.Message:
        return this.message(f.message!);
      case Kind.String:
        if (c !== 34) throw GIVE_UP;
        return this.string();
      case Kind.Float:
        if (c === 34) {
          const s = this.string();
          if (s === "Infinity") return Infinity;
          if (s === "-Infinity") return -Infinity;
          if (s === "NaN") return NaN;
          if (NUMBER_STRING.test(s)) return Number(s);
          throw GIVE_UP;
        }
        return this.number();
      case Kind.Integer: {
        const n = this.number();
        if (!Number.isInteger(n) || n < f.lo || n > f.hi) throw GIVE_UP;
        return n;
      }
      case Kind.Bool:
        if (c === 116) {
          this.literal("true");
          return true;
        }
        if (c === 102) {
          this.literal("false");
          return false;
        }
        throw GIVE_UP;
      case Kind.Enum: {
        if (c !== 34) throw GIVE_UP;
        const s = this.string();
        if (!Object.hasOwn(f.enumType!.values, s)) throw GIVE_UP;
        return s;
      }
      default:
        throw GIVE_UP;
    }
  }

  private literal(word: string): void {
    if (!this.text.startsWith(word, this.pos)) throw GIVE_UP;
    this.pos += word.length;
  }

  /** A JSON number, strictly by RFC 8259's grammar. */
  private number(): number {
    const t = this.text;
    const start = this.pos;
    let p = start;
    let c = t.charCodeAt(p);
    if (c === 45) c = t.charCodeAt(++p); // -
    if (c === 48)
      c = t.charCodeAt(++p); // 0
    else if (c >= 49 && c <= 57) {
      do c = t.charCodeAt(++p);
      while (c >= 48 && c <= 57);
    } else throw GIVE_UP;
    if (c === 46) {
      c = t.charCodeAt(++p);
      if (!(c >= 48 && c <= 57)) throw GIVE_UP;
      do c = t.charCodeAt(++p);
      while (c >= 48 && c <= 57);
    }
    if (c === 101 || c === 69) {
      c = t.charCodeAt(++p);
      if (c === 43 || c === 45) c = t.charCodeAt(++p);
      if (!(c >= 48 && c <= 57)) throw GIVE_UP;
      do c = t.charCodeAt(++p);
      while (c >= 48 && c <= 57);
    }
    if (c >= 48 && c <= 57) throw GIVE_UP; // a leading zero
    this.pos = p;
    return Number(t.slice(start, p));
  }

  /** A JSON string (at its opening quote); short ones interned. */
  private string(): string {
    const t = this.text;
    if (t.charCodeAt(this.pos) !== 34) throw GIVE_UP;
    const start = ++this.pos;
    let p = start;
    for (;;) {
      const c = t.charCodeAt(p);
      if (c === 34) break;
      if (c === 92) return this.escapedString(start);
      if (c < 0x20 || Number.isNaN(c)) throw GIVE_UP;
      p++;
    }
    this.pos = p + 1;
    // V8 makes a slice of 13 characters or more a view that keeps the whole text alive (a
    // scenario of millions of pairs is tens of megabytes): such strings get their own copy.
    const s = p - start < 13 ? t.slice(start, p) : ` ${t.slice(start, p)}`.slice(1);
    return p - start <= INTERN_MAX ? this.intern(s) : s;
  }

  private intern(s: string): string {
    const known = this.interned.get(s);
    if (known !== undefined) return known;
    this.interned.set(s, s);
    return s;
  }

  private escapedString(start: number): string {
    const t = this.text;
    let out = "";
    let chunk = start;
    let p = start;
    for (;;) {
      const c = t.charCodeAt(p);
      if (c === 34) {
        out += t.slice(chunk, p);
        this.pos = p + 1;
        return out.length <= INTERN_MAX ? this.intern(out) : out;
      }
      if (c < 0x20 || Number.isNaN(c)) throw GIVE_UP;
      if (c !== 92) {
        p++;
        continue;
      }
      out += t.slice(chunk, p);
      const e = t[p + 1];
      const simple = e === undefined ? undefined : SIMPLE_ESCAPES[e];
      if (simple !== undefined && Object.hasOwn(SIMPLE_ESCAPES, e)) {
        out += simple;
        p += 2;
      } else if (e === "u") {
        const hex = t.slice(p + 2, p + 6);
        if (!/^[0-9A-Fa-f]{4}$/.test(hex)) throw GIVE_UP;
        out += String.fromCharCode(parseInt(hex, 16));
        p += 6;
      } else throw GIVE_UP;
      chunk = p;
    }
  }
}
