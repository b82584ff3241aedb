import { test } from "node:test";
import assert from "node:assert/strict";
import { MAX_EXPR_DEPTH } from "./matpower-expr.js";
import { parseMatpower } from "./matpower.js";
import { MatpowerParseError, ScenarioError } from "./scenario-error.js";
import { parseMarketJson } from "./scenario-json.js";
import type { Market } from "./types.js";
import { validateMarket } from "./validate.js";
import { validateSolverSettings } from "./validate-settings.js";

const base = {
  name: "x",
  agents: [
    { id: "a", powerMin: 0, powerMax: 1, costLinear: 1 },
    { id: "b", powerMin: -1, powerMax: 0, costLinear: 5 },
  ],
};

test("an unknown tradingGraph is refused by the JSON loader and by validation (a decoder keeps it as a number)", () => {
  for (const value of [3, 99, -1, "TRADING_GRAPH_RING"]) {
    assert.throws(
      () => parseMarketJson(JSON.stringify({ ...base, tradingGraph: value })),
      (err: unknown) =>
        err instanceof ScenarioError && err.path === "tradingGraph" && /unknown enum value/.test(err.message),
      String(value),
    );
    const decoded = { ...parseMarketJson(JSON.stringify(base)), tradingGraph: value } as unknown as Market;
    const issues = validateMarket(decoded);
    assert.deepEqual(
      issues.map((i) => i.path),
      ["tradingGraph"],
      String(value),
    );
    assert.match(
      issues[0].message,
      /unknown value .* \(expected TRADING_GRAPH_UNSPECIFIED, TRADING_GRAPH_COMPLETE, TRADING_GRAPH_EXPLICIT\)/,
    );
  }
  assert.deepEqual(validateMarket(parseMarketJson(JSON.stringify({ ...base, tradingGraph: 1 }))), []);
  const design = {
    ...parseMarketJson(JSON.stringify(base)),
    charges: { design: 9, unitFee: 1, zoneDistances: [] },
  } as unknown as Market;
  assert.deepEqual(
    validateMarket(design).map((i) => i.path),
    ["charges.design"],
  );
});

test("MATPOWER expressions nested 100 000 deep: a parse error with its line, not a stack overflow", () => {
  for (const [open, close] of [
    ["(", ")"],
    ["[", "]"],
    ["-", ""],
    ["+", ""],
    ["mpc.bus(", ", 1)"],
  ]) {
    const text = `function mpc = deep\nmpc.version = '2';\nmpc.baseMVA = 100;\nmpc.bus = [1 3 0 0 0 0 1 1 0 345 1 1.1 0.9];\nx = ${open.repeat(100_000)}1${close.repeat(100_000)};\n`;
    assert.throws(
      () => parseMatpower(text, "deep.m"),
      (err: unknown) =>
        err instanceof MatpowerParseError &&
        err.line === 5 &&
        new RegExp(`nested more than ${MAX_EXPR_DEPTH} levels deep`).test(err.message),
      open,
    );
  }
  // nesting within the bound still evaluates
  const ok = parseMatpower(
    `function mpc = c\nmpc.version = '2';\nmpc.baseMVA = ${"(".repeat(200)}100${")".repeat(200)};\nmpc.bus = [1 3 0 0 0 0 1 1 0 345 1 1.1 0.9];\nmpc.gen = [];\nmpc.branch = [];\n`,
    "ok.m",
  );
  assert.equal(ok.baseMVA, 100);
});

test("solver settings: NaN, negative, out-of-range values are issues at their field", () => {
  assert.deepEqual(validateSolverSettings(undefined), []);
  assert.deepEqual(
    validateSolverSettings({
      timeLimitS: 0,
      rho: 0,
      epsAbs: 1e-4,
      maxIter: 1,
      alpha: 1.9,
      workers: 0,
      warmStartSolutionId: "",
    }),
    [],
  );
  const paths = (s: Parameters<typeof validateSolverSettings>[0]) => validateSolverSettings(s).map((i) => i.path);
  assert.deepEqual(paths({ timeLimitS: NaN, warmStartSolutionId: "" }), ["timeLimitS"]);
  assert.deepEqual(paths({ timeLimitS: -1, warmStartSolutionId: "" }), ["timeLimitS"]);
  assert.deepEqual(paths({ timeLimitS: Infinity, warmStartSolutionId: "" }), ["timeLimitS"]);
  assert.deepEqual(
    paths({ rho: -1, alpha: 2, maxIter: 0, checkTermination: 1.5, workers: -1, warmStartSolutionId: "" }),
    ["rho", "maxIter", "checkTermination", "alpha", "workers"],
  );
  assert.deepEqual(paths({ epsAbs: 0, epsRel: 0, warmStartSolutionId: "" }), ["epsRel"]);
  assert.deepEqual(paths({ rho: 1e101, warmStartSolutionId: "" }), ["rho"]);
});
