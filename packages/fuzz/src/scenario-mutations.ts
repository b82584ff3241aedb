import fc from "fast-check";
import { type JNode, type Slot, cloneTree, fromValue, replaceAt, slots, toText } from "./json-tree.js";

/** The ways a scenario is damaged; each takes its target node, a choice and a text from the mutation. */
export const MUTATION_OPS = [
  "delete",
  "duplicate",
  "flipType",
  "special",
  "unicode",
  "renameKey",
  "nest",
  "copy",
  "enum",
  "empty",
  "repeat",
  "numbersAsStrings",
] as const;

/** One mutation: an operation, where (an index into the document's nodes, modulo their number), a choice and a text. */
export interface Mutation {
  op: (typeof MUTATION_OPS)[number];
  at: number;
  pick: number;
  text: string;
}

/** A change of the final text: cut it, insert a text, or add a prefix or suffix. */
export interface TextMutation {
  kind: "truncate" | "insert" | "prefix" | "suffix";
  at: number;
  text: string;
}

/** Values of another type than the one in place. */
const OTHER_TYPES: JNode[] = [
  { t: "null" },
  { t: "bool", v: true },
  { t: "bool", v: false },
  { t: "num", raw: "0" },
  { t: "num", raw: "42.5" },
  { t: "str", v: "" },
  { t: "str", v: "abc" },
  { t: "str", v: "1e3" },
  { t: "arr", items: [] },
  { t: "arr", items: [{ t: "num", raw: "1" }] },
  { t: "obj", entries: [] },
  { t: "obj", entries: [["id", { t: "str", v: "x" }]] },
];

/** Number tokens and strings at the edges of what proto3 JSON and doubles allow. */
const SPECIAL_NUMBERS: JNode[] = [
  { t: "str", v: "NaN" },
  { t: "str", v: "Infinity" },
  { t: "str", v: "-Infinity" },
  { t: "str", v: "nan" },
  { t: "str", v: "inf" },
  { t: "str", v: "1e400" },
  { t: "str", v: " 12" },
  { t: "str", v: "0x10" },
  { t: "str", v: "1_000" },
  { t: "num", raw: "1e308" },
  { t: "num", raw: "1e309" },
  { t: "num", raw: "-1e400" },
  { t: "num", raw: "1e-400" },
  { t: "num", raw: "-0" },
  { t: "num", raw: "4.9e-324" },
  { t: "num", raw: "123456789012345678901234567890" },
  { t: "num", raw: "2147483648" },
  { t: "num", raw: "-2147483649" },
  { t: "num", raw: "9007199254740993" },
  { t: "num", raw: "0.1e999999" },
  { t: "num", raw: "1e12" },
  { t: "num", raw: "-1e12" },
  { t: "num", raw: "1e-12" },
];

/** Enum-like values: right names in the wrong field, numbers in and out of range, wrong case. */
const ENUM_VALUES: JNode[] = [
  { t: "str", v: "TRADING_GRAPH_EXPLICIT" },
  { t: "str", v: "TRADING_GRAPH_COMPLETE" },
  { t: "str", v: "TRADING_GRAPH_UNSPECIFIED" },
  { t: "str", v: "CHARGE_DESIGN_ZONAL" },
  { t: "str", v: "CHARGE_DESIGN_ELECTRICAL_DISTANCE" },
  { t: "str", v: "CHARGE_DESIGN_UNIFORM" },
  { t: "str", v: "charge_design_none" },
  { t: "num", raw: "2" },
  { t: "num", raw: "4" },
  { t: "num", raw: "99" },
  { t: "num", raw: "-1" },
  { t: "num", raw: "2.5" },
  { t: "str", v: "2" },
];

/** Field names of peermarket.v1 messages (both spellings) and a few traps, for renamed keys and generated objects. */
export const FIELD_NAMES = [
  "name",
  "agents",
  "tradingGraph",
  "trading_graph",
  "pairs",
  "preferences",
  "network",
  "charges",
  "grid",
  "id",
  "bus",
  "zone",
  "costQuadratic",
  "cost_quadratic",
  "costLinear",
  "cost_linear",
  "powerMin",
  "power_min",
  "powerMax",
  "power_max",
  "location",
  "xKm",
  "x_km",
  "yKm",
  "attributes",
  "agentId",
  "agent_id",
  "partnerId",
  "partner_id",
  "attributeKey",
  "attributeValue",
  "cost",
  "costPerKm",
  "cost_per_km",
  "matpower",
  "bundledCase",
  "bundled_case",
  "design",
  "unitFee",
  "unit_fee",
  "sellerShare",
  "targetRevenue",
  "target_revenue",
  "zoneDistances",
  "zoneA",
  "zoneB",
  "distance",
  "importPrice",
  "exportPrice",
  "importMax",
  "export_max",
  "@type",
  "__proto__",
  "constructor",
  "",
  "Agents",
  "powermin",
];

function dropAt(slot: Slot): void {
  const p = slot.parent;
  if (p?.t === "arr") p.items.splice(slot.index, 1);
  else if (p?.t === "obj") p.entries.splice(slot.index, 1);
}

function duplicateAt(slot: Slot): void {
  const p = slot.parent;
  if (p?.t === "arr") p.items.splice(slot.index, 0, cloneTree(slot.node));
  else if (p?.t === "obj") p.entries.splice(slot.index, 0, [p.entries[slot.index][0], cloneTree(slot.node)]);
}

/** `depth` levels of arrays or single-key objects around a node. */
function nest(node: JNode, depth: number, asObject: boolean): JNode {
  let out = node;
  for (let i = 0; i < depth; i++)
    out = asObject ? { t: "obj", entries: [["agents", out]] } : { t: "arr", items: [out] };
  return out;
}

