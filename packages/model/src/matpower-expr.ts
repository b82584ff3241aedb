import type { TokenCursor } from "./matpower-cursor.js";
import type { Token } from "./matpower-lexer.js";
import { describeToken } from "./matpower-lexer.js";

/** A numeric MATLAB value: a rows × cols matrix in row-major order (a scalar is 1 × 1). */
export interface Mat {
  rows: number;
  cols: number;
  data: number[];
}

/** A scalar as a 1 × 1 matrix. */
export function scalar(x: number): Mat {
  return { rows: 1, cols: 1, data: [x] };
}

/** What expressions can read: variables and the numeric fields of the case struct. */
export interface ExprEnv {
  /** Name of the case struct (`mpc`). */
  structName: string;
  /** A variable, or a MATPOWER column name, or undefined. */
  variable(name: string): Mat | undefined;
  /** A numeric field of the struct (`mpc.baseMVA`, `mpc.bus`); fails at `at` when it is not one. */
  field(name: string, at: Token): Mat;
}

/** Whether the next token opens an index list: inside [ ], "a (1)" is two elements, elsewhere it indexes a. */
function opensIndex(cur: TokenCursor, inMatrix: boolean): boolean {
  return cur.isOp("(") && !(inMatrix && cur.peek().spaceBefore);
}

const CONSTANTS: Record<string, number> = { Inf: Infinity, inf: Infinity, NaN: NaN, nan: NaN, pi: Math.PI };

/**
 * Deepest nesting of one expression: parentheses, brackets, index lists and unary signs each take
 * a level. The evaluator is recursive descent, so without a bound a case nested 100 000 deep would
 * overflow the stack; real cases nest a handful of levels.
 */
export const MAX_EXPR_DEPTH = 256;

/**
 * Evaluates MATLAB expressions on numeric matrices: numbers, `+ - * / ^` and the element-wise
 * `.* ./ .^` (matrix–scalar or equal sizes; no matrix products or divisions), unary signs,
 * parentheses, `[a b; c d]` literals with `a:b` ranges, variables, MATPOWER column names, and
 * struct fields with `(rows, cols)` indexing (`:`, ranges, lists, `end`).
 */
export class ExprEvaluator {
  /** Sizes for `end` inside the index list being parsed. */
  private endStack: number[] = [];
  /** Levels of nesting open (see MAX_EXPR_DEPTH). */
  private depth = 0;

  constructor(
    private readonly cur: TokenCursor,
    private readonly env: ExprEnv,
  ) {}

  /** An expression up to the end of the statement or a closing bracket. */
  expr(inMatrix = false): Mat {
    this.enter();
    try {
      return this.additive(inMatrix);
    } finally {
      this.depth--;
    }
  }

  /** Opens a level of nesting; fails at the current token past MAX_EXPR_DEPTH. */
  private enter(): void {
    if (this.depth >= MAX_EXPR_DEPTH)
      this.cur.fail(`expression nested more than ${MAX_EXPR_DEPTH} levels deep (parentheses, brackets or signs)`);
    this.depth++;
  }

  /** A scalar expression (fails naming `what` when the value is a matrix). */
  scalarExpr(what: string): number {
    const at = this.cur.peek();
    const v = this.expr();
    if (v.rows !== 1 || v.cols !== 1) this.cur.fail(`${what} must be a scalar, got a ${v.rows}×${v.cols} matrix`, at);
    return v.data[0];
  }

  /**
   * An index list `(i, j)` into a matrix of size rows × cols (the cursor is on `(`): two
   * subscripts, each `:`, a scalar, a range or a list; 1-based indices checked against the size.
   */
  indexPair(rows: number, cols: number, what: string): [number[], number[]] {
    this.cur.expectOp("(", `to index ${what}`);
    const r = this.subscript(rows, `row of ${what}`);
    this.cur.expectOp(",", `between the row and column subscripts of ${what} (two subscripts are needed)`);
    const c = this.subscript(cols, `column of ${what}`);
    this.cur.expectOp(")", `after the column subscript of ${what}`);
    return [r, c];
  }

  private subscript(size: number, what: string): number[] {
    const at = this.cur.peek();
    if (this.cur.isOp(":") && (this.cur.isOp(",", 1) || this.cur.isOp(")", 1))) {
      this.cur.next();
      return Array.from({ length: size }, (_, i) => i);
    }
    this.endStack.push(size);
    let v: Mat;
    try {
      v = this.rangeOrExpr(false);
    } finally {
      this.endStack.pop();
    }
    return v.data.map((x) => {
      if (!Number.isInteger(x) || x < 1) this.cur.fail(`${what}: index ${x} is not a positive integer`, at);
      if (x > size) this.cur.fail(`${what}: index ${x} is out of range (size ${size})`, at);
      return x - 1;
    });
  }

