import fc from "fast-check";
import type { SolverSettings } from "@peermarket/model";
import { validMarketArbitrary } from "./market-arbitrary.js";
import { encodeRequest } from "./proto-types.js";

/** A SolveMarketRequest object in proto-loader shape. */
export interface RequestObject {
  market: object;
  settings?: Partial<SolverSettings>;
}

/** Valid solver settings: some fields set, in range. */
export function settingsArbitrary(): fc.Arbitrary<Partial<SolverSettings>> {
  return fc.record(
    {
      rho: fc.double({ min: 1e-3, max: 1e3, noNaN: true }),
      epsAbs: fc.constantFrom(1e-8, 1e-6, 1e-4),
      epsRel: fc.constantFrom(1e-8, 1e-6, 1e-4),
      maxIter: fc.integer({ min: 1, max: 20_000 }),
      timeLimitS: fc.constantFrom(0.5, 1, 5),
      adaptiveRho: fc.boolean(),
      alpha: fc.double({ min: 0.1, max: 1.9, noNaN: true }),
      workers: fc.integer({ min: 0, max: 4 }),
      checkTermination: fc.integer({ min: 1, max: 25 }),
    },
    { requiredKeys: [] },
  );
}

/** Valid requests: a random valid market and valid settings. */
export function validRequestArbitrary(): fc.Arbitrary<RequestObject> {
  return fc.record({ market: validMarketArbitrary(), settings: settingsArbitrary() });
}

/** Values put in place of a number field. */
const NUMBER_POOL = [
  NaN,
  Infinity,
  -Infinity,
  -1,
  0,
  -0,
  1e308,
  -1e308,
  5e-324,
  1e12,
  -1e12,
  2 ** 31,
  2 ** 31 - 1,
  -(2 ** 31),
  0.5,
  3,
];
/** Values put in place of a string field. */
const STRING_POOL = [
  "",
  " ",
  "grid_import",
  "grid_export",
  "a0",
  "a1",
  "\u0000",
  "é\u0301",
  "𝔞𝔟",
  "\ud800",
  "x".repeat(10_000),
  "case14",
  "nope",
  "sol_00000000000000000000000000",
];
/** Settings fields and the values they are set to. */
const SETTING_FIELDS = [
  "rho",
  "epsAbs",
  "epsRel",
  "maxIter",
  "timeLimitS",
  "alpha",
  "workers",
  "checkTermination",
  "warmStartSolutionId",
] as const;

/** One change of a request object: a leaf replaced, an array item dropped or doubled, or a setting set. */
export interface FieldMutation {
  kind: "leaf" | "dropItem" | "doubleItem" | "setting";
  at: number;
  pick: number;
}

interface Leaf {
  parent: Record<string, unknown> | unknown[];
  key: string | number;
  value: unknown;
}

/** A number, string or boolean (null and undefined are unset fields, not values to replace). */
function isScalar(v: unknown): boolean {
  return typeof v === "number" || typeof v === "string" || typeof v === "boolean";
}

/** The scalar fields and the arrays of a request object. */
function leaves(v: unknown): { leaves: Leaf[]; arrays: unknown[][] } {
  const out: Leaf[] = [];
  const arrays: unknown[][] = [];
  const walk = (x: unknown): void => {
    if (Array.isArray(x)) {
      arrays.push(x);
      x.forEach((item, i) =>
        item !== null && typeof item === "object"
          ? walk(item)
          : isScalar(item) && out.push({ parent: x, key: i, value: item }),
      );
    } else if (x !== null && typeof x === "object") {
      for (const [k, item] of Object.entries(x)) {
        if (item !== null && typeof item === "object") walk(item);
        else if (isScalar(item)) out.push({ parent: x as Record<string, unknown>, key: k, value: item });
      }
    }
  };
  walk(v);
  return { leaves: out, arrays };
}

function replacement(value: unknown, pick: number): unknown {
  if (typeof value === "number") return NUMBER_POOL[pick % NUMBER_POOL.length];
  if (typeof value === "string") {
    // Enum fields hold names; put numbers (in and out of range) or other names there too.
    if (/^[A-Z_]+$/.test(value) && value.includes("_"))
      return [0, 1, 2, 3, 4, 5, 99, -1, "CHARGE_DESIGN_ZONAL", "TRADING_GRAPH_EXPLICIT"][pick % 10];
    return STRING_POOL[pick % STRING_POOL.length];
  }
  if (typeof value === "boolean") return !value;
  return NUMBER_POOL[pick % NUMBER_POOL.length];
}

