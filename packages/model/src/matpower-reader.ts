import { MATPOWER_COLUMN_NAMES, MATPOWER_INDEX_FUNCTIONS } from "./matpower-columns.js";
import { TokenCursor } from "./matpower-cursor.js";
import { ExprEvaluator, scalar, type ExprEnv, type Mat } from "./matpower-expr.js";
import { describeToken, tokenize, type Token } from "./matpower-lexer.js";

/** A numeric matrix assigned to a field of the case struct, with where it was written. */
export interface MatrixField {
  rows: number[][];
  /** Line of each row in the file. */
  rowLines: number[];
  /** Where the assignment starts. */
  line: number;
  column: number;
}

/** What the statements of a case file define, before checks. */
export interface CaseStatements {
  /** Function name from `function mpc = name`, "" without a header. */
  name: string;
  /** `mpc.version` and where it was set. */
  version?: { value: string; token: Token };
  /** Numeric scalar fields (`mpc.baseMVA`) and where they were set. */
  scalars: Map<string, { value: number; token: Token }>;
  /** Numeric matrix fields in the order they were first assigned. */
  matrices: Map<string, MatrixField>;
  /** The end-of-file token, to place errors about missing fields. */
  end: Token;
}

type FieldKind = "matrix" | "scalar" | "cell" | "string";

/**
 * Runs the statements of a MATPOWER case file (format version 2): the function header,
 * `mpc.<name> = value;` (numeric matrices, scalars, strings; cell arrays are skipped),
 * `[A, B, ...] = idx_bus;` (and idx_gen, idx_brch, idx_cost), `name = expression;`, and indexed
 * assignments such as `mpc.branch(:, [BR_R BR_X]) = mpc.branch(:, [BR_R BR_X]) / (Vbase^2 / Sbase);`.
 * Any other statement is an error, so that nothing that changes the case data is skipped.
 */
export function readCaseStatements(text: string, source: string): CaseStatements {
  return new CaseReader(text, source).read();
}

class CaseReader implements ExprEnv {
  structName = "mpc";
  private readonly cur: TokenCursor;
  private readonly ev: ExprEvaluator;
  private readonly vars = new Map<string, Mat>();
  private readonly kinds = new Map<string, FieldKind>();
  private readonly out: CaseStatements;
  private headerSeen = false;
  private statementCount = 0;

  constructor(text: string, source: string) {
    const tokens = tokenize(text, source);
    this.cur = new TokenCursor(tokens, source);
    this.ev = new ExprEvaluator(this.cur, this);
    this.out = { name: "", scalars: new Map(), matrices: new Map(), end: tokens[tokens.length - 1] };
  }

  read(): CaseStatements {
    const c = this.cur;
    for (;;) {
      while (c.peek().kind === "nl" || c.isOp(";") || c.isOp(",")) c.next();
      const t = c.peek();
      if (t.kind === "eof") break;
      this.statement(t);
      this.statementCount++;
      if (!c.atStatementEnd())
        c.fail(`expected the end of the statement (';' or a new line), got ${describeToken(c.peek())}`);
    }
    return this.out;
  }

  private statement(t: Token): void {
    const c = this.cur;
    if (t.kind === "ident" && t.text === "function") return this.header();
    if (t.kind === "ident" && (t.text === "end" || t.text === "return")) {
      c.next();
      return;
    }
    if (t.kind === "ident" && t.text === this.structName) {
      if (c.isOp(".", 1)) return this.structStatement();
      c.fail(`assigning '${t.text}' as a whole is not supported; assign its fields (${t.text}.bus = [...])`);
    }
    if (t.kind === "op" && t.text === "[") return this.indexNames();
    if (t.kind === "ident" && c.isOp("=", 1)) {
      c.next();
      c.next();
      this.vars.set(t.text, this.ev.expr());
      return;
    }
    c.fail(`unrecognised statement starting with ${describeToken(t)}`);
  }

  /** `function mpc = name`. */
  private header(): void {
    const c = this.cur;
    const fn = c.next();
    if (this.headerSeen || this.statementCount > 0)
      c.fail("the function header must be the first statement, and there can be only one", fn);
    this.headerSeen = true;
    if (c.isOp("[")) {
      c.fail(
        "MATPOWER case format version 1 (function [baseMVA, bus, gen, ...] = ...) is not supported; convert the case to version 2",
      );
    }
    const outName = c.expectIdent("for the output of the function (function mpc = name)");
    c.expectOp("=", "in the function header (function mpc = name)");
    const name = c.expectIdent("for the function (function mpc = name)");
    if (c.isOp("(")) c.skipGroup();
    this.structName = outName.text;
    this.out.name = name.text;
  }

