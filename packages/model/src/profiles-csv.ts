import { ScenarioError } from "./scenario-error.js";
import type { Market } from "./types.js";

/** An error in a profiles CSV file, naming the row (1-based, the header is row 0) and the column. */
export class ProfilesCsvError extends ScenarioError {
  /** Data row (1 = the first period), 0 for the header. */
  readonly row: number;
  /** Column header (e.g. `pv-7.power_max`), "" when not about one column. */
  readonly csvColumn: string;

  constructor(detail: string, o: { source?: string; line?: number; column?: number; row: number; csvColumn: string }) {
    const where = [
      o.row > 0 ? `row ${o.row}` : o.row === 0 ? "header" : "",
      o.csvColumn ? `column ${JSON.stringify(o.csvColumn)}` : "",
    ]
      .filter((s) => s !== "")
      .join(", ");
    super(where ? `${where}: ${detail}` : detail, { source: o.source, line: o.line, column: o.column });
    this.name = "ProfilesCsvError";
    this.row = o.row;
    this.csvColumn = o.csvColumn;
  }
}

const AGENT_FIELDS: Record<
  string,
  "costQuadraticProfile" | "costLinearProfile" | "powerMinProfile" | "powerMaxProfile"
> = {
  cost_quadratic: "costQuadraticProfile",
  costQuadratic: "costQuadraticProfile",
  cost_linear: "costLinearProfile",
  costLinear: "costLinearProfile",
  power_min: "powerMinProfile",
  powerMin: "powerMinProfile",
  power_max: "powerMaxProfile",
  powerMax: "powerMaxProfile",
};
const GRID_FIELDS: Record<
  string,
  "importPriceProfile" | "exportPriceProfile" | "importMaxProfile" | "exportMaxProfile"
> = {
  import_price: "importPriceProfile",
  importPrice: "importPriceProfile",
  export_price: "exportPriceProfile",
  exportPrice: "exportPriceProfile",
  import_max: "importMaxProfile",
  importMax: "importMaxProfile",
  export_max: "exportMaxProfile",
  exportMax: "exportMaxProfile",
};
/** Headers of a first column that labels the periods and is not read. */
const LABEL_COLUMNS = new Set(["period", "time", "t", "start", "start_time", "timestamp", "datetime", "hour"]);

interface Cell {
  text: string;
  /** 1-based column in the line. */
  col: number;
}

