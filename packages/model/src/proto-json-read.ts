import protobuf from "protobufjs";
import { setOwn, type JsonPathSegment, type JsonValue } from "./json-text.js";
import { isProto3Optional, jsonName, realOneof } from "./proto-schema.js";

/** An error at a path of the JSON document, before it is placed in the source text. */
export class ProtoJsonError extends Error {
  constructor(
    readonly detail: string,
    readonly segments: JsonPathSegment[],
  ) {
    super(detail);
    this.name = "ProtoJsonError";
  }
}

/** `agents[3].powerMin` from ["agents", 3, "powerMin"]. */
export function formatJsonPath(segments: readonly JsonPathSegment[]): string {
  let out = "";
  for (const s of segments) {
    if (typeof s === "number") out += `[${s}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(s)) out += out === "" ? s : `.${s}`;
    else out += `[${JSON.stringify(s)}]`;
  }
  return out;
}

/** Describes a JSON value for an error message: `"abc"`, `true`, `an object`, `null`. */
export function describeJson(v: JsonValue | undefined): string {
  if (v === undefined) return "nothing";
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  if (typeof v === "object") return "an object";
  if (typeof v === "string") return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  return String(v);
}

/** A step of the path being read, kept as a linked list so nothing is allocated unless an error is thrown. */
type Path = { parent: Path; seg: JsonPathSegment } | null;

function segments(path: Path): JsonPathSegment[] {
  const out: JsonPathSegment[] = [];
  for (let p = path; p; p = p.parent) out.push(p.seg);
  return out.reverse();
}

function fail(detail: string, path: Path): never {
  throw new ProtoJsonError(detail, segments(path));
}

export interface FieldInfo {
  field: protobuf.Field;
  /** Position in the type's fields, for duplicate detection. */
  index: number;
  /** proto3 JSON name, the key of the object form. */
  name: string;
  oneof: protobuf.OneOf | null;
  oneofName: string;
}

export interface TypeInfo {
  fields: FieldInfo[];
  /** Both the original and the JSON name of every field. */
  byName: Map<string, FieldInfo>;
  /** Makes the object with the proto3 defaults of the fields without presence. */
  defaults: () => Record<string, unknown>;
  fieldList: string;
}

const infos = new WeakMap<protobuf.Type, TypeInfo>();

export function typeInfo(type: protobuf.Type): TypeInfo {
  let t = infos.get(type);
  if (t) return t;
  const fields = type.fieldsArray.map((field, index): FieldInfo => {
    const oneof = realOneof(field);
    return {
      field,
      index,
      name: jsonName(field.name, field.options),
      oneof,
      oneofName: oneof ? jsonName(oneof.name) : "",
    };
  });
  const byName = new Map<string, FieldInfo>();
  for (const f of fields) {
    byName.set(f.field.name, f);
    byName.set(f.name, f);
  }
  const scalarDefaults: [string, unknown][] = [];
  const maps: string[] = [];
  const lists: string[] = [];
  for (const { field, name } of fields) {
    if (field.map) maps.push(name);
    else if (field.repeated) lists.push(name);
    else if (field.partOf) continue;
    else if (field.resolvedType instanceof protobuf.Enum) scalarDefaults.push([name, enumDefault(field.resolvedType)]);
    else if (!field.resolvedType) scalarDefaults.push([name, scalarDefault(field.type)]);
  }
  const defaults = () => {
    const out: Record<string, unknown> = {};
    for (const [name, v] of scalarDefaults) out[name] = v instanceof Uint8Array ? new Uint8Array(0) : v;
    for (const name of maps) out[name] = {};
    for (const name of lists) out[name] = [];
    return out;
  };
  t = { fields, byName, defaults, fieldList: fields.map((f) => f.name).join(", ") };
  infos.set(type, t);
  return t;
}

/**
 * Reads a proto3 JSON value as a message of `type`, in the object form of @grpc/proto-loader
 * (lowerCamelCase keys, enums by name, 64-bit integers as numbers, proto3 defaults filled in,
 * `optional` scalars and unset sub-messages left out, a oneof's set member named by the oneof).
 * Strict: unknown fields, wrong types, unknown enum values and two members of one oneof throw
 * a ProtoJsonError naming the path.
 */
export function readMessage(
  type: protobuf.Type,
  value: JsonValue,
  path: JsonPathSegment[] = [],
): Record<string, unknown> {
  let p: Path = null;
  for (const seg of path) p = { parent: p, seg };
  return readObject(type, value, p);
}

function readObject(type: protobuf.Type, value: JsonValue, path: Path): Record<string, unknown> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    fail(`expected an object (message ${type.name}), got ${describeJson(value)}`, path);
  }
  const info = typeInfo(type);
  const out = info.defaults();
  let seen: (string | undefined)[] | undefined;
  let oneofSet: Map<protobuf.OneOf, FieldInfo> | undefined;
  for (const key of Object.keys(value)) {
    const v = value[key];
    const f = info.byName.get(key);
    const at: Path = { parent: path, seg: key };
    if (!f) fail(`unknown field (message ${type.name} has ${info.fieldList})`, at);
    seen ??= new Array<string | undefined>(info.fields.length);
    const earlier = seen[f.index];
    if (earlier !== undefined) fail(`field given twice, as "${earlier}" and as "${key}"`, at);
    seen[f.index] = key;
    if (v === null) continue; // proto3 JSON: null means the default value.
    if (f.oneof) {
      oneofSet ??= new Map();
      if (oneofSet.has(f.oneof)) {
        const members = f.oneof.fieldsArray.map((m) => jsonName(m.name, m.options)).join(", ");
        fail(`only one of ${members} may be set`, path);
      }
      oneofSet.set(f.oneof, f);
      out[f.oneofName] = f.name;
    }
    const field = f.field;
    if (field.map) out[f.name] = readMap(field as unknown as protobuf.MapField, v, at);
    else if (field.repeated) out[f.name] = readRepeated(field, v, at);
    else out[f.name] = readSingle(field, v, at);
  }
  return out;
}

function readRepeated(f: protobuf.Field, v: JsonValue, at: Path): unknown[] {
  if (!Array.isArray(v)) fail(`expected an array, got ${describeJson(v)}`, at);
  const out = new Array<unknown>(v.length);
  for (let i = 0; i < v.length; i++) {
    if (v[i] === null) fail("null is not allowed in a repeated field", { parent: at, seg: i });
    out[i] = readSingle(f, v[i], { parent: at, seg: i });
  }
  return out;
}

function readMap(f: protobuf.MapField, v: JsonValue, at: Path): Record<string, unknown> {
  if (v === null || typeof v !== "object" || Array.isArray(v)) {
    fail(`expected an object (map<${f.keyType}, ${f.type}>), got ${describeJson(v)}`, at);
  }
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(v)) {
    const kat: Path = { parent: at, seg: key };
    checkMapKey(f.keyType, key, kat);
    if (v[key] === null) fail("null is not allowed as a map value", kat);
    setOwn(out, key, readSingle(f, v[key], kat));
  }
  return out;
}

function checkMapKey(keyType: string, key: string, at: Path): void {
  if (keyType === "string") return;
  if (keyType === "bool") {
    if (key !== "true" && key !== "false") fail(`map key must be "true" or "false", got ${JSON.stringify(key)}`, at);
    return;
  }
  readInteger(keyType, key, at);
}

function readSingle(f: protobuf.FieldBase, v: JsonValue, at: Path): unknown {
  const rt = f.resolvedType;
  if (rt instanceof protobuf.Type) return readObject(rt, v, at);
  if (rt instanceof protobuf.Enum) return readEnum(rt, v, at);
  return readScalar(f.type, v, at);
}

function readEnum(e: protobuf.Enum, v: JsonValue, at: Path): string {
  if (typeof v === "string") {
    if (Object.hasOwn(e.values, v)) return v;
  } else if (typeof v === "number") {
    const name = Number.isInteger(v) ? e.valuesById[v] : undefined;
    if (name !== undefined) return name;
  } else {
    fail(`expected an enum name (${Object.keys(e.values).join(", ")}) or number, got ${describeJson(v)}`, at);
  }
  fail(`unknown enum value ${describeJson(v)} (${e.name} has ${Object.keys(e.values).join(", ")})`, at);
}

export const NUMBER_STRING = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?$/;

function readFloat(v: JsonValue, at: Path): number {
  if (typeof v === "number") return v;
  if (typeof v === "string") {
    if (v === "Infinity") return Infinity;
    if (v === "-Infinity") return -Infinity;
    if (v === "NaN") return NaN;
    if (NUMBER_STRING.test(v)) return Number(v);
  }
  fail(`expected a number, got ${describeJson(v)}`, at);
}

export const INT_RANGES: Record<string, [number, number]> = {
  int32: [-(2 ** 31), 2 ** 31 - 1],
  sint32: [-(2 ** 31), 2 ** 31 - 1],
  sfixed32: [-(2 ** 31), 2 ** 31 - 1],
  uint32: [0, 2 ** 32 - 1],
  fixed32: [0, 2 ** 32 - 1],
  int64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  sint64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  sfixed64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  uint64: [0, Number.MAX_SAFE_INTEGER],
  fixed64: [0, Number.MAX_SAFE_INTEGER],
};

function readInteger(type: string, v: JsonValue, at: Path): number {
  let n: number | undefined;
  if (typeof v === "number") n = v;
  else if (typeof v === "string" && NUMBER_STRING.test(v)) n = Number(v);
  if (n === undefined || !Number.isInteger(n)) fail(`expected an integer (${type}), got ${describeJson(v)}`, at);
  const [lo, hi] = INT_RANGES[type];
  if (n < lo || n > hi) fail(`${describeJson(v)} is out of range for ${type} [${lo}, ${hi}]`, at);
  return n;
}

function readScalar(type: string, v: JsonValue, at: Path): unknown {
  switch (type) {
    case "double":
    case "float":
      return readFloat(v, at);
    case "bool":
      if (typeof v === "boolean") return v;
      return fail(`expected true or false, got ${describeJson(v)}`, at);
    case "string":
      if (typeof v === "string") return v;
      return fail(`expected a string, got ${describeJson(v)}`, at);
    case "bytes":
      if (typeof v === "string" && /^[A-Za-z0-9+/_-]*={0,2}$/.test(v)) return new Uint8Array(Buffer.from(v, "base64"));
      return fail(`expected base64 bytes, got ${describeJson(v)}`, at);
    default:
      if (type in INT_RANGES) return readInteger(type, v, at);
      fail(`unsupported field type ${type}`, at);
  }
}

/** The proto3 default of a scalar type in the object form: 0, "", false, or empty bytes. */
export function scalarDefault(type: string): unknown {
  if (type === "string") return "";
  if (type === "bool") return false;
  if (type === "bytes") return new Uint8Array(0);
  return 0;
}

/** The name of an enum's zero value (proto3 default). */
export function enumDefault(e: protobuf.Enum): string {
  return e.valuesById[0] ?? Object.keys(e.values)[0];
}

/** Whether a field has explicit presence: proto3 `optional`, or a member of a real oneof. */
export function hasPresence(f: protobuf.Field): boolean {
  return isProto3Optional(f) || realOneof(f) !== null;
}
