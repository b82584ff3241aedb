import { ScenarioError } from "./scenario-error.js";

/** A JSON value as parsed here (a `__proto__` key is kept as an own data property). */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** One step of a path into a JSON document: an object key or an array index. */
export type JsonPathSegment = string | number;

/** 1-based line and column of a character offset in a text. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}

/**
 * Parses strict JSON (RFC 8259). Unlike JSON.parse, every syntax error and every duplicate key
 * says its line and column, as a ScenarioError.
 */
export function parseJsonText(text: string, source = ""): JsonValue {
  return new JsonReader(text, source).document();
}

/**
 * Position of the value at `path` in a JSON text (of its key, for an object member), or undefined
 * when the path is not in the document. Used to place errors found after parsing.
 */
export function locateJsonPath(
  text: string,
  path: readonly JsonPathSegment[],
): { line: number; column: number } | undefined {
  const reader = new JsonReader(text, "", path);
  try {
    reader.document();
  } catch {
    // A syntax error after the target does not matter.
  }
  return reader.found === undefined ? undefined : lineColumn(text, reader.found);
}

/** Sets obj[key] as an own data property, also for the key `__proto__`. */
export function setOwn<T>(obj: { [key: string]: T }, key: string, value: T): void {
  if (key === "__proto__")
    Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}

const SIMPLE_ESCAPES = new Map([
  ['"', '"'],
  ["\\", "\\"],
  ["/", "/"],
  ["b", "\b"],
  ["f", "\f"],
  ["n", "\n"],
  ["r", "\r"],
  ["t", "\t"],
]);

class JsonReader {
  private pos = 0;
  /** Offset of the target path, when one is searched for. */
  found: number | undefined;

  constructor(
    private readonly text: string,
    private readonly source: string,
    private readonly target?: readonly JsonPathSegment[],
  ) {
    if (text.charCodeAt(0) === 0xfeff) this.pos = 1;
    if (target && target.length === 0) this.found = this.pos;
  }

  document(): JsonValue {
    this.skipSpace();
    const value = this.value(0, true);
    this.skipSpace();
    if (this.pos < this.text.length) this.fail(`unexpected ${this.describeHere()} after the JSON value`);
    return value;
  }

  private fail(detail: string, at = this.pos): never {
    const { line, column } = lineColumn(this.text, at);
    throw new ScenarioError(`invalid JSON: ${detail}`, { source: this.source, line, column });
  }

  private describeHere(): string {
    if (this.pos >= this.text.length) return "end of input";
    const ch = this.text[this.pos];
    return ch.charCodeAt(0) < 0x20
      ? `control character U+${ch.charCodeAt(0).toString(16).padStart(4, "0")}`
      : `character '${ch}'`;
  }

  private skipSpace(): void {
    const t = this.text;
    while (this.pos < t.length) {
      const c = t.charCodeAt(this.pos);
      if (c === 32 || c === 9 || c === 10 || c === 13) this.pos++;
      else break;
    }
  }

  /** Parses a value; `onPath` says whether the containers so far match target[0..depth). */
  private value(depth: number, onPath: boolean): JsonValue {
    if (depth >= 1000) return this.fail("values nested more than 1000 levels deep"); // a scenario needs 5; deeper would overflow the stack
    const c = this.text[this.pos];
    switch (c) {
      case "{":
        return this.object(depth, onPath);
      case "[":
        return this.array(depth, onPath);
      case '"':
        return this.string();
      case "t":
        return this.literal("true", true);
      case "f":
        return this.literal("false", false);
      case "n":
        return this.literal("null", null);
      default:
        if (c === "-" || (c >= "0" && c <= "9")) return this.number();
        return this.fail(`expected a value, got ${this.describeHere()}`);
    }
  }

  private onTarget(depth: number, onPath: boolean, key: JsonPathSegment, at: number): boolean {
    if (!onPath || !this.target || depth >= this.target.length || this.target[depth] !== key) return false;
    if (depth === this.target.length - 1 && this.found === undefined) this.found = at;
    return true;
  }

