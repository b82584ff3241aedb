import { test } from "node:test";
import assert from "node:assert/strict";
import { marketServiceDefinition, messageCodec } from "./proto.js";

test("MarketService has the eight methods of the API", () => {
  const def = marketServiceDefinition();
  assert.deepEqual(Object.keys(def).sort(), [
    "CompareMechanisms",
    "GetComparison",
    "GetNetworkCharges",
    "GetSolution",
    "ListSolutionTrades",
    "ListSolutions",
    "SolveMarket",
    "StreamSolveMarket",
  ]);
  assert.equal(def.StreamSolveMarket.responseStream, true);
  assert.equal(def.SolveMarket.path, "/peermarket.v1.MarketService/SolveMarket");
});

test("the codec keeps infinite bounds, enums, optional settings and the network oneof", () => {
  const codec = messageCodec();
  const request = {
    market: {
      name: "m",
      agents: [{ id: "a", powerMin: -Infinity, powerMax: 0, costLinear: 40, attributes: { technology: "pv" } }],
      tradingGraph: "TRADING_GRAPH_EXPLICIT",
      network: { bundledCase: "case39" },
      charges: { design: "CHARGE_DESIGN_ZONAL", unitFee: 10, sellerShare: 0.25 },
    },
    settings: { epsAbs: 1e-6, warmStartSolutionId: "" },
    progressInterval: 5,
  };
  const back = codec.decodeRequest(codec.encodeRequest(request as never));
  const market = back.market!;
  assert.equal(market.agents[0].powerMin, -Infinity);
  assert.equal(market.agents[0].costQuadratic, 0);
  assert.deepEqual(market.agents[0].attributes, { technology: "pv" });
  assert.equal(market.tradingGraph, "TRADING_GRAPH_EXPLICIT");
  assert.equal(market.network?.source, "bundledCase");
  assert.equal(market.network?.bundledCase, "case39");
  assert.equal(market.charges?.sellerShare, 0.25);
  assert.equal(market.charges?.targetRevenue, undefined);
  assert.equal(back.settings?.epsAbs, 1e-6);
  assert.equal(back.settings?.rho, undefined);
  assert.equal(back.progressInterval, 5);
});

test("the codec round-trips a solution", () => {
  const codec = messageCodec();
  const solution = {
    id: "sol_x",
    status: "SOLVE_STATUS_SOLVED",
    iterations: 12,
    objective: -123.5,
    agents: [{ id: "a", power: -3 }],
    trades: [{ sellerId: "b", buyerId: "a", power: 3, price: 57.23 }],
    createTime: "2024-01-01T00:00:00.000Z",
  };
  const back = codec.decodeSolution(codec.encodeSolution(solution as never));
  assert.equal(back.status, "SOLVE_STATUS_SOLVED");
  assert.equal(back.trades[0].price, 57.23);
  assert.equal(back.agents[0].power, -3);
  assert.equal(back.dualResidual, 0);
  assert.equal(back.createTime, "2024-01-01T00:00:00.000Z");
});
