import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { bundledCaseNames, readBundledCase } from "./bundled.js";
import { parseMatpower } from "./matpower.js";
import { BASE_KV, BR_R, BR_STATUS, BR_X, BUS_I, GEN_STATUS, PD, QD } from "./matpower-types.js";

/**
 * The raw rows of `mpc.<name> = [ ... ];` in a case file, one per line, read with a plain line
 * scan (independent of the parser): comments and trailing `;` dropped, split on blanks.
 */
function rawRows(text: string, name: string): number[][] {
  const lines = text.split(/\r?\n/);
  const start = lines.findIndex((l) => l.startsWith(`mpc.${name} = [`));
  assert.ok(start >= 0, `mpc.${name} not found`);
  const rows: number[][] = [];
  for (let i = start + 1; !lines[i].startsWith("];"); i++) {
    const body = lines[i].replace(/%.*/, "").replace(/;\s*$/, "").trim();
    if (body !== "") rows.push(body.split(/\s+/).map(Number));
  }
  return rows;
}

function rawScalar(text: string, name: string): number {
  const m = new RegExp(`^mpc\\.${name} = ([0-9.eE+-]+);`, "m").exec(text);
  assert.ok(m, `mpc.${name} not found`);
  return Number(m[1]);
}

describe("parseMatpower on the bundled cases", () => {
  for (const name of bundledCaseNames()) {
    it(`${name}: bus, gen, branch and gencost rows match the file`, () => {
      const text = readBundledCase(name);
      const c = parseMatpower(text, `${name}.m`);
      for (const m of ["bus", "gen", "branch", "gencost"] as const) {
        const raw = rawRows(text, m);
        assert.equal(c[m].length, raw.length, `${name} ${m} rows`);
        assert.deepEqual(c[m][0].length, raw[0].length, `${name} ${m} columns`);
      }
      assert.equal(c.baseMVA, rawScalar(text, "baseMVA"));
      // Buses and generators are not converted: they match the file exactly (case33bw/case69 loads aside).
      assert.deepEqual(
        c.bus.map((r) => r[BUS_I]),
        rawRows(text, "bus").map((r) => r[BUS_I]),
      );
      assert.deepEqual(c.gen, rawRows(text, "gen"));
    });
  }

  it("keeps case300's non-consecutive bus numbers", () => {
    const c = parseMatpower(readBundledCase("case300"), "case300.m");
    const ids = c.bus.map((r) => r[BUS_I]);
    assert.equal(ids.length, 300);
    assert.equal(new Set(ids).size, 300);
    assert.ok(ids.includes(9001) && ids.includes(7166), "bus numbers 9001 and 7166 are kept");
    assert.ok(Math.max(...ids) > 300);
    assert.equal(c.name, "case300");
  });

  for (const name of ["case33bw", "case69"]) {
    it(`${name}: converts r, x from ohms to p.u. and loads from kW to MW`, () => {
      const text = readBundledCase(name);
      const c = parseMatpower(text, `${name}.m`);
      const rawBranch = rawRows(text, "branch");
      const rawBus = rawRows(text, "bus");
      const vbase = rawBus[0][BASE_KV] * 1e3;
      const sbase = rawScalar(text, "baseMVA") * 1e6;
      const zbase = vbase ** 2 / sbase;
      for (const i of [0, 7, rawBranch.length - 1]) {
        assert.equal(c.branch[i][BR_R], rawBranch[i][BR_R] / zbase);
        assert.equal(c.branch[i][BR_X], rawBranch[i][BR_X] / zbase);
        assert.ok(Math.abs(c.branch[i][BR_R] - rawBranch[i][BR_R] / ((12.66e3 * 12.66e3) / 10e6)) < 1e-15);
      }
      const loaded = rawBus.findIndex((r) => r[PD] > 0);
      assert.equal(c.bus[loaded][PD], rawBus[loaded][PD] / 1e3);
      assert.equal(c.bus[loaded][QD], rawBus[loaded][QD] / 1e3);
      assert.ok(c.bus[loaded][PD] < 1, "loads are in MW");
    });
  }

  it("case33bw has 5 out-of-service branches (the tie lines)", () => {
    const c = parseMatpower(readBundledCase("case33bw"), "case33bw.m");
    assert.equal(c.branch.length, 37);
    assert.equal(c.branch.filter((r) => r[BR_STATUS] === 0).length, 5);
  });

  it("case39b_31a: extra matrices, the function name and comments after values", () => {
    const text = readBundledCase("case39b_31a");
    const c = parseMatpower(text, "case39b_31a.m");
    assert.equal(c.name, "case39b_30a");
    assert.deepEqual(Object.keys(c.extra).sort(), ["bus_add", "genpos"]);
    assert.equal(c.extra.genpos.length, 31);
    assert.deepEqual(c.extra.genpos[0], [0.579, 0.185]);
    assert.equal(c.extra.bus_add.length, 39);
    assert.deepEqual(c.gencost[9], [2, 0, 0, 3, 0.026, 69, 0]);
    assert.ok(c.gen.every((g) => g[GEN_STATUS] === 1));
  });
});
