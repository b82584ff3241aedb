import { basename } from "node:path";
import { readCaseStatements, type CaseStatements, type MatrixField } from "./matpower-reader.js";
import { BUS_I, COST, F_BUS, GEN_BUS, MODEL, NCOST, T_BUS, type MatpowerCase } from "./matpower-types.js";
import { MatpowerParseError } from "./scenario-error.js";

/** Fewest columns MATPOWER version 2 accepts (bus up to VMIN, gen up to PMIN, branch up to BR_STATUS, gencost up to NCOST). */
const MIN_COLUMNS: Record<string, [number, string]> = {
  bus: [13, "bus_i type Pd Qd Gs Bs area Vm Va baseKV zone Vmax Vmin"],
  gen: [10, "bus Pg Qg Qmax Qmin Vg mBase status Pmax Pmin"],
  branch: [11, "fbus tbus r x b rateA rateB rateC ratio angle status"],
  gencost: [4, "model startup shutdown n"],
};

/**
 * Parses a MATPOWER case file (format version 2): `mpc.version`, `mpc.baseMVA` and every
 * `mpc.<name> = [ ... ];` numeric matrix (bus, gen, branch, gencost; any other, such as `genpos`
 * or `bus_add`, goes to `extra`), with `%` comments, `...` continuations and rows separated by
 * `;` and/or new lines. Statements after the matrices that convert units (the Baran–Wu feeders'
 * ohms → p.u. and kW → MW) are evaluated as MATLAB would; cell arrays are skipped; any other
 * statement is an error. Checks that bus, gen and branch exist with enough columns, that bus
 * numbers are unique positive integers named by every gen and branch, and that gencost rows are
 * consistent. Throws MatpowerParseError (`case.m:12:5: expected a number, got 'abc'`).
 */
export function parseMatpower(text: string, source = ""): MatpowerCase {
  const st = readCaseStatements(text, source);
  const fail = (detail: string, line: number, column: number, path = ""): never => {
    throw new MatpowerParseError(detail, line, column, source, path);
  };
  if (st.version && st.version.value !== "2") {
    const t = st.version.token;
    fail(
      `MATPOWER case format version '${st.version.value}' is not supported (only version 2)`,
      t.line,
      t.column,
      "mpc.version",
    );
  }
  const base = st.scalars.get("baseMVA");
  if (!base)
    return fail("missing: the system MVA base (mpc.baseMVA = 100;)", st.end.line, st.end.column, "mpc.baseMVA");
  if (!(Number.isFinite(base.value) && base.value > 0)) {
    fail(`must be a positive number, got ${base.value}`, base.token.line, base.token.column, "mpc.baseMVA");
  }
  const bus = required(st, "bus", fail);
  const gen = required(st, "gen", fail);
  const branch = required(st, "branch", fail);
  const gencost = st.matrices.get("gencost");
  if (gencost) checkColumns("gencost", gencost, fail);
  if (bus.rows.length === 0) fail("has no rows", bus.line, bus.column, "mpc.bus");
  checkBusReferences(bus, gen, branch, fail);
  if (gencost) checkGencost(gencost, gen.rows.length, fail);
  const extra: Record<string, number[][]> = {};
  for (const [name, m] of st.matrices) {
    if (!["bus", "gen", "branch", "gencost"].includes(name)) extra[name] = m.rows;
  }
  return {
    name: st.name || (source.endsWith(".m") ? basename(source, ".m") : ""),
    baseMVA: base.value,
    bus: bus.rows,
    gen: gen.rows,
    branch: branch.rows,
    gencost: gencost ? gencost.rows : [],
    extra,
  };
}

type Fail = (detail: string, line: number, column: number, path?: string) => never;

function required(st: CaseStatements, name: string, fail: Fail): MatrixField {
  const m = st.matrices.get(name);
  if (!m)
    return fail(
      `missing: a numeric matrix with columns ${MIN_COLUMNS[name][1]}`,
      st.end.line,
      st.end.column,
      `mpc.${name}`,
    );
  checkColumns(name, m, fail);
  return m;
}

function checkColumns(name: string, m: MatrixField, fail: Fail): void {
  const [min, columns] = MIN_COLUMNS[name];
  const cols = m.rows.length > 0 ? m.rows[0].length : min;
  if (cols < min)
    fail(`has ${cols} columns; MATPOWER needs at least ${min} (${columns})`, m.line, m.column, `mpc.${name}`);
}

function checkBusReferences(bus: MatrixField, gen: MatrixField, branch: MatrixField, fail: Fail): void {
  const firstRow = new Map<number, number>();
  bus.rows.forEach((r, i) => {
    const id = r[BUS_I];
    if (!(Number.isInteger(id) && id > 0))
      fail(`row ${i + 1}: bus number must be a positive integer, got ${id}`, bus.rowLines[i], 1, "mpc.bus");
    const earlier = firstRow.get(id);
    if (earlier !== undefined)
      fail(`row ${i + 1}: bus number ${id} is already used by row ${earlier + 1}`, bus.rowLines[i], 1, "mpc.bus");
    firstRow.set(id, i);
  });
  const checkBus = (m: MatrixField, name: string, col: number, label: string) => {
    m.rows.forEach((r, i) => {
      if (!firstRow.has(r[col]))
        fail(`row ${i + 1}: ${label} ${r[col]} is not in mpc.bus`, m.rowLines[i], 1, `mpc.${name}`);
    });
  };
  checkBus(gen, "gen", GEN_BUS, "bus");
  checkBus(branch, "branch", F_BUS, "from bus");
  checkBus(branch, "branch", T_BUS, "to bus");
}

function checkGencost(gc: MatrixField, nGen: number, fail: Fail): void {
  const n = gc.rows.length;
  if (n > 0 && n !== nGen && n !== 2 * nGen) {
    fail(
      `has ${n} rows; it needs one per generator (${nGen}), or two per generator with reactive costs`,
      gc.line,
      gc.column,
      "mpc.gencost",
    );
  }
  gc.rows.forEach((r, i) => {
    const where = `row ${i + 1}`;
    const model = r[MODEL];
    const k = r[NCOST];
    if (model !== 1 && model !== 2)
      fail(
        `${where}: cost model must be 1 (piecewise linear) or 2 (polynomial), got ${model}`,
        gc.rowLines[i],
        1,
        "mpc.gencost",
      );
    if (!(Number.isInteger(k) && k >= 0))
      fail(
        `${where}: the number of cost coefficients or points must be a non-negative integer, got ${k}`,
        gc.rowLines[i],
        1,
        "mpc.gencost",
      );
    const need = COST + (model === 1 ? 2 * k : k);
    if (r.length < need) {
      fail(
        `${where}: ${model === 1 ? `${k} points need` : `${k} coefficients need`} ${need} columns, the row has ${r.length}`,
        gc.rowLines[i],
        1,
        "mpc.gencost",
      );
    }
  });
}
