import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFile, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import * as grpc from "@grpc/grpc-js";
import protobuf from "protobufjs";
import { protoRoot } from "@peermarket/proto";
import { classifyError } from "./classify-error.js";
import { marketServiceDefinition, messageCodec } from "./proto.js";
import { fieldViolations, rpcStatus, type RpcStatus } from "./status-error.js";
import { smallMarket, startTestService, type TestService } from "./test-support.js";
import {
  checkRequest,
  LimitError,
  outlineRequest,
  outlineRequestAsync,
  requestBudget,
  WireFormatError,
} from "./wire.js";

const codec = messageCodec();
const service = marketServiceDefinition();

// ------------------------------------------------------------------ hand-made byte streams

/** A length-delimited field `number` holding `payload`. */
function field(number: number, payload: Uint8Array): Buffer {
  return Buffer.from(
    protobuf.Writer.create()
      .uint32((number << 3) | 2)
      .bytes(payload)
      .finish(),
  );
}

/** `count` copies of `bytes`. */
function repeat(bytes: number[], count: number): Buffer {
  const one = Buffer.from(bytes);
  const out = Buffer.alloc(one.length * count);
  for (let i = 0; i < count; i++) one.copy(out, i * one.length);
  return out;
}

/** An unknown varint field (number 15, value 0): two bytes. */
const UNKNOWN_VARINT = [0x78, 0x00];

/** A small valid request, to which an attack appends a second `market` field (protobuf merges them). */
const base = (): Buffer => codec.encodeRequest({ market: smallMarket("boundary") } as never);
/** The request with `extra` merged into its market. */
const inMarket = (extra: Uint8Array): Buffer => Buffer.concat([base(), field(1, extra)]);
/** The request with one more agent made of `agentBytes`. */
const inAgent = (agentBytes: Uint8Array): Buffer => inMarket(field(2, agentBytes));

/** Sends raw bytes to a method; resolves with the error (or null when it succeeded). */
function rawCall(address: string, method: string, bytes: Buffer): Promise<grpc.ServiceError | null> {
  const client = new grpc.Client(address, grpc.credentials.createInsecure(), { "grpc.max_send_message_length": -1 });
  return new Promise((resolve) =>
    client.makeUnaryRequest(
      `/peermarket.v1.MarketService/${method}`,
      (b: Buffer) => b,
      (b: Buffer) => b,
      bytes,
      (err) => {
        client.close();
        resolve(err);
      },
    ),
  );
}

/** The error's google.rpc.Status, checked to repeat the status's code and message exactly. */
function richStatus(err: grpc.ServiceError | null, code: grpc.status): RpcStatus {
  assert.ok(err, "the call was refused");
  assert.equal(err.code, code, `${grpc.status[err.code]}: ${err.details}`);
  const s = rpcStatus(err.metadata);
  assert.ok(s, "grpc-status-details-bin carries a google.rpc.Status");
  assert.equal(s.code, err.code);
  assert.equal(s.message, err.details);
  assert.deepEqual(err.metadata.get("peermarket-field-violations-bin"), [], "no custom trailer");
  return s;
}

function quotaSubjects(s: RpcStatus): string[] {
  return s.details.quotaFailure.map((v) => v.subject);
}

// ------------------------------------------------------------------ the wire walker on its own