  /** `[PQ, PV, ...] = idx_bus;`: assigns the outputs of a MATPOWER index function by position. */
  private indexNames(): void {
    const c = this.cur;
    const open = c.next();
    const names: Token[] = [];
    for (;;) {
      const t = c.next();
      if (t.kind === "ident") names.push(t);
      else if (t.kind === "op" && t.text === ",") continue;
      else if (t.kind === "op" && t.text === "]") break;
      else c.fail(`expected a name in the output list opened at line ${open.line}, got ${describeToken(t)}`, t);
    }
    c.expectOp("=", "after the output list");
    const fn = c.expectIdent("of a function");
    const outputs = Object.hasOwn(MATPOWER_INDEX_FUNCTIONS, fn.text) ? MATPOWER_INDEX_FUNCTIONS[fn.text] : undefined;
    if (!outputs)
      return c.fail(
        `unsupported function '${fn.text}' (only ${Object.keys(MATPOWER_INDEX_FUNCTIONS).join(", ")} may assign several names)`,
        fn,
      );
    if (c.isOp("(")) {
      c.next();
      c.expectOp(")", `after ${fn.text}(`);
    }
    if (names.length > outputs.length)
      c.fail(`${fn.text} has ${outputs.length} outputs, ${names.length} names are assigned`, names[outputs.length]);
    names.forEach((n, i) => this.vars.set(n.text, scalar(outputs[i][1])));
  }

  /** A statement starting with `mpc.<field>`. */
  private structStatement(): void {
    const c = this.cur;
    const start = c.next();
    c.next(); // "."
    const f = c.expectIdent(`of a field of ${start.text}`);
    const field = f.text;
    const full = `${start.text}.${field}`;
    if (c.isOp("=")) {
      c.next();
      return this.assignField(field, full, start);
    }
    if (c.isOp("{")) {
      if (this.kinds.get(field) === "matrix" || this.kinds.get(field) === "scalar")
        c.fail(`${full} is numeric; indexing it with { } is not supported`);
      c.skipGroup();
      c.expectOp("=", `after ${full}{...}`);
      c.skipStatement();
      this.kinds.set(field, "cell");
      return;
    }
    if (c.isOp("(")) return this.assignIndexed(field, full);
    c.fail(`unsupported statement on ${full}: expected '=', '(' or '{', got ${describeToken(c.peek())}`);
  }

  private assignField(field: string, full: string, start: Token): void {
    const c = this.cur;
    const t = c.peek();
    if (t.kind === "op" && t.text === "[") {
      this.setMatrix(field, this.dataMatrix(full), start);
      return;
    }
    if (
      (t.kind === "op" && t.text === "{") ||
      (t.kind === "ident" && (t.text === "cell" || t.text === "struct") && c.isOp("(", 1))
    ) {
      // Cell arrays and structs (bus names, plot positions) are not numeric case data.
      if (t.kind === "ident") c.next();
      c.skipGroup();
      this.out.matrices.delete(field);
      this.out.scalars.delete(field);
      this.kinds.set(field, "cell");
      return;
    }
    if (t.kind === "str") {
      c.next();
      if (field === "version") this.out.version = { value: t.text, token: t };
      this.kinds.set(field, "string");
      return;
    }
    const v = this.ev.expr();
    if (v.rows === 1 && v.cols === 1 && !this.out.matrices.has(field)) {
      this.out.scalars.set(field, { value: v.data[0], token: t });
      this.kinds.set(field, "scalar");
      return;
    }
    const rows: number[][] = [];
    for (let i = 0; i < v.rows; i++) rows.push(v.data.slice(i * v.cols, (i + 1) * v.cols));
    this.setMatrix(field, { rows, rowLines: rows.map(() => t.line), line: start.line, column: start.column }, start);
  }

  private setMatrix(field: string, m: MatrixField, start: Token): void {
    this.out.scalars.delete(field);
    this.out.matrices.delete(field);
    this.out.matrices.set(field, { ...m, line: start.line, column: start.column });
    this.kinds.set(field, "matrix");
  }

