import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { readBundledCase } from "./bundled.js";
import { parseMatpower } from "./matpower.js";
import { PMAX, BR_X } from "./matpower-types.js";
import { MatpowerParseError, ScenarioError } from "./scenario-error.js";

const SMALL = [
  "function mpc = tiny", // 1
  "mpc.version = '2';", // 2
  "mpc.baseMVA = 100;", // 3
  "mpc.bus = [", // 4
  "\t1\t3\t0\t0\t0\t0\t1\t1\t0\t135\t1\t1.05\t0.95;", // 5
  "\t2\t1\t10\t0\t0\t0\t1\t1\t0\t135\t1\t1.05\t0.95;", // 6
  "];", // 7
  "mpc.gen = [", // 8
  "\t1\t0\t0\t0\t0\t1\t100\t1\t50\t0;", // 9
  "];", // 10
  "mpc.branch = [", // 11
  "\t1\t2\t0.01\t0.1\t0\t0\t0\t0\t0\t0\t1\t-360\t360;", // 12
  "];", // 13
  "mpc.gencost = [", // 14
  "\t2\t0\t0\t3\t0.01\t20\t0;", // 15
  "];", // 16
].join("\n");

/** The MatpowerParseError of parsing `text`, checked to carry line and column. */
function parseError(text: string): MatpowerParseError {
  try {
    parseMatpower(text, "case.m");
  } catch (e) {
    assert.ok(e instanceof MatpowerParseError, `expected a MatpowerParseError, got ${String(e)}`);
    assert.ok(e instanceof ScenarioError);
    assert.ok(e.line >= 1 && e.column >= 1);
    return e;
  }
  assert.fail("no error");
}

const lines = SMALL.split("\n");
const withLine = (i: number, text: string) => [...lines.slice(0, i - 1), text, ...lines.slice(i)].join("\n");