describe("the wire walker", () => {
  const budget = requestBudget({ maxAgents: 5000, maxPairs: 2_000_000 });

  test("a market of 10^6 agents is refused after counting maxAgents + 1 of them, before decoding", () => {
    const agents = repeat([0x12, 0x00], 1_000_000);
    assert.throws(
      () => outlineRequest(field(1, agents), budget),
      (err: unknown) => err instanceof LimitError && err.subject === "market.agents" && err.limit === 5000,
    );
    // the event loop stops at the limit: bytes past agent 5001 are never read (they are not even well-formed)
    const truncatedAfter = Buffer.concat([repeat([0x12, 0x00], 5001), Buffer.from([0x12, 0x7f])]);
    assert.throws(() => outlineRequest(field(1, truncatedAfter), budget), LimitError);
    assert.throws(
      () => outlineRequest(field(1, Buffer.concat([repeat([0x12, 0x00], 10), Buffer.from([0x12, 0x7f])])), budget),
      WireFormatError,
    );
    // the solver thread's walk refuses it the same way
    assert.throws(
      () => checkRequest(field(1, agents), budget),
      (err: unknown) => err instanceof LimitError && err.subject === "market.agents",
    );
  });

  test("outlines in slices: concurrent outlines of large markets give the loop back and keep their own counts", async () => {
    const big = requestBudget({ maxAgents: 300_000, maxPairs: 2_000_000 });
    const named = (name: string, agents: number, pairs: number): Buffer =>
      field(1, Buffer.concat([field(1, Buffer.from(name)), repeat([0x12, 0x00], agents), repeat([0x22, 0x00], pairs)]));
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 0);
    const [a, b] = await Promise.all([
      outlineRequestAsync(named("first", 200_000, 10), big),
      outlineRequestAsync(named("second", 7, 150_000), big),
    ]);
    clearInterval(ticker);
    assert.deepEqual([a.marketName, a.agentCount, a.pairCount], ["first", 200_000, 10]);
    assert.deepEqual([b.marketName, b.agentCount, b.pairCount], ["second", 7, 150_000]);
    assert.ok(ticks > 0, "timers ran while the outlines were read");
  });

  test("the event loop reads a bounded part of the request outside its market (fields and bytes)", () => {
    const manyFields = Buffer.concat([base(), repeat(UNKNOWN_VARINT, 1_000_000)]);
    assert.throws(
      () => outlineRequest(manyFields, budget),
      (err: unknown) =>
        err instanceof LimitError && err.subject === "request" && /more than 4096 fields/.test(err.message),
    );
    const manyBytes = Buffer.concat([base(), field(15, Buffer.alloc(100_000))]);
    assert.throws(
      () => outlineRequest(manyBytes, budget),
      (err: unknown) =>
        err instanceof LimitError && err.subject === "request" && /without its market/.test(err.message),
    );
    // the same fields in a small number are fine (unknown fields are skipped, as protobuf wants)
    const fine = outlineRequest(Buffer.concat([base(), repeat(UNKNOWN_VARINT, 100)]), budget);
    assert.equal(fine.agentCount, 4);
  });

  test("field count, nesting depth, wire types, string sizes", () => {
    const small = requestBudget({ maxAgents: 10, maxPairs: 100 });
    assert.throws(
      () => checkRequest(inAgent(repeat(UNKNOWN_VARINT, small.maxFields)), small),
      (err: unknown) => err instanceof LimitError && /more than \d+ fields/.test(err.message),
    );
    const deep = Buffer.concat([repeat([0x7b], 10_000), repeat([0x7c], 10_000)]); // groups of field 15, nested
    assert.throws(
      () => checkRequest(inAgent(deep), small),
      (err: unknown) => err instanceof LimitError && /nested more than 32 levels/.test(err.message),
    );
    // groups a few levels deep are unknown fields like any other
    checkRequest(inAgent(Buffer.concat([repeat([0x7b], 5), repeat([0x7c], 5)])), small);
    assert.throws(() => checkRequest(inAgent(Buffer.from([0x7b, 0x7b, 0x7c])), small), /group 15 is never ended/);
    assert.throws(() => checkRequest(inAgent(Buffer.from([0x7c])), small), /end of group 15 without its start/);
    // costQuadratic (a double) sent as a varint: protobufjs would read 8 bytes of whatever follows
    assert.throws(
      () => checkRequest(inAgent(Buffer.from([0x20, 0x01])), small),
      (err: unknown) => err instanceof WireFormatError && err.field === "market.agents",
    );
    const matpower = field(6, field(1, Buffer.alloc(9 * 1024 * 1024, 0x20)));
    assert.throws(
      () => checkRequest(inMarket(matpower), small),
      (err: unknown) => err instanceof LimitError && err.subject === "market.network.matpower",
    );
    const longId = field(2, field(9, Buffer.alloc(1000, 0x61)));
    assert.throws(
      () => outlineRequest(Buffer.concat([base(), longId]), small),
      (err: unknown) => err instanceof WireFormatError && err.field === "settings.warmStartSolutionId",
    );
  });

  test("a request the walk accepts decodes without error, and the walk fails only with its own errors (fuzzed)", (t) => {
    const market = {
      ...smallMarket("fuzz"),
      agents: smallMarket("fuzz").agents.map((a, i) => ({
        ...a,
        location: { xKm: i, yKm: 2 * i },
        attributes: { tech: i % 2 ? "pv" : "wind" },
      })),
      preferences: [
        { agentId: "d1", partnerId: "", attributeKey: "tech", attributeValue: "pv", cost: -1, costPerKm: 0.1 },
      ],
      network: { bundledCase: "case14" },
      charges: { design: "CHARGE_DESIGN_ZONAL", unitFee: 2, zoneDistances: [{ zoneA: "1", zoneB: "2", distance: 1 }] },
      grid: { bus: "", importPrice: 60, exportPrice: 10, importMax: 5 },
    };
    const valid = codec.encodeRequest({
      market,
      settings: { epsAbs: 1e-5, maxIter: 100, warmStartSolutionId: "sol_x" },
      progressInterval: 3,
    } as never);
    const budget = requestBudget({ maxAgents: 50, maxPairs: 500 });
    checkRequest(valid, budget);
    codec.decodeRequest(valid);
    let seed = 12345;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    let accepted = 0;
    let refused = 0;
    for (let i = 0; i < 4000; i++) {
      const bytes = Buffer.from(valid);
      let mutated: Buffer = bytes;
      const kind = rand(5);
      const at = rand(bytes.length);
      if (kind === 0) mutated[at] = rand(256);
      else if (kind === 1)
        mutated = Buffer.concat([
          bytes.subarray(0, at),
          Buffer.from(Array.from({ length: 1 + rand(4) }, () => rand(256))),
          bytes.subarray(at),
        ]);
      else if (kind === 2)
        mutated = Buffer.concat([bytes.subarray(0, at), bytes.subarray(Math.min(bytes.length, at + 1 + rand(8)))]);
      else if (kind === 3) mutated = bytes.subarray(0, at);
      else {
        mutated[at] = rand(256);
        mutated[rand(bytes.length)] = rand(256);
      }
      // the event loop's outline: refuses with its own errors, or keeps a part that decodes
      try {
        const outline = outlineRequest(mutated, budget);
        assert.doesNotThrow(
          () => codec.decodeRequest(outline.withoutMarket),
          `mutation ${i}: the outline kept undecodable bytes`,
        );
      } catch (err) {
        assert.ok(
          err instanceof WireFormatError || err instanceof LimitError,
          `mutation ${i} (outline): ${(err as Error).stack}`,
        );
      }
      try {
        checkRequest(mutated, budget);
      } catch (err) {
        assert.ok(
          err instanceof WireFormatError || err instanceof LimitError,
          `mutation ${i}: ${(err as Error).stack}`,
        );
        refused++;
        continue;
      }
      assert.doesNotThrow(
        () => codec.decodeRequest(mutated),
        `mutation ${i} passed the walk: ${mutated.toString("hex")}`,
      );
      accepted++;
    }
    t.diagnostic(`4000 mutations: ${accepted} accepted and decoded, ${refused} refused`);
    assert.ok(accepted > 100 && refused > 100, `accepted ${accepted}, refused ${refused}`);
  });

  test("a RangeError (a stack overflow included) is a fault of the service, not bad input", () => {
    let overflow: unknown;
    const recurse = (n: number): number => recurse(n + 1) + 1;
    try {
      recurse(0);
    } catch (err) {
      overflow = err;
    }
    assert.ok(overflow instanceof RangeError);
    assert.equal(classifyError(overflow).code, grpc.status.INTERNAL);
    assert.equal(classifyError(new RangeError("alpha must be in (0, 2), got 3")).code, grpc.status.INTERNAL);
    assert.equal(classifyError(new WireFormatError("bad", "market")).code, grpc.status.INVALID_ARGUMENT);
    assert.equal(classifyError(new LimitError("market.agents", "too many", 1)).code, grpc.status.RESOURCE_EXHAUSTED);
  });
});