/** Splits one CSV line (comma-separated, fields may be double-quoted with "" escapes). */
function splitLine(line: string, lineNo: number, source: string): Cell[] {
  const cells: Cell[] = [];
  let i = 0;
  for (;;) {
    const col = i + 1;
    let text = "";
    if (line[i] === '"') {
      i++;
      for (;;) {
        if (i >= line.length)
          throw new ProfilesCsvError("unterminated quoted field", {
            source,
            line: lineNo,
            column: col,
            row: -1,
            csvColumn: "",
          });
        if (line[i] === '"') {
          if (line[i + 1] === '"') {
            text += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        text += line[i++];
      }
      while (i < line.length && line[i] !== ",") i++;
    } else {
      const j = line.indexOf(",", i);
      const end = j < 0 ? line.length : j;
      text = line.slice(i, end);
      i = end;
    }
    cells.push({ text: text.trim(), col });
    if (i >= line.length) break;
    i++; // the comma
  }
  return cells;
}

/**
 * Reads per-period profiles from CSV text into a copy of `market` (docs/multi-period.md): a header
 * row, then one row per period; each column is `AGENT-ID.FIELD` (FIELD: power_min, power_max,
 * cost_linear, cost_quadratic; lowerCamelCase accepted), `grid.FIELD` (import_price, export_price,
 * import_max, export_max) or `charges.unit_fee`. An optional first column named `period`, `time`,
 * `start_time`, … labels the rows and is not read. Without a horizon, the market gets one of as
 * many periods as there are rows, of one hour each; with one, the rows must match its periods.
 * Numbers may be written `Infinity` / `-Infinity` (for unbounded powers). Throws a
 * ProfilesCsvError naming the row and column of the first problem: an unknown agent or field, a
 * column given twice, a row with too few or too many cells, a cell that is not a number, a row
 * count different from the horizon's.
 */
export function loadProfilesCsv(text: string, market: Market, source = ""): Market {
  const lines = text.split(/\r?\n/);
  const rows: { cells: Cell[]; line: number }[] = [];
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    if (l.trim() === "" || l.trimStart().startsWith("#")) continue;
    rows.push({ cells: splitLine(l, i + 1, source), line: i + 1 });
  }
  if (rows.length === 0)
    throw new ProfilesCsvError("the file is empty: expected a header row and one row per period", {
      source,
      row: -1,
      csvColumn: "",
    });
  const header = rows[0];
  const data = rows.slice(1);
  if (data.length === 0)
    throw new ProfilesCsvError("no data rows: expected one row per period after the header", {
      source,
      line: header.line,
      row: 0,
      csvColumn: "",
    });
  const out: Market = structuredClone(market);
  const byId = new Map<string, number>();
  out.agents.forEach((a, i) => byId.set(a.id, i));
  type Target = { set: (values: number[]) => void; name: string };
  const targets: (Target | null)[] = [];
  const seen = new Map<string, string>();
  header.cells.forEach((cell, c) => {
    const name = cell.text;
    const err = (detail: string) =>
      new ProfilesCsvError(detail, { source, line: header.line, column: cell.col, row: 0, csvColumn: name });
    if (c === 0 && LABEL_COLUMNS.has(name.toLowerCase())) {
      targets.push(null);
      return;
    }
    if (name === "") throw err("empty column name: expected AGENT-ID.FIELD, grid.FIELD or charges.unit_fee");
    const dot = name.lastIndexOf(".");
    if (dot <= 0 || dot === name.length - 1)
      throw err("expected AGENT-ID.FIELD (e.g. pv-7.power_max), grid.FIELD or charges.unit_fee");
    const owner = name.slice(0, dot);
    const field = name.slice(dot + 1);
    let target: Target;
    const agentIndex = byId.get(owner);
    if (agentIndex !== undefined) {
      const f = AGENT_FIELDS[field];
      if (!f)
        throw err(
          `unknown agent field ${JSON.stringify(field)}: expected power_min, power_max, cost_linear or cost_quadratic`,
        );
      target = { name: `agents[${agentIndex}].${f}`, set: (v) => (out.agents[agentIndex][f] = v) };
    } else if (owner === "grid") {
      const f = GRID_FIELDS[field];
      if (!f)
        throw err(
          `unknown grid field ${JSON.stringify(field)}: expected import_price, export_price, import_max or export_max`,
        );
      if (!out.grid) throw err("the market has no grid (Market.grid) to give a profile to");
      const g = out.grid;
      target = { name: `grid.${f}`, set: (v) => (g[f] = v) };
    } else if (owner === "charges") {
      if (field !== "unit_fee" && field !== "unitFee")
        throw err(`unknown charges field ${JSON.stringify(field)}: expected unit_fee`);
      if (!out.charges) throw err("the market has no network charges (Market.charges) to give a unit-fee profile to");
      const ch = out.charges;
      target = { name: "charges.unitFeeProfile", set: (v) => (ch.unitFeeProfile = v) };
    } else {
      throw err(`unknown agent ${JSON.stringify(owner)}: no agent of the market has this id`);
    }
    const first = seen.get(target.name);
    if (first !== undefined) throw err(`the same profile as column ${JSON.stringify(first)}`);
    seen.set(target.name, name);
    targets.push(target);
  });
  const T = data.length;
  if (out.horizon && out.horizon.periods !== T) {
    const last = data[data.length - 1];
    throw new ProfilesCsvError(`${T} rows of periods, but the market's horizon has ${out.horizon.periods} periods`, {
      source,
      line: last.line,
      row: T,
      csvColumn: "",
    });
  }
  const columns = targets.map(() => new Array<number>(T));
  data.forEach((r, t) => {
    if (r.cells.length !== targets.length) {
      throw new ProfilesCsvError(`has ${r.cells.length} cells, the header has ${targets.length} columns`, {
        source,
        line: r.line,
        column: 1,
        row: t + 1,
        csvColumn: "",
      });
    }
    r.cells.forEach((cell, c) => {
      if (!targets[c]) return;
      const s = cell.text;
      const v = /^[+-]?(inf|infinity)$/i.test(s)
        ? s.startsWith("-")
          ? -Infinity
          : Infinity
        : s === ""
          ? NaN
          : Number(s);
      if (Number.isNaN(v)) {
        throw new ProfilesCsvError(`not a number: ${JSON.stringify(s)}`, {
          source,
          line: r.line,
          column: cell.col,
          row: t + 1,
          csvColumn: header.cells[c].text,
        });
      }
      columns[c][t] = v;
    });
  });
  targets.forEach((tg, c) => tg?.set(columns[c]));
  if (!out.horizon) out.horizon = { periods: T, periodHours: 1, startTime: "" };
  return out;
}