describe("parseMatpower on malformed input", () => {
  it("parses the well-formed reference case", () => {
    const c = parseMatpower(SMALL, "case.m");
    assert.equal(c.bus.length, 2);
    assert.equal(c.gen[0][PMAX], 50);
  });

  it("rejects a value that is not a number, with file, line and column", () => {
    const e = parseError(withLine(12, "\t1\t2\tabc\t0.1\t0\t0\t0\t0\t0\t0\t1\t-360\t360;"));
    assert.equal(e.message, "case.m:12:6: expected a number, got 'abc'");
    assert.equal(e.line, 12);
    assert.equal(e.column, 6);
  });

  it("rejects a truncated file and an unclosed matrix at the opening line", () => {
    const e = parseError(lines.slice(0, 9).join("\n"));
    assert.equal(e.line, 8);
    assert.match(e.message, /mpc\.gen .*never closed/);
    const unclosed = parseError(withLine(10, ""));
    assert.equal(unclosed.line, 11);
    assert.match(
      unclosed.message,
      /case\.m:11:1: expected a number, got 'mpc': the matrix mpc\.gen opened at line 8 is not closed/,
    );
  });

  it("rejects ragged rows at the short row", () => {
    const e = parseError(withLine(6, "\t2\t1\t10\t0\t0\t0\t1\t1\t0\t135\t1\t1.05;"));
    assert.equal(e.line, 6);
    assert.match(e.message, /row 2 of mpc\.bus has 12 values, the rows before have 13/);
  });

  it("rejects garbage statements and characters", () => {
    assert.equal(parseError(SMALL + "\nfoo bar baz\n").line, 17);
    assert.match(parseError(SMALL + "\nfoo bar baz\n").message, /unrecognised statement starting with 'foo'/);
    assert.match(parseError(withLine(3, "mpc.baseMVA = 100; $")).message, /case\.m:3:20: unexpected character '\$'/);
    assert.match(parseError("\u0000\u0001").message, /1:1: unexpected character U\+0000/);
    assert.match(parseError("%% nothing here\n").message, /mpc\.baseMVA: missing/);
    assert.match(
      parseError(withLine(9, "\t1 0 0 0 0 1 100 1 50 0 1-2;")).message,
      /9:\d+: expected a space or ',' between values, got '-'/,
    );
    assert.match(
      parseError(withLine(9, "\t1 0 0 0 0 1 100 1 50 - 2;")).message,
      /9:\d+: expected a number, got '-' followed by a space/,
    );
    assert.match(parseError(withLine(9, "\t1,,0 0 0 0 1 100 1 50 0;")).message, /9:4: expected a number, got ','/);
    assert.match(parseError(withLine(9, "\t1 0 0 0 0 1 100 1 50 12abc;")).message, /9:\d+: invalid number '12abc'/);
  });

  it("rejects missing matrices and too few columns", () => {
    const noGen = [...lines.slice(0, 7), ...lines.slice(10)].join("\n");
    assert.match(parseError(noGen).message, /mpc\.gen: missing: a numeric matrix/);
    assert.match(
      parseError(withLine(9, "\t1\t0\t0\t0\t0\t1\t100\t1\t50;")).message,
      /8:1: mpc\.gen: has 9 columns; MATPOWER needs at least 10/,
    );
    assert.match(parseError(withLine(3, "mpc.baseMVA = -1;")).message, /3:15: mpc\.baseMVA: must be a positive number/);
  });

  it("rejects references to buses that do not exist, and duplicate bus numbers", () => {
    assert.match(
      parseError(withLine(12, "\t1\t7\t0.01\t0.1\t0\t0\t0\t0\t0\t0\t1\t-360\t360;")).message,
      /case\.m:12:1: mpc\.branch: row 1: to bus 7 is not in mpc\.bus/,
    );
    assert.match(
      parseError(withLine(9, "\t4\t0\t0\t0\t0\t1\t100\t1\t50\t0;")).message,
      /9:1: mpc\.gen: row 1: bus 4 is not in mpc\.bus/,
    );
    assert.match(
      parseError(withLine(6, lines[4])).message,
      /6:1: mpc\.bus: row 2: bus number 1 is already used by row 1/,
    );
  });

  it("rejects inconsistent gencost rows", () => {
    assert.match(
      parseError(withLine(15, "\t2\t0\t0\t4\t0.01\t20\t0;")).message,
      /15:1: mpc\.gencost: row 1: 4 coefficients need 8 columns/,
    );
    assert.match(
      parseError(withLine(15, "\t3\t0\t0\t3\t0.01\t20\t0;")).message,
      /cost model must be 1 \(piecewise linear\) or 2/,
    );
  });

  it("rejects other format versions and version-1 headers", () => {
    assert.match(
      parseError(withLine(2, "mpc.version = '1';")).message,
      /2:15: mpc\.version: MATPOWER case format version '1' is not supported/,
    );
    assert.match(parseError("function [baseMVA, bus, gen, branch] = old\n").message, /version 1 .* is not supported/);
  });

  it("rejects statements that would change the data in ways it cannot follow", () => {
    assert.match(
      parseError(SMALL + "\nmpc.gen(:, PMAX) = sort(mpc.gen(:, PMAX));").message,
      /17:20: unsupported function 'sort'/,
    );
    assert.match(parseError(SMALL + "\nmpc.gen{1} = 3;").message, /17:8: mpc\.gen is numeric/);
    assert.match(
      parseError(SMALL + "\nmpc.gen(1, 11) = 3;").message,
      /column of mpc\.gen: index 11 is out of range \(size 10\)/,
    );
    assert.match(
      parseError(SMALL + "\nmpc.gen(:, [9 10]) = [1 2 3];").message,
      /cannot assign a 1×3 value to 1×2 elements of mpc\.gen/,
    );
    assert.match(
      parseError(SMALL + "\nmpc = loadcase('x');").message,
      /17:1: assigning 'mpc' as a whole is not supported/,
    );
    assert.match(
      parseError(SMALL + "\nmpc.branch(:, BR_X) = mpc.branch(:, BR_X) / Zb;").message,
      /17:45: undefined name 'Zb'/,
    );
    assert.match(parseError(SMALL + "\n[A, B] = idx_foo;").message, /unsupported function 'idx_foo'/);
    assert.match(parseError(SMALL + "\nx = (1 + 2;").message, /17:11: expected '\)'/);
    assert.match(
      parseError(SMALL + "\nmpc.bus_name = {\n'a';\n").message,
      /17:16: '\{' opened at line 17, column 16 is never closed/,
    );
    assert.match(parseError(SMALL + "\nmpc.name = 'unterminated\n").message, /17:12: unterminated string/);
  });

  it("applies the unit-conversion statements MATLAB would run", () => {
    const c = parseMatpower(
      SMALL +
        "\n[GEN_BUS, PG, QG, QMAX, QMIN, VG, MBASE, GEN_STATUS, PMAX, PMIN] = idx_gen;" +
        "\nscale = 2 ^ 2 / (1 + 1);  % = 2" +
        "\nmpc.gen(1, PMAX) = mpc.gen(1, PMAX) * scale;" +
        "\nmpc.branch(:, [BR_R, BR_X]) = mpc.branch(:, [BR_R BR_X]) ./ [10 100];" +
        "\nmpc.bus(end, 3:4) = -mpc.bus(end, 3:4) - 1;",
      "case.m",
    );
    assert.equal(c.gen[0][PMAX], 100);
    assert.deepEqual([c.branch[0][2], c.branch[0][BR_X]], [0.01 / 10, 0.1 / 100]);
    assert.deepEqual(c.bus[1].slice(2, 4), [-11, -1]);
  });

  it("skips cell arrays, block comments, continuations and strings holding comment marks", () => {
    const c = parseMatpower(
      SMALL +
        "\nmpc.bus_name = {\n\t'Bus 1 % not a comment';\n\t'Bus 2';\n};" +
        "\nmpc.areapos = cell(max(mpc.bus(:,7)),1);\nmpc.areapos{1} = [57/255 0.5;\n 0.1 0.2];" +
        "\n%{\nmpc.gen = [];\n%}\nmpc.genpos = [ 1, 2 ; ...\n 3, 4 ];",
      "case.m",
    );
    assert.equal(c.gen.length, 1);
    assert.deepEqual(c.extra, {
      genpos: [
        [1, 2],
        [3, 4],
      ],
    });
  });

  it("never fails with anything but MatpowerParseError on truncated or corrupted real cases", () => {
    const text = readBundledCase("case33bw");
    for (let cut = 0; cut < text.length; cut += 97) {
      for (const variant of [text.slice(0, cut), text.slice(0, cut) + "#@!" + text.slice(cut + 3)]) {
        try {
          parseMatpower(variant, "case33bw.m");
        } catch (e) {
          assert.ok(e instanceof MatpowerParseError, `cut at ${cut}: ${String(e)}`);
        }
      }
    }
  });
});