// ------------------------------------------------------------------ the service under attack

describe("one request cannot take the service down", () => {
  let svc: TestService;
  before(async () => {
    svc = await startTestService({ workers: 1, maxAgents: 10, maxPairs: 100 });
  });
  after(async () => {
    await svc.stop();
  });

  test("4 MB of unknown fields: refused on the event loop in one step, which never stalls", async () => {
    const attack = Buffer.concat([base(), repeat(UNKNOWN_VARINT, 2 * 1024 * 1024)]);
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    const err = await rawCall(svc.server.address, "SolveMarket", attack);
    delay.disable();
    const s = richStatus(err, grpc.status.RESOURCE_EXHAUSTED);
    assert.deepEqual(quotaSubjects(s), ["request"]);
    // before the bound, the event loop decoded every field: 3.1 s of stall and 400 MB of heap for 4 MB
    assert.ok(delay.max / 1e6 < 1500, `event loop stalled ${Math.round(delay.max / 1e6)} ms`);
  });

  test("attacks inside the market: each refused with the limit it hit, named", async () => {
    const cases: [string, Buffer, grpc.status, string][] = [
      ["10^6 tiny agents", field(1, repeat([0x12, 0x00], 1_000_000)), grpc.status.RESOURCE_EXHAUSTED, "market.agents"],
      [
        "unknown fields at the market's top level",
        inMarket(repeat(UNKNOWN_VARINT, 200_000)),
        grpc.status.RESOURCE_EXHAUSTED,
        "market",
      ],
      [
        "unknown fields inside an agent",
        inAgent(repeat(UNKNOWN_VARINT, 100_000)),
        grpc.status.RESOURCE_EXHAUSTED,
        "request",
      ],
      [
        "groups nested 100 000 deep inside an agent",
        inAgent(Buffer.concat([repeat([0x7b], 100_000), repeat([0x7c], 100_000)])),
        grpc.status.RESOURCE_EXHAUSTED,
        "request",
      ],
      [
        "10^5 empty map entries",
        inAgent(repeat([0x4a, 0x00], 100_000)),
        grpc.status.RESOURCE_EXHAUSTED,
        "market.agents.attributes",
      ],
      ["a double sent as a varint", inAgent(Buffer.from([0x20, 0x01])), grpc.status.INVALID_ARGUMENT, "market.agents"],
    ];
    for (const [name, bytes, code, subject] of cases) {
      const s = richStatus(await rawCall(svc.server.address, "SolveMarket", bytes), code);
      const named =
        code === grpc.status.RESOURCE_EXHAUSTED ? quotaSubjects(s) : s.details.badRequest.map((v) => v.field);
      assert.deepEqual(named, [subject], name);
    }
    // a request of another method that holds a market is walked the same way before it is decoded
    if ("CompareMechanisms" in service) {
      const compare: [Buffer, grpc.status, string][] = [
        [field(1, repeat([0x12, 0x00], 1_000_000)), grpc.status.RESOURCE_EXHAUSTED, "market.agents"],
        [
          Buffer.concat([field(1, field(2, Buffer.concat([repeat([0x7b], 100_000), repeat([0x7c], 100_000)])))]),
          grpc.status.RESOURCE_EXHAUSTED,
          "request",
        ],
        [field(1, field(2, Buffer.from([0x20, 0x01]))), grpc.status.INVALID_ARGUMENT, "market.agents"],
      ];
      for (const [bytes, code, subject] of compare) {
        const s = richStatus(await rawCall(svc.server.address, "CompareMechanisms", bytes), code);
        const named =
          code === grpc.status.RESOURCE_EXHAUSTED ? quotaSubjects(s) : s.details.badRequest.map((v) => v.field);
        assert.deepEqual(named, [subject], `CompareMechanisms ${subject}`);
      }
    }
    const solution = await svc.client.solveMarket({ market: smallMarket("after the attacks") });
    assert.equal(solution.status, "SOLVE_STATUS_SOLVED");
    assert.ok(!svc.logs.some((l) => l.code === "INTERNAL"), "no INTERNAL errors");
  });
});

