import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { bundledCaseNames, readBundledCase, resolveNetworkCase } from "./bundled.js";
import { MatpowerParseError, ScenarioError } from "./scenario-error.js";

describe("bundled cases", () => {
  it("lists the seven shipped cases", () => {
    assert.deepEqual(bundledCaseNames(), [
      "case118",
      "case14",
      "case300",
      "case33bw",
      "case39",
      "case39b_31a",
      "case69",
    ]);
  });

  it("reads a case's text, keeping the header that names its source", () => {
    const text = readBundledCase("case14");
    assert.match(text, /^function mpc = case14/);
    assert.match(text, /labs\.ece\.uw\.edu\/pstca/);
  });

  it("rejects an unknown name, listing the available ones, and never reads outside the directory", () => {
    for (const name of ["case15", "../package", "case14.m", ""]) {
      assert.throws(
        () => readBundledCase(name, "network.bundledCase"),
        (e: unknown) =>
          e instanceof ScenarioError &&
          e.path === "network.bundledCase" &&
          /unknown bundled case .*available: case118, case14, case300/.test(e.message),
      );
    }
  });
});

describe("resolveNetworkCase", () => {
  it("parses a bundled case by name and inline MATPOWER text", () => {
    const bundled = resolveNetworkCase({ bundledCase: "case39", source: "bundledCase" });
    assert.equal(bundled?.bus.length, 39);
    const inline = resolveNetworkCase({ matpower: readBundledCase("case14") });
    assert.equal(inline?.name, "case14");
    assert.equal(inline?.branch.length, 20);
  });

  it("returns null without a network source", () => {
    assert.equal(resolveNetworkCase({}), null);
  });

  it("places errors of inline text at network.matpower with line and column", () => {
    const text = readBundledCase("case14").replace("mpc.baseMVA = 100;", "mpc.baseMVA = 100 x;");
    assert.throws(
      () => resolveNetworkCase({ matpower: text, source: "matpower" }, "market.network"),
      (e: unknown) =>
        e instanceof MatpowerParseError &&
        e.source === "market.network.matpower" &&
        e.line === 20 &&
        /^market\.network\.matpower:20:19: /.test(e.message),
    );
    assert.throws(() => resolveNetworkCase({ matpower: " ", source: "matpower" }), /network\.matpower: is empty/);
    assert.throws(
      () => resolveNetworkCase({ matpower: "x", bundledCase: "case14" }),
      /network: only one of matpower, bundledCase may be set/,
    );
  });
});