  private rangeOrExpr(inMatrix: boolean): Mat {
    const at = this.cur.peek();
    const first = this.expr(inMatrix);
    if (!this.cur.isOp(":")) return first;
    this.cur.next();
    const second = this.expr(inMatrix);
    let step = 1;
    let last = second;
    if (this.cur.isOp(":")) {
      this.cur.next();
      step = this.asScalar(second, "range step", at);
      last = this.expr(inMatrix);
    }
    const a = this.asScalar(first, "range start", at);
    const b = this.asScalar(last, "range end", at);
    if (step === 0 || !Number.isFinite(a) || !Number.isFinite(b) || !Number.isFinite(step))
      this.cur.fail("range bounds and step must be finite, step non-zero", at);
    const data: number[] = [];
    const count = Math.floor((b - a) / step + 1e-10);
    if (count > 1e7) this.cur.fail("range is too long", at);
    for (let k = 0; k <= count; k++) data.push(a + k * step);
    return { rows: 1, cols: data.length, data };
  }

  private asScalar(v: Mat, what: string, at: Token): number {
    if (v.rows !== 1 || v.cols !== 1) this.cur.fail(`${what} must be a scalar`, at);
    return v.data[0];
  }

  private additive(inMatrix: boolean): Mat {
    let left = this.multiplicative(inMatrix);
    for (;;) {
      const t = this.cur.peek();
      if (t.kind !== "op" || (t.text !== "+" && t.text !== "-")) return left;
      // Inside [ ], "a -b" is two elements while "a - b" and "a-b" are one.
      if (inMatrix && t.spaceBefore && !this.cur.peek(1).spaceBefore) return left;
      this.cur.next();
      const right = this.multiplicative(inMatrix);
      left = this.elementwise(left, right, t, t.text === "+" ? (x, y) => x + y : (x, y) => x - y);
    }
  }

  private multiplicative(inMatrix: boolean): Mat {
    let left = this.unary(inMatrix);
    for (;;) {
      const t = this.cur.peek();
      if (t.kind !== "op" || !["*", "/", ".*", "./"].includes(t.text)) return left;
      this.cur.next();
      const right = this.unary(inMatrix);
      const isScalar = (m: Mat) => m.rows === 1 && m.cols === 1;
      if ((t.text === "*" || t.text === "/") && !isScalar(left) && !isScalar(right)) {
        this.cur.fail(
          `matrix ${t.text === "*" ? "product" : "division"} of a ${left.rows}×${left.cols} by a ${right.rows}×${right.cols} matrix is not supported (use .${t.text})`,
          t,
        );
      }
      if (t.text === "/" && !isScalar(right)) this.cur.fail("dividing by a matrix is not supported (use ./)", t);
      left = this.elementwise(left, right, t, t.text.endsWith("*") ? (x, y) => x * y : (x, y) => x / y);
    }
  }

  private unary(inMatrix: boolean): Mat {
    const t = this.cur.peek();
    if (t.kind === "op" && (t.text === "-" || t.text === "+")) {
      this.cur.next();
      this.enter();
      let v: Mat;
      try {
        v = this.unary(inMatrix);
      } finally {
        this.depth--;
      }
      return t.text === "-" ? { ...v, data: v.data.map((x) => -x) } : v;
    }
    return this.power(inMatrix);
  }

  private power(inMatrix: boolean): Mat {
    let base = this.primary(inMatrix);
    for (;;) {
      const t = this.cur.peek();
      if (t.kind !== "op" || (t.text !== "^" && t.text !== ".^")) return base;
      this.cur.next();
      let sign = 1;
      while (this.cur.isOp("-") || this.cur.isOp("+")) if (this.cur.next().text === "-") sign = -sign;
      const e = this.primary(inMatrix);
      const exp = sign < 0 ? { ...e, data: e.data.map((x) => -x) } : e;
      if (t.text === "^" && (base.rows !== 1 || base.cols !== 1 || exp.rows !== 1 || exp.cols !== 1)) {
        this.cur.fail("matrix power is not supported (use .^)", t);
      }
      base = this.elementwise(base, exp, t, (x, y) => x ** y);
    }
  }