describe("a solver thread over its heap limit fails its request, not the process", () => {
  let svc: TestService;
  before(async () => {
    svc = await startTestService({ workers: 1, maxAgents: 1_000_000, maxPairs: 1_000_000_000, workerHeapMb: 64 });
  });
  after(async () => {
    await svc.stop();
  });

  test("300 000 agents with attributes in 64 MiB of heap: RESOURCE_EXHAUSTED, and the service goes on", async () => {
    const agent = codec.encodeRequest({
      market: {
        agents: [
          {
            id: "agent-with-a-long-identifier-000000",
            powerMin: -1,
            powerMax: 1,
            attributes: { technology: "photovoltaic", owner: "x".repeat(40) },
          },
        ],
      },
    } as never);
    // the one agent's bytes (inside market field 1 and agents field 2), repeated
    const market = codec.encodeRequest({ market: { name: "heavy" } } as never);
    const agentField = agent.subarray(2 + (agent[1] & 0x80 ? 1 : 0));
    const bytes = Buffer.concat([market, field(1, repeat([...agentField], 300_000))]);
    const s = richStatus(await rawCall(svc.server.address, "SolveMarket", bytes), grpc.status.RESOURCE_EXHAUSTED);
    assert.deepEqual(quotaSubjects(s), ["market"]);
    assert.match(s.message, /more memory than a solver thread may use/);
    // not run a second time: it would end the same way
    assert.equal(svc.logs.filter((l) => l.msg === "solver worker died").length, 1);
    assert.equal(
      (await svc.client.solveMarket({ market: smallMarket("still serving") })).status,
      "SOLVE_STATUS_SOLVED",
    );
  });
});