/** Applies field mutations to a deep copy of a request. */
export function mutateRequest(request: RequestObject, mutations: readonly FieldMutation[]): RequestObject {
  const copy = structuredClone(request);
  for (const m of mutations) {
    const { leaves: all, arrays } = leaves(copy);
    if (m.kind === "setting") {
      const field = SETTING_FIELDS[m.at % SETTING_FIELDS.length];
      copy.settings ??= {};
      (copy.settings as Record<string, unknown>)[field] =
        field === "warmStartSolutionId"
          ? STRING_POOL[m.pick % STRING_POOL.length]
          : NUMBER_POOL[m.pick % NUMBER_POOL.length];
    } else if (m.kind === "leaf" && all.length > 0) {
      const leaf = all[m.at % all.length];
      (leaf.parent as Record<string | number, unknown>)[leaf.key] = replacement(leaf.value, m.pick);
    } else if (arrays.length > 0) {
      const arr = arrays[m.at % arrays.length];
      if (arr.length === 0) continue;
      const i = m.pick % arr.length;
      if (m.kind === "dropItem") arr.splice(i, 1);
      else arr.splice(i, 0, structuredClone(arr[i]));
    }
  }
  return copy;
}

/** One change of the encoded bytes. */
export interface ByteMutation {
  kind: "flip" | "set" | "insert" | "delete" | "truncate" | "duplicate";
  at: number;
  value: number;
  bytes: Uint8Array;
}

/** Applies a byte mutation. */
export function mutateBytes(b: Uint8Array, m: ByteMutation): Uint8Array {
  const n = b.length;
  const at = n === 0 ? 0 : m.at % n;
  switch (m.kind) {
    case "flip": {
      if (n === 0) return b;
      const out = b.slice();
      out[at] ^= 1 << (m.value % 8);
      return out;
    }
    case "set": {
      if (n === 0) return b;
      const out = b.slice();
      out[at] = m.value & 0xff;
      return out;
    }
    case "insert":
      return concat(b.subarray(0, at), m.bytes, b.subarray(at));
    case "delete":
      return concat(b.subarray(0, at), b.subarray(Math.min(n, at + 1 + (m.value % 16))));
    case "truncate":
      return b.slice(0, at);
    case "duplicate":
      return concat(b.subarray(0, at + 1 + (m.value % 32)), b.subarray(at));
  }
}

/** Protobuf varint of a non-negative integer. */
function varint(n: number): Uint8Array {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  out.push(n);
  return Uint8Array.from(out);
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** What is sent: random bytes, a valid request with damaged bytes, or a valid request with damaged fields. */
export type RequestInput =
  | { kind: "random"; bytes: Uint8Array }
  | { kind: "bytes"; request: RequestObject; mutations: ByteMutation[] }
  | { kind: "fields"; request: RequestObject; mutations: FieldMutation[] };

/** The payload of an input. */
export function payload(input: RequestInput): Uint8Array {
  if (input.kind === "random") return input.bytes;
  if (input.kind === "bytes") return input.mutations.reduce(mutateBytes, encodeRequest(input.request));
  return encodeRequest(mutateRequest(input.request, input.mutations));
}

/** Random byte strings (up to 4 KiB), and protobuf-looking ones (valid tags with random content). */
export function randomBytesArbitrary(): fc.Arbitrary<RequestInput> {
  return fc
    .oneof(
      fc.uint8Array({ maxLength: 4096 }),
      // Field 1 (market, length-delimited) or 2 (settings) around random bytes: gets past the first tag.
      fc
        .tuple(fc.constantFrom(0x0a, 0x12), fc.uint8Array({ maxLength: 300 }))
        .map(([tag, body]) => concat(Uint8Array.of(tag), varint(body.length), body)),
    )
    .map((bytes) => ({ kind: "random" as const, bytes }));
}

/** Valid requests damaged in their bytes (1–4 changes) or in their fields (1–4 changes). */
export function mutatedRequestArbitrary(): fc.Arbitrary<RequestInput> {
  const byteMutation = fc.record({
    kind: fc.constantFrom<ByteMutation["kind"]>("flip", "set", "insert", "delete", "truncate", "duplicate"),
    at: fc.nat(),
    value: fc.nat(),
    bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }),
  });
  const fieldMutation = fc.record({
    kind: fc.constantFrom<FieldMutation["kind"]>("leaf", "leaf", "leaf", "dropItem", "doubleItem", "setting"),
    at: fc.nat(),
    pick: fc.nat(),
  });
  return fc.oneof(
    fc.record({
      kind: fc.constant("bytes" as const),
      request: validRequestArbitrary(),
      mutations: fc.array(byteMutation, { minLength: 1, maxLength: 4 }),
    }),
    fc.record({
      kind: fc.constant("fields" as const),
      request: validRequestArbitrary(),
      mutations: fc.array(fieldMutation, { minLength: 1, maxLength: 4 }),
    }),
  );
}