/** Every number of a tree written as a string ("0.5"), as proto3 JSON allows. */
function numbersAsStrings(root: JNode): void {
  for (const s of slots(root)) if (s.node.t === "num") replaceAt(root, s, { t: "str", v: s.node.raw });
}

/** Nesting depths tried: shallow, around common recursion limits, and deep. */
const NEST_DEPTHS = [1, 2, 5, 32, 100, 1000, 10_000, 100_000];

/** Most nodes a mutated document may have: a mutation that would grow it beyond is skipped. */
export const MAX_NODES = 200_000;

/** Applies one mutation to a tree in place; returns the (possibly new) root. */
export function applyMutation(root: JNode, m: Mutation): JNode {
  const all = slots(root);
  const slot = all[m.at % all.length];
  const pick = <T>(list: readonly T[]): T => list[m.pick % list.length];
  const fits = (added: number): boolean => all.length + added <= MAX_NODES;
  switch (m.op) {
    case "delete":
      dropAt(slot);
      return root;
    case "duplicate":
      if (fits(slots(slot.node).length)) duplicateAt(slot);
      return root;
    case "flipType":
      return replaceAt(root, slot, cloneTree(pick(OTHER_TYPES)));
    case "special":
      return replaceAt(root, slot, cloneTree(pick(SPECIAL_NUMBERS)));
    case "unicode":
      if (slot.parent?.t === "obj" && m.pick % 2 === 0) {
        slot.parent.entries[slot.index][0] = m.text;
        return root;
      }
      return replaceAt(root, slot, { t: "str", v: m.text });
    case "renameKey":
      if (slot.parent?.t === "obj") slot.parent.entries[slot.index][0] = pick(FIELD_NAMES);
      return root;
    case "nest": {
      const depth = pick(NEST_DEPTHS);
      return fits(depth) ? replaceAt(root, slot, nest(slot.node, depth, m.text.length % 2 === 1)) : root;
    }
    case "copy": {
      const source = all[m.pick % all.length].node;
      return fits(slots(source).length) ? replaceAt(root, slot, cloneTree(source)) : root;
    }
    case "enum":
      return replaceAt(root, slot, cloneTree(pick(ENUM_VALUES)));
    case "empty":
      return replaceAt(root, slot, m.pick % 2 === 0 ? { t: "arr", items: [] } : { t: "obj", entries: [] });
    case "repeat": {
      // An array of copies of a node (3, 50 or 300: a complete graph of 300 agents is 45 000 pairs).
      const n = [3, 50, 300][m.pick % 3];
      const size = slots(slot.node).length;
      return fits((n - 1) * size)
        ? replaceAt(root, slot, { t: "arr", items: Array.from({ length: n }, () => cloneTree(slot.node)) })
        : root;
    }
    case "numbersAsStrings":
      numbersAsStrings(root);
      return root;
  }
}

/** Applies a text mutation. */
export function applyTextMutation(text: string, m: TextMutation): string {
  const at = text.length === 0 ? 0 : m.at % (text.length + 1);
  switch (m.kind) {
    case "truncate":
      return text.slice(0, at);
    case "insert":
      return text.slice(0, at) + m.text + text.slice(at);
    case "prefix":
      return m.text + text;
    case "suffix":
      return text + m.text;
  }
}

/** Mutations: 1–4 tree mutations with any text (full unicode, lone surrogates included). */
export function mutationArbitrary(): fc.Arbitrary<Mutation> {
  return fc.record({
    op: fc.constantFrom(...MUTATION_OPS),
    at: fc.nat(),
    pick: fc.nat(),
    text: fc.oneof(
      fc.string({ unit: "binary", maxLength: 12 }),
      fc.string({ unit: "grapheme", maxLength: 12 }),
      fc.constantFrom("grid_import", "a0", "", " ", "\u0000", "\ud800", "𝔞"),
    ),
  });
}

/** Text mutations: cuts, inserted characters (brackets, quotes, commas, a BOM, ...), garbage around. */
export function textMutationArbitrary(): fc.Arbitrary<TextMutation> {
  return fc.record({
    kind: fc.constantFrom<TextMutation["kind"]>("truncate", "insert", "prefix", "suffix"),
    at: fc.nat(),
    text: fc.oneof(
      fc.constantFrom("{", "}", "[", "]", ",", ":", '"', "\\", "\ufeff", "//", "/*", "\n", "null", "1e", "-", "\\u12"),
      fc.string({ unit: "binary", maxLength: 6 }),
    ),
  });
}

/** A scenario (as a JSON-compatible value) damaged by tree mutations and, sometimes, text mutations. */
export interface MutatedScenario {
  base: unknown;
  mutations: Mutation[];
  textMutations: TextMutation[];
}

/** The text of a mutated scenario. */
export function mutatedText(s: MutatedScenario): string {
  let root = fromValue(s.base);
  for (const m of s.mutations) root = applyMutation(root, m);
  let text = toText(root);
  for (const t of s.textMutations) text = applyTextMutation(text, t);
  return text;
}

/** Mutated scenarios from base scenarios: 1–4 tree mutations and, in about one input in four, 1–2 text mutations. */
export function mutatedScenarioArbitrary(bases: fc.Arbitrary<unknown>): fc.Arbitrary<MutatedScenario> {
  return fc.record({
    base: bases,
    mutations: fc.array(mutationArbitrary(), { minLength: 1, maxLength: 4 }),
    textMutations: fc.oneof(
      { weight: 3, arbitrary: fc.constant([] as TextMutation[]) },
      { weight: 1, arbitrary: fc.array(textMutationArbitrary(), { minLength: 1, maxLength: 2 }) },
    ),
  });
}
