import fc from "fast-check";
import { readBundledCase } from "@peermarket/model";

/** Ways a MATPOWER text is damaged. */
export const MATPOWER_OPS = [
  "deleteLine",
  "duplicateLine",
  "swapLines",
  "replaceNumber",
  "insertText",
  "insertLine",
  "truncate",
  "deleteRange",
] as const;

/** One text mutation: an operation, two choices and a text. */
export interface MatpowerMutation {
  op: (typeof MATPOWER_OPS)[number];
  a: number;
  b: number;
  text: string;
}

/** Tokens put in place of a number. */
const NUMBER_TOKENS = [
  "NaN",
  "Inf",
  "-Inf",
  "1e400",
  "1e-400",
  "-0",
  "abc",
  "",
  "1..2",
  "0x1F",
  "--1",
  "1e",
  "+",
  "3i",
  "[",
  "]",
  ";",
  "'",
  "%",
  "2^1024",
  "1/0",
  "1e308*10",
  "4.9e-324",
  "9007199254740993",
  "pi",
  "-",
  "...",
  "1,,2",
];

/** Lines inserted: statements MATPOWER files contain, and ones that must be refused. */
const LINES = [
  "mpc.bus(2, 3) = 5;",
  "mpc.foo = 'x';",
  "x = 1/0;",
  "function mpc = case_fuzz",
  "mpc.baseMVA = 0;",
  "mpc.baseMVA = -100;",
  "mpc.version = '3';",
  "mpc.version = 2;",
  "...",
  "%{",
  "mpc.gen = [];",
  "mpc.bus = [];",
  "mpc.gencost = [2 0 0 3 0.01 40 0];",
  "mpc.bus(:, 3) = mpc.bus(:, 3) / 1e3;",
  "Vbase = mpc.bus(1, 10) * 1e3;",
  "Sbase = mpc.baseMVA * 1e6;",
  "mpc.branch(:, [3 4]) = mpc.branch(:, [3 4]) / (Vbase^2 / Sbase);",
  "mpc.branch(:, 3) = mpc.branch(:, 3) / 0;",
  "mpc.bus(:, 3:4) = mpc.bus(:, 3:4) / 1e3;",
  "mpc.genpos = [1 2; 3 4];",
  "mpc.bus_name = { 'a'; 'b' };",
  "end",
  "mpc.gen(:, 9) = Inf;",
  "mpc.bus(1, :) = [];",
  "1 2 3 4 5 6 7 8 9 10 11 12 13;",
  "];",
  "mpc.branch = [",
];

function numberSpans(text: string): [number, number][] {
  const spans: [number, number][] = [];
  const re = /-?\d+(?:\.\d*)?(?:[eE][-+]?\d+)?/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null && spans.length < 20_000) spans.push([m.index, m.index + m[0].length]);
  return spans;
}

/** Applies one mutation to a MATPOWER text. */
export function applyMatpowerMutation(text: string, m: MatpowerMutation): string {
  const lines = text.split("\n");
  const li = m.a % lines.length;
  const lj = m.b % lines.length;
  const at = m.a % (text.length + 1);
  switch (m.op) {
    case "deleteLine":
      lines.splice(li, 1);
      return lines.join("\n");
    case "duplicateLine":
      lines.splice(li, 0, lines[li]);
      return lines.join("\n");
    case "swapLines":
      [lines[li], lines[lj]] = [lines[lj], lines[li]];
      return lines.join("\n");
    case "replaceNumber": {
      const spans = numberSpans(text);
      if (spans.length === 0) return text;
      const [s, e] = spans[m.a % spans.length];
      const token = m.text !== "" && m.b % 4 === 0 ? m.text : NUMBER_TOKENS[m.b % NUMBER_TOKENS.length];
      return text.slice(0, s) + token + text.slice(e);
    }
    case "insertText":
      return text.slice(0, at) + m.text + text.slice(at);
    case "insertLine":
      lines.splice(li, 0, m.b % 5 === 0 ? m.text : LINES[m.b % LINES.length]);
      return lines.join("\n");
    case "truncate":
      return text.slice(0, at);
    case "deleteRange":
      return text.slice(0, at) + text.slice(Math.min(text.length, at + 1 + (m.b % 200)));
  }
}

/** The bundled cases used as bases: a transmission case, the P2P case, and both Baran–Wu feeders (unit conversions). */
export const MATPOWER_BASES = ["case14", "case39b_31a", "case33bw", "case69"] as const;

/** A base case (by index into MATPOWER_BASES) with 1–4 mutations. */
export interface MutatedMatpower {
  base: number;
  mutations: MatpowerMutation[];
}

/** The text of a mutated case. */
export function mutatedMatpowerText(s: MutatedMatpower): string {
  let text = readBundledCase(MATPOWER_BASES[s.base % MATPOWER_BASES.length]);
  for (const m of s.mutations) text = applyMatpowerMutation(text, m);
  return text;
}

/** Mutated MATPOWER texts. */
export function mutatedMatpowerArbitrary(): fc.Arbitrary<MutatedMatpower> {
  return fc.record({
    base: fc.nat(MATPOWER_BASES.length - 1),
    mutations: fc.array(
      fc.record({
        op: fc.constantFrom(...MATPOWER_OPS),
        a: fc.nat(),
        b: fc.nat(),
        text: fc.oneof(
          fc.string({ unit: "binary", maxLength: 8 }),
          fc.constantFrom("[", "]", ";", "'", "%", "...", "\t", "\r", "=", "mpc.", "{", "}", "(", ")", "\n"),
        ),
      }),
      { minLength: 1, maxLength: 4 },
    ),
  });
}
