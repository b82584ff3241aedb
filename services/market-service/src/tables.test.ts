import { test } from "node:test";
import assert from "node:assert/strict";
import { fixed, formatTable } from "./tables.js";

test("tables pad columns to their widest cell", () => {
  const text = formatTable(
    ["seller", "price"],
    [
      ["g1", "57.23"],
      ["generator_10", "5.00"],
    ],
    ["left", "right"],
  );
  assert.equal(
    text,
    ["seller        price", "------------  -----", "g1            57.23", "generator_10   5.00"].join("\n"),
  );
});

test("fixed prints non-finite numbers as a dash", () => {
  assert.equal(fixed(1.005, 1), "1.0");
  assert.equal(fixed(Infinity), "-");
});
