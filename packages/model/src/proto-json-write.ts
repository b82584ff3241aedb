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
}

const layouts = new WeakMap<protobuf.Type, WriteField[]>();

function layout(type: protobuf.Type): WriteField[] {
  let l = layouts.get(type);
  if (!l) {
    l = type.fieldsArray.map((field) => {
      const oneof = realOneof(field);
      const rt = field.resolvedType;
      return {
        field,
        name: jsonName(field.name, field.options),
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
      v = w.field.map ? {} : w.field.repeated ? [] : defaultOf(w);
    if (v === undefined || v === null) continue;
    if (w.oneofName !== "") {
      const chosen = obj[w.oneofName];
      if (chosen !== undefined && chosen !== null && chosen !== w.name) continue;
    }
    if (w.field.map) {
      const entries = Object.entries(v as Record<string, unknown>);
      if (entries.length === 0 && !all) continue;
      const m: Record<string, unknown> = {};
      for (const [k, x] of entries) setOwn(m, k, writeSingle(w, x, options));
      out[w.name] = m;
    } else if (w.field.repeated) {
      const arr = v as unknown[];
      if (arr.length === 0 && !all) continue;
      out[w.name] = arr.map((x) => writeSingle(w, x, options));
    } else if (w.presence || all || !isDefault(w, v)) {
      out[w.name] = writeSingle(w, v, options);
    }
  }
  return out;
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
