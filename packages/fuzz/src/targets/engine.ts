import type fc from "fast-check";
import { solveMarket } from "@peermarket/market";
import { type Market, marketToJson } from "@peermarket/model";
import { judgeOutcome } from "../judge.js";
import { validMarketArbitrary } from "../market-arbitrary.js";
import { FuzzFailure, type FuzzTarget } from "../runner.js";

/**
 * Random valid markets (market-arbitrary.ts) through `solveMarket` with the default settings:
 * it must resolve (no exception for a valid market), and `judgeOutcome` must accept the result
 * (finite numbers, a real status, the certificate when SOLVED). Outcome label: the status
 * without its prefix, plus which default certificates a SOLVED result fails.
 */
export const engineTarget: FuzzTarget<Market> = {
  name: "engine",
  description:
    "random valid markets (1–8 agents, every feature) through solveMarket; finite Solution, real status, certificate when SOLVED",
  testRuns: 1000,
  hangMs: 60_000,
  arbitrary: (): fc.Arbitrary<Market> => validMarketArbitrary(),
  async check(market: Market): Promise<string> {
    let outcome;
    try {
      outcome = await solveMarket(market);
    } catch (e) {
      throw new FuzzFailure(`solveMarket threw on a valid market: ${(e as Error).stack ?? String(e)}`, { cause: e });
    }
    return judgeOutcome(outcome);
  },
  show: (market: Market): string => JSON.stringify(marketToJson(market)),
};
