import { describeToken, type Token } from "./matpower-lexer.js";
import { MatpowerParseError } from "./scenario-error.js";

/** Walks a token list, with position-aware errors. */
export class TokenCursor {
  private i = 0;

  constructor(
    private readonly tokens: Token[],
    readonly source: string,
  ) {}

  peek(ahead = 0): Token {
    return this.tokens[Math.min(this.i + ahead, this.tokens.length - 1)];
  }

  next(): Token {
    const t = this.tokens[this.i];
    if (t.kind !== "eof") this.i++;
    return t;
  }

  /** Whether the current token is the operator `op`. */
  isOp(op: string, ahead = 0): boolean {
    const t = this.peek(ahead);
    return t.kind === "op" && t.text === op;
  }

  /** Whether the current token is the identifier `name`. */
  isIdent(name: string, ahead = 0): boolean {
    const t = this.peek(ahead);
    return t.kind === "ident" && t.text === name;
  }

  /** Consumes the operator `op`, or fails with "expected 'op' <context>, got ...". */
  expectOp(op: string, context = ""): Token {
    const t = this.peek();
    if (t.kind !== "op" || t.text !== op)
      this.fail(`expected '${op}'${context ? ` ${context}` : ""}, got ${describeToken(t)}`, t);
    return this.next();
  }

  /** Consumes an identifier, or fails. */
  expectIdent(context = ""): Token {
    const t = this.peek();
    if (t.kind !== "ident") this.fail(`expected a name${context ? ` ${context}` : ""}, got ${describeToken(t)}`, t);
    return this.next();
  }

  /** Whether the current token ends a statement (`;`, `,`, newline or end of file). */
  atStatementEnd(): boolean {
    const t = this.peek();
    return t.kind === "nl" || t.kind === "eof" || (t.kind === "op" && (t.text === ";" || t.text === ","));
  }

  /** Throws a MatpowerParseError at token `t` (default: the current token). */
  fail(detail: string, t: Token = this.peek()): never {
    throw new MatpowerParseError(detail, t.line, t.column, this.source);
  }

  /**
   * Skips a bracketed group starting at the current opening token ( `(`, `[` or `{` ), newlines
   * and nested groups included. Fails on a mismatched or missing closing bracket.
   */
  skipGroup(): void {
    const pairs: Record<string, string> = { "(": ")", "[": "]", "{": "}" };
    const stack: Token[] = [];
    do {
      const t = this.next();
      if (t.kind === "eof") {
        const open = stack[stack.length - 1];
        this.fail(`'${open.text}' opened at line ${open.line}, column ${open.column} is never closed`, open);
      }
      if (t.kind !== "op") continue;
      if (t.text in pairs) stack.push(t);
      else if (t.text === ")" || t.text === "]" || t.text === "}") {
        const open = stack.pop();
        if (!open || pairs[open.text] !== t.text)
          this.fail(`unexpected '${t.text}'${open ? ` (closing '${open.text}' of line ${open.line})` : ""}`, t);
      }
    } while (stack.length > 0);
  }

  /** Skips to the end of the statement, bracketed groups included. */
  skipStatement(): void {
    while (!this.atStatementEnd()) {
      const t = this.peek();
      if (t.kind === "op" && (t.text === "(" || t.text === "[" || t.text === "{")) this.skipGroup();
      else if (t.kind === "op" && (t.text === ")" || t.text === "]" || t.text === "}"))
        this.fail(`unexpected '${t.text}'`, t);
      else this.next();
    }
  }
}
