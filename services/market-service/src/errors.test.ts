import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { status, type ServiceError } from "@grpc/grpc-js";
import { fieldViolations } from "./client.js";
import type { SolveMarketRequestInput } from "@peermarket/model";
import { smallMarket, startTestService, type TestService } from "./test-support.js";

/** A request, the status it must get and the field paths that must be named. */
interface BadCase {
  name: string;
  request: SolveMarketRequestInput;
  code: status;
  fields: string[];
}

function withAgent(index: number, change: Record<string, unknown>): SolveMarketRequestInput {
  const market = smallMarket("bad");
  return { market: { ...market, agents: market.agents.map((a, i) => (i === index ? { ...a, ...change } : a)) } };
}

const CASES: BadCase[] = [
  {
    name: "powerMin above powerMax",
    request: withAgent(2, { powerMin: 5, powerMax: -5 }),
    code: status.INVALID_ARGUMENT,
    fields: ["market.agents[2].powerMin"],
  },
  {
    name: "a duplicate agent id",
    request: withAgent(1, { id: "g1" }),
    code: status.INVALID_ARGUMENT,
    fields: ["market.agents[1].id"],
  },
  {
    name: "a negative quadratic cost",
    request: withAgent(0, { costQuadratic: -1 }),
    code: status.INVALID_ARGUMENT,
    fields: ["market.agents[0].costQuadratic"],
  },
  {
    name: "an explicit pair naming an unknown agent",
    request: {
      market: {
        ...smallMarket("bad"),
        tradingGraph: "TRADING_GRAPH_EXPLICIT",
        pairs: [{ agentId: "g1", partnerId: "nobody" }],
      },
    },
    code: status.INVALID_ARGUMENT,
    fields: ["market.pairs[0].partnerId"],
  },
  {
    name: "several problems at once",
    request: {
      market: {
        ...smallMarket("bad"),
        agents: smallMarket("bad").agents.map((a, i) =>
          i === 3 ? { ...a, id: "" } : i === 0 ? { ...a, costQuadratic: -2 } : a,
        ),
      },
    },
    code: status.INVALID_ARGUMENT,
    fields: ["market.agents[0].costQuadratic", "market.agents[3].id"],
  },
  {
    name: "an unknown bundled network case",
    request: { market: { ...smallMarket("bad"), network: { bundledCase: "case9999" } } },
    code: status.INVALID_ARGUMENT,
    fields: ["market.network.bundledCase"],
  },
  {
    name: "alpha outside (0, 2)",
    request: { market: smallMarket("bad"), settings: { alpha: 3 } },
    code: status.INVALID_ARGUMENT,
    fields: ["settings.alpha"],
  },
  {
    name: "a negative progress interval",
    request: { market: smallMarket("bad"), progressInterval: -1 },
    code: status.INVALID_ARGUMENT,
    fields: ["progressInterval"],
  },
  { name: "no market", request: {} as SolveMarketRequestInput, code: status.INVALID_ARGUMENT, fields: ["market"] },
];

describe("invalid input", () => {
  let svc: TestService;
  before(async () => {
    svc = await startTestService();
  });
  after(async () => {
    await svc.stop();
  });

  for (const c of CASES) {
    test(`${c.name}: ${status[c.code]} naming ${c.fields.join(", ")}`, async () => {
      await assert.rejects(svc.client.solveMarket(c.request), (err: ServiceError) => {
        assert.equal(err.code, c.code, `${status[err.code]}: ${err.details}`);
        assert.ok(
          err.details.startsWith(`${c.fields[0]}: `),
          `message ${JSON.stringify(err.details)} starts with the path ${c.fields[0]}`,
        );
        const named = fieldViolations(err.metadata).map((v) => v.field);
        for (const field of c.fields)
          assert.ok(named.includes(field), `violations ${JSON.stringify(named)} include ${field}`);
        for (const v of fieldViolations(err.metadata)) assert.ok(v.description.length > 0);
        return true;
      });
    });
  }

  test("the server keeps serving after bad requests", async () => {
    await Promise.all(CASES.map((c) => svc.client.solveMarket(c.request).catch(() => undefined)));
    const solution = await svc.client.solveMarket({ market: smallMarket("fine") });
    assert.equal(solution.status, "SOLVE_STATUS_SOLVED");
    assert.ok(!svc.logs.some((l) => l.code === "INTERNAL"), "no INTERNAL errors were logged");
  });

  test("the stream reports invalid input the same way", async () => {
    await assert.rejects(
      svc.client.streamSolveMarket(withAgent(2, { powerMin: 5, powerMax: -5 })),
      (err: ServiceError) => {
        assert.equal(err.code, status.INVALID_ARGUMENT);
        assert.deepEqual(
          fieldViolations(err.metadata).map((v) => v.field),
          ["market.agents[2].powerMin"],
        );
        return true;
      },
    );
  });
});