  private primary(inMatrix: boolean): Mat {
    const t = this.cur.next();
    let v: Mat;
    if (t.kind === "num") v = scalar(t.value);
    else if (t.kind === "op" && t.text === "(") {
      v = this.expr(false);
      this.cur.expectOp(")", `to close '(' of line ${t.line}, column ${t.column}`);
    } else if (t.kind === "op" && t.text === "[") v = this.matrixLiteral(t);
    else if (t.kind === "ident") v = this.name(t, inMatrix);
    else this.cur.fail(`expected a value, got ${describeToken(t)}`, t);
    if (this.cur.isOp("'") || this.cur.isOp(".'")) this.cur.fail("transposition is not supported");
    return v;
  }

  /** A name: struct field (indexed or not), `end`, a variable, a column name or a constant. */
  private name(t: Token, inMatrix: boolean): Mat {
    if (t.text === this.env.structName) {
      this.cur.expectOp(".", `after '${t.text}'`);
      const f = this.cur.expectIdent(`of a field of ${t.text}`);
      const m = this.env.field(f.text, f);
      if (!opensIndex(this.cur, inMatrix)) return m;
      const [r, c] = this.indexPair(m.rows, m.cols, `${t.text}.${f.text}`);
      const data: number[] = [];
      for (const i of r) for (const j of c) data.push(m.data[i * m.cols + j]);
      return { rows: r.length, cols: c.length, data };
    }
    if (t.text === "end" && this.endStack.length > 0) return scalar(this.endStack[this.endStack.length - 1]);
    const v = this.env.variable(t.text) ?? (Object.hasOwn(CONSTANTS, t.text) ? scalar(CONSTANTS[t.text]) : undefined);
    if (opensIndex(this.cur, inMatrix)) {
      this.cur.fail(v ? `indexing variable '${t.text}' is not supported` : `unsupported function '${t.text}'`, t);
    }
    if (!v) this.cur.fail(`undefined name '${t.text}'`, t);
    return v;
  }

  private matrixLiteral(open: Token): Mat {
    const rows: Mat[] = [];
    let row: Mat[] = [];
    const endRow = () => {
      if (row.length > 0) rows.push(this.hconcat(row, open));
      row = [];
    };
    for (;;) {
      const t = this.cur.peek();
      if (t.kind === "eof")
        this.cur.fail(`'[' opened at line ${open.line}, column ${open.column} is never closed`, open);
      if (t.kind === "op" && t.text === "]") {
        this.cur.next();
        endRow();
        break;
      }
      if (t.kind === "nl" || (t.kind === "op" && t.text === ";")) {
        this.cur.next();
        endRow();
        continue;
      }
      if (t.kind === "op" && t.text === ",") {
        this.cur.next();
        continue;
      }
      row.push(this.rangeOrExpr(true));
    }
    if (rows.length === 0) return { rows: 0, cols: 0, data: [] };
    const cols = rows[0].cols;
    for (const r of rows) if (r.cols !== cols) this.cur.fail("rows of the matrix have different lengths", open);
    return { rows: rows.reduce((s, r) => s + r.rows, 0), cols, data: rows.flatMap((r) => r.data) };
  }

  private hconcat(parts: Mat[], at: Token): Mat {
    const nonEmpty = parts.filter((p) => p.rows * p.cols > 0);
    if (nonEmpty.length === 0) return { rows: 0, cols: 0, data: [] };
    const rows = nonEmpty[0].rows;
    if (nonEmpty.some((p) => p.rows !== rows))
      this.cur.fail("elements of a matrix row have different numbers of rows", at);
    const cols = nonEmpty.reduce((s, p) => s + p.cols, 0);
    const data: number[] = [];
    for (let i = 0; i < rows; i++)
      for (const p of nonEmpty) for (let j = 0; j < p.cols; j++) data.push(p.data[i * p.cols + j]);
    return { rows, cols, data };
  }

  private elementwise(a: Mat, b: Mat, t: Token, f: (x: number, y: number) => number): Mat {
    if (a.rows === 1 && a.cols === 1) return { rows: b.rows, cols: b.cols, data: b.data.map((y) => f(a.data[0], y)) };
    if (b.rows === 1 && b.cols === 1) return { rows: a.rows, cols: a.cols, data: a.data.map((x) => f(x, b.data[0])) };
    if (a.rows !== b.rows || a.cols !== b.cols)
      this.cur.fail(`sizes do not match for '${t.text}': ${a.rows}×${a.cols} and ${b.rows}×${b.cols}`, t);
    return { rows: a.rows, cols: a.cols, data: a.data.map((x, k) => f(x, b.data[k])) };
  }
}
