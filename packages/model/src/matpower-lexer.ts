import { MatpowerParseError } from "./scenario-error.js";

/** A token of MATLAB source as far as MATPOWER case files need it. */
export interface Token {
  kind: "num" | "ident" | "str" | "op" | "nl" | "eof";
  /** The source text of the token (the decoded value for strings). */
  text: string;
  /** Numeric value of a number token. */
  value: number;
  line: number;
  column: number;
  /** Whether whitespace, a comment or a continuation separates it from the previous token. */
  spaceBefore: boolean;
}

const TWO_CHAR_OPS = new Set([".*", "./", ".^", ".'", "==", "~=", "<=", ">=", "&&", "||"]);
/** Tokens after which a quote is the transpose operator. */
const CLOSERS = new Set([")", "]", "}", "'", ".'"]);
const ONE_CHAR_OPS = new Set([..."=()[]{},;:+-*/^.'<>~!&|@\\"]);

/**
 * Splits MATLAB source into tokens: numbers, identifiers, strings ('...' and "..."), operators,
 * and newlines (statement or matrix-row separators). Drops `%` comments, `%{ ... %}` blocks and
 * `...` continuations (with the rest of their line). A quote right after a value is the transpose
 * operator, otherwise it starts a string. Throws MatpowerParseError on an unexpected character
 * or an unterminated string.
 */
export function tokenize(text: string, source = ""): Token[] {
  const tokens: Token[] = [];
  let pos = 0;
  let line = 1;
  let lineStart = 0;
  let space = false;
  const n = text.length;
  const fail = (detail: string, at = pos): never => {
    throw new MatpowerParseError(detail, line, at - lineStart + 1, source);
  };
  const push = (kind: Token["kind"], tokText: string, start: number, value = NaN) => {
    tokens.push({ kind, text: tokText, value, line, column: start - lineStart + 1, spaceBefore: space });
    space = false;
  };
  const skipToEol = () => {
    while (pos < n && text[pos] !== "\n") pos++;
  };
  const atLineStartOnly = (from: number): boolean => {
    // Whether text[from] is the first non-blank character of its line.
    for (let i = from - 1; i >= lineStart; i--) if (text[i] !== " " && text[i] !== "\t") return false;
    return true;
  };
  const restIsBlank = (from: number): boolean => {
    for (let i = from; i < n && text[i] !== "\n"; i++)
      if (text[i] !== " " && text[i] !== "\t" && text[i] !== "\r") return false;
    return true;
  };

  while (pos < n) {
    const c = text[pos];
    if (c === " " || c === "\t" || c === "\r" || c === "\f" || c === "\v") {
      pos++;
      space = true;
      continue;
    }
    if (c === "\n") {
      push("nl", "\n", pos);
      pos++;
      line++;
      lineStart = pos;
      continue;
    }
    if (c === "%") {
      if (text[pos + 1] === "{" && atLineStartOnly(pos) && restIsBlank(pos + 2)) {
        // Block comment: up to a line holding only %}.
        const startLine = line;
        const startCol = pos - lineStart + 1;
        for (;;) {
          skipToEol();
          if (pos >= n) throw new MatpowerParseError("unclosed block comment '%{'", startLine, startCol, source);
          pos++;
          line++;
          lineStart = pos;
          let i = pos;
          while (i < n && (text[i] === " " || text[i] === "\t")) i++;
          if (text.startsWith("%}", i) && restIsBlank(i + 2)) {
            pos = i + 2;
            break;
          }
        }
      } else skipToEol();
      space = true;
      continue;
    }
    if (c === "." && text.startsWith("...", pos)) {
      skipToEol();
      if (pos < n) {
        pos++;
        line++;
        lineStart = pos;
      }
      space = true;
      continue;
    }
    const start = pos;
    if (isDigit(c) || (c === "." && isDigit(text[pos + 1]))) {
      while (isDigit(text[pos])) pos++;
      if (text[pos] === "." && !isOperatorAfterDot(text, pos)) {
        pos++;
        while (isDigit(text[pos])) pos++;
      }
      if (
        (text[pos] === "e" || text[pos] === "E") &&
        (isDigit(text[pos + 1]) || ((text[pos + 1] === "+" || text[pos + 1] === "-") && isDigit(text[pos + 2])))
      ) {
        pos += 2;
        while (isDigit(text[pos])) pos++;
      }
      if (isIdentChar(text[pos])) {
        let end = pos;
        while (isIdentChar(text[end])) end++;
        fail(`invalid number '${text.slice(start, end)}'`, start);
      }
      const raw = text.slice(start, pos);
      push("num", raw, start, Number(raw));
      continue;
    }
    if (isIdentStart(c)) {
      while (isIdentChar(text[pos])) pos++;
      push("ident", text.slice(start, pos), start);
      continue;
    }
    if (c === "'" || c === '"') {
      const prev = tokens[tokens.length - 1];
      const prevIsValue =
        prev !== undefined &&
        (prev.kind === "num" ||
          prev.kind === "ident" ||
          prev.kind === "str" ||
          (prev.kind === "op" && CLOSERS.has(prev.text)));
      const afterValue = !space && prevIsValue;
      if (c === "'" && afterValue) {
        pos++;
        push("op", "'", start);
        continue;
      }
      pos++;
      let value = "";
      for (;;) {
        if (pos >= n || text[pos] === "\n") fail(`unterminated string (missing closing ${c})`, start);
        if (text[pos] === c) {
          if (text[pos + 1] === c) {
            value += c;
            pos += 2;
            continue;
          }
          pos++;
          break;
        }
        value += text[pos++];
      }
      push("str", value, start);
      continue;
    }
    const two = text.slice(pos, pos + 2);
    if (TWO_CHAR_OPS.has(two)) {
      pos += 2;
      push("op", two, start);
      continue;
    }
    if (ONE_CHAR_OPS.has(c)) {
      pos++;
      push("op", c, start);
      continue;
    }
    const code = c.codePointAt(0) ?? 0;
    fail(
      code < 0x20 || code > 0x7e
        ? `unexpected character U+${code.toString(16).toUpperCase().padStart(4, "0")}`
        : `unexpected character '${c}'`,
    );
  }
  tokens.push({ kind: "eof", text: "end of file", value: NaN, line, column: pos - lineStart + 1, spaceBefore: space });
  return tokens;
}

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= "0" && c <= "9";
}

function isIdentStart(c: string | undefined): boolean {
  return c !== undefined && ((c >= "a" && c <= "z") || (c >= "A" && c <= "Z"));
}

function isIdentChar(c: string | undefined): boolean {
  return isIdentStart(c) || isDigit(c) || c === "_";
}

/** Whether the "." at `pos` after digits begins an element-wise operator (`1.*x`) rather than a fraction. */
function isOperatorAfterDot(text: string, pos: number): boolean {
  const next = text[pos + 1];
  return next === "*" || next === "/" || next === "^" || next === "'";
}

/** How a token reads in an error message: `'abc'`, `end of line`, `end of file`. */
export function describeToken(t: Token): string {
  if (t.kind === "nl") return "end of line";
  if (t.kind === "eof") return "end of file";
  if (t.kind === "str") return `string '${t.text}'`;
  return `'${t.text}'`;
}