  private object(depth: number, onPath: boolean): JsonValue {
    const out: { [key: string]: JsonValue } = {};
    this.pos++;
    this.skipSpace();
    if (this.text[this.pos] === "}") {
      this.pos++;
      return out;
    }
    for (;;) {
      if (this.text[this.pos] !== '"')
        this.fail(`expected a property name in double quotes, got ${this.describeHere()}`);
      const keyAt = this.pos;
      const key = this.string();
      if (Object.hasOwn(out, key)) this.fail(`duplicate key "${key}"`, keyAt);
      this.skipSpace();
      if (this.text[this.pos] !== ":")
        this.fail(`expected ':' after property name "${key}", got ${this.describeHere()}`);
      this.pos++;
      this.skipSpace();
      const childOnPath = this.onTarget(depth, onPath, key, keyAt);
      setOwn(out, key, this.value(depth + 1, childOnPath));
      this.skipSpace();
      const c = this.text[this.pos];
      if (c === ",") {
        this.pos++;
        this.skipSpace();
        continue;
      }
      if (c === "}") {
        this.pos++;
        return out;
      }
      this.fail(`expected ',' or '}' after the value of "${key}", got ${this.describeHere()}`);
    }
  }

  private array(depth: number, onPath: boolean): JsonValue {
    const out: JsonValue[] = [];
    this.pos++;
    this.skipSpace();
    if (this.text[this.pos] === "]") {
      this.pos++;
      return out;
    }
    for (;;) {
      const childOnPath = this.onTarget(depth, onPath, out.length, this.pos);
      out.push(this.value(depth + 1, childOnPath));
      this.skipSpace();
      const c = this.text[this.pos];
      if (c === ",") {
        this.pos++;
        this.skipSpace();
        continue;
      }
      if (c === "]") {
        this.pos++;
        return out;
      }
      this.fail(`expected ',' or ']' after an array element, got ${this.describeHere()}`);
    }
  }

  private literal<T extends JsonValue>(word: string, value: T): T {
    if (this.text.startsWith(word, this.pos)) {
      this.pos += word.length;
      return value;
    }
    let end = this.pos;
    while (end < this.text.length && /[A-Za-z0-9_]/.test(this.text[end])) end++;
    return this.fail(`unexpected '${this.text.slice(this.pos, Math.max(end, this.pos + 1))}' (expected a value)`);
  }

  private number(): number {
    const t = this.text;
    const start = this.pos;
    if (t[this.pos] === "-") this.pos++;
    if (t[this.pos] === "0") this.pos++;
    else if (t[this.pos] >= "1" && t[this.pos] <= "9") while (t[this.pos] >= "0" && t[this.pos] <= "9") this.pos++;
    else this.fail(`expected a digit in a number, got ${this.describeHere()}`);
    if (t[this.pos] === ".") {
      this.pos++;
      if (!(t[this.pos] >= "0" && t[this.pos] <= "9"))
        this.fail(`expected a digit after the decimal point, got ${this.describeHere()}`);
      while (t[this.pos] >= "0" && t[this.pos] <= "9") this.pos++;
    }
    if (t[this.pos] === "e" || t[this.pos] === "E") {
      this.pos++;
      if (t[this.pos] === "+" || t[this.pos] === "-") this.pos++;
      if (!(t[this.pos] >= "0" && t[this.pos] <= "9"))
        this.fail(`expected a digit in the exponent, got ${this.describeHere()}`);
      while (t[this.pos] >= "0" && t[this.pos] <= "9") this.pos++;
    }
    if (t[this.pos] >= "0" && t[this.pos] <= "9") this.fail("leading zeros are not allowed in numbers", start);
    return Number(t.slice(start, this.pos));
  }

  private string(): string {
    const t = this.text;
    const start = this.pos;
    this.pos++;
    let out = "";
    let chunk = this.pos;
    for (;;) {
      if (this.pos >= t.length) this.fail("unterminated string", start);
      const c = t.charCodeAt(this.pos);
      if (c === 34) {
        out += t.slice(chunk, this.pos);
        this.pos++;
        return out;
      }
      if (c < 0x20) this.fail(`${this.describeHere()} in a string (escape it)`);
      if (c !== 92) {
        this.pos++;
        continue;
      }
      out += t.slice(chunk, this.pos);
      const e = t[this.pos + 1];
      const simple = e === undefined ? undefined : SIMPLE_ESCAPES.get(e);
      if (simple !== undefined) {
        out += simple;
        this.pos += 2;
      } else if (e === "u") {
        const hex = t.slice(this.pos + 2, this.pos + 6);
        if (!/^[0-9A-Fa-f]{4}$/.test(hex)) this.fail(`bad unicode escape '\\u${hex}'`);
        out += String.fromCharCode(parseInt(hex, 16));
        this.pos += 6;
      } else {
        this.fail(`bad escape '\\${e ?? ""}' in a string`);
      }
      chunk = this.pos;
    }
  }
}
