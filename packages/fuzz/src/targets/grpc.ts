import type fc from "fast-check";
import { status } from "@grpc/grpc-js";
import { nonFiniteNumbers } from "../finite.js";
import { GrpcHarness } from "../grpc-harness.js";
import { KNOWN_STATUSES } from "../judge.js";
import { knownNonFiniteIssue } from "../known-issues.js";
import { decodeSolution } from "../proto-types.js";
import {
  mutatedRequestArbitrary,
  mutateRequest,
  payload,
  randomBytesArbitrary,
  type RequestInput,
} from "../request-mutations.js";
import { FuzzFailure, type FuzzTarget, showValue } from "../runner.js";
import type { SolveStatus } from "@peermarket/model";

/** Statuses the service documents for SolveMarket besides OK (services/market-service/README.md, "Errors"). */
const DOCUMENTED = new Set<status>([
  status.INVALID_ARGUMENT,
  status.NOT_FOUND,
  status.FAILED_PRECONDITION,
  status.RESOURCE_EXHAUSTED,
]);

/** Deadline of one call: far above any solve the server allows (its per-solve cap is 2 s here). */
const CALL_TIMEOUT_MS = 30_000;

/**
 * A SolveMarket target over the real service: each payload must be answered with a Solution
 * (finite numbers, a real status) or a documented error status with a message, and the server
 * must still answer a health check with SERVING afterwards. The label is the status code name
 * (and the Solution's status for OK).
 */
function grpcTarget(
  name: string,
  description: string,
  testRuns: number,
  arbitrary: () => fc.Arbitrary<RequestInput>,
): FuzzTarget<RequestInput> {
  const harness = new GrpcHarness();
  return {
    name,
    description,
    testRuns,
    hangMs: 60_000,
    arbitrary,
    open: () => harness.open(),
    close: () => harness.close(),
    async check(input: RequestInput): Promise<string> {
      const bytes = payload(input);
      const reply = await harness.call(bytes, CALL_TIMEOUT_MS);
      const codeName = status[reply.code] ?? String(reply.code);
      let label: string;
      if (reply.code === status.OK) {
        let solution: Record<string, unknown>;
        try {
          solution = decodeSolution(reply.bytes!);
        } catch (e) {
          throw new FuzzFailure(`OK reply that is not a Solution: ${(e as Error).message}`);
        }
        const st = solution.status as SolveStatus;
        if (!KNOWN_STATUSES.has(st)) throw new FuzzFailure(`OK reply with Solution status ${st}`);
        const bad = nonFiniteNumbers(solution);
        const known = bad.length > 0 ? knownNonFiniteIssue({ status: st }) : null;
        if (bad.length > 0 && !known)
          throw new FuzzFailure(`Solution ${st} with non-finite numbers: ${bad.join(", ")}`);
        label = known ? `OK KNOWN ${known.id}` : `OK ${st.replace("SOLVE_STATUS_", "")}`;
      } else if (DOCUMENTED.has(reply.code)) {
        if (reply.details.trim() === "") throw new FuzzFailure(`${codeName} without a message`);
        label = codeName;
      } else {
        throw new FuzzFailure(
          `status ${codeName}: ${reply.details}\nservice log (last lines):\n${harness.logs.slice(-5).join("\n")}`,
        );
      }
      const health = await harness.health().catch((e: Error) => `health check failed: ${e.message}`);
      if (health !== "SERVING") throw new FuzzFailure(`after a ${label} reply the server's health is ${health}`);
      return label;
    },
    show: (input: RequestInput): string => {
      if (input.kind === "random") return `random payload ${showValue(input.bytes)}`;
      if (input.kind === "fields")
        return `request after field mutations ${JSON.stringify(input.mutations)}: ${showValue(mutateRequest(input.request, input.mutations))}`;
      return `payload ${showValue(payload(input))} from byte mutations ${showValue(input.mutations)} of ${showValue(input.request)}`;
    },
  };
}

/** Random bytes as the SolveMarketRequest payload. */
export const grpcBytesTarget = grpcTarget(
  "grpc-bytes",
  "random bytes (and random bytes under a market/settings tag) as the SolveMarketRequest payload of SolveMarket, health checked after each",
  1000,
  randomBytesArbitrary,
);

/** Valid requests with damaged bytes or fields. */
export const grpcMutationTarget = grpcTarget(
  "grpc-mutation",
  "valid SolveMarketRequests (random market, settings) with 1–4 byte changes or 1–4 field changes (NaN/±Inf/huge numbers, unicode and 10 kB ids, out-of-range enums, dropped or doubled items, bad settings), health checked after each",
  1000,
  mutatedRequestArbitrary,
);
