import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseMatpower } from "./matpower.js";
import type { MatpowerCase } from "./matpower-types.js";
import { ScenarioError } from "./scenario-error.js";
import type { Network } from "./types.js";

/** The package's `cases/` directory, found from this module (works from dist/ and from an installed copy). */
const casesDir = fileURLToPath(new URL("../cases/", import.meta.url));

let names: string[] | undefined;
const texts = new Map<string, string>();
/** Parsed cases by their text: markets of a service share a few networks, parsed once each. */
const parsed = new Map<string, MatpowerCase>();
const PARSED_CACHE = 16;

/** Parses a case, or returns the case already parsed from the same text (treat it as read-only). */
function parseCached(text: string, source: string): MatpowerCase {
  const hit = parsed.get(text);
  if (hit) {
    parsed.delete(text);
    parsed.set(text, hit); // most recently used last
    return hit;
  }
  const c = parseMatpower(text, source);
  parsed.set(text, c);
  if (parsed.size > PARSED_CACHE) parsed.delete(parsed.keys().next().value as string);
  return c;
}

/** Names of the MATPOWER cases shipped with the package (`case14`, `case39b_31a`, ...), sorted. */
export function bundledCaseNames(): string[] {
  names ??= readdirSync(casesDir)
    .filter((f) => f.endsWith(".m"))
    .map((f) => f.slice(0, -2))
    .sort();
  return [...names];
}

/**
 * The text of a bundled case. Throws a ScenarioError listing the available names when `name`
 * is not one of them; `path` is the field that named it, for the error.
 */
export function readBundledCase(name: string, path = ""): string {
  let text = texts.get(name);
  if (text !== undefined) return text;
  const available = bundledCaseNames();
  if (!available.includes(name)) {
    throw new ScenarioError(`unknown bundled case ${JSON.stringify(name)}; available: ${available.join(", ")}`, { path });
  }
  text = readFileSync(join(casesDir, `${name}.m`), "utf8");
  texts.set(name, text);
  return text;
}

/**
 * The MATPOWER case of a market's network: its inline text (`matpower`) or a bundled case
 * (`bundledCase`), parsed; null when neither is set. `path` prefixes error paths (default
 * "network"): a parse error of inline text names `network.matpower` with its line and column.
 * Parsed cases are cached by text: the same text gives the same object, which callers must not
 * modify.
 */
export function resolveNetworkCase(network: Network, path = "network"): MatpowerCase | null {
  const hasText = network.matpower !== undefined && network.matpower !== null;
  const hasName = network.bundledCase !== undefined && network.bundledCase !== null;
  let member = network.source;
  if (member === undefined) {
    if (hasText && hasName) throw new ScenarioError("only one of matpower, bundledCase may be set", { path });
    member = hasText ? "matpower" : hasName ? "bundledCase" : undefined;
  }
  if (member === "matpower") {
    const text = network.matpower ?? "";
    if (text.trim() === "") throw new ScenarioError("is empty; give the text of a MATPOWER case", { path: `${path}.matpower` });
    return parseCached(text, `${path}.matpower`);
  }
  if (member === "bundledCase") {
    const name = network.bundledCase ?? "";
    return parseCached(readBundledCase(name, `${path}.bundledCase`), `${name}.m`);
  }
  return null;
}
