import {
  expandMarket,
  type Market,
  MatpowerParseError,
  marketFromMatpower,
  parseMatpower,
  type MatpowerCase,
} from "@peermarket/model";
import { expectModelError } from "../model-check.js";
import {
  MATPOWER_BASES,
  type MutatedMatpower,
  mutatedMatpowerArbitrary,
  mutatedMatpowerText,
} from "../matpower-mutations.js";
import { FuzzFailure, type FuzzTarget } from "../runner.js";

/**
 * Mutated MATPOWER case texts through parseMatpower: a case, or a MatpowerParseError with a
 * 1-based line and column — nothing else. A parsed case then goes through marketFromMatpower
 * and expandMarket, which must give a market or a model error naming a field.
 */
export const matpowerTarget: FuzzTarget<MutatedMatpower> = {
  name: "matpower",
  description:
    "bundled cases (case14, case39b_31a, case33bw, case69) with 1–4 text mutations through parseMatpower, marketFromMatpower and expandMarket",
  testRuns: 2000,
  hangMs: 10_000,
  arbitrary: () => mutatedMatpowerArbitrary(),
  check(s: MutatedMatpower): string {
    const text = mutatedMatpowerText(s);
    let c: MatpowerCase;
    try {
      c = parseMatpower(text, "fuzz.m");
    } catch (e) {
      if (!(e instanceof MatpowerParseError)) {
        throw new FuzzFailure(
          `parseMatpower threw ${e instanceof Error ? e.name : typeof e}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`,
          { cause: e },
        );
      }
      if (!(Number.isInteger(e.line) && e.line >= 1 && Number.isInteger(e.column) && e.column >= 1)) {
        throw new FuzzFailure(
          `MatpowerParseError without a valid position (line ${e.line}, column ${e.column}): ${e.message}`,
        );
      }
      if (e.detail.trim() === "")
        throw new FuzzFailure(`MatpowerParseError with an empty message at ${e.line}:${e.column}`);
      return "MatpowerParseError";
    }
    let market: Market;
    try {
      market = marketFromMatpower(c, text, "fuzz");
    } catch (e) {
      return `case → market: ${expectModelError(e, "marketFromMatpower")}`;
    }
    try {
      expandMarket(market);
    } catch (e) {
      return `case → expand: ${expectModelError(e, "expandMarket")}`;
    }
    return "case → expanded";
  },
  show: (s: MutatedMatpower) => `${JSON.stringify(s.mutations)} on ${MATPOWER_BASES[s.base % MATPOWER_BASES.length]}`,
};