  /** `mpc.F(rows, cols) = expression;` on a numeric matrix field. */
  private assignIndexed(field: string, full: string): void {
    const c = this.cur;
    const m = this.out.matrices.get(field);
    if (!m) {
      return c.fail(
        this.kinds.has(field)
          ? `${full} is not a numeric matrix; indexed assignment is not supported`
          : `${full} is assigned by index before it is defined`,
      );
    }
    const cols = m.rows.length > 0 ? m.rows[0].length : 0;
    const [ri, ci] = this.ev.indexPair(m.rows.length, cols, full);
    const eq = c.expectOp("=", `after ${full}(...)`);
    const v = this.ev.expr();
    const isScalar = v.rows === 1 && v.cols === 1;
    if (!isScalar && (v.rows !== ri.length || v.cols !== ci.length)) {
      c.fail(`cannot assign a ${v.rows}×${v.cols} value to ${ri.length}×${ci.length} elements of ${full}`, eq);
    }
    ri.forEach((r, a) => ci.forEach((col, b) => (m.rows[r][col] = isScalar ? v.data[0] : v.data[a * v.cols + b])));
  }

  /**
   * A numeric matrix literal of a data field: numbers (optionally signed, `Inf`, `NaN`) separated
   * by spaces, tabs or commas; rows by `;` and/or new lines; every row the same length.
   */
  private dataMatrix(full: string): MatrixField {
    const c = this.cur;
    const open = c.next();
    const rows: number[][] = [];
    const rowLines: number[] = [];
    let row: number[] = [];
    let rowStart: Token | undefined;
    let afterComma = false;
    const endRow = () => {
      if (afterComma) c.fail(`expected a number after ',', got ${describeToken(c.peek())}`);
      if (row.length > 0 && rowStart) {
        if (rows.length > 0 && row.length !== rows[0].length) {
          c.fail(
            `row ${rows.length + 1} of ${full} has ${row.length} values, the rows before have ${rows[0].length}`,
            rowStart,
          );
        }
        rows.push(row);
        rowLines.push(rowStart.line);
      }
      row = [];
      rowStart = undefined;
    };
    for (;;) {
      const t = c.peek();
      if (t.kind === "eof")
        c.fail(`the matrix ${full} opened with '[' at line ${open.line} is never closed (missing '];')`, open);
      if (t.kind === "op" && t.text === "]") {
        endRow();
        c.next();
        break;
      }
      if (t.kind === "nl" || (t.kind === "op" && t.text === ";")) {
        endRow();
        c.next();
        continue;
      }
      if (t.kind === "op" && t.text === ",") {
        if (row.length === 0 || afterComma) c.fail("expected a number, got ','", t);
        afterComma = true;
        c.next();
        continue;
      }
      if (row.length > 0 && !afterComma && !t.spaceBefore)
        c.fail(`expected a space or ',' between values, got ${describeToken(t)}`, t);
      if (t.kind === "ident" && (c.isOp(".", 1) || c.isOp("=", 1))) {
        c.fail(
          `expected a number, got ${describeToken(t)}: the matrix ${full} opened at line ${open.line} is not closed (missing '];')`,
          t,
        );
      }
      rowStart ??= t;
      row.push(this.dataNumber());
      afterComma = false;
    }
    if (c.isOp("'") || c.isOp(".'")) c.fail(`transposed matrices are not supported (${full})`);
    return { rows, rowLines, line: open.line, column: open.column };
  }

  private dataNumber(): number {
    const c = this.cur;
    const t = c.next();
    let sign = 1;
    let v = t;
    if (t.kind === "op" && (t.text === "-" || t.text === "+")) {
      v = c.peek();
      if (v.spaceBefore || (v.kind !== "num" && v.kind !== "ident"))
        c.fail(`expected a number, got '${t.text}'${v.spaceBefore ? " followed by a space" : ""}`, t);
      c.next();
      if (t.text === "-") sign = -1;
    }
    if (v.kind === "num") return sign * v.value;
    if (v.kind === "ident" && (v.text === "Inf" || v.text === "inf")) return sign * Infinity;
    if (v.kind === "ident" && (v.text === "NaN" || v.text === "nan")) return NaN;
    return c.fail(`expected a number, got ${describeToken(v)}`, v);
  }

  // ExprEnv

  variable(name: string): Mat | undefined {
    const v = this.vars.get(name);
    if (v) return v;
    const col = MATPOWER_COLUMN_NAMES.get(name);
    return col === undefined ? undefined : scalar(col);
  }

  field(name: string, at: Token): Mat {
    const s = this.out.scalars.get(name);
    if (s) return scalar(s.value);
    const m = this.out.matrices.get(name);
    if (m) {
      const cols = m.rows.length > 0 ? m.rows[0].length : 0;
      return { rows: m.rows.length, cols, data: m.rows.flat() };
    }
    const kind = this.kinds.get(name);
    return this.cur.fail(
      kind
        ? `${this.structName}.${name} is not numeric (it is a ${kind})`
        : `${this.structName}.${name} is not defined here`,
      at,
    );
  }
}