// ------------------------------------------------------------------ status codes and validation

describe("status codes at the boundary", () => {
  let svc: TestService;
  before(async () => {
    svc = await startTestService({ workers: 1 });
  });
  after(async () => {
    await svc.stop();
  });

  test("undecodable bytes to GetSolution, ListSolutions, GetNetworkCharges: INVALID_ARGUMENT with a BadRequest", async () => {
    const methods = ["GetSolution", "ListSolutions", "GetNetworkCharges", "ListSolutionTrades"].filter(
      (m) => m in service,
    );
    assert.ok(methods.length >= 3);
    for (const method of methods) {
      for (const bytes of [
        Buffer.from([0xff, 0xff, 0xff]),
        Buffer.from([0x0a, 0x05, 0x61]),
        Buffer.from([0x0b]),
        Buffer.from([0x08]),
      ]) {
        const s = richStatus(await rawCall(svc.server.address, method, bytes), grpc.status.INVALID_ARGUMENT);
        assert.equal(s.details.badRequest.length, 1, `${method} ${bytes.toString("hex")}`);
      }
    }
  });

  test("an unknown tradingGraph (3, 99, -1) over the wire: INVALID_ARGUMENT naming market.tradingGraph", async () => {
    for (const value of [3, 99, -1]) {
      // A value outside the enum (the typed serializer would refuse it at compile time).
      const bytes = service.SolveMarket.requestSerialize({
        market: { ...smallMarket("graph"), tradingGraph: value as never },
      });
      const s = richStatus(await rawCall(svc.server.address, "SolveMarket", bytes), grpc.status.INVALID_ARGUMENT);
      assert.deepEqual(
        s.details.badRequest.map((v) => v.field),
        ["market.tradingGraph"],
        String(value),
      );
    }
  });

  test("an unknown view (7) to GetSolution and ListSolutions: INVALID_ARGUMENT naming view", async () => {
    for (const [method, bytes] of [
      ["GetSolution", service.GetSolution.requestSerialize({ id: "sol_00000000000000000000000000", view: 7 as never })],
      ["ListSolutions", service.ListSolutions.requestSerialize({ view: 7 as never })],
    ] as const) {
      const s = richStatus(await rawCall(svc.server.address, method, bytes), grpc.status.INVALID_ARGUMENT);
      assert.deepEqual(
        s.details.badRequest.map((v) => v.field),
        ["view"],
        method,
      );
    }
  });

  test("timeLimitS NaN or negative: INVALID_ARGUMENT, not replaced by the server's cap", async () => {
    for (const timeLimitS of [NaN, -1, -Infinity, Infinity]) {
      await assert.rejects(
        svc.client.solveMarket({ market: smallMarket("time"), settings: { timeLimitS } }),
        (err: grpc.ServiceError) => {
          const s = richStatus(err, grpc.status.INVALID_ARGUMENT);
          assert.deepEqual(
            s.details.badRequest.map((v) => v.field),
            ["settings.timeLimitS"],
          );
          return true;
        },
      );
    }
    for (const [settings, field] of [
      [{ maxIter: 0 }, "settings.maxIter"],
      [{ alpha: 2 }, "settings.alpha"],
      [{ rho: -1 }, "settings.rho"],
      [{ workers: -2 }, "settings.workers"],
      [{ epsAbs: 0, epsRel: 0 }, "settings.epsRel"],
    ] as const) {
      await assert.rejects(
        svc.client.solveMarket({ market: smallMarket("settings"), settings }),
        (err: grpc.ServiceError) => {
          richStatus(err, grpc.status.INVALID_ARGUMENT);
          assert.deepEqual(
            fieldViolations(err.metadata).map((v) => v.field),
            [field],
          );
          return true;
        },
      );
    }
  });

  test("a 1 MB id: INVALID_ARGUMENT without echoing it; an unknown id: NOT_FOUND with a ResourceInfo", async () => {
    const huge = "s".repeat(1024 * 1024);
    const calls: [string, () => Promise<unknown>][] = [
      ["id", () => svc.client.getSolution(huge)],
      ["solutionId", () => svc.client.getNetworkCharges(huge)],
      [
        "settings.warmStartSolutionId",
        () => svc.client.solveMarket({ market: smallMarket("warm"), settings: { warmStartSolutionId: huge } }),
      ],
      ["pageToken", () => svc.client.listSolutions({ pageToken: huge })],
    ];
    for (const [field, call] of calls) {
      await assert.rejects(call(), (err: grpc.ServiceError) => {
        const s = richStatus(err, grpc.status.INVALID_ARGUMENT);
        assert.deepEqual(
          s.details.badRequest.map((v) => v.field),
          [field],
        );
        assert.ok(err.details.length < 300, `${err.details.length} characters`);
        return true;
      });
    }
    await assert.rejects(svc.client.getSolution("sol_00000000000000000000000000"), (err: grpc.ServiceError) => {
      const s = richStatus(err, grpc.status.NOT_FOUND);
      assert.deepEqual(
        s.details.resourceInfo.map((r) => [r.resourceType, r.resourceName]),
        [["peermarket.v1.Solution", "sol_00000000000000000000000000"]],
      );
      return true;
    });
  });

  test("a MATPOWER expression nested 100 000 deep: INVALID_ARGUMENT naming market.network and the line", async () => {
    for (const [open, close] of [
      ["(", ")"],
      ["[", "]"],
      ["-", ""],
    ]) {
      const matpower = `function mpc = deep\nmpc.version = '2';\nscale = ${open.repeat(100_000)}100${close.repeat(100_000)};\nmpc.baseMVA = scale;\n`;
      await assert.rejects(
        svc.client.solveMarket({ market: { ...smallMarket("deep"), network: { matpower } } }),
        (err: grpc.ServiceError) => {
          const s = richStatus(err, grpc.status.INVALID_ARGUMENT);
          const [v] = s.details.badRequest;
          assert.equal(v.field, "market.network.matpower", JSON.stringify(s.details));
          assert.match(v.description, /line 3, column \d+: expression nested more than 256 levels deep/);
          return true;
        },
      );
    }
    assert.ok(!svc.logs.some((l) => l.code === "INTERNAL"), "no INTERNAL errors");
  });
});

