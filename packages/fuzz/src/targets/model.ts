import fc from "fast-check";
import { baseScenarioArbitrary } from "../base-scenarios.js";
import { checkScenarioText } from "../model-check.js";
import type { FuzzTarget } from "../runner.js";
import { FIELD_NAMES, type MutatedScenario, mutatedScenarioArbitrary, mutatedText } from "../scenario-mutations.js";

/** Hang bound of the model targets: parsing and expanding a small scenario takes well under a millisecond to a few ms. */
const MODEL_HANG_MS = 10_000;

/** JSON values shaped like scenarios: objects whose keys are peermarket field names, with any JSON values below. */
function scenarioLikeValue(): fc.Arbitrary<unknown> {
  const { node } = fc.letrec<{ node: unknown }>((tie) => ({
    node: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      fc.jsonValue({ maxDepth: 1 }),
      fc.dictionary(fc.constantFrom(...FIELD_NAMES), tie("node"), { maxKeys: 6 }),
      fc.array(tie("node"), { maxLength: 4 }),
    ),
  }));
  return fc.dictionary(fc.constantFrom(...FIELD_NAMES), node, { maxKeys: 8 });
}

/** Arbitrary JSON values (and scenario-shaped ones) through parseMarketJson and expandMarket. */
export const modelJsonTarget: FuzzTarget<unknown> = {
  name: "model-json",
  description:
    "arbitrary JSON values and scenario-shaped objects (peermarket field names, any values) through parseMarketJson and expandMarket",
  testRuns: 3000,
  hangMs: MODEL_HANG_MS,
  arbitrary: () => fc.oneof(fc.jsonValue(), scenarioLikeValue()),
  check: (value: unknown) => checkScenarioText(JSON.stringify(value) ?? "null"),
};

/** Arbitrary strings (any code points, lone surrogates, JSON-ish text) through parseMarketJson and expandMarket. */
export const modelStringTarget: FuzzTarget<string> = {
  name: "model-string",
  description: "arbitrary strings, JSON texts and '{'-prefixed text through parseMarketJson and expandMarket",
  testRuns: 3000,
  hangMs: MODEL_HANG_MS,
  arbitrary: () =>
    fc.oneof(
      fc.string({ unit: "binary", maxLength: 200 }),
      fc.json(),
      fc.string({ unit: "grapheme-ascii", maxLength: 200 }).map((s) => `{${s}`),
      fc
        .array(
          fc.constantFrom("{", "}", "[", "]", '"agents"', ":", ",", '"id"', '"a"', "1", "-", "e", "null", '"\\u', "\\"),
          { maxLength: 40 },
        )
        .map((t) => t.join("")),
    ),
  check: (text: string) => checkScenarioText(text),
};

/** Valid scenarios damaged by tree and text mutations through parseMarketJson and expandMarket. */
export const modelMutationTarget: FuzzTarget<MutatedScenario> = {
  name: "model-mutation",
  description:
    "valid scenarios (random markets, snake_case, bundled and inline networks) with 1–4 mutations (type flips, deleted/duplicated fields and keys, " +
    "NaN/Infinity strings, huge and subnormal numbers, unicode ids and keys, nesting up to 100 000 deep, repeated items, wrong enums) and text damage",
  testRuns: 3000,
  hangMs: MODEL_HANG_MS,
  arbitrary: () => mutatedScenarioArbitrary(baseScenarioArbitrary()),
  check: (s: MutatedScenario) => checkScenarioText(mutatedText(s)),
  show: (s: MutatedScenario) => {
    const text = mutatedText(s);
    return text.length > 4000
      ? `${text.slice(0, 4000)}… (${text.length} characters; mutations ${JSON.stringify(s.mutations)})`
      : text;
  },
};