// ------------------------------------------------------------------ interoperability: Python's grpcio

const PYTHON = "/usr/bin/python3";
const CALL_STATUS = fileURLToPath(new URL("../python/call_status.py", import.meta.url));

describe("Python's grpcio reads the error model; two authorization headers are refused", () => {
  let svc: TestService;
  let dir: string;
  let stubs: string;
  const ADMIN = "admin-token-0123456789abcdef";
  const AGGREGATOR = "aggregator-token-0123456789abcdef";
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "peermarket-boundary-"));
    const authFile = join(dir, "tokens.json");
    writeFileSync(
      authFile,
      JSON.stringify({
        tokens: [
          { name: "root", token: ADMIN, role: "admin" },
          { name: "acme", token: AGGREGATOR, role: "aggregator", tenant: "acme" },
        ],
      }),
    );
    svc = await startTestService({ workers: 1, authFile });
    stubs = join(dir, "stubs");
    mkdirSync(stubs);
  });
  after(async () => {
    await svc.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function python(
    method: string,
    bytes: Buffer,
    headers: string[],
  ): Promise<{
    code: string;
    details: string;
    status: { code: number; message: string; details: Record<string, unknown>[] } | null;
  }> {
    const run = await promisify(execFile)(
      PYTHON,
      [
        CALL_STATUS,
        svc.server.address,
        `/peermarket.v1.MarketService/${method}`,
        bytes.toString("hex"),
        stubs,
        ...headers,
      ],
      {
        encoding: "utf8",
        timeout: 60_000,
      },
    );
    return JSON.parse(run.stdout);
  }

  test("setup: Python's grpcio and protoc compile googleapis' status.proto and error_details.proto from proto/", () => {
    const probe = spawnSync(PYTHON, ["-c", "import grpc, grpc_tools.protoc, google.protobuf"], { encoding: "utf8" });
    assert.equal(
      probe.status,
      0,
      `${PYTHON} cannot import grpc and grpc_tools: apt-get install python3-grpcio python3-grpc-tools`,
    );
    const include = spawnSync(
      PYTHON,
      ["-c", "import grpc_tools, os; print(os.path.join(os.path.dirname(grpc_tools.__file__), '_proto'))"],
      { encoding: "utf8" },
    ).stdout.trim();
    const compiled = spawnSync(
      PYTHON,
      [
        "-m",
        "grpc_tools.protoc",
        "-I",
        protoRoot,
        "-I",
        include,
        `--python_out=${stubs}`,
        "google/rpc/status.proto",
        "google/rpc/error_details.proto",
      ],
      { encoding: "utf8" },
    );
    assert.equal(compiled.status, 0, compiled.stderr);
  });

  test("an invalid market: Python decodes the BadRequest of grpc-status-details-bin", async () => {
    const market = smallMarket("bad");
    market.agents[2] = { ...market.agents[2], powerMin: 5, powerMax: -5 };
    const bytes = service.SolveMarket.requestSerialize({ market });
    const out = await python("SolveMarket", bytes, [`authorization=Bearer ${ADMIN}`]);
    assert.equal(out.code, "INVALID_ARGUMENT");
    assert.equal(out.status?.code, 3);
    assert.equal(out.status?.message, out.details);
    assert.deepEqual(out.status?.details, [
      {
        type: "google.rpc.BadRequest",
        field_violations: [{ field: "market.agents[2].powerMin", description: fieldDescription(out) }],
      },
    ]);
  });

  test("two authorization headers (admin and aggregator): UNAUTHENTICATED, not the first one's rights", async () => {
    const list = service.ListSolutions.requestSerialize({ view: "SOLUTION_VIEW_FULL" });
    assert.equal((await python("ListSolutions", list, [`authorization=Bearer ${ADMIN}`])).code, "OK");
    for (const headers of [
      [`authorization=Bearer ${ADMIN}`, `authorization=Bearer ${AGGREGATOR}`],
      [`authorization=Bearer ${AGGREGATOR}`, `authorization=Bearer ${ADMIN}`],
      [`authorization=Bearer ${ADMIN}`, `authorization=Bearer ${ADMIN}`],
    ]) {
      const out = await python("ListSolutions", list, headers);
      assert.equal(out.code, "UNAUTHENTICATED", JSON.stringify(out));
      assert.match(out.details, /more than one authorization header/);
      assert.equal(out.status?.code, 16);
    }
  });
});

function fieldDescription(out: { status: { details: Record<string, unknown>[] } | null }): string {
  const first = (out.status?.details[0]?.field_violations as { description: string }[] | undefined)?.[0];
  assert.ok(first && first.description.length > 0);
  return first.description;
}
